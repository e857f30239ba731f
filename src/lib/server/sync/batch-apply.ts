// Applies one mutation to the batch's in-memory state, in device order. Every check that can
// refuse a mutation runs before the state changes, so a rejected mutation leaves no trace
// but its log row [G7]. Business problems of a sale only flag it [G7].
import { clockAheadBy } from '$lib/domain/clock-skew';
import type {
  Id,
  Mutation,
  Payment,
  ProductClocks,
  ProductField,
  SaleFlag,
  StockMovement,
} from '$lib/domain/types';
import { PRODUCT_FIELDS, type MutationResult } from '$lib/sync/protocol';
import { assignmentKey, stockKey, type BatchState, type StockState } from './batch-state';
import { applyCashClose, applyCashMovement, applyCashOpen } from './cashbook';
import { applySettle } from './link-settlement';
import { movementToRow, saleToRow } from './rows';

type Of<T extends Mutation['type']> = Extract<Mutation, { type: T }>;
export type Verdict = Omit<MutationResult, 'seq'>;

const reject = (reason: string): Verdict => ({ status: 'rejected', reason });
const duplicate = (reason: string): Verdict => ({ status: 'duplicate', reason });

export function applyMutation(state: BatchState, m: Mutation, seq: number): Verdict {
  switch (m.type) {
    case 'sale.record':
      return applySale(state, m);
    case 'sale.void':
      return applyVoid(state, m);
    case 'product.upsert':
      return applyProduct(state, m, seq);
    case 'event.upsert':
      return applyEvent(state, m);
    case 'stock.movement':
      return applyStockMovement(state, m);
    case 'refund.record':
      return applyRefund(state, m);
    case 'cashbook.open':
      return applyCashOpen(state, m);
    case 'cashbook.movement':
      return applyCashMovement(state, m);
    case 'cashbook.close':
      return applyCashClose(state, m);
    case 'link.settle':
      return applySettle(state, m);
  }
}

function stockRow(state: BatchState, mv: StockMovement): StockState | undefined {
  return state.stock.get(stockKey(mv.eventId, mv.productId));
}

/** Moves stock; true when a 'sale' movement took the level below zero. */
function moveStock(state: BatchState, mv: StockMovement): boolean {
  const entry = stockRow(state, mv);
  if (!entry) return false;
  entry.row = {
    ...entry.row,
    level: entry.row.level + mv.delta,
    openingCount: entry.row.openingCount + (mv.kind === 'recount' ? mv.delta : 0),
  };
  entry.dirty = true;
  return mv.kind === 'sale' && entry.row.level < 0;
}

function unusedMovementIds(state: BatchState, movements: readonly StockMovement[]): boolean {
  return movements.every((mv) => !state.movementIds.has(mv.id));
}

function saleFlags(state: BatchState, eventId: Id, makerId: Id): SaleFlag[] {
  const event = state.events.get(eventId);
  if (!event) return ['unknown-event'];
  const flags: SaleFlag[] = [];
  if (event.status === 'closed') flags.push('event-closed');
  const organised = event.organisationId && event.ownerMakerId !== makerId;
  const key = assignmentKey(eventId, makerId);
  if (organised && !state.assignments.has(key)) {
    flags.push('wrong-stall');
    if (!state.takingPart.has(key)) flags.push('foreign-event');
  }
  return flags;
}

function applySale(state: BatchState, m: Of<'sale.record'>): Verdict {
  const mapped = state.resolver.map(m.sale.makerId);
  if (!mapped.ok) return reject(mapped.reason);
  const makerId = mapped.makerId;
  const known = state.sales.get(m.sale.id);
  if (known) {
    // Another maker's sale under this id is not "already here": acknowledging it as a
    // duplicate would drop this device's sale without the server ever holding it [G2].
    if (known.row.makerId !== makerId) return reject('the sale id is used by another maker');
    return duplicate('the sale is already on the server');
  }
  for (const line of m.lines) {
    const product = state.products.get(line.productId);
    if (!product || product.makerId !== makerId) {
      return reject(`unknown product ${line.productId}`);
    }
  }
  if (!unusedMovementIds(state, m.movements)) return reject('a stock movement id is already used');
  if (m.lines.some((l) => state.lineIds.has(l.id))) return reject('a sale line id is already used');

  const flags = saleFlags(state, m.sale.eventId, makerId);
  let oversold = false;
  for (const mv of m.movements) oversold = moveStock(state, mv) || oversold;
  if (oversold) flags.push('oversell');

  const sale = { ...m.sale, makerId };
  // A phone whose clock runs ahead: flagged, never rejected [G7] (SPEC.md, "A device clock ahead").
  const ahead = clockAheadBy(m.sale.createdAt, state.receivedAt ?? Date.now());
  state.sales.set(sale.id, {
    row: saleToRow(sale, makerId, flags, ahead),
    lines: m.lines.map((l) => ({ ...l })),
    movements: m.movements.map((mv) => ({ ...mv })),
    refunds: [],
    isNew: true,
    voided: false,
  });
  for (const mv of m.movements) {
    state.movementIds.set(mv.id, makerId);
    state.newMovements.push(movementToRow(mv, makerId));
  }
  for (const line of m.lines) state.lineIds.add(line.id);
  return flags.length > 0 ? { status: 'applied', flags } : { status: 'applied' };
}

