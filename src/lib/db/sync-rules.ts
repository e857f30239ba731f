/**
 * What sync does to the device's data, as pure functions both stores (Dexie and the
 * in-memory twin) follow, so they cannot drift (like store-rules.ts for the till):
 *   - planPull: how a page of server changes lands in the tables (src/lib/sync/SPEC.md, pull);
 *   - rebaseMutations: what the device re-queues when the server lost its data (SPEC.md,
 *     epoch rule);
 *   - changedProductFields: which fields a product edit changed (G6, per-field merge).
 */
import { mergeRefundStatus, type ElectronicRefundStatus } from '$lib/domain/electronic-refund';
import type { CashDay, CashDayReport, CashMovement } from '$lib/domain/cashbook';
import type { LinkPaymentRecord } from '$lib/domain/link-payment';
import { isDeviceCode } from '$lib/domain/device-code';
import { countRefund, countSale, countVoid, emptySummary, ownSummary } from '$lib/domain/summary';
import type {
  EventStock,
  EventSummaryAggregate,
  LinkSettlement,
  Hlc,
  Id,
  MarketEvent,
  Mutation,
  Product,
  ProductClocks,
  ProductClocksRow,
  ProductField,
  Refund,
  Sale,
  SaleLine,
  Stall,
  StallAssignment,
  StockMovement,
} from '$lib/domain/types';
import type {
  AnnouncementData,
  Change,
  EventMapData,
  SaleChangeData,
  MakerResultsData,
} from '$lib/sync/protocol';
import { formatHlc, HLC_MAX_WALL_MS } from '$lib/domain/clock';
import { stockId } from './store-rules';

const PRODUCT_FIELDS: readonly ProductField[] = [
  'name',
  'priceCents',
  'vatRate',
  'photoId',
  'colour',
  'category',
  'archived',
];

/** The fields `next` changes compared with `previous` (what a product edit queues). */
export function changedProductFields(previous: Product, next: Product): ProductField[] {
  return PRODUCT_FIELDS.filter((field) => previous[field] !== next[field]);
}

// ---------------------------------------------------------------------------------------
// Pull

/** Keys of the rows a page touches, to read inside the pull transaction. */
export interface PullKeys {
  saleIds: Id[];
  movementIds: Id[];
  stockIds: string[];
  eventIds: Id[];
  /** Products the page carries: the versions this device holds of them are needed. */
  productIds: Id[];
  /** Refunds the page carries: which of them this device holds already. */
  refundIds: Id[];
}

function movementsOf(change: Change): StockMovement[] {
  if (change.entity === 'sale') return change.data.movements;
  if (change.entity === 'stock_movement') return [change.data];
  if (change.entity === 'refund') return change.data.movements;
  return [];
}

export function pullKeys(changes: readonly Change[]): PullKeys {
  const saleIds = new Set<Id>();
  const eventIds = new Set<Id>();
  const movementIds = new Set<Id>();
  const stockIds = new Set<string>();
  const productIds = new Set<Id>();
  const refundIds = new Set<Id>();
  for (const change of changes) {
    if (change.entity === 'product') productIds.add(change.data.id);
    if (change.entity === 'refund') {
      refundIds.add(change.data.refund.id);
      saleIds.add(change.data.refund.saleId);
      eventIds.add(change.data.refund.eventId);
    }
    if (change.entity === 'sale') {
      saleIds.add(change.data.sale.id);
      eventIds.add(change.data.sale.eventId);
    }
    for (const m of movementsOf(change)) {
      movementIds.add(m.id);
      stockIds.add(stockId(m.eventId, m.productId));
    }
  }
  return {
    saleIds: [...saleIds],
    movementIds: [...movementIds],
    stockIds: [...stockIds],
    eventIds: [...eventIds],
    productIds: [...productIds],
    refundIds: [...refundIds],
  };
}

/** Stock rows a recount would create (no row on this device yet): their movement sums are needed. */
export function pairsNeedingSums(
  changes: readonly Change[],
  stock: ReadonlyMap<string, EventStock>,
): { id: string; eventId: Id; productId: Id }[] {
  const out = new Map<string, { id: string; eventId: Id; productId: Id }>();
  for (const change of changes) {
    if (change.entity !== 'stock_movement' || change.data.kind !== 'recount') continue;
    const { eventId, productId } = change.data;
    const id = stockId(eventId, productId);
    if (!stock.has(id)) out.set(id, { id, eventId, productId });
  }
  return [...out.values()];
}

