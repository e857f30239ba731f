/**
 * What the DeviceStore contract suites share: the harness every implementation provides
 * (Dexie on fake-indexeddb and the in-memory twin) and the builders and checks the suites use.
 * Each part of the store has its suite: catalogue-store.contract.ts, sales-store.contract.ts,
 * sync-store.contract.ts; dexie-store.spec.ts and memory-store.spec.ts run each of them.
 */
import { expect } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { hourKey } from '$lib/domain/summary';
import type {
  EventStock,
  MarketEvent,
  OutboxEntry,
  Product,
  ProductPhoto,
  SaleLine,
  StallProfile,
  StockMovement,
  VatRate,
} from '$lib/domain/types';
import { StoreError, type DeviceStore, type NewSale } from './device-store';
import type { DeviceStoreOptions } from './dexie-store';

export interface ContractHarness {
  store: DeviceStore;
  /**
   * Makes the next write fail with `error` after it has done (or planned) all its writes and
   * before it commits, as a failing disk or full quota would.
   */
  failNextWrite(error: unknown): void;
  /** Closes the store and opens a new one on the same data (same database name). */
  reopen(): Promise<DeviceStore>;
}

export type MakeStore = (options: DeviceStoreOptions) => Promise<ContractHarness>;

export const EVENT = 'event-a';
export const OTHER_EVENT = 'event-b';
export const BASE_TIME = Date.UTC(2026, 4, 16, 8, 0);
/** Amsterdam summer time, so hour keys do not depend on the machine running the tests. */
export const hourOf = (ms: number) => hourKey(ms, 120);
export const OPTIONS: DeviceStoreOptions = { hourOf };

let hlcCounter = 0;
/** Increasing HLC-shaped strings (string order is the order they were made). */
export function nextHlc(): string {
  hlcCounter += 1;
  return `${String(BASE_TIME + hlcCounter).padStart(15, '0')}-0000-test`;
}

interface ItemSpec {
  productId: string;
  name?: string;
  priceCents?: number;
  quantity?: number;
  vatRate?: VatRate;
}

/** A completed sale shaped like buildSale's output, paid in cash (or split cash/QR). */
export function newSale(
  items: ItemSpec[],
  options: {
    eventId?: string;
    stocked?: ReadonlySet<string>;
    createdAt?: number;
    split?: boolean;
  } = {},
): NewSale {
  const id = uuidv7();
  const eventId = options.eventId ?? EVENT;
  const createdAt = options.createdAt ?? BASE_TIME;
  const hlc = nextHlc();
  const lines: SaleLine[] = items.map((item, position) => {
    const vatRate = item.vatRate ?? 21;
    const quantity = item.quantity ?? 1;
    const totalCents = (item.priceCents ?? 250) * quantity;
    return {
      id: uuidv7(),
      saleId: id,
      position,
      productId: item.productId,
      name: item.name ?? `Product ${item.productId}`,
      unitPriceCents: item.priceCents ?? 250,
      vatRate,
      quantity,
      lineDiscountCents: 0,
      cartDiscountShareCents: 0,
      totalCents,
      vatCents: Math.round((totalCents * vatRate) / (100 + vatRate)),
    };
  });
  const totalCents = lines.reduce((sum, l) => sum + l.totalCents, 0);
  const cash = options.split ? Math.floor(totalCents / 2) : totalCents;
  const sold = new Map<string, number>();
  for (const line of lines) {
    if (options.stocked?.has(line.productId)) {
      sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);
    }
  }
  return {
    sale: {
      id,
      eventId,
      makerId: 'maker-1',
      hlc,
      createdAt,
      subtotalCents: totalCents,
      lineDiscountCents: 0,
      cartDiscountCents: 0,
      totalCents,
      roundingCents: 0,
      paidCents: totalCents,
      payments: [
        { method: 'cash', amountCents: cash, tenderedCents: cash, changeCents: 0 },
        ...(options.split
          ? [
              {
                method: 'qr' as const,
                amountCents: totalCents - cash,
                tenderedCents: null,
                changeCents: null,
              },
            ]
          : []),
      ],
      itemCount: lines.reduce((sum, l) => sum + l.quantity, 0),
      status: 'completed',
      voidReason: null,
      voidedAt: null,
    },
    lines,
    movements: [...sold].map(([productId, quantity]) => ({
      id: uuidv7(),
      eventId,
      productId,
      kind: 'sale' as const,
      delta: -quantity,
      saleId: id,
      hlc,
      createdAt,
    })),
  };
}

