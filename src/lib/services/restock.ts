import type { DeviceStore } from '$lib/db/device-store';
import { parseRestock, type RestockError } from '$lib/domain/stock';
import type { Hlc, Id } from '$lib/domain/types';

export interface RestockContext {
  store: DeviceStore;
  hlc: () => Hlc;
}

export type RestockResult = { ok: true; quantity: number } | { ok: false; error: RestockError };

/**
 * The maker brought more of a product to the stall and adds it from the till: the typed
 * quantity is checked (a whole number from 1 to MAX_RESTOCK), then recorded as one 'restock'
 * stock movement with its outbox entry in one transaction (CatalogueStore.restock). Bad
 * input changes nothing and says why; a storage failure rejects with a StoreError.
 */
export async function restockProduct(
  context: RestockContext,
  eventId: Id,
  productId: Id,
  quantityText: string,
): Promise<RestockResult> {
  const parsed = parseRestock(quantityText);
  if (!parsed.ok) return parsed;
  await context.store.restock(eventId, productId, parsed.quantity, context.hlc());
  return { ok: true, quantity: parsed.quantity };
}
