// What devices sync to the server: makers, devices and their applied mutations, products,
// events, stalls, sales, stock, and the change feed devices pull from. src/lib/sync/SPEC.md
// explains the rules these tables serve. Relative imports only: drizzle-kit loads this file
// outside Vite, where the $lib alias does not exist.
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Payment, ProductClocks, SaleFlag } from '../../../domain/types';
import { user } from './auth';
import { organisations } from './org';

/** PostgreSQL's 64-bit transaction id (PG 13+). Read as a decimal string. */
const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
});

/** Money and device times: bigint columns read as JS numbers (all safe integers). */
const cents = (name: string) => bigint(name, { mode: 'number' });
const epochMs = (name: string) => bigint(name, { mode: 'number' });
const serverTime = (name: string) => timestamp(name, { withTimezone: true }).notNull().defaultNow();

/**
 * A maker's profile as the server knows it. The id is the StallProfile id made on the
 * maker's first device (adopted on first sync; memberships.maker_id then points here).
 */
export const makers = pgTable(
  'makers',
  {
    id: text('id').primaryKey(),
    ownerUserId: text('owner_user_id').references(() => user.id, { onDelete: 'set null' }),
    createdAt: serverTime('created_at'),
    /**
     * When the maker deleted their account (src/lib/server/accounts/delete-account.ts): the
     * row stays, an opaque id, so the books the law keeps for 7 years (sales, refunds, stock)
     * still add up, and its name is shown as "verwijderde maker" (docs/my-data.md).
     */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('makers_owner_uq').on(t.ownerUserId)],
);

/** A device (one browser profile's database) and where its mutation sequence stands [G3]. */
export const syncDevices = pgTable(
  'sync_devices',
  {
    id: text('id').primaryKey(),
    /** Bound on the first push; another account pushing for this device gets 403. */
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    /** The server maker this device sells for (null until it pushed maker data). */
    makerId: text('maker_id'),
    lastAppliedSeq: bigint('last_applied_seq', { mode: 'number' }).notNull().default(0),
    /** The newest sequence number the device said it had made (its outbox head). */
    highestSeq: bigint('highest_seq', { mode: 'number' }).notNull().default(0),
    /**
     * The device's code among its maker's devices (A, B, ... ZZZ; src/lib/domain/device-code.ts),
     * shown before its receipt numbers. Given at the first push that knows the maker, and
     * again should the device start selling for another maker (SPEC.md, "Device codes").
     */
    code: text('code'),
    createdAt: serverTime('created_at'),
    lastPushAt: timestamp('last_push_at', { withTimezone: true }),
  },
  (t) => [
    index('sync_devices_user_idx').on(t.userId),
    // Two devices of one maker never share a code; two first pushes racing for the same
    // letter: the second fails here (23505) and its batch runs again (push.ts, withRetry).
    uniqueIndex('sync_devices_maker_code_uq').on(t.makerId, t.code),
  ],
);

/** Every mutation a device sent, once, by (device, seq): applied or rejected [G3, G7]. */
export const syncMutations = pgTable(
  'sync_mutations',
  {
    deviceId: text('device_id')
      .notNull()
      .references(() => syncDevices.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    status: text('status', { enum: ['applied', 'duplicate', 'rejected'] }).notNull(),
    type: text('type').notNull(),
    reason: text('reason'),
    flags: jsonb('flags').$type<SaleFlag[]>().notNull().default([]),
    /** SHA-256 of the mutation's canonical JSON: a replay must carry the same content. */
    hash: text('hash').notNull(),
    /** Kept only for rejected mutations, so nothing a device sent is ever thrown away. */
    body: jsonb('body'),
    receivedAt: serverTime('received_at'),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.seq] })],
);

