/**
 * The rules both device stores follow (Dexie and the in-memory twin), so they cannot drift:
 * what a valid sale is, how a sale, a void and an opening count turn into rows, movements and
 * stock levels. Pure functions; the stores only read and write.
 */
import type {
  EventStock,
  Hlc,
  Id,
  Mutation,
  OutboxEntry,
  Refund,
  Sale,
  SaleLine,
  StockMovement,
} from '$lib/domain/types';
import { validateVoidReason, voidable, voidMovements } from '$lib/domain/sale';
import { MAX_RESTOCK, oversells } from '$lib/domain/stock';
import { planRefund, refundMovements, RefundError, type RefundRequest } from '$lib/domain/refund';
import { StoreError, type NewSale, type VoidRequest } from './device-store';

export function stockId(eventId: Id, productId: Id): string {
  return `${eventId}:${productId}`;
}

export function checkNewSale(input: NewSale): void {
  const { sale, lines, movements } = input;
  if (sale.status !== 'completed') {
    throw new StoreError('invalid', 'Only a completed sale can be recorded.');
  }
  if (lines.length === 0) throw new StoreError('invalid', 'A sale needs at least one line.');
  if (lines.some((line) => line.saleId !== sale.id)) {
    throw new StoreError('invalid', 'A line of this sale belongs to another sale.');
  }
  if (
    movements.some((m) => m.saleId !== sale.id || m.eventId !== sale.eventId || m.kind !== 'sale')
  ) {
    throw new StoreError(
      'invalid',
      'A stock movement of this sale belongs to another sale or event.',
    );
  }
}

/** The sale as stored: the store's device id and receipt number filled in. */
export function completeSale(
  input: NewSale,
  deviceId: Id,
  receiptNumber: number,
): { sale: Sale; lines: SaleLine[]; movements: StockMovement[] } {
  return {
    sale: { ...input.sale, deviceId, receiptNumber },
    lines: input.lines.map((line) => ({ ...line })),
    movements: input.movements.map((m) => ({ ...m, deviceId })),
  };
}

export function checkVoid(
  sale: Sale | undefined,
  request: VoidRequest,
  refunds: readonly Refund[] = [],
): { sale: Sale; reason: string } {
  if (!sale) throw new StoreError('not-found', 'This sale is not on this device.');
  if (!voidable(sale)) throw new StoreError('invalid', 'This sale was already voided.');
  if (refunds.length > 0) {
    // A void takes back the whole sale; part of it was given back already.
    throw new StoreError('invalid', 'This sale has refunds: refund what remains instead.');
  }
  const reason = validateVoidReason(request.reason);
  if (!reason.ok) {
    throw new StoreError(
      'invalid',
      reason.error === 'required'
        ? 'A void needs a reason.'
        : 'The reason for the void is too long.',
    );
  }
  return { sale, reason: reason.value };
}

/**
 * The refund a request makes and the stock it gives back (src/lib/domain/refund.ts), or a
 * StoreError: 'not-found' for a sale not on this device, 'invalid' (with the reason) for a
 * voided sale, a missing reason, or lines and quantities that are not what remains.
 */
export function planRefundRecord(
  sale: Sale | undefined,
  lines: readonly SaleLine[],
  earlier: readonly Refund[],
  saleMovements: readonly StockMovement[],
  request: RefundRequest,
  deviceId: Id,
  newId: () => Id,
): { refund: Refund; movements: StockMovement[] } {
  if (!sale) throw new StoreError('not-found', 'This sale is not on this device.');
  if (earlier.some((r) => r.id === request.id)) {
    throw new StoreError('invalid', 'This refund was already saved once; it was not saved again.');
  }
  try {
    const refund = planRefund(sale, lines, earlier, request, deviceId);
    return { refund, movements: refundMovements(refund, saleMovements, newId) };
  } catch (error) {
    if (error instanceof RefundError) throw new StoreError('invalid', error.message, error);
    throw error;
  }
}

/**
 * The id of the movement that gives back sale movement `saleMovementId`: derived, not random,
 * so two devices voiding the same sale while offline make the same movements, and the
 * server (which keeps the first void) and every device count the stock back once (G5).
 * The last 12 hex digits are complemented: still a UUID, never the original id.
 */
export function voidMovementId(saleMovementId: Id): Id {
  const head = saleMovementId.slice(0, -12);
  const tail = saleMovementId
    .slice(-12)
    .replace(/[0-9a-f]/gi, (d) => (15 - parseInt(d, 16)).toString(16));
  return head + tail;
}

/** The movements that undo a sale's own stock movements (sale.ts decides how), stamped with the void. */
export function reverseMovements(
  original: readonly StockMovement[],
  request: VoidRequest,
  deviceId: Id,
  newId: () => Id,
): StockMovement[] {
  const own = original.filter((m) => m.saleId === request.saleId);
  // voidMovements asks for one id per 'sale' movement, in order (sale.ts).
  const ids = own.filter((m) => m.kind === 'sale').map((m) => voidMovementId(m.id));
  let next = 0;
  return voidMovements(own, () => ids[next++] ?? newId(), request.hlc, request.voidedAt).map(
    (m) => ({ ...m, deviceId }),
  );
}

