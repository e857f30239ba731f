// A till for the service specs: the in-memory device store at a fixed time with its products,
// and ids and clock injected the way the services take them (SellContext).
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { createHlc } from '$lib/domain/clock';
import { createUuidv7 } from '$lib/domain/ids';
import type { Product, VatRate } from '$lib/domain/types';
import type { SellContext } from './sell';

export const NOW = 1_750_000_000_000;
export const EVENT = '01900000-0000-7000-8000-0000000000e1';
export const MAKER = '01900000-0000-7000-8000-000000000001';

export function product(id: string, name: string, priceCents: number, vatRate: VatRate): Product {
  return {
    id,
    makerId: MAKER,
    name,
    priceCents,
    vatRate,
    photoId: null,
    colour: 'olive',
    category: '',
    archived: false,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

/** Bread at € 3,50 (9 % VAT). */
export const bread = product('01900000-0000-7000-8000-0000000000b1', 'Brood', 350, 9);

export interface TestTill {
  store: MemoryDeviceStore;
  /** What a sell service takes, all at NOW. */
  context: SellContext & { store: MemoryDeviceStore };
}

/** A device whose store holds `products`, saved in that order, everything at NOW. */
export async function tillWith(...products: Product[]): Promise<TestTill> {
  const store = new MemoryDeviceStore({ now: () => NOW });
  const clock = createHlc(await store.deviceId(), () => NOW);
  const context = { store, newId: createUuidv7(() => NOW), hlc: () => clock.now(), now: () => NOW };
  for (const p of products) await store.saveProduct(p, context.hlc());
  return { store, context };
}
