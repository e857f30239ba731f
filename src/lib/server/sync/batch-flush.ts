// Writes what a batch decided, in bulk, inside its transaction. Sales and movements are
// inserted with ON CONFLICT (id) DO NOTHING [G2]; if that ever skips a row the batch
// believed new, the state it computed is stale, so the transaction is rolled back and run
// again (ConcurrentChangeError) instead of counting anything twice.
//
// The bulk writes of a batch (sales, lines, movements, refunds, cash book rows, stock levels,
// the mutation log, the change feed) go to the database as ONE statement, each write a
// data-modifying WITH part (BulkWrites): one round trip instead of one per table, which was
// most of a one-sale push's time (docs/benchmarks.md, issue 11). The parts see one snapshot
// and none reads what another writes; foreign keys are checked at the end of the statement,
// so a line may reference a sale inserted by another part.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { reusedRows, type Tx } from '$lib/server/db';
import {
  events,
  productHistory,
  products,
  refundLines,
  refunds,
  saleLines,
  sales,
  stockMovements,
  syncMutations,
} from '$lib/server/db/schema';
import { queueElectronicRefunds } from '$lib/server/payments/refunds';
import type { BatchState } from './batch-state';
import { insertRows } from './bulk-insert';
import { cashChanges, cashInserts } from './cashbook';
import { settlementChanges, settlementInserts } from './link-settlement';
import { changeInserts, eventChange, type ChangeInput } from './change-feed';
import { eventFromRow, productChangeFromRow, refundToRows, saleFromRow } from './rows';

/** Another transaction changed rows this batch read: run the batch again. */
export class ConcurrentChangeError extends Error {
  constructor(what: string) {
    super(`concurrent change: ${what}`);
    this.name = 'ConcurrentChangeError';
  }
}

const CHUNK = 500;

// The columns each bulk insert writes; the rest keep their defaults (server times, ids).
const LOG_KEYS = ['deviceId', 'seq', 'status', 'type', 'reason', 'flags', 'hash', 'body'] as const;
const PRODUCT_KEYS = [
  'id',
  'makerId',
  'name',
  'priceCents',
  'vatRate',
  'photoId',
  'colour',
  'category',
  'archived',
  'createdAt',
  'updatedAt',
  'hlc',
  'fieldHlcs',
  'version',
] as const;
const HISTORY_KEYS = [
  'productId',
  'field',
  'oldValue',
  'newValue',
  'deviceId',
  'seq',
  'hlc',
] as const;
/** The sales columns a push writes (shared with bulk-insert.spec.ts). */
export const SALE_KEYS = [
  'id',
  'deviceId',
  'makerId',
  'eventId',
  'receiptNumber',
  'hlc',
  'createdAt',
  'subtotalCents',
  'lineDiscountCents',
  'cartDiscountCents',
  'totalCents',
  'roundingCents',
  'paidCents',
  'payments',
  'itemCount',
  'status',
  'voidReason',
  'voidedAt',
  'flags',
  'clockAheadMs',
] as const;
const LINE_KEYS = [
  'id',
  'saleId',
  'position',
  'productId',
  'name',
  'unitPriceCents',
  'vatRate',
  'quantity',
  'lineDiscountCents',
  'cartDiscountShareCents',
  'totalCents',
  'vatCents',
] as const;
const MOVEMENT_KEYS = [
  'id',
  'eventId',
  'productId',
  'makerId',
  'deviceId',
  'kind',
  'delta',
  'saleId',
  'hlc',
  'createdAt',
] as const;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/**
 * Statements sent together as one: `with w0 as (...), w1 as (...) select <counts>`. A part
 * given `rows` must end in RETURNING and affect exactly that many rows, otherwise the batch
 * read stale state: ConcurrentChangeError `what`.
 */
export class BulkWrites {
  private parts: { query: SQL; rows?: number; what?: string }[] = [];

  add(query: SQL, check?: { rows: number; what: string }): void {
    this.parts.push({ query, ...(check ? { rows: check.rows, what: check.what } : {}) });
  }

  get size(): number {
    return this.parts.length;
  }