/**
 * Stock rows after the movements: each kept row's level moves by its movements. Products
 * whose stock is not kept at the event have no row; their movements are still stored.
 */
export function levelsAfter(
  rows: ReadonlyMap<string, EventStock>,
  movements: readonly StockMovement[],
): EventStock[] {
  const changed = new Map<string, EventStock>();
  for (const m of movements) {
    const id = stockId(m.eventId, m.productId);
    const row = changed.get(id) ?? rows.get(id);
    if (row) changed.set(id, { ...row, level: row.level + m.delta });
  }
  return [...changed.values()];
}

export function stockIdsOf(
  movements: readonly Pick<StockMovement, 'eventId' | 'productId'>[],
): string[] {
  return [...new Set(movements.map((m) => stockId(m.eventId, m.productId)))];
}

export interface OpeningPlan {
  /** The recount movement to store and queue, if the opening count changed. */
  movement: StockMovement | null;
  /** The row to write, or 'delete' to stop keeping stock, or null for no change. */
  row: EventStock | 'delete' | null;
}

/**
 * What setting an opening count does. `movementSum` is the sum of the product's movements at
 * the event so far; it is only needed (and only read) when stock starts being kept.
 */
export function planOpening(
  current: EventStock | undefined,
  eventId: Id,
  productId: Id,
  openingCount: number | null,
  movementSum: () => number,
  stamp: { deviceId: Id; hlc: Hlc; now: number; newId: () => Id },
): OpeningPlan {
  if (openingCount !== null && (!Number.isSafeInteger(openingCount) || openingCount < 0)) {
    throw new StoreError('invalid', 'An opening count is a whole number, 0 or more.');
  }
  if (openingCount === null && !current) return { movement: null, row: null };
  if (openingCount !== null && current && current.openingCount === openingCount) {
    return { movement: null, row: null };
  }
  const previous = current?.openingCount ?? 0;
  const delta = (openingCount ?? 0) - previous;
  const movement: StockMovement | null =
    delta === 0
      ? null
      : {
          id: stamp.newId(),
          eventId,
          productId,
          deviceId: stamp.deviceId,
          kind: 'recount',
          delta,
          saleId: null,
          hlc: stamp.hlc,
          createdAt: stamp.now,
        };
  if (openingCount === null) return { movement, row: 'delete' };
  // A new row's level is every movement so far plus this one, so level = the sum of the
  // movements holds even when stock was kept before, cleared, and kept again.
  const level = current ? current.level + delta : movementSum() + delta;
  return {
    movement,
    row: { id: stockId(eventId, productId), eventId, productId, openingCount, level },
  };
}

export function outboxEntry(
  seq: number,
  deviceId: Id,
  mutation: Mutation,
  now: number,
): OutboxEntry {
  return { seq, deviceId, mutation, createdAt: now };
}

/** The later of two HLCs (string order is HLC order). */
export function laterHlc(a: Hlc | undefined, b: Hlc): Hlc {
  return a !== undefined && a > b ? a : b;
}

export const DEFAULT_PAGE_SIZE = 50;

export function pageOf(options: { limit?: number; offset?: number } | undefined): {
  limit: number;
  offset: number;
} {
  const limit = options?.limit ?? DEFAULT_PAGE_SIZE;
  const offset = options?.offset ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 0 || !Number.isSafeInteger(offset) || offset < 0) {
    throw new StoreError('invalid', 'A page needs a whole, non-negative limit and offset.');
  }
  return { limit, offset };
}

/** The restock movement and the row after it (CatalogueStore.restock). */
export function planRestock(
  current: EventStock | undefined,
  eventId: Id,
  productId: Id,
  quantity: number,
  stamp: { deviceId: Id; hlc: Hlc; now: number; newId: () => Id },
): { movement: StockMovement; row: EventStock } {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_RESTOCK) {
    throw new StoreError('invalid', `A restock is a whole number from 1 to ${MAX_RESTOCK}.`);
  }
  if (!current) throw new StoreError('not-found', 'Stock is not kept for this product here.');
  const movement: StockMovement = {
    id: stamp.newId(),
    eventId,
    productId,
    deviceId: stamp.deviceId,
    kind: 'restock',
    delta: quantity,
    saleId: null,
    hlc: stamp.hlc,
    createdAt: stamp.now,
  };
  return { movement, row: { ...current, level: current.level + quantity } };
}

/**
 * The sale as stored: flagged 'oversell' when its movements take a kept level below zero
 * (`levels` before the sale), otherwise as it came. The outbox gets `withoutFlags`.
 */
export function flagOversell(
  sale: Sale,
  rows: ReadonlyMap<string, EventStock>,
  movements: readonly StockMovement[],
): Sale {
  const levels = new Map([...rows].map(([id, row]) => [id, row.level]));
  return oversells(levels, movements) ? { ...sale, flags: ['oversell'] } : sale;
}

export function withoutFlags(sale: Sale): Sale {
  const { flags: _flags, ...rest } = sale;
  return rest;
}