export const events = pgTable(
  'events',
  {
    id: text('id').primaryKey(),
    /** Set for an organiser's event; null for a maker's own event made on a device. */
    organisationId: text('organisation_id').references(() => organisations.id, {
      onDelete: 'cascade',
    }),
    /** The maker who made this event on a device (null for an organiser's event). */
    ownerMakerId: text('owner_maker_id'),
    seriesId: text('series_id'),
    name: text('name').notNull(),
    date: text('date').notNull(),
    place: text('place').notNull().default(''),
    opensAt: text('opens_at'),
    closesAt: text('closes_at'),
    status: text('status', { enum: ['draft', 'published', 'open', 'closed'] }).notNull(),
    origin: text('origin', { enum: ['device', 'server'] }).notNull(),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
    /**
     * The row's version: 1 when inserted, +1 on every write. A push (which does not hold the
     * event's lock when it takes its txid) sends it with a maker's own event, and the device
     * keeps a pulled event only when it is newer (SPEC.md, pull rules; fault 28) [G5].
     */
    version: bigint('version', { mode: 'number' }).notNull().default(1),
    serverUpdatedAt: serverTime('server_updated_at'),
  },
  (t) => [
    index('events_organisation_idx').on(t.organisationId),
    index('events_owner_maker_idx').on(t.ownerMakerId),
  ],
);

export const stalls = pgTable(
  'stalls',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    x: doublePrecision('x').notNull().default(0),
    y: doublePrecision('y').notNull().default(0),
    width: doublePrecision('width').notNull().default(1),
    height: doublePrecision('height').notNull().default(1),
    notes: text('notes').notNull().default(''),
    power: boolean('power').notNull().default(false),
    table: boolean('table').notNull().default(false),
    foodHygiene: boolean('food_hygiene').notNull().default(false),
  },
  (t) => [index('stalls_event_idx').on(t.eventId)],
);

export const stallAssignments = pgTable(
  'stall_assignments',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    stallId: text('stall_id')
      .notNull()
      .references(() => stalls.id, { onDelete: 'cascade' }),
    makerId: text('maker_id').notNull(),
    arrivalTime: text('arrival_time'),
    instructions: text('instructions').notNull().default(''),
  },
  (t) => [index('stall_assignments_event_maker_idx').on(t.eventId, t.makerId)],
);

/** The server's merged product: each field last-writer-wins in server order [G6]. */
export const products = pgTable(
  'products',
  {
    id: text('id').primaryKey(),
    makerId: text('maker_id').notNull(),
    name: text('name').notNull(),
    priceCents: cents('price_cents').notNull(),
    vatRate: integer('vat_rate').notNull(),
    photoId: text('photo_id'),
    colour: text('colour').notNull(),
    category: text('category').notNull().default(''),
    archived: boolean('archived').notNull().default(false),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
    /** HLC of the last edit applied (kept for the record; order is the server's). */
    hlc: text('hlc').notNull(),
    /**
     * Per field, the HLC of the edit that set its value (never older than the one before it):
     * a re-push after an epoch change takes a field only with a newer clock [G6]. A field
     * missing here counts as written at `hlc`.
     */
    fieldHlcs: jsonb('field_hlcs').$type<ProductClocks>().notNull().default({}),
    /**
     * The row's version: 1 when inserted, +1 on every write, always under the row's lock
     * (`FOR UPDATE`). Feed rows are read in txid order, which is not commit order; a device
     * keeps a pulled product only when its version is newer than the one it holds [G5].
     */
    version: bigint('version', { mode: 'number' }).notNull().default(1),
    serverUpdatedAt: serverTime('server_updated_at'),
  },
  (t) => [index('products_maker_idx').on(t.makerId)],
);

/** Every value a product edit overwrote, so no edit is silently lost [G6]. */
export const productHistory = pgTable(
  'product_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    field: text('field').notNull(),
    oldValue: jsonb('old_value'),
    newValue: jsonb('new_value'),
    deviceId: text('device_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hlc: text('hlc').notNull(),
    changedAt: serverTime('changed_at'),
  },
  (t) => [index('product_history_product_idx').on(t.productId)],
);

