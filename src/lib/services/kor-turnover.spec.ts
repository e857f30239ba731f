import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { addProduct, emptyCart } from '$lib/domain/cart';
import { createHlc } from '$lib/domain/clock';
import { createUuidv7 } from '$lib/domain/ids';
import type { MarketEvent, Product } from '$lib/domain/types';
import { readKorStanding } from './kor-turnover';
import { refundSale } from './refund';
import { sellForCash } from './sell';
import { voidSaleWithReason } from './void';

const MAKER = '01900000-0000-7000-8000-000000000001';
const at = (iso: string): number => Date.parse(iso);

const quilt: Product = {
  id: '01900000-0000-7000-8000-0000000000b1',
  makerId: MAKER,
  name: 'Quilt',
  priceCents: 400_000,
  vatRate: 0,
  photoId: null,
  colour: 'olive',
  category: '',
  archived: false,
  createdAt: 0,
  updatedAt: 0,
};

let store: MemoryDeviceStore;
let clockNow = 0;

function event(id: string, date: string): MarketEvent {
  return {
    id,
    organisationId: null,
    seriesId: null,
    name: `Markt ${date}`,
    date,
    place: '',
    opensAt: null,
    closesAt: null,
    status: 'open',
    origin: 'device',
    createdAt: 0,
    updatedAt: 0,
  };
}

async function sell(eventId: string, when: string, quantity = 1): Promise<string> {
  clockNow = at(when);
  const clock = createHlc(await store.deviceId(), () => clockNow);
  let cart = emptyCart();
  for (let i = 0; i < quantity; i++) cart = addProduct(cart, quilt);
  const sale = await sellForCash(
    { store, newId: createUuidv7(() => clockNow), hlc: () => clock.now(), now: () => clockNow },
    {
      cart,
      eventId,
      makerId: MAKER,
      tenderedCents: quilt.priceCents * quantity,
      cashRounding: false,
      stockedProductIds: new Set(),
    },
  );
  return sale.id;
}

beforeEach(async () => {
  store = new MemoryDeviceStore({ now: () => clockNow });
  const clock = createHlc(await store.deviceId(), () => clockNow);
  await store.saveProduct(quilt, clock.now());
  await store.saveEvent(event('01900000-0000-7000-8000-0000000000e1', '2026-03-01'), clock.now());
  await store.saveEvent(event('01900000-0000-7000-8000-0000000000e2', '2026-12-31'), clock.now());
  await store.saveEvent(event('01900000-0000-7000-8000-0000000000e3', '2025-11-01'), clock.now());
});

describe('readKorStanding (the tracker over every event on this device)', () => {
  it('adds the calendar year of every event, by Amsterdam time, without voids', async () => {
    await sell('01900000-0000-7000-8000-0000000000e3', '2025-11-01T12:00:00Z', 3);
    await sell('01900000-0000-7000-8000-0000000000e1', '2026-03-01T12:00:00Z', 3);
    const voided = await sell('01900000-0000-7000-8000-0000000000e1', '2026-03-01T13:00:00Z');
    const clock = createHlc(await store.deviceId(), () => clockNow);
    await voidSaleWithReason(
      { store, hlc: () => clock.now(), now: () => clockNow },
      voided,
      'fout',
    );
    // 23:30 in Amsterdam on 31 December counts in 2026; 00:30 on 1 January in 2027.
    await sell('01900000-0000-7000-8000-0000000000e2', '2026-12-31T22:30:00Z');
    await sell('01900000-0000-7000-8000-0000000000e2', '2026-12-31T23:30:00Z');
    const in2026 = await readKorStanding(store, at('2026-06-01T00:00:00Z'));
    expect(in2026.year).toBe(2026);
    // EUR 16,000.00 exactly: 80%, the tracker warns.
    expect(in2026).toMatchObject({ turnoverCents: 1_600_000, level: 'near', percent: 80 });
    const in2027 = await readKorStanding(store, at('2027-01-01T00:00:00Z'));
    expect(in2027).toMatchObject({ year: 2027, turnoverCents: 400_000, level: 'below' });
    const in2025 = await readKorStanding(store, at('2025-12-01T00:00:00Z'));
    expect(in2025).toMatchObject({ year: 2025, turnoverCents: 1_200_000, level: 'below' });
  });

  it('says passed once the year goes over EUR 20,000', async () => {
    await sell('01900000-0000-7000-8000-0000000000e1', '2026-03-01T12:00:00Z', 5);
    expect((await readKorStanding(store, at('2026-04-01T00:00:00Z'))).level).toBe('near');
    await sell('01900000-0000-7000-8000-0000000000e1', '2026-03-01T14:00:00Z');
    expect(await readKorStanding(store, at('2026-04-01T00:00:00Z'))).toMatchObject({
      level: 'passed',
      turnoverCents: 2_400_000,
      leftCents: 0,
    });
  });

  it('is net of refunds: a refund given back this year lowers the year', async () => {
    await sell('01900000-0000-7000-8000-0000000000e1', '2026-03-01T12:00:00Z', 4);
    const returned = await sell('01900000-0000-7000-8000-0000000000e1', '2026-03-01T13:00:00Z');
    expect((await readKorStanding(store, at('2026-04-01T00:00:00Z'))).level).toBe('near');
    const clock = createHlc(await store.deviceId(), () => clockNow);
    await refundSale(
      { store, newId: createUuidv7(() => clockNow), hlc: () => clock.now(), now: () => clockNow },
      returned,
      'all',
      'teruggebracht',
    );
    expect(await readKorStanding(store, at('2026-04-01T00:00:00Z'))).toMatchObject({
      turnoverCents: 1_600_000,
      level: 'near',
    });
  });

  it('reads the stored months (byMonth), never the sales; an old aggregate without months is rebuilt once', async () => {
    await sell('01900000-0000-7000-8000-0000000000e1', '2026-03-01T12:00:00Z', 3);
    await sell('01900000-0000-7000-8000-0000000000e2', '2026-12-31T22:30:00Z');
    const calls: string[] = [];
    const spied = new Proxy(store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(key));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const standing = await readKorStanding(spied, at('2026-06-01T00:00:00Z'));
    expect(standing.turnoverCents).toBe(1_600_000);
    expect(calls).toContain('listSummaries');
    expect(calls).not.toContain('listSales');
    expect(calls).not.toContain('listRefunds');
    expect(calls).not.toContain('recomputeSummary');
    // An aggregate stored before months were kept: rebuilt from its sales, stored, counted.
    const summary = await store.getSummary('01900000-0000-7000-8000-0000000000e1');
    delete summary.byMonth;
    store.backing.summaries.set(summary.eventId, summary);
    calls.length = 0;
    expect((await readKorStanding(spied, at('2026-06-01T00:00:00Z'))).turnoverCents).toBe(
      1_600_000,
    );
    expect(calls).toContain('recomputeSummary');
    expect((await store.getSummary(summary.eventId)).byMonth).toBeDefined();
  });
});
