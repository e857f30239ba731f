import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStore, NewSale } from '$lib/db/device-store';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { createHlc } from '$lib/domain/clock';
import { uuidv7 } from '$lib/domain/ids';
import type { Product, Sale } from '$lib/domain/types';
import { CURRENT_EVENT_SETTING } from '$lib/services/events';
import { app } from './app.svelte';
import { till } from './till.svelte';

const NOW = 1_750_000_000_000;
const EVENT = uuidv7(NOW);
const MAKER = uuidv7(NOW);

function product(name: string, priceCents: number): Product {
  return {
    id: uuidv7(),
    makerId: MAKER,
    name,
    priceCents,
    vatRate: 9,
    photoId: null,
    colour: 'olive',
    category: '',
    archived: false,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

const bread = product('Brood', 350);
const cake = product('Taart', 1275);

let memory: MemoryDeviceStore;

/** A memory store whose recordSale waits until the test lets it commit. */
function gatedStore(inner: DeviceStore): { store: DeviceStore; commit: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const recordSale = async (input: NewSale): Promise<Sale> => {
    await gate;
    return inner.recordSale(input);
  };
  // A proxy, not a subclass: the store keeps private fields that need the real receiver.
  const store = new Proxy(inner, {
    get(target, property) {
      if (property === 'recordSale') return recordSale;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { store, commit: () => release() };
}

/**
 * A store whose `held` read answers only once `awaited` was asked too (or fails after a
 * second): proves the two are asked side by side, not one after the other.
 */
function sideBySide(inner: DeviceStore, held: keyof DeviceStore, awaited: keyof DeviceStore) {
  let asked: () => void = () => undefined;
  const askedPromise = new Promise<void>((resolve) => (asked = resolve));
  const store = new Proxy(inner, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const call = (value as (...args: unknown[]) => unknown).bind(target);
      if (property === awaited) {
        return (...args: unknown[]) => {
          asked();
          return call(...args);
        };
      }
      if (property === held) {
        return async (...args: unknown[]) => {
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            askedPromise,
            new Promise((_, reject) => {
              timer = setTimeout(
                () => reject(new Error(`${String(held)} waited for ${String(awaited)}`)),
                1000,
              );
            }),
          ]).finally(() => clearTimeout(timer));
          return call(...args);
        };
      }
      return call;
    },
  });
  return store;
}

async function openTill(store: DeviceStore): Promise<void> {
  await app.attach(store);
  await till.load(store, EVENT);
  till.clear();
  till.dismissCompleted();
}

beforeEach(async () => {
  memory = new MemoryDeviceStore({ now: () => NOW });
  const clock = createHlc(await memory.deviceId(), () => NOW);
  await memory.saveProfile({
    id: MAKER,
    stallName: 'Bakkerij',
    organisationId: null,
    userId: null,
    cashRounding: true,
    createdAt: NOW,
  });
  await memory.saveEvent(
    {
      id: EVENT,
      organisationId: null,
      seriesId: null,
      name: 'Markt',
      date: '2025-06-14',
      place: '',
      opensAt: null,
      closesAt: null,
      status: 'open',
      origin: 'device',
      createdAt: NOW,
      updatedAt: NOW,
    },
    clock.now(),
  );
  await memory.setSetting(CURRENT_EVENT_SETTING, EVENT);
  await memory.saveProduct(bread, clock.now());
  await memory.saveProduct(cake, clock.now());
  await memory.setOpeningStock(EVENT, cake.id, 1, clock.now());
});

describe('opening the till (issue 11: no read waits for another it does not need)', () => {
  it('reads the device, the profile and the current event side by side', async () => {
    await app.attach(sideBySide(memory, 'deviceId', 'getProfile'));
    expect(app.profile?.stallName).toBe('Bakkerij');
    expect(app.currentEvent?.id).toBe(EVENT);
  });

  it('reads the saved cart beside the products', async () => {
    await app.attach(memory);
    await till.load(sideBySide(memory, 'listProducts', 'listSavedCarts'), EVENT);
    expect(till.products.map((p) => p.name)).toEqual(['Brood', 'Taart']);
  });
});

describe('till state', () => {
  it('[G1] shows "completed" and empties the cart only after the store committed the sale', async () => {
    const { store, commit } = gatedStore(memory);
    await openTill(store);
    till.add(bread);
    till.add(bread);
    till.openPayment();

    const done = till.completeCash(1000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(till.busy).toBe(true);
    expect(till.completed).toBeNull();
    expect(till.cart.lines).toHaveLength(1);
    expect(till.saleInProgress).toBe(true);

    commit();
    expect(await done).toBe(true);
    expect(till.completed).toEqual({
      saleId: till.lastSale?.id,
      deviceId: till.lastSale?.deviceId,
      receiptNumber: 1,
      paidCents: 700,
      changeCents: 300,
    });
    // The receipt QR finds the stored sale by this id.
    expect(till.completed?.saleId).toEqual(expect.any(String));
    expect(till.cart.lines).toEqual([]);
    expect(till.paymentOpen).toBe(false);
    expect(till.saleInProgress).toBe(false);
  });

  it('[G1] a full device keeps the cart and the payment step, shows the reason, and no receipt', async () => {
    await openTill(memory);
    till.add(bread);
    till.openPayment();
    // The cart's own save (after every change) has gone through; the device fills up now.
    await new Promise((resolve) => setTimeout(resolve, 0));
    memory.failNextWrite(new DOMException('full', 'QuotaExceededError'));

    expect(await till.completeCash(500)).toBe(false);

    expect(till.failure).toBe('quota');
    expect(till.completed).toBeNull();
    expect(till.cart.lines.map((l) => [l.name, l.quantity])).toEqual([['Brood', 1]]);
    expect(till.paymentOpen).toBe(true);
    expect(await memory.listSales(EVENT)).toEqual([]);
  });

  it("applies the maker's 5-cent rounding to what is due in cash", async () => {
    await openTill(memory);
    till.add(cake); // 12,75 stays
    expect(till.due).toEqual({ dueCents: 1275, roundingCents: 0 });
    till.clear();
    till.add(bread);
    till.discountLine(bread.id, { kind: 'amount', cents: 2 }); // 3,48 -> 3,50
    expect(till.due).toEqual({ dueCents: 350, roundingCents: 2 });
  });

  it('stock never blocks a sale: beyond the stock it asks once per product per cart, then sells and flags it oversold', async () => {
    await openTill(memory);
    expect(till.stockStateOf(cake.id)).toEqual({ kind: 'left', left: 1, of: 1 });
    expect(till.stockStateOf(bread.id)).toBeNull();
    till.add(cake);
    // The last one is in the cart but unsold: not "sold out".
    expect(till.stockStateOf(cake.id)).toEqual({ kind: 'all-in-cart', inCart: 1 });
    till.more(cake.id);
    expect(till.pendingOversell?.id).toBe(cake.id);
    expect(till.cart.lines.map((l) => l.quantity)).toEqual([1]);
    till.cancelOversell();
    expect(till.pendingOversell).toBeNull();
    till.add(cake);
    till.confirmOversell();
    expect(till.cart.lines.map((l) => l.quantity)).toEqual([2]);
    till.add(cake); // confirmed for this cart: not asked again
    expect(till.pendingOversell).toBeNull();
    expect(till.cart.lines.map((l) => l.quantity)).toEqual([3]);
    till.openPayment();
    expect(await till.completeCash(5000)).toBe(true);
    expect(till.lastSale?.flags).toEqual(['oversell']);
    expect(till.stockStateOf(cake.id)).toEqual({ kind: 'oversold', beyond: 2 });
    // A new cart asks again.
    till.add(cake);
    expect(till.pendingOversell?.id).toBe(cake.id);
    till.cancelOversell();
  });

  it('restocks from the till: the tile shows the new level out of the opening count plus restocks', async () => {
    await openTill(memory);
    till.add(cake);
    till.openPayment();
    await till.completeCash(2000);
    expect(till.stockStateOf(cake.id)).toEqual({ kind: 'sold-out' });
    expect(await till.restock(cake.id, 'abc')).toBe('not-whole');
    expect(await till.restock(cake.id, '5')).toBeNull();
    expect(till.stockStateOf(cake.id)).toEqual({ kind: 'left', left: 5, of: 6 });
    const movements = await memory.listStockMovements(EVENT);
    expect(movements.filter((m) => m.kind === 'restock')).toMatchObject([
      { delta: 5, productId: cake.id },
    ]);
    // Read back from the store, the figures are the same.
    await till.load(memory, EVENT);
    expect(till.stockStateOf(cake.id)).toEqual({ kind: 'left', left: 5, of: 6 });
  });

  it('"Clear cart" can be undone: the cart comes back exactly, until the cart changes again', async () => {
    await openTill(memory);
    till.add(bread);
    till.add(bread);
    till.add(cake);
    till.discountLine(bread.id, { kind: 'amount', cents: 50 });
    till.discountCart({ kind: 'percent', percent: 10 });
    const before = till.cart;
    till.clear();
    expect(till.cart.lines).toEqual([]);
    expect(till.cleared).not.toBeNull();
    till.undoClear();
    expect(till.cart).toEqual(before);
    expect(till.cleared).toBeNull();
    till.clear();
    till.add(bread); // a new cart started: the old one is gone for good
    expect(till.cleared).toBeNull();
    till.undoClear();
    expect(till.cart.lines.map((l) => [l.name, l.quantity])).toEqual([['Brood', 1]]);
    till.clear();
    till.clear(); // clearing an empty cart keeps the cart that can be brought back
    expect(till.cleared).not.toBeNull();
  });

  it('refuses a discount larger than the line with its reason and keeps the cart as it was', async () => {
    await openTill(memory);
    till.add(bread);
    const before = till.cart;
    expect(till.discountLine(bread.id, { kind: 'amount', cents: 351 })).toBe('exceeds-amount');
    expect(till.cart).toBe(before);
    expect(till.discountCart({ kind: 'percent', percent: 10 })).toBeNull();
    expect(till.priced.totalCents).toBe(315);
  });

  it('voids the last sale with a reason; it keeps its receipt number and gives its stock back', async () => {
    await openTill(memory);
    till.add(cake);
    till.openPayment();
    await till.completeCash(2000);
    expect(till.stockStateOf(cake.id)).toEqual({ kind: 'sold-out' });

    expect(await till.voidLast('Verkeerd aangeslagen')).toBe(true);

    expect(till.voidedReceipt).toBe(1);
    expect(till.lastSale?.status).toBe('voided');
    expect(till.canVoidLast).toBe(false);
    expect(till.stockStateOf(cake.id)).toEqual({ kind: 'left', left: 1, of: 1 });
  });
});