/** Sales are append-only: inserted once by id [G2]; a void updates status only. */
export const sales = pgTable(
  'sales',
  {
    id: text('id').primaryKey(),
    deviceId: text('device_id').notNull(),
    makerId: text('maker_id').notNull(),
    eventId: text('event_id').notNull(),
    receiptNumber: integer('receipt_number').notNull(),
    hlc: text('hlc').notNull(),
    createdAt: epochMs('created_at').notNull(),
    subtotalCents: cents('subtotal_cents').notNull(),
    lineDiscountCents: cents('line_discount_cents').notNull(),
    cartDiscountCents: cents('cart_discount_cents').notNull(),
    totalCents: cents('total_cents').notNull(),
    roundingCents: cents('rounding_cents').notNull(),
    paidCents: cents('paid_cents').notNull(),
    payments: jsonb('payments').$type<Payment[]>().notNull(),
    itemCount: integer('item_count').notNull(),
    status: text('status', { enum: ['completed', 'voided'] }).notNull(),
    voidReason: text('void_reason'),
    voidedAt: epochMs('voided_at'),
    /** Business problems found when it arrived: flagged, never rejected [G7]. */
    flags: jsonb('flags').$type<SaleFlag[]>().notNull().default([]),
    /**
     * How far the sale's time was ahead of the server's clock when it arrived, when more than
     * 10 minutes (src/lib/domain/clock-skew.ts); null otherwise. A flag, never a rejection.
     */
    clockAheadMs: bigint('clock_ahead_ms', { mode: 'number' }),
    receivedAt: serverTime('received_at'),
  },
  (t) => [
    index('sales_maker_event_idx').on(t.makerId, t.eventId),
    index('sales_event_idx').on(t.eventId),
    index('sales_device_idx').on(t.deviceId),
    // The books export reads a maker's month, quarter or year in time order (exports/books.ts).
    index('sales_maker_created_idx').on(t.makerId, t.createdAt, t.id),
  ],
);

export const saleLines = pgTable(
  'sale_lines',
  {
    id: text('id').primaryKey(),
    saleId: text('sale_id')
      .notNull()
      .references(() => sales.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    productId: text('product_id').notNull(),
    name: text('name').notNull(),
    unitPriceCents: cents('unit_price_cents').notNull(),
    vatRate: integer('vat_rate').notNull(),
    quantity: integer('quantity').notNull(),
    lineDiscountCents: cents('line_discount_cents').notNull(),
    cartDiscountShareCents: cents('cart_discount_share_cents').notNull(),
    totalCents: cents('total_cents').notNull(),
    vatCents: cents('vat_cents').notNull(),
  },
  (t) => [index('sale_lines_sale_idx').on(t.saleId)],
);

/**
 * Refunds (src/lib/domain/refund.ts, SPEC.md "Refunds"): each its own record, never an edit
 * of the sale. Together a sale's refunds never give back more than the sale (checked when
 * applied, batch-apply.ts); a voided sale has none. Same column types as the sale's.
 */
export const refunds = pgTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    saleId: text('sale_id')
      .notNull()
      .references(() => sales.id, { onDelete: 'cascade' }),
    makerId: text('maker_id').notNull(),
    eventId: text('event_id').notNull(),
    deviceId: text('device_id').notNull(),
    hlc: text('hlc').notNull(),
    createdAt: epochMs('created_at').notNull(),
    reason: text('reason').notNull(),
    method: text('method', { enum: ['cash', 'qr'] }).notNull(),
    /**
     * The part handed back in cash, where the method alone does not say it (a part-cash,
     * part-card sale, card first: src/lib/domain/electronic-refund.ts refundCashCents); null:
     * all in cash when the method is cash, none otherwise (every refund before it was kept).
     */
    cashCents: cents('cash_cents'),
    totalCents: cents('total_cents').notNull(),
    itemCount: integer('item_count').notNull(),
    receivedAt: serverTime('received_at'),
  },
  (t) => [
    index('refunds_sale_idx').on(t.saleId),
    index('refunds_maker_event_idx').on(t.makerId, t.eventId),
    index('refunds_event_idx').on(t.eventId),
    index('refunds_maker_created_idx').on(t.makerId, t.createdAt, t.id),
  ],
);

/**
 * The maker's settlement of a payment on the stall's payment link that Stripe never confirmed
 * (src/lib/domain/link-settlement.ts; SPEC.md "Settling a payment on the link"): its own
 * record, never an edit of the sale. At most one per sale: the first to arrive wins (the push
 * locks the sale; the unique index is the last word), a later one is rejected with its reason.
 */