  /**
   * Sends the parts as one statement. `read`: a scalar subquery answered beside the counts
   * (in the statement's snapshot: it does not see what the parts write); its value returned.
   */
  async run(tx: Tx, read?: SQL): Promise<unknown> {
    const parts = this.parts;
    this.parts = [];
    if (parts.length === 0) return undefined;
    const withs = parts.map((part, i) => sql`${sql.raw(`w${i}`)} as (${part.query})`);
    const counts = parts.flatMap((part, i) =>
      part.rows === undefined ? [] : [sql.raw(`(select count(*) from w${i})::int as w${i}`)],
    );
    if (read) counts.push(sql`(${read}) as read`);
    const answer = await reusedRows<Record<string, unknown>>(
      tx,
      sql`with ${sql.join(withs, sql`, `)} select ${counts.length > 0 ? sql.join(counts, sql`, `) : sql`1`}`,
    );
    const row = answer[0] ?? {};
    parts.forEach((part, i) => {
      if (part.rows !== undefined && Number(row[`w${i}`]) !== part.rows) {
        throw new ConcurrentChangeError(part.what ?? 'a row arrived twice');
      }
    });
    return row.read;
  }
}

/**
 * A write and a read the caller adds to the batch's last statement (push.ts: the device's
 * new state and its account's other devices waiting), saving a round trip of their own.
 */
export interface FlushTail {
  write: SQL;
  read: SQL;
}

/** Writes the batch; with `tail`, returns what its read answered. */
export async function flushBatch(tx: Tx, state: BatchState, tail?: FlushTail): Promise<unknown> {
  await writeProducts(tx, state);
  await writeEvents(tx, state);
  const writes = new BulkWrites();
  addSales(writes, state);
  if ([...state.sales.values()].some((sale) => sale.voided)) {
    // A void updates a sale that may have been inserted above: after those are written.
    await writes.run(tx);
    await writeVoids(tx, state);
  }
  addRefunds(writes, state);
  for (const { query, rows } of cashInserts(state)) {
    writes.add(query, { rows, what: 'a cash book row arrived twice' });
  }
  for (const { query, rows } of settlementInserts(state)) {
    writes.add(query, { rows, what: 'a sale was settled twice at once' });
  }
  addStock(writes, state);
  for (const part of chunks(state.log)) writes.add(insertRows(syncMutations, LOG_KEYS, part));
  for (const insert of changeInserts(changesOf(state))) writes.add(insert);
  if (tail) writes.add(tail.write);
  const read = await writes.run(tx, tail?.read);
  // The electronic part of new refunds, to be sent to Stripe after the commit (refunds.ts).
  await queueElectronicRefunds(
    tx,
    state.newRefunds.flatMap(({ refund }) => {
      const sale = state.sales.get(refund.saleId);
      return sale ? [{ refund, sale: sale.row, all: sale.refunds }] : [];
    }),
  );
  return read;
}

async function writeProducts(tx: Tx, state: BatchState): Promise<void> {
  const fresh = [...state.newProducts].map((id) => state.products.get(id)).filter((p) => !!p);
  for (const part of chunks(fresh)) await tx.execute(insertRows(products, PRODUCT_KEYS, part));
  for (const id of state.changedProducts) {
    const row = state.products.get(id);
    if (!row) continue;
    const { id: _id, makerId: _maker, createdAt: _created, ...fields } = row;
    await tx
      .update(products)
      .set({ ...fields, serverUpdatedAt: new Date() })
      .where(eq(products.id, id));
  }
  for (const part of chunks(state.history)) {
    await tx.execute(insertRows(productHistory, HISTORY_KEYS, part));
  }
}

async function writeEvents(tx: Tx, state: BatchState): Promise<void> {
  for (const id of state.changedEvents) {
    const row = state.events.get(id);
    if (!row) continue;
    const { id: _id, createdAt: _created, version: _version, ...fields } = row;
    // The version is counted by the row itself, under its lock (the upsert's), so the later
    // committed state always has the higher one, whatever order the txids are in [G5].
    const [written] = await tx
      .insert(events)
      .values({ ...fields, id: row.id, createdAt: row.createdAt, version: 1 })
      .onConflictDoUpdate({
        target: events.id,
        set: { ...fields, version: sql`${events.version} + 1`, serverUpdatedAt: new Date() },
      })
      .returning({ version: events.version });
    if (written) state.events.set(id, { ...row, version: written.version });
  }
}

function addSales(writes: BulkWrites, state: BatchState): void {
  const fresh = [...state.sales.values()].filter((s) => s.isNew);
  const tail = 'on conflict (id) do nothing returning id';
  for (const part of chunks(fresh)) {
    const rows = part.map((s) => s.row);
    writes.add(insertRows(sales, SALE_KEYS, rows, tail), {
      rows: part.length,
      what: 'a sale arrived twice',
    });
  }
  const lines = fresh.flatMap((s) => s.lines);
  for (const part of chunks(lines)) writes.add(insertRows(saleLines, LINE_KEYS, part));
  for (const part of chunks(state.newMovements)) {
    writes.add(insertRows(stockMovements, MOVEMENT_KEYS, part, tail), {
      rows: part.length,
      what: 'a stock movement arrived twice',
    });
  }
}

