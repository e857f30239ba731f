import type { ElectronicRefundStatus } from '$lib/domain/electronic-refund';
import { Dexie, type EntityTable, type Transaction } from 'dexie';
import type { SavedCart } from '$lib/domain/cart';
import type { CashDay, CashDayReport, CashMovement } from '$lib/domain/cashbook';
import type { AnnouncementData, EventMapData, MakerResultsData } from '$lib/sync/protocol';
import type { LinkPaymentRecord } from '$lib/domain/link-payment';
import { currentNames } from '$lib/sync/legacy-names';
import type {
  EventStock,
  EventSummaryAggregate,
  LinkSettlement,
  MarketEvent,
  OutboxEntry,
  Product,
  ProductClocksRow,
  ProductPhoto,
  Refund,
  Sale,
  SaleLine,
  Stall,
  StallAssignment,
  StockMovement,
  StallProfile,
} from '$lib/domain/types';

/** A key/value row: device id, counters, the last HLC and the user's settings. */
export interface MetaRow {
  key: string;
  value: unknown;
}

/** Keys of the store's own meta rows. Settings live under `setting:<key>` so they cannot clash. */
export const META = {
  deviceId: 'device.id',
  receiptCounter: 'counter.receipt',
  outboxSeq: 'counter.outboxSeq',
  lastHlc: 'hlc.last',
  /** Sync bookkeeping (src/lib/sync/SPEC.md): server epoch, pull cursor, last sync time. */
  syncEpoch: 'sync.epoch',
  syncCursor: 'sync.cursor',
  lastSyncAt: 'sync.lastSyncAt',
  /** Per pulled event id, the server version held (a maker's own events; SPEC.md pull rules). */
  eventVersions: 'sync.eventVersions',
  /** Per device id, its code among the maker's devices (SPEC.md, "Device codes"). */
  deviceCodes: 'sync.deviceCodes',
  /** The last cash book day report number this device handed out (src/lib/domain/cashbook.ts). */
  cashReportCounter: 'counter.cashReport',
  settingPrefix: 'setting:',
} as const;

/**
 * The device database.
 *
 * Indexes are only what a query uses (every index costs time on every write, and recordSale
 * is the hot path). Booleans are not valid IndexedDB keys, so `products.archived` is filtered
 * in memory instead of indexed; `stockMovements.saleId` is null for restocks and recounts,
 * which simply leaves those rows out of that index.
 *
 * How to change the schema later: never edit a released version. Add
 *   this.version(2).stores({ ...only the tables that change... }).upgrade(async (tx) => { ... })
 * below version(1); Dexie runs each missing upgrade in order, inside the version-change
 * transaction, when an older database is opened. Tables left out of version(2) keep their
 * version(1) definition; a table set to null is deleted. An upgrade must only use `tx`
 * (never a network call) and must leave the outbox and the counters in META untouched, so
 * unsynced sales survive an app update (docs/sync-faults.md fault 17). Add a test that opens a
 * version-1 database with rows in it and checks them after the upgrade.
 */
/** Tables whose records may hold a key renamed by issue 10 (LEGACY_KEYS). */
const RECORDS_WITH_OLD_NAMES = ['products', 'assignments', 'sales', 'refunds', 'outbox', 'carts'];

/** Version 5's upgrade: old key names -> current ones, the old results table -> makerResults. */
async function upgradeToMakerNames(tx: Transaction): Promise<void> {
  for (const name of RECORDS_WITH_OLD_NAMES) {
    await tx
      .table(name)
      .toCollection()
      .modify((record: Record<string, unknown>, ref: { value: unknown }) => {
        const renamed = currentNames(record);
        if (JSON.stringify(renamed) !== JSON.stringify(record)) ref.value = renamed;
      });
  }
  const results = await tx.table('vendorResults').toArray(); // rename:keep (the old table)
  await tx.table('makerResults').bulkPut(results.map((row: unknown) => currentNames(row)));
}

export class KraamDb extends Dexie {
  meta!: EntityTable<MetaRow, 'key'>;
  profile!: EntityTable<StallProfile, 'id'>;
  products!: EntityTable<Product, 'id'>;
  photos!: EntityTable<ProductPhoto, 'id'>;
  events!: EntityTable<MarketEvent, 'id'>;
  stalls!: EntityTable<Stall, 'id'>;
  assignments!: EntityTable<StallAssignment, 'id'>;
  eventStock!: EntityTable<EventStock, 'id'>;
  stockMovements!: EntityTable<StockMovement, 'id'>;
  sales!: EntityTable<Sale, 'id'>;
  saleLines!: EntityTable<SaleLine, 'id'>;
  summaries!: EntityTable<EventSummaryAggregate, 'eventId'>;
  outbox!: EntityTable<OutboxEntry, 'seq'>;
  // Version 2 (organisers, issue 4): what the organiser sends a maker's device through pull.
  eventMaps!: EntityTable<EventMapData, 'eventId'>;
  announcements!: EntityTable<AnnouncementData, 'id'>;
  makerResults!: EntityTable<MakerResultsData, 'eventId'>;
  // Version 3 (issue 7): per product, the clock of each field's value [G6].
  productClocks!: EntityTable<ProductClocksRow, 'id'>;
  // Version 4 (issues 9 and 10): refunds, each its own record (src/lib/domain/refund.ts), and
  // the till's cart, kept on every change (one row per browser tab).
  refunds!: EntityTable<Refund, 'id'>;
  carts!: EntityTable<SavedCart, 'tabId'>;
  // Version 5 (issue 9): the cash book of each event day per device (src/lib/domain/cashbook.ts).
  cashDays!: EntityTable<CashDay, 'id'>;
  cashMovements!: EntityTable<CashMovement, 'id'>;
  cashReports!: EntityTable<CashDayReport, 'id'>;
  // Version 6 (issue 8): what Stripe said of payments on the stall's payment link (pulled
  // `link_payment`, by Stripe's session id; by sale to match a sale awaiting confirmation).
  linkPayments!: EntityTable<LinkPaymentRecord, 'id'>;
  // Version 6 (issue 8): where each refund of a payment by phone or card stands at Stripe.
  refundStatuses!: EntityTable<ElectronicRefundStatus, 'refundId'>;
  // Version 7 (issue 8): the maker's settlement of a link payment never confirmed, one per sale
  // (the server's replaces this device's own: src/lib/domain/link-settlement.ts).
  linkSettlements!: EntityTable<LinkSettlement, 'saleId'>;