export const linkSettlements = pgTable(
  'link_settlements',
  {
    id: text('id').primaryKey(),
    saleId: text('sale_id')
      .notNull()
      .references(() => sales.id, { onDelete: 'cascade' }),
    makerId: text('maker_id').notNull(),
    eventId: text('event_id').notNull(),
    outcome: text('outcome', { enum: ['received_other_way', 'written_off'] }).notNull(),
    method: text('method', { enum: ['cash', 'other'] }),
    note: text('note'),
    at: epochMs('at').notNull(),
    deviceId: text('device_id').notNull(),
    hlc: text('hlc').notNull(),
    receivedAt: serverTime('received_at'),
  },
  (t) => [
    uniqueIndex('link_settlements_sale_uq').on(t.saleId),
    index('link_settlements_maker_event_idx').on(t.makerId, t.eventId),
    check(
      'link_settlements_outcome_check',
      sql`(${t.outcome} = 'received_other_way' and ${t.method} in ('cash', 'other')) or (${t.outcome} = 'written_off' and ${t.method} is null)`,
    ),
  ],
);

export const refundLines = pgTable(
  'refund_lines',
  {
    refundId: text('refund_id')
      .notNull()
      .references(() => refunds.id, { onDelete: 'cascade' }),
    saleLineId: text('sale_line_id').notNull(),
    productId: text('product_id').notNull(),
    vatRate: integer('vat_rate').notNull(),
    quantity: integer('quantity').notNull(),
    amountCents: cents('amount_cents').notNull(),
    vatCents: cents('vat_cents').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.refundId, t.saleLineId] }),
    index('refund_lines_sale_line_idx').on(t.saleLineId),
  ],
);

/** Stock only ever moves: opening counts are 'recount' movements too (src/lib/sync/SPEC.md). */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id').notNull(),
    productId: text('product_id').notNull(),
    makerId: text('maker_id').notNull(),
    deviceId: text('device_id').notNull(),
    kind: text('kind', { enum: ['sale', 'void', 'refund', 'restock', 'recount'] }).notNull(),
    delta: integer('delta').notNull(),
    saleId: text('sale_id'),
    hlc: text('hlc').notNull(),
    createdAt: epochMs('created_at').notNull(),
    receivedAt: serverTime('received_at'),
  },
  (t) => [
    index('stock_movements_event_product_idx').on(t.eventId, t.productId),
    index('stock_movements_sale_idx').on(t.saleId),
  ],
);

/** Stock per product per event, kept equal to the sum of its movements [G5]. */
export const eventStock = pgTable(
  'event_stock',
  {
    eventId: text('event_id').notNull(),
    productId: text('product_id').notNull(),
    makerId: text('maker_id').notNull(),
    /**
     * Sum of the 'recount' movements: what was counted in, including opening counts. 64-bit:
     * a sum of movements has no bound a single mutation could check, and a 32-bit column
     * refused valid restocks past 2^31 on every retry, wedging the queue [G7].
     */
    openingCount: bigint('opening_count', { mode: 'number' }).notNull().default(0),
    /** Sum of all movements (64-bit, as openingCount). */
    level: bigint('level', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.productId] })],
);

/**
 * The change feed devices pull from. `txid` is the writing transaction's id: the pull reads
 * in (txid, id) order and only below the oldest transaction still running, so it never
 * passes a change that commits later (SPEC.md, cursor rule). Write it only through
 * src/lib/server/sync/change-feed.ts.
 */
export const syncChanges = pgTable(
  'sync_changes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    txid: xid8('txid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    op: text('op', { enum: ['upsert', 'delete'] }).notNull(),
    /** Who may see it: members selling for this maker... */
    makerId: text('maker_id'),
    /** ...or, when makerId is null, every member of this organisation. */
    organisationId: text('organisation_id'),
    /**
     * The change as JSON text, stored as written (`json`, not `jsonb`): nothing queries inside
     * it, a pull sends it on as it is, and `jsonb` made PostgreSQL parse and rebuild every byte
     * of every feed row (a third of a batch push's write statement, docs/benchmarks.md issue
     * 11 ingest). The table keeps a row of up to 8,160 bytes uncompressed (toast_tuple_target,
     * drizzle/custom/ingest.sql): compressing each sale's 2.8 KB cost about as much again.
     */
    data: json('data').notNull(),
    createdAt: serverTime('created_at'),
  },
  (t) => [
    index('sync_changes_txid_id_idx').on(t.txid, t.id),
    index('sync_changes_maker_idx').on(t.makerId, t.txid, t.id),
    index('sync_changes_organisation_idx').on(t.organisationId, t.txid, t.id),
  ],
);