function applyVoid(state: BatchState, m: Of<'sale.void'>): Verdict {
  const sale = state.sales.get(m.saleId);
  if (!sale || !state.resolver.owns(sale.row.makerId)) return reject(`unknown sale ${m.saleId}`);
  if (sale.row.status === 'voided') return duplicate('the sale was already voided');
  // A void takes back the whole sale; part of it was given back already (SPEC.md "Refunds").
  if (sale.refunds.length > 0) return reject('the sale has refunds: refund what remains instead');
  const sold = sale.movements.filter((mv) => mv.kind === 'sale');
  if (sold.length !== m.movements.length) {
    return reject('the void does not give back exactly the stock the sale took');
  }
  for (const mv of m.movements) {
    const original = sold.find((o) => o.productId === mv.productId);
    if (!original || original.delta !== -mv.delta || mv.eventId !== sale.row.eventId) {
      return reject('the void does not give back exactly the stock the sale took');
    }
  }
  if (!unusedMovementIds(state, m.movements)) return reject('a stock movement id is already used');

  for (const mv of m.movements) {
    moveStock(state, mv);
    state.movementIds.set(mv.id, sale.row.makerId);
    state.newMovements.push(movementToRow(mv, sale.row.makerId));
    sale.movements.push({ ...mv });
  }
  sale.row = { ...sale.row, status: 'voided', voidReason: m.reason, voidedAt: m.voidedAt };
  if (!sale.isNew) sale.voided = true;
  return { status: 'applied' };
}

/**
 * A refund of a sale this account sells for (its maker's or the maker it helps), never more
 * than remains of it: per line, the quantity, amount and VAT of every earlier refund plus
 * this one stay within the line's. Anything else is rejected with the reason, its number
 * consumed [G7]. The same refund again is a duplicate.
 */
function applyRefund(state: BatchState, m: Of<'refund.record'>): Verdict {
  const { refund } = m;
  const used = state.refundIds.get(refund.id);
  const sale = state.sales.get(refund.saleId);
  if (!sale || !state.resolver.owns(sale.row.makerId)) {
    return reject(`unknown sale ${refund.saleId}`);
  }
  if (used) {
    if (used.saleId === refund.saleId && used.makerId === sale.row.makerId) {
      return duplicate('the refund is already on the server');
    }
    return reject('the refund id is used by another refund');
  }
  if (sale.row.status === 'voided') return reject('the sale was voided: nothing is left to refund');
  if (refund.eventId !== sale.row.eventId) return reject('the refund is for another event');
  if (refund.cashCents !== undefined) {
    // The cash part (SPEC.md "Refunds"): never more than the refund, nor, with the cash parts
    // the sale's earlier refunds carry, more than the sale took in cash.
    if (refund.cashCents > refund.totalCents) {
      return reject('cashCents: the cash part is more than the refund');
    }
    const tookInCash = (sale.row.payments as Payment[])
      .filter((p) => p.method === 'cash')
      .reduce((sum, p) => sum + p.amountCents, 0);
    const givenInCash = sale.refunds.reduce((sum, r) => sum + (r.cashCents ?? 0), 0);
    if (givenInCash + refund.cashCents > tookInCash) {
      return reject('cashCents: more cash back than the sale took in cash');
    }
  }
  const done = new Map<Id, { quantity: number; amountCents: number; vatCents: number }>();
  for (const earlier of sale.refunds) {
    for (const line of earlier.lines) {
      const d = done.get(line.saleLineId) ?? { quantity: 0, amountCents: 0, vatCents: 0 };
      done.set(line.saleLineId, {
        quantity: d.quantity + line.quantity,
        amountCents: d.amountCents + line.amountCents,
        vatCents: d.vatCents + line.vatCents,
      });
    }
  }
  for (const line of refund.lines) {
    const sold = sale.lines.find((l) => l.id === line.saleLineId);
    if (!sold) return reject(`sale line ${line.saleLineId} is not of this sale`);
    if (sold.productId !== line.productId || sold.vatRate !== line.vatRate) {
      return reject('a refund line does not match its sale line');
    }
    const d = done.get(line.saleLineId) ?? { quantity: 0, amountCents: 0, vatCents: 0 };
    if (
      d.quantity + line.quantity > sold.quantity ||
      d.amountCents + line.amountCents > sold.totalCents ||
      d.vatCents + line.vatCents > sold.vatCents
    ) {
      return reject('the refund is more than remains of the sale');
    }
  }
  const stocked = new Set(
    sale.movements.filter((mv) => mv.kind === 'sale').map((mv) => mv.productId),
  );
  if (m.movements.some((mv) => !stocked.has(mv.productId))) {
    return reject('a refund gives back stock the sale did not take');
  }
  if (!unusedMovementIds(state, m.movements)) return reject('a stock movement id is already used');

  const makerId = sale.row.makerId;
  const stored = { ...refund, makerId, lines: refund.lines.map((l) => ({ ...l })) };
  for (const mv of m.movements) {
    moveStock(state, mv);
    state.movementIds.set(mv.id, makerId);
    state.newMovements.push(movementToRow(mv, makerId));
  }
  sale.refunds.push(stored);
  state.refundIds.set(refund.id, { saleId: refund.saleId, makerId });
  state.newRefunds.push({ refund: stored, movements: m.movements.map((mv) => ({ ...mv })) });
  return { status: 'applied' };
}