  constructor(name: string) {
    // G1: 'strict' durability makes Chromium flush to disk before a readwrite transaction
    // reports complete, so "Completed" on screen means the sale is on the device.
    super(name, { chromeTransactionDurability: 'strict' });
    this.version(1).stores({
      meta: 'key',
      profile: 'id',
      products: 'id, vendorId, updatedAt', // rename:keep (released version 1)
      photos: 'id',
      events: 'id, date, status',
      stalls: 'id, eventId',
      assignments: 'id, eventId',
      eventStock: 'id, eventId, [eventId+productId]',
      stockMovements: 'id, [eventId+productId], saleId',
      // [eventId+receiptNumber]: the event's sales newest first and the last sale, by index.
      sales: 'id, [eventId+receiptNumber], receiptNumber',
      saleLines: 'id, saleId',
      summaries: 'eventId',
      // seq is handed out by the store (META.outboxSeq), not auto-incremented, so it can be
      // written in the same transaction as the mutation and never has a gap (G3).
      outbox: 'seq',
    });
    // Version 2 (organisers, issue 4) only adds tables, so it needs no upgrade function: the
    // version-1 rows, the outbox and the counters stay as they are (schema.spec.ts opens a
    // version-1 database with rows in it to prove it). eventMaps: one row per event (map
    // frame and landmarks); announcements by event; makerResults: one row per closed event.
    this.version(2).stores({
      eventMaps: 'eventId',
      announcements: 'id, eventId',
      vendorResults: 'eventId', // rename:keep (released version 2)
    });
    // Version 3 (issue 7) only adds a table: per product, the HLC of each field's value, so a
    // re-push after an epoch change carries the original clocks (SPEC.md, the epoch rule).
    // A product without a row here re-pushes with the time of its last change.
    this.version(3).stores({ productClocks: 'id' });
    // Version 4 (issues 9 and 10) only adds tables: refunds by sale (a sale's refunds) and by
    // event (the event's refunds for a recompute); the till's cart, so a reload or a crash never
    // loses it. The cart has its own table, not a meta row: other tabs follow writes to meta
    // (src/lib/db/watch.ts), and a tap on a product must not make every tab re-read.
    this.version(4).stores({ refunds: 'id, saleId, eventId', carts: 'tabId' });
    // Version 5 (issues 9 and 10).
    // - The cash book's tables, and sales and refunds indexed by their time (the exports read a
    //   month, quarter or year by index, never a scan: SalesStore listForExport). cashDays: one
    //   row per event and device (id `${eventId}:${deviceId}`); movements and reports by event
    //   and device (a day's book) and by event (every device's, pulled). Nothing ever deletes
    //   these rows: a Dutch cash administration is kept 7 years.
    // - One vocabulary: records stored by an app released before the rename use the old key
    //   names; so did the products index and the results table. The upgrade renames the keys of every
    //   record that held one, the queued outbox entries included (so they push in the current
    //   names; the server reads both, src/lib/sync/legacy-names.ts), and moves the results into
    //   makerResults. It adds and removes nothing else: the counters in META and the outbox's
    //   sequence numbers stay as they are.
    this.version(5)
      .stores({
        products: 'id, makerId, updatedAt',
        sales: 'id, [eventId+receiptNumber], receiptNumber, createdAt',
        refunds: 'id, saleId, eventId, createdAt',
        cashDays: 'id, eventId',
        cashMovements: 'id, eventId, [eventId+deviceId]',
        cashReports: 'id, eventId, [eventId+deviceId]',
        vendorResults: null, // rename:keep (the table before the rename, emptied into makerResults)
        makerResults: 'eventId',
      })
      .upgrade(upgradeToMakerNames);
    // Version 6 (issue 8): two new tables, nothing else changes (no upgrade function): what
    // Stripe said of payments on the stall's payment link, and where each refund of a payment by
    // phone or card stands at Stripe (SPEC.md "Refunds by phone or card"), by sale.
    this.version(6).stores({ linkPayments: 'id, saleId', refundStatuses: 'refundId, saleId' });
    // Version 7 (issue 8): one new table, nothing else changes (no upgrade function): how the
    // maker settled a payment on the stall's link that Stripe never confirmed, by sale.
    this.version(7).stores({ linkSettlements: 'saleId, eventId' });
  }
}