export interface MovementSums {
  /** Sum of every known movement of the pair. */
  all: number;
  /** Sum of its recounts: the opening count as every device sees it. */
  recount: number;
}

export function sumMovements(movements: readonly StockMovement[]): MovementSums {
  let all = 0;
  let recount = 0;
  for (const m of movements) {
    all += m.delta;
    if (m.kind === 'recount') recount += m.delta;
  }
  return { all, recount };
}

export interface PullReads {
  sales: ReadonlyMap<Id, Sale>;
  /** Lines of the local sales among `sales` (a pulled void needs what the sale counted). */
  lines: ReadonlyMap<Id, SaleLine[]>;
  movementIds: ReadonlySet<Id>;
  stock: ReadonlyMap<string, EventStock>;
  summaries: ReadonlyMap<Id, EventSummaryAggregate>;
  /** For pairsNeedingSums: what this device already knows of the pair's movements. */
  sums: ReadonlyMap<string, MovementSums>;
  /** The server version of each pulled product this device holds (see `keepPulled`). */
  productVersions: ReadonlyMap<Id, number>;
  /** The same for events (a maker's own events carry one; organisers' do not). */
  eventVersions: ReadonlyMap<Id, number>;
  /** The page's refunds this device holds already (its own, or pulled before). */
  refundIds: ReadonlySet<Id>;
}

/** A stored id → version record (the meta row's value), anything else read as empty. */
/** A stored device-code map (meta `sync.deviceCodes`), read defensively. */
export function deviceCodeRecord(value: unknown): Record<Id, string> {
  const out: Record<Id, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [id, code] of Object.entries(value)) {
    if (isDeviceCode(code)) out[id] = code;
  }
  return out;
}

/**
 * The device codes a pulled page tells (SPEC.md, "Device codes"): per device id, the code its
 * sales came with. A sale without one (an older server, or a void sent by another phone)
 * tells nothing, so a code once known is never forgotten.
 */
export function deviceCodesIn(changes: readonly Change[]): Record<Id, string> {
  const out: Record<Id, string> = {};
  for (const change of changes) {
    if (change.entity !== 'sale' || !change.data.deviceCode) continue;
    out[change.data.sale.deviceId] = change.data.deviceCode;
  }
  return out;
}

export function versionRecord(value: unknown): Record<Id, number> {
  const out: Record<Id, number> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [id, version] of Object.entries(value)) {
    if (Number.isSafeInteger(version)) out[id] = version as number;
  }
  return out;
}

/**
 * Whether a pulled product (or event: the same rule) replaces what the device holds [G5]. The feed is read in txid
 * order, which is not commit order: two pushes can commit a product's states the other way
 * round (SPEC.md, pull rules; docs/sync-faults.md fault 28), so a state older than the one
 * held must not overwrite it. The server's row version orders them: keep only a newer one.
 * Without a version on either side (an older server, or none pulled since the last epoch
 * change) the pulled product is kept, as before versions existed. A local edit not yet
 * pushed has no version of its own: a newer server version replaces it on screen (as every
 * pulled product did before), while the edit stays in the outbox and comes back merged by
 * the server; a version not newer than the held one leaves the local edit alone.
 */
export function keepPulled(held: number | undefined, pulled: number | undefined): boolean {
  return held === undefined || pulled === undefined || pulled > held;
}

export type DeletedEntity = 'product' | 'event' | 'stall' | 'stall_assignment';