function applyProduct(state: BatchState, m: Of<'product.upsert'>, seq: number): Verdict {
  if (state.resolver.helperOnly) return reject('a helper cannot change the maker’s products');
  const mapped = state.resolver.map(m.product.makerId);
  if (!mapped.ok) return reject(mapped.reason);
  const existing = state.products.get(m.product.id);
  // The clock of each field's value: a re-push says per field; a live edit is `m.hlc`.
  const clockOf = (field: ProductField) => (m.rebased && m.fieldHlcs?.[field]) || m.hlc;
  if (!existing) {
    const fieldHlcs: ProductClocks = {};
    for (const field of PRODUCT_FIELDS) fieldHlcs[field] = clockOf(field);
    const incoming = { ...m.product, makerId: mapped.makerId, hlc: m.hlc, fieldHlcs, version: 1 };
    state.products.set(incoming.id, incoming);
    state.newProducts.add(incoming.id);
    return { status: 'applied' };
  }
  if (existing.makerId !== mapped.makerId) return reject('the product belongs to another maker');
  const incoming = { ...m.product, makerId: mapped.makerId };
  // Per field, last writer in server order wins; what it overwrites goes to history [G6].
  // A re-pushed value (epoch rule) wins only if its clock is newer than the field's: a device
  // that was behind must not overwrite a newer value made elsewhere. The loser is kept too.
  const next = { ...existing, fieldHlcs: { ...existing.fieldHlcs } };
  let changed = false;
  for (const field of m.fields ?? PRODUCT_FIELDS) {
    const before = existing[field] ?? null;
    const after = incoming[field];
    const current = existing.fieldHlcs?.[field] ?? existing.hlc;
    const clock = clockOf(field);
    if (before === after) continue;
    if (m.rebased && clock <= current) {
      state.history.push({
        productId: existing.id,
        field,
        oldValue: after,
        newValue: before,
        deviceId: state.deviceId,
        seq,
        hlc: clock,
      });
      continue;
    }
    state.history.push({
      productId: existing.id,
      field,
      oldValue: before,
      newValue: after,
      deviceId: state.deviceId,
      seq,
      hlc: clock,
    });
    Object.assign(next, { [field]: after });
    // Never older than the value it replaced, so a re-push cannot undo a live edit either.
    next.fieldHlcs[field] = clock > current ? clock : current;
    changed = true;
  }
  if (!changed) return { status: 'applied' };
  next.updatedAt = Math.max(existing.updatedAt, incoming.updatedAt);
  next.hlc = m.hlc;
  // Every write of the row bumps its version under the row's lock (batch-load.ts locks it):
  // devices order a product's feed rows by it, not by the feed's txid order [G5].
  next.version = (existing.version ?? 1) + 1;
  state.products.set(next.id, next);
  if (!state.newProducts.has(next.id)) state.changedProducts.add(next.id);
  return { status: 'applied' };
}

function applyEvent(state: BatchState, m: Of<'event.upsert'>): Verdict {
  if (state.resolver.helperOnly) return reject('a helper cannot change the maker’s events');
  const makerId = state.resolver.sellingMakerId;
  if (!makerId) return reject('this account has no maker profile');
  const existing = state.events.get(m.event.id);
  if (existing && existing.ownerMakerId !== makerId) {
    return reject('the event is managed by its organiser');
  }
  const orgId = m.event.organisationId;
  if (orgId && !state.account.organisationIds.includes(orgId)) {
    return reject('the account is not a member of the event’s organisation');
  }
  state.events.set(m.event.id, { ...m.event, ownerMakerId: makerId, origin: 'device' });
  state.changedEvents.add(m.event.id);
  return { status: 'applied' };
}

function applyStockMovement(state: BatchState, m: Of<'stock.movement'>): Verdict {
  const mv = m.movement;
  const product = state.products.get(mv.productId);
  if (!product || !state.resolver.owns(product.makerId)) {
    return reject(`unknown product ${mv.productId}`);
  }
  const holder = state.movementIds.get(mv.id);
  if (holder !== undefined) {
    // Another maker's movement under this id is not "already here": acknowledging it as a
    // duplicate would drop this device's movement without the server ever holding it [G2].
    if (holder !== product.makerId) return reject('the stock movement id is used by another maker');
    return duplicate('the stock movement is already on the server');
  }
  moveStock(state, mv);
  state.movementIds.set(mv.id, product.makerId);
  state.newMovements.push(movementToRow(mv, product.makerId));
  state.extraChanges.push({
    change: { entity: 'stock_movement', op: 'upsert', data: mv },
    makerId: product.makerId,
    organisationId: null,
  });
  return { status: 'applied' };
}