async function writeVoids(tx: Tx, state: BatchState): Promise<void> {
  for (const sale of state.sales.values()) {
    if (!sale.voided) continue;
    const updated = await tx
      .update(sales)
      .set({
        status: 'voided',
        voidReason: sale.row.voidReason ?? null,
        voidedAt: sale.row.voidedAt ?? null,
      })
      .where(and(eq(sales.id, sale.row.id), eq(sales.status, 'completed')))
      .returning({ id: sales.id });
    if (updated.length !== 1) throw new ConcurrentChangeError('a sale was voided twice');
  }
}

const REFUND_KEYS = [
  'id',
  'saleId',
  'makerId',
  'eventId',
  'deviceId',
  'hlc',
  'createdAt',
  'reason',
  'method',
  'cashCents',
  'totalCents',
  'itemCount',
] as const;
const REFUND_LINE_KEYS = [
  'refundId',
  'saleLineId',
  'productId',
  'vatRate',
  'quantity',
  'amountCents',
  'vatCents',
] as const;

function addRefunds(writes: BulkWrites, state: BatchState): void {
  const rows = state.newRefunds.map(({ refund }) => refundToRows(refund));
  for (const part of chunks(rows)) {
    const insert = insertRows(
      refunds,
      REFUND_KEYS,
      part.map((r) => r.row),
      'on conflict (id) do nothing returning id',
    );
    writes.add(insert, { rows: part.length, what: 'a refund arrived twice' });
  }
  const lines = rows.flatMap((r) => r.lines);
  for (const part of chunks(lines)) writes.add(insertRows(refundLines, REFUND_LINE_KEYS, part));
}

/**
 * One UPDATE per chunk instead of one per stock row: the rows were locked when the batch
 * loaded them, so this takes no new lock; each dirty row gets its level and opening count.
 */
function addStock(writes: BulkWrites, state: BatchState): void {
  const dirty = [...state.stock.values()].filter((s) => s.dirty).map((s) => s.row);
  for (const part of chunks(dirty)) {
    const rows = part.map(({ eventId, productId, level, openingCount }) => ({
      eventId,
      productId,
      level,
      openingCount,
    }));
    writes.add(sql`
      update event_stock set level = r.level, opening_count = r."openingCount"
      from json_to_recordset(${JSON.stringify(rows)}::text::json)
        as r("eventId" text, "productId" text, level bigint, "openingCount" bigint)
      where event_stock.event_id = r."eventId" and event_stock.product_id = r."productId"`);
  }
}

function changesOf(state: BatchState): ChangeInput[] {
  const out: ChangeInput[] = [];
  for (const id of [...state.newProducts, ...state.changedProducts]) {
    const row = state.products.get(id);
    if (!row) continue;
    out.push({
      change: { entity: 'product', op: 'upsert', data: productChangeFromRow(row) },
      makerId: row.makerId,
      organisationId: null,
    });
  }
  for (const id of state.changedEvents) {
    const row = state.events.get(id);
    if (row) out.push(eventChange(eventFromRow(row), row.ownerMakerId ?? null, row.version));
  }
  for (const sale of state.sales.values()) {
    if (!sale.isNew && !sale.voided) continue;
    out.push({
      change: {
        entity: 'sale',
        op: 'upsert',
        data: {
          sale: saleFromRow(sale.row),
          lines: sale.lines,
          movements: sale.movements,
          flags: sale.row.flags ?? [],
          // Only this device's code is at hand; a void of another device's sale goes
          // without one (the devices keep the code they were sent with its sale).
          ...(state.deviceCode && sale.row.deviceId === state.deviceId
            ? { deviceCode: state.deviceCode }
            : {}),
        },
      },
      makerId: sale.row.makerId,
      organisationId: null,
    });
  }
  for (const { refund, movements } of state.newRefunds) {
    out.push({
      change: { entity: 'refund', op: 'upsert', data: { refund, movements } },
      makerId: refund.makerId,
      organisationId: null,
    });
  }
  out.push(...cashChanges(state));
  out.push(...settlementChanges(state));
  out.push(...state.extraChanges);
  return out;
}