/** Every write a page means; applied together with the cursor in one transaction. */
export interface PullPlan {
  products: Product[];
  /** The clock of each pulled product's field values (what a rebase re-sends them with). */
  productClocks: ProductClocksRow[];
  events: MarketEvent[];
  /** The version now held of each pulled event (undefined: none, always keep the next). */
  eventVersions: { id: Id; version: number | undefined }[];
  stalls: Stall[];
  assignments: StallAssignment[];
  /** Organiser kinds (API.md "Sync"): each replaces what the device had under its key. */
  eventMaps: EventMapData[];
  announcements: AnnouncementData[];
  makerResults: MakerResultsData[];
  deletions: { entity: DeletedEntity; id: Id }[];
  sales: Sale[];
  lines: SaleLine[];
  movements: StockMovement[];
  stock: EventStock[];
  summaries: EventSummaryAggregate[];
  /** Refunds new to this device (SPEC.md "Refunds"). */
  refunds: Refund[];
  /**
   * Where refunds of payments by phone or card stand (SPEC.md "Refunds by phone or card"):
   * the newest per refund of the page; the store merges each with the one it holds
   * (`mergeRefundStatus`).
   */
  refundStatuses: ElectronicRefundStatus[];
  /**
   * The cash book rows of the maker's devices (SPEC.md "Cash book"): the store keeps those of
   * other devices and never lets a pulled row replace one of its own.
   */
  cashDays: CashDay[];
  cashMovements: CashMovement[];
  cashReports: CashDayReport[];
  /** What Stripe said of payments on the stall's payment link (feature 'payment-links'). */
  linkPayments: LinkPaymentRecord[];
  /** The maker's settlements of link payments (feature 'link-settlements'): the server's wins. */
  linkSettlements: LinkSettlement[];
}

function sameFlags(a: Sale['flags'], b: Sale['flags']): boolean {
  return (a ?? []).join(',') === (b ?? []).join(',');
}

/**
 * Plans a page. Server rows win for everything the server owns (products as merged,
 * events, stalls, assignments). Sales are the device's own or another device's of the same
 * maker: a sale new to this device is stored and counted in the event summary; a known one
 * only takes the server's void and flags. Stock moves by the movements this device did not
 * know yet, so stock = opening + all movements everywhere [G5].
 */
