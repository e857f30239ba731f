// Loads what a batch needs, locking what it will change. Locks are always taken in the same
// order (device, then products by id, then voided sales by id, then stock rows by event and
// product) so two batches from different devices of one maker cannot deadlock.
import { asc, getTableColumns, inArray, sql, type Column, type SQL, type Table } from 'drizzle-orm';
import type { Id, Mutation, Product } from '$lib/domain/types';
import { ReusedStatement, type Tx } from '$lib/server/db';
import {
  events,
  products,
  refundLines,
  refunds,
  saleLines,
  sales,
  stockMovements,
} from '$lib/server/db/schema';
import type { SyncAccount, MakerResolver } from './account';
import {
  assignmentKey,
  stockKey,
  type BatchState,
  type SaleState,
  type StockRow,
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

  // Its products, locked (sorted by id), then what it reads without locks: its events, the
  // stall assignments, the recorded sales and the known movement, refund and line ids. One
  // round trip.
  const makerIds =
    account.makerIds.length > 0 || resolver.sellingMakerId
      ? [...new Set([...account.makerIds, resolver.sellingMakerId ?? ''])]
      : null;
  await loadKnown(tx, state, wanted, makerIds);
  if (wanted.eventIds.size > 0 && makerIds) {
    state.takingPart = await loadTakingPart(tx, state.events, makerIds);
  }

  await loadSales(tx, state, wanted.voidedSaleIds);

  await loadCash(tx, state, mutations);
  await loadSettlements(tx, state, mutations);
  await lockStock(tx, state, mutations);
  return state;
}

const tableColumns = new Map<Table, [string, Column][]>();

/** A table's columns by property name, listed once. */
function columnsOf(table: Table): [string, Column][] {
  let columns = tableColumns.get(table);
  if (!columns) tableColumns.set(table, (columns = Object.entries(getTableColumns(table))));
  return columns;
}

