// Writes what a batch decided, in bulk, inside its transaction. Sales and movements are
// inserted with ON CONFLICT (id) DO NOTHING [G2]; if that ever skips a row the batch
// believed new, the state it computed is stale, so the transaction is rolled back and run
// again (ConcurrentChangeError) instead of counting anything twice.
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '$lib/server/db';
import {
  eventStock,
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
import { cashChanges, writeCash } from './cashbook';
import { eventChange, recordChanges, type ChangeInput } from './change-feed';
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

export async function flushBatch(tx: Tx, state: BatchState): Promise<void> {
  await writeProducts(tx, state);
  await writeEvents(tx, state);
  await writeSales(tx, state);
  await writeRefunds(tx, state);
  await queueElectronicRefunds(
    tx,
    state.newRefunds.flatMap(({ refund }) => {
      const sale = state.sales.get(refund.saleId);
      return sale ? [{ refund, sale: sale.row, all: sale.refunds }] : [];
    }),
  );
  if (!(await writeCash(tx, state)))
    throw new ConcurrentChangeError('a cash book row arrived twice');
  await writeStock(tx, state);
  for (const part of chunks(state.log)) await tx.execute(insertRows(syncMutations, LOG_KEYS, part));
  await recordChanges(tx, changesOf(state));
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

async function writeSales(tx: Tx, state: BatchState): Promise<void> {
  const fresh = [...state.sales.values()].filter((s) => s.isNew);
  for (const part of chunks(fresh)) {
    const rows = part.map((s) => s.row);
    const insert = insertRows(sales, SALE_KEYS, rows, 'on conflict (id) do nothing returning id');
    const inserted = await queryRows(tx, insert);
    if (inserted.length !== part.length) throw new ConcurrentChangeError('a sale arrived twice');
  }
  const lines = fresh.flatMap((s) => s.lines);
  for (const part of chunks(lines)) await tx.execute(insertRows(saleLines, LINE_KEYS, part));
  for (const part of chunks(state.newMovements)) {
    const insert = insertRows(
      stockMovements,
      MOVEMENT_KEYS,
      part,
      'on conflict (id) do nothing returning id',
    );
    const inserted = await queryRows(tx, insert);
    if (inserted.length !== part.length) {
      throw new ConcurrentChangeError('a stock movement arrived twice');
    }
  }
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

async function writeRefunds(tx: Tx, state: BatchState): Promise<void> {
  const rows = state.newRefunds.map(({ refund }) => refundToRows(refund));
  for (const part of chunks(rows)) {
    const insert = insertRows(
      refunds,
      REFUND_KEYS,
      part.map((r) => r.row),
      'on conflict (id) do nothing returning id',
    );
    const inserted = await queryRows(tx, insert);
    if (inserted.length !== part.length) throw new ConcurrentChangeError('a refund arrived twice');
  }
  const lines = rows.flatMap((r) => r.lines);
  for (const part of chunks(lines))
    await tx.execute(insertRows(refundLines, REFUND_LINE_KEYS, part));
}

/**
 * One UPDATE per chunk instead of one per stock row: the rows were locked when the batch
 * loaded them, so this takes no new lock; each dirty row gets its level and opening count.
 */
async function writeStock(tx: Tx, state: BatchState): Promise<void> {
  const dirty = [...state.stock.values()].filter((s) => s.dirty).map((s) => s.row);
  for (const part of chunks(dirty)) {
    const rows = part.map(({ eventId, productId, level, openingCount }) => ({
      eventId,
      productId,
      level,
      openingCount,
    }));
    await tx.execute(sql`
      update ${eventStock} set level = r.level, opening_count = r."openingCount"
      from json_to_recordset(${JSON.stringify(rows)}::text::json)
        as r("eventId" text, "productId" text, level bigint, "openingCount" bigint)
      where ${eventStock.eventId} = r."eventId" and ${eventStock.productId} = r."productId"`);
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
  out.push(...state.extraChanges);
  return out;
}