export function planPull(
  changes: readonly Change[],
  reads: PullReads,
  hourOf: (epochMs: number) => string,
): PullPlan {
  const plan: PullPlan = {
    products: [],
    productClocks: [],
    events: [],
    eventVersions: [],
    stalls: [],
    assignments: [],
    eventMaps: [],
    announcements: [],
    makerResults: [],
    deletions: [],
    sales: [],
    lines: [],
    movements: [],
    stock: [],
    summaries: [],
    refunds: [],
    refundStatuses: [],
    cashDays: [],
    cashMovements: [],
    cashReports: [],
    linkPayments: [],
    linkSettlements: [],
  };
  const sales = new Map(reads.sales);
  const refundIds = new Set(reads.refundIds);
  const statuses = new Map<Id, ElectronicRefundStatus>();
  const movementIds = new Set(reads.movementIds);
  const stock = new Map(reads.stock);
  const summaries = new Map(reads.summaries);
  const sums = new Map(reads.sums);
  const touchedStock = new Set<string>();
  const touchedSummaries = new Set<Id>();
  const touchedSales = new Set<Id>();
  const productVersions = new Map(reads.productVersions);
  // Per product the newest pulled state of the page (one write each).
  const pulledProducts = new Map<Id, { product: Product; clocks: ProductClocksRow }>();
  const eventVersions = new Map(reads.eventVersions);
  const pulledEvents = new Map<Id, MarketEvent>();

  /**
   * The event's summary for this page to count into, in place: copied once per page from
   * what the store holds (never changed), not once per sale.
   */
  const summaryOf = (eventId: Id): EventSummaryAggregate => {
    let summary = summaries.get(eventId);
    if (!summary || !touchedSummaries.has(eventId)) {
      summary = summary ? ownSummary(summary) : emptySummary(eventId);
      summaries.set(eventId, summary);
      touchedSummaries.add(eventId);
    }
    return summary;
  };

  const move = (m: StockMovement) => {
    if (movementIds.has(m.id)) return;
    movementIds.add(m.id);
    plan.movements.push(m);
    const id = stockId(m.eventId, m.productId);
    const row = stock.get(id);
    const sum = sums.get(id);
    if (sum)
      sums.set(id, {
        all: sum.all + m.delta,
        recount: sum.recount + (m.kind === 'recount' ? m.delta : 0),
      });
    if (row) {
      const openingCount = row.openingCount + (m.kind === 'recount' ? m.delta : 0);
      stock.set(id, { ...row, openingCount, level: row.level + m.delta });
      touchedStock.add(id);
    } else if (m.kind === 'recount' && sum) {
      // Another device started keeping stock of this product: so does this one.
      const after = sums.get(id) ?? sum;
      stock.set(id, {
        id,
        eventId: m.eventId,
        productId: m.productId,
        openingCount: after.recount,
        level: after.all,
      });
      touchedStock.add(id);
    }
  };

  const applySaleChange = (data: SaleChangeData) => {
    const incoming: Sale = { ...data.sale, flags: data.flags };
    const local = sales.get(incoming.id);
    const hour = hourOf(incoming.createdAt);
    if (!local) {
      const recorded: Sale = { ...incoming, status: 'completed', voidReason: null, voidedAt: null };
      const summary = summaryOf(incoming.eventId);
      countSale(summary, recorded, data.lines, hour);
      if (incoming.status === 'voided') countVoid(summary, recorded, data.lines, hour);
      sales.set(incoming.id, incoming);
      touchedSales.add(incoming.id);
      plan.lines.push(...data.lines);
    } else {
      let next = local;
      if (local.status === 'completed' && incoming.status === 'voided') {
        const lines = reads.lines.get(local.id) ?? data.lines;
        countVoid(summaryOf(local.eventId), local, lines, hourOf(local.createdAt));
        next = {
          ...next,
          status: 'voided',
          voidReason: incoming.voidReason,
          voidedAt: incoming.voidedAt,
        };
      }
      if (
        local.status === 'voided' &&
        incoming.status === 'voided' &&
        (local.voidReason !== incoming.voidReason || local.voidedAt !== incoming.voidedAt)
      ) {
        // Voided here and on another device too: the server kept the first void; so do we.
        next = { ...next, voidReason: incoming.voidReason, voidedAt: incoming.voidedAt };
      }
      if (!sameFlags(local.flags, incoming.flags)) next = { ...next, flags: incoming.flags };
      // The server's finding that the sale was timed ahead of its clock, kept like a flag.
      if (incoming.clockAheadMs !== undefined && local.clockAheadMs !== incoming.clockAheadMs) {
        next = { ...next, clockAheadMs: incoming.clockAheadMs };
      }
      if (next !== local) {
        sales.set(next.id, next);
        touchedSales.add(next.id);
      }
    }
    for (const m of data.movements) move(m);
  };

  for (const change of changes) {
    switch (change.entity) {
      case 'product': {
        const { fieldHlcs, version, ...product } = change.data;
        if (!keepPulled(productVersions.get(product.id), version)) break;
        if (version === undefined) productVersions.delete(product.id);
        else productVersions.set(product.id, version);
        const clocks: ProductClocksRow = {
          id: product.id,
          fields: fieldHlcs ?? {},
          ...(version === undefined ? {} : { version }),
        };
        pulledProducts.delete(product.id);
        pulledProducts.set(product.id, { product, clocks });
        break;
      }
      case 'event': {
        const { version, ...event } = change.data;
        if (!keepPulled(eventVersions.get(event.id), version)) break;
        if (version === undefined) eventVersions.delete(event.id);
        else eventVersions.set(event.id, version);
        pulledEvents.delete(event.id);
        pulledEvents.set(event.id, event);
        break;
      }
      case 'stall':
        plan.stalls.push(change.data);
        break;
      case 'stall_assignment':
        plan.assignments.push(change.data);
        break;
      case 'event_map':
        plan.eventMaps.push(change.data);
        break;
      case 'announcement':
        plan.announcements.push(change.data);
        break;
      case 'maker_results':
        plan.makerResults.push(change.data);
        break;
      case 'deleted':
        plan.deletions.push(change.data);
        break;
      case 'sale':
        applySaleChange(change.data);
        break;
      case 'stock_movement':
        move(change.data);
        break;
      case 'refund': {
        // A refund new to this device takes its share off the summary of a sale that still
        // counts here (once: by its id), and its movements give stock back (once: by id).
        const { refund, movements } = change.data;
        if (!refundIds.has(refund.id)) {
          refundIds.add(refund.id);
          plan.refunds.push(refund);
          const sale = sales.get(refund.saleId);
          if (sale && sale.status === 'completed') {
            countRefund(summaryOf(sale.eventId), refund, hourOf(sale.createdAt));
          }
        }
        for (const m of movements) move(m);
        break;
      }
      case 'refund_status': {
        const held = statuses.get(change.data.refundId);
        statuses.set(change.data.refundId, mergeRefundStatus(held, change.data));
        break;
      }
      case 'cash_day':
        plan.cashDays.push(change.data);
        break;
      case 'cash_movement':
        plan.cashMovements.push(change.data);
        break;
      case 'cash_report':
        plan.cashReports.push(change.data);
        break;
      case 'link_payment':
        // The server writes only forward moves, in order: the newest record replaces.
        plan.linkPayments.push(change.data);
        break;
      case 'link_settlement':
        // The server kept the first settlement of the sale: it replaces this device's own.
        plan.linkSettlements.push(change.data);
        break;
    }
  }
  for (const { product, clocks } of pulledProducts.values()) {
    plan.products.push(product);
    plan.productClocks.push(clocks);
  }
  plan.events.push(...pulledEvents.values());
  plan.refundStatuses.push(...statuses.values());
  // Every event kept from this pull, and only those, gets its version written.
  for (const id of pulledEvents.keys()) {
    plan.eventVersions.push({ id, version: eventVersions.get(id) });
  }
  for (const id of touchedSales) {
    const sale = sales.get(id);
    if (sale) plan.sales.push(sale);
  }
  for (const id of touchedStock) {
    const row = stock.get(id);
    if (row) plan.stock.push(row);
  }
  for (const id of touchedSummaries) {
    const summary = summaries.get(id);
    if (summary) plan.summaries.push(summary);
  }
  return plan;
}

