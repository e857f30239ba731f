// Loads what a batch needs, locking what it will change. Locks are always taken in the same
// order (device, then products by id, then voided sales by id, then stock rows by event and
// product) so two batches from different devices of one maker cannot deadlock.
import { and, asc, inArray, sql, type SQL } from 'drizzle-orm';
import type { Id, Mutation, Product } from '$lib/domain/types';
import { queryRows, type Tx } from '$lib/server/db';
import {
  eventStock,
  events,
  products,
  refundLines,
  refunds,
  saleLines,
  sales,
  stallAssignments,
  stockMovements,
} from '$lib/server/db/schema';
import type { SyncAccount, MakerResolver } from './account';
import {
  assignmentKey,
  stockKey,
  type BatchState,
  type SaleState,
  type StockState,
} from './batch-state';
import { lineFromRow, movementFromRow, refundFromRows } from './rows';
import { cashEventIds, emptyCashState, loadCash } from './cashbook';
import { loadTakingPart } from './taking-part';
import { emptySettlementState, loadSettlements } from './link-settlement';

function collectIds(mutations: readonly Mutation[]) {
  const productIds = new Set<Id>();
  const eventIds = new Set<Id>();
  const recordedSaleIds = new Set<Id>();
  const voidedSaleIds = new Set<Id>();
  const movementIds = new Set<Id>();
  const lineIds = new Set<Id>();
  const refundIds = new Set<Id>();
  for (const m of mutations) {
    switch (m.type) {
      case 'sale.record':
        recordedSaleIds.add(m.sale.id);
        eventIds.add(m.sale.eventId);
        for (const line of m.lines) {
          productIds.add(line.productId);
          lineIds.add(line.id);
        }
        for (const mv of m.movements) movementIds.add(mv.id);
        break;
      case 'sale.void':
        voidedSaleIds.add(m.saleId);
        for (const mv of m.movements) {
          movementIds.add(mv.id);
          productIds.add(mv.productId);
        }
        break;
      case 'product.upsert':
        productIds.add(m.product.id);
        break;
      case 'event.upsert':
        eventIds.add(m.event.id);
        break;
      case 'stock.movement':
        productIds.add(m.movement.productId);
        movementIds.add(m.movement.id);
        break;
      case 'refund.record':
        // Loaded and locked like a voided sale: with its lines, movements and refunds.
        voidedSaleIds.add(m.refund.saleId);
        refundIds.add(m.refund.id);
        for (const mv of m.movements) {
          movementIds.add(mv.id);
          productIds.add(mv.productId);
        }
        break;
      case 'link.settle':
        // Loaded and locked like a voided sale: two settlements of one sale go one by one.
        voidedSaleIds.add(m.settlement.saleId);
        break;
      case 'cashbook.open':
      case 'cashbook.movement':
      case 'cashbook.close':
        break;
    }
  }
  for (const id of cashEventIds(mutations)) eventIds.add(id);
  return {
    productIds,
    eventIds,
    recordedSaleIds,
    voidedSaleIds,
    movementIds,
    lineIds,
    refundIds,
  };
}

const ids = (set: Set<Id>) => [...set].sort();

export async function loadBatch(
  tx: Tx,
  deviceId: Id,
  account: SyncAccount,
  resolver: MakerResolver,
  mutations: readonly Mutation[],
): Promise<BatchState> {
  const wanted = collectIds(mutations);
  const state: BatchState = {
    deviceId,
    account,
    resolver,
    products: new Map(),
    newProducts: new Set(),
    changedProducts: new Set(),
    history: [],
    events: new Map(),
    changedEvents: new Set(),
    assignments: new Set(),
    takingPart: new Set(),
    sales: new Map(),
    movementIds: new Map(),
    lineIds: new Set(),
    newMovements: [],
    refundIds: new Map(),
    newRefunds: [],
    stock: new Map(),
    cash: emptyCashState(),
    settlements: emptySettlementState(),
    extraChanges: [],
    results: [],
    log: [],
  };
  if (mutations.length === 0) return state;

  if (wanted.productIds.size > 0) {
    const rows = await tx
      .select()
      .from(products)
      .where(inArray(products.id, ids(wanted.productIds)))
      .orderBy(asc(products.id))
      .for('update');
    for (const row of rows) state.products.set(row.id, row);
  }

  if (wanted.eventIds.size > 0) {
    const rows = await tx
      .select()
      .from(events)
      .where(inArray(events.id, ids(wanted.eventIds)));
    for (const row of rows) state.events.set(row.id, row);
    if (account.makerIds.length > 0 || resolver.sellingMakerId) {
      const makerIds = [...new Set([...account.makerIds, resolver.sellingMakerId ?? ''])];
      const assigned = await tx
        .select({ eventId: stallAssignments.eventId, makerId: stallAssignments.makerId })
        .from(stallAssignments)
        .where(
          and(
            inArray(stallAssignments.eventId, ids(wanted.eventIds)),
            inArray(stallAssignments.makerId, makerIds),
          ),
        );
      for (const a of assigned) state.assignments.add(assignmentKey(a.eventId, a.makerId));
      state.takingPart = await loadTakingPart(tx, state.events, makerIds);
    }
  }

  await loadSales(tx, state, wanted.recordedSaleIds, wanted.voidedSaleIds);

  await loadKnownIds(tx, state, wanted);

  await loadCash(tx, state, mutations);
  await loadSettlements(tx, state, mutations);
  await lockStock(tx, state, mutations);
  return state;
}