/** A row of `table` from its `row_to_json` object, mapped as Drizzle maps a selected row. */
function rowFromJson<T extends Table>(table: T, json: Record<string, unknown>): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of columnsOf(table)) {
    const value = json[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}

const KNOWN_PRODUCTS = 1;
const KNOWN_EVENTS = 2;
const KNOWN_ASSIGNMENTS = 4;
const KNOWN_SALES = 8;
const KNOWN_MOVEMENTS = 16;
const KNOWN_REFUNDS = 32;
const KNOWN_LINES = 64;

type KnownRow = {
  kind: 'product' | 'event' | 'assignment' | 'sale' | 'movement' | 'refund' | 'line';
  data: string;
};

/** `loadKnown`'s statement for each combination of parts, its text built once. */
const knownStatements = new Map<number, ReusedStatement<KnownRow>>();

/**
 * `loadKnown`'s statement with the parts `shape` names; each list of ids is one parameter
 * (a JSON array) named after its part, so the text depends on which parts there are only.
 */
function knownStatement(shape: number): ReusedStatement<KnownRow> {
  const cached = knownStatements.get(shape);
  if (cached) return cached;
  const among = (name: string) =>
    sql`any(array(select json_array_elements_text(${sql.placeholder(name)}::text::json)))`;
  // Every part names its columns: the first part present names them for all.
  const parts: SQL[] = [];
  if (shape & KNOWN_PRODUCTS) {
    parts.push(sql`select 'product' as kind, row_to_json(p)::text as data from locked_products p`);
  }
  if (shape & KNOWN_EVENTS) {
    parts.push(sql`select 'event' as kind, row_to_json(e)::text as data
      from events e where id = ${among('events')}`);
  }
  if (shape & KNOWN_ASSIGNMENTS) {
    parts.push(sql`select 'assignment' as kind, json_build_object('e', event_id, 'm', maker_id)::text as data
      from stall_assignments
      where event_id = ${among('events')} and maker_id = ${among('makers')}`);
  }
  if (shape & KNOWN_SALES) {
    parts.push(sql`select 'sale' as kind, row_to_json(s)::text as data
      from sales s where id = ${among('sales')}`);
  }
  if (shape & KNOWN_MOVEMENTS) {
    parts.push(sql`select 'movement' as kind, json_build_object('id', id, 'm', maker_id)::text as data
      from stock_movements where id = ${among('movements')}`);
  }
  if (shape & KNOWN_REFUNDS) {
    parts.push(sql`select 'refund' as kind, json_build_object('id', id, 'm', maker_id, 's', sale_id)::text as data
      from refunds where id = ${among('refunds')}`);
  }
  if (shape & KNOWN_LINES) {
    parts.push(sql`select 'line' as kind, json_build_object('id', id)::text as data
      from sale_lines where id = ${among('lines')}`);
  }
  const lock =
    shape & KNOWN_PRODUCTS
      ? sql`with locked_products as materialized (select * from products
        where id = ${among('products')} order by id for update) `
      : sql``;
  const statement = new ReusedStatement<KnownRow>(sql`${lock}${sql.join(parts, sql` union all `)}`);
  knownStatements.set(shape, statement);
  return statement;
}

/**
 * What the batch reads, in one round trip: its products, locked in id order (a `FOR UPDATE`
 * part of the statement's WITH, its rows taken before the rest is answered), then without
 * locks its events, the makers' stall assignments at them, the sales it records that the
 * server already has (the sales it voids are locked and read by `loadSales`), and which of
 * its movement, refund and line ids the server has. The products are the locked rows' latest
 * committed versions; the rest is read in the statement's snapshot, as a statement of its
 * own would have read it just before the products' locks: a row the batch believes new and
 * finds written meanwhile stops the batch's write and runs it again (batch-flush.ts).
 */
async function loadKnown(
  tx: Tx,
  state: BatchState,
  wanted: ReturnType<typeof collectIds>,
  makerIds: string[] | null,
): Promise<void> {
  const recorded = [...wanted.recordedSaleIds].filter((id) => !wanted.voidedSaleIds.has(id));
  const values: Record<string, string> = {};
  const give = (name: string, set: Iterable<Id>) => {
    values[name] = JSON.stringify([...set].sort());
    return true;
  };
  // Which parts the statement has; its text is built once for each combination.
  const shape =
    (wanted.productIds.size > 0 && give('products', wanted.productIds) ? KNOWN_PRODUCTS : 0) |
    (wanted.eventIds.size > 0 && give('events', wanted.eventIds) ? KNOWN_EVENTS : 0) |
    (wanted.eventIds.size > 0 && makerIds && give('makers', makerIds) ? KNOWN_ASSIGNMENTS : 0) |
    (recorded.length > 0 && give('sales', recorded) ? KNOWN_SALES : 0) |
    (wanted.movementIds.size > 0 && give('movements', wanted.movementIds) ? KNOWN_MOVEMENTS : 0) |
    (wanted.refundIds.size > 0 && give('refunds', wanted.refundIds) ? KNOWN_REFUNDS : 0) |
    (wanted.lineIds.size > 0 && give('lines', wanted.lineIds) ? KNOWN_LINES : 0);
  if (shape === 0) return;
  const rows = await knownStatement(shape).rows(tx, values);
  for (const { kind, data } of rows) {
    const json = JSON.parse(data) as Record<string, unknown>;
    const text = (key: string) => (typeof json[key] === 'string' ? json[key] : '');
    if (kind === 'product') {
      const row = rowFromJson(products, json);
      state.products.set(row.id, row);
    } else if (kind === 'event') {
      const row = rowFromJson(events, json);
      state.events.set(row.id, row);
    } else if (kind === 'assignment') {
      state.assignments.add(assignmentKey(text('e'), text('m')));
    } else if (kind === 'sale') {
      const row = rowFromJson(sales, json);
      state.sales.set(row.id, {
        row,
        lines: [],
        movements: [],
        isNew: false,
        voided: false,
        refunds: [],
      });
    } else if (kind === 'movement') state.movementIds.set(text('id'), text('m'));
    else if (kind === 'refund') {
      state.refundIds.set(text('id'), { saleId: text('s'), makerId: text('m') });
    } else state.lineIds.add(text('id'));
  }
}

async function loadSales(tx: Tx, state: BatchState, voided: Set<Id>): Promise<void> {
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
 * The stock rows a batch may move, made if missing and locked, in the order given (sorted by
 * the caller): an upsert that changes nothing locks the existing row and returns its latest
 * committed version (as SELECT ... FOR UPDATE after the insert did), and INSERT ... SELECT
 * takes the rows in the order of its ORDER BY. The pairs travel as one JSON parameter
 * (`[[eventId, productId, makerId], ...]`), so the text is the same for every batch: built
 * once, prepared once per connection, whatever the number of rows.
 */
const LOCK_STOCK = new ReusedStatement<{
  event_id: string;
  product_id: string;
  maker_id: string;
  opening_count: number | string;
  level: number | string;
}>(
  sql`insert into event_stock (event_id, product_id, maker_id, opening_count, level)
    select r.value->>0, r.value->>1, r.value->>2, 0, 0
    from json_array_elements(${sql.placeholder('rows')}::text::json) with ordinality as r
    order by r.ordinality
    on conflict (event_id, product_id) do update set level = event_stock.level
    returning event_id, product_id, maker_id, opening_count, level`,
);

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
  const rows = await LOCK_STOCK.rows(tx, {
    rows: JSON.stringify(sorted.map(([, p]) => [p.eventId, p.productId, p.makerId])),
  });
  for (const found of rows) {
    const row: StockRow = {
      eventId: found.event_id,
      productId: found.product_id,
      makerId: found.maker_id,
      openingCount: Number(found.opening_count),
      level: Number(found.level),
    };
    state.stock.set(stockKey(row.eventId, row.productId), { row, dirty: false });
  }
}