// ---------------------------------------------------------------------------------------
// Rebase (the server lost what it had acknowledged)

export interface RebaseInput {
  deviceId: Id;
  events: readonly MarketEvent[];
  products: readonly Product[];
  sales: readonly Sale[];
  linesBySale: ReadonlyMap<Id, readonly SaleLine[]>;
  movements: readonly StockMovement[];
  /** Every refund the device holds (its own are re-pushed, after their sale). */
  refunds?: readonly Refund[];
  /** The cash book rows the device holds (its own are re-pushed, in HLC order). */
  cashDays?: readonly CashDay[];
  cashMovements?: readonly CashMovement[];
  cashReports?: readonly CashDayReport[];
  /** Per product, the clock of each field's value (its own edit, or the server's). */
  productClocks: ReadonlyMap<Id, ProductClocks>;
  /** An HLC for mutations whose own time is not stored (events). */
  hlc: Hlc;
}

/**
 * The clock a re-pushed product field carries: the one recorded with its value or, for a
 * value from before clocks were recorded, the product's last change (its wall time).
 */
export function productFieldClocks(
  product: Product,
  clocks: ProductClocks | undefined,
  deviceId: Id,
): Required<ProductClocks> {
  const fallback = formatHlc({
    wallMs: Math.min(Math.max(0, Math.floor(product.updatedAt)), HLC_MAX_WALL_MS),
    counter: 0,
    node: deviceId,
  });
  const out = {} as Required<ProductClocks>;
  for (const field of PRODUCT_FIELDS) out[field] = clocks?.[field] ?? fallback;
  return out;
}

/** The clocks after a local edit at `hlc` that changed `fields` (all of them for a new product). */
export function editedClocks(
  previous: ProductClocks | undefined,
  fields: readonly ProductField[] | undefined,
  hlc: Hlc,
): ProductClocks {
  const next: ProductClocks = { ...(fields ? previous : {}) };
  for (const field of fields ?? PRODUCT_FIELDS) next[field] = hlc;
  return next;
}

/**
 * Everything this device knows that the server needs, as mutations in an order the server
 * accepts: its own events, every product, then its own sales, voids, refunds, restocks and
 * recounts, and its cash book, in HLC order. Sales pulled from other devices are theirs to send. The server ignores what
 * it already has (sales by id, movements by id) [G2].
 */