/** Which of the batch's movement, refund and line ids the server has: one round trip. */
async function loadKnownIds(
  tx: Tx,
  state: BatchState,
  wanted: ReturnType<typeof collectIds>,
): Promise<void> {
  const among = (set: Set<Id>) =>
    sql`any(array(select json_array_elements_text(${JSON.stringify(ids(set))}::text::json)))`;
  const parts: SQL[] = [];
  if (wanted.movementIds.size > 0) {
    parts.push(sql`select 'movement' as kind, id, maker_id, null as sale_id
      from stock_movements where id = ${among(wanted.movementIds)}`);
  }
  if (wanted.refundIds.size > 0) {
    parts.push(sql`select 'refund' as kind, id, maker_id, sale_id
      from refunds where id = ${among(wanted.refundIds)}`);
  }
  if (wanted.lineIds.size > 0) {
    parts.push(sql`select 'line' as kind, id, null as maker_id, null as sale_id
      from sale_lines where id = ${among(wanted.lineIds)}`);
  }
  if (parts.length === 0) return;
  const rows = await queryRows<{
    kind: 'movement' | 'refund' | 'line';
    id: string;
    maker_id: string | null;
    sale_id: string | null;
  }>(tx, sql.join(parts, sql` union all `));
  for (const row of rows) {
    if (row.kind === 'movement') state.movementIds.set(row.id, row.maker_id ?? '');
    else if (row.kind === 'refund') {
      state.refundIds.set(row.id, { saleId: row.sale_id ?? '', makerId: row.maker_id ?? '' });
    } else state.lineIds.add(row.id);
  }
}

async function loadSales(
  tx: Tx,
  state: BatchState,
  recorded: Set<Id>,
  voided: Set<Id>,
): Promise<void> {
  // Sales about to be voided are locked: two devices voiding one sale must not both
  // give its stock back.
  if (voided.size > 0) {
    const rows = await tx
      .select()
      .from(sales)
      .where(inArray(sales.id, ids(voided)))
      .orderBy(asc(sales.id))
      .for('update');
    const found = rows.map((r) => r.id);
    const lines = found.length
      ? await tx.select().from(saleLines).where(inArray(saleLines.saleId, found))
      : [];
    const movements = found.length
      ? await tx.select().from(stockMovements).where(inArray(stockMovements.saleId, found))
      : [];
    const refundRows = found.length
      ? await tx.select().from(refunds).where(inArray(refunds.saleId, found))
      : [];
    const refundLineRows = refundRows.length
      ? await tx
          .select()
          .from(refundLines)
          .where(
            inArray(
              refundLines.refundId,
              refundRows.map((r) => r.id),
            ),
          )
      : [];
    for (const row of rows) {
      const sale: SaleState = {
        row,
        lines: lines
          .filter((l) => l.saleId === row.id)
          .map(lineFromRow)
          .sort((a, b) => a.position - b.position),
        movements: movements.filter((m) => m.saleId === row.id).map(movementFromRow),
        isNew: false,
        voided: false,
        refunds: refundRows
          .filter((r) => r.saleId === row.id)
          .map((r) =>
            refundFromRows(
              r,
              refundLineRows.filter((l) => l.refundId === r.id),
            ),
          ),
      };
      state.sales.set(row.id, sale);
    }
  }
  const rest = [...recorded].filter((id) => !state.sales.has(id));
  if (rest.length > 0) {
    const rows = await tx.select().from(sales).where(inArray(sales.id, rest.sort()));
    for (const row of rows) {
      state.sales.set(row.id, {
        row,
        lines: [],
        movements: [],
        isNew: false,
        voided: false,
        refunds: [],
      });
    }
  }
}

/** The maker a stock row belongs to: its product's, as the server knows it or will. */
function productMaker(state: BatchState, productId: Id, upserts: Map<Id, Product>) {
  const known = state.products.get(productId);
  if (known) return state.resolver.owns(known.makerId) ? known.makerId : null;
  const incoming = upserts.get(productId);
  if (!incoming) return null;
  const mapped = state.resolver.map(incoming.makerId);
  return mapped.ok ? mapped.makerId : null;
}

/**
 * Makes sure every stock row the batch may move exists, then locks them all, sorted. A row
 * made here by a concurrent batch is waited for (the insert blocks on its key) and then
 * read with that batch's level, so oversell flags see every committed movement.
 */
async function lockStock(tx: Tx, state: BatchState, mutations: readonly Mutation[]) {
  const upserts = new Map<Id, Product>();
  for (const m of mutations) if (m.type === 'product.upsert') upserts.set(m.product.id, m.product);
  const pairs = new Map<string, { eventId: Id; productId: Id; makerId: Id }>();
  const add = (eventId: Id, productId: Id) => {
    const makerId = productMaker(state, productId, upserts);
    if (makerId) pairs.set(stockKey(eventId, productId), { eventId, productId, makerId });
  };
  for (const m of mutations) {
    if (m.type === 'sale.record') for (const mv of m.movements) add(mv.eventId, mv.productId);
    if (m.type === 'sale.void') for (const mv of m.movements) add(mv.eventId, mv.productId);
    if (m.type === 'stock.movement') add(m.movement.eventId, m.movement.productId);
    if (m.type === 'refund.record') for (const mv of m.movements) add(mv.eventId, mv.productId);
  }
  if (pairs.size === 0) return;
  const sorted = [...pairs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Made if missing and locked, sorted, in one statement: an upsert that changes nothing
  // locks the existing row and returns its latest committed version (as SELECT ... FOR
  // UPDATE after the insert did); rows are taken in the order given.
  const rows = await tx
    .insert(eventStock)
    .values(sorted.map(([, p]) => ({ ...p, openingCount: 0, level: 0 })))
    .onConflictDoUpdate({
      target: [eventStock.eventId, eventStock.productId],
      set: { level: sql`${eventStock.level}` },
    })
    .returning();
  for (const row of rows) {
    const entry: StockState = { row, dirty: false };
    state.stock.set(stockKey(row.eventId, row.productId), entry);
  }
}