export function product(id: string, overrides: Partial<Product> = {}): Product {
  return {
    id,
    makerId: 'maker-1',
    name: `Product ${id}`,
    priceCents: 250,
    vatRate: 21,
    photoId: null,
    colour: 'olive',
    category: '',
    archived: false,
    createdAt: BASE_TIME,
    updatedAt: BASE_TIME,
    ...overrides,
  };
}

/** The maker's profile as the first run saves it. */
export function stallProfile(overrides: Partial<StallProfile> = {}): StallProfile {
  return {
    id: 'maker-1',
    stallName: 'Bakkerij Noor',
    organisationId: null,
    userId: null,
    cashRounding: true,
    createdAt: BASE_TIME,
    ...overrides,
  };
}

/** A product's photo: a 10-byte JPEG, 320 by 240 unless told. */
export function productPhoto(id: string, size = { width: 320, height: 240 }): ProductPhoto {
  return {
    id,
    blob: new Blob(['jpeg bytes'], { type: 'image/jpeg' }),
    mimeType: 'image/jpeg',
    ...size,
  };
}

export function marketEvent(
  id: string,
  date: string,
  overrides: Partial<MarketEvent> = {},
): MarketEvent {
  return {
    id,
    organisationId: null,
    seriesId: null,
    name: `Bazaar ${id}`,
    date,
    place: 'Utrecht',
    opensAt: '10:00',
    closesAt: '17:00',
    status: 'open',
    origin: 'device',
    createdAt: BASE_TIME,
    updatedAt: BASE_TIME,
    ...overrides,
  };
}

export function voidRequest(saleId: string, reason = 'wrong item') {
  return { saleId, reason, voidedAt: BASE_TIME + 3_600_000, hlc: nextHlc() };
}

/** Everything a write could change, read through the interface. */
export async function snapshot(store: DeviceStore) {
  const [outbox, pending, summary, stock, movements, sales, otherSummary, lastHlc] =
    await Promise.all([
      store.readOutbox(10_000),
      store.pendingCount(),
      store.getSummary(EVENT),
      store.listEventStock(EVENT),
      store.listStockMovements(EVENT),
      store.listSales(EVENT, { limit: 10_000 }),
      store.getSummary(OTHER_EVENT),
      store.lastHlc(),
    ]);
  return { outbox, pending, summary, stock, movements, sales, otherSummary, lastHlc };
}

export async function expectStoreError(
  promise: Promise<unknown>,
  code: StoreError['code'],
): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe(code);
  expect((error as StoreError).message.length).toBeGreaterThan(0);
  return error as StoreError;
}

/** The invariant of G5 (src/lib/sync/SPEC.md): stock = opening count + movements, for every kept row. */
export function expectStockInvariant(rows: EventStock[], movements: StockMovement[]): void {
  for (const row of rows) {
    const own = movements.filter((m) => m.productId === row.productId && m.eventId === row.eventId);
    const all = own.reduce((sum, m) => sum + m.delta, 0);
    const nonOpening = own.filter((m) => m.kind !== 'recount').reduce((sum, m) => sum + m.delta, 0);
    expect(row.level).toBe(all);
    expect(row.level).toBe(row.openingCount + nonOpening);
  }
}

export function expectGapless(entries: OutboxEntry[], from = 1): void {
  expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => from + i));
}