export function rebaseMutations(input: RebaseInput): { mutation: Mutation; hlc: Hlc }[] {
  const head: { mutation: Mutation; hlc: Hlc }[] = [];
  for (const event of input.events) {
    if (event.origin === 'device')
      head.push({ mutation: { type: 'event.upsert', event, hlc: input.hlc }, hlc: input.hlc });
  }
  // Each product whole, each field with the clock of its value: the server keeps a newer
  // value made elsewhere while this device was behind [G6].
  for (const product of input.products) {
    const fieldHlcs = productFieldClocks(
      product,
      input.productClocks.get(product.id),
      input.deviceId,
    );
    const hlc = Object.values(fieldHlcs).reduce((a, b) => (b > a ? b : a));
    head.push({
      mutation: { type: 'product.upsert', product, hlc, rebased: true, fieldHlcs },
      hlc,
    });
  }
  const timed: { mutation: Mutation; hlc: Hlc }[] = [];
  const own = (m: StockMovement) => m.deviceId === input.deviceId;
  const bySale = new Map<Id, StockMovement[]>();
  for (const m of input.movements) {
    if (!own(m)) continue;
    if (m.saleId === null) {
      timed.push({ mutation: { type: 'stock.movement', movement: m }, hlc: m.hlc });
    } else {
      const list = bySale.get(m.saleId) ?? [];
      list.push(m);
      bySale.set(m.saleId, list);
    }
  }
  for (const sale of input.sales) {
    if (sale.deviceId !== input.deviceId) continue;
    const movements = bySale.get(sale.id) ?? [];
    const { flags: _flags, clockAheadMs: _clockAheadMs, ...recorded } = sale;
    timed.push({
      mutation: {
        type: 'sale.record',
        sale: { ...recorded, status: 'completed', voidReason: null, voidedAt: null },
        lines: [...(input.linesBySale.get(sale.id) ?? [])].sort((a, b) => a.position - b.position),
        movements: movements.filter((m) => m.kind === 'sale'),
      },
      hlc: sale.hlc,
    });
    if (sale.status === 'voided') {
      const back = movements.filter((m) => m.kind === 'void');
      const hlc = back[0]?.hlc ?? sale.hlc;
      timed.push({
        mutation: {
          type: 'sale.void',
          saleId: sale.id,
          reason: sale.voidReason || 'voided',
          voidedAt: sale.voidedAt ?? sale.createdAt,
          hlc,
          movements: back,
        },
        // After its sale even when the clocks say otherwise.
        hlc: hlc > sale.hlc ? hlc : `${sale.hlc}~`,
      });
    }
  }
  for (const refund of input.refunds ?? []) {
    if (refund.deviceId !== input.deviceId) continue;
    const movements = (bySale.get(refund.saleId) ?? []).filter(
      (m) => m.kind === 'refund' && m.hlc === refund.hlc,
    );
    const sale = input.sales.find((s) => s.id === refund.saleId);
    timed.push({
      mutation: { type: 'refund.record', refund, movements },
      // After its sale even when the clocks say otherwise.
      hlc: !sale || refund.hlc > sale.hlc ? refund.hlc : `${sale.hlc}~`,
    });
  }
  // The cash book: each day opened, its movements and its report, in the order they were made.
  for (const day of input.cashDays ?? []) {
    if (day.deviceId === input.deviceId) {
      timed.push({ mutation: { type: 'cashbook.open', day }, hlc: day.hlc });
    }
  }
  for (const movement of input.cashMovements ?? []) {
    if (movement.deviceId === input.deviceId) {
      timed.push({ mutation: { type: 'cashbook.movement', movement }, hlc: movement.hlc });
    }
  }
  for (const report of input.cashReports ?? []) {
    if (report.deviceId === input.deviceId) {
      timed.push({ mutation: { type: 'cashbook.close', report }, hlc: report.hlc });
    }
  }
  timed.sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0));
  return [...head, ...timed];
}

/** Announcements newest first (server send time, then id, so the order never flickers). */
export function newestFirst(a: AnnouncementData, b: AnnouncementData): number {
  return b.sentAt - a.sentAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
