import type { DeviceStore } from '$lib/db/device-store';
import { SaleError, validateVoidReason } from '$lib/domain/sale';
import type { Id, Sale } from '$lib/domain/types';

export interface VoidContext {
  store: DeviceStore;
  hlc: () => string;
  now: () => number;
}

/**
 * Voids a sale with the reason the maker gave. The sale keeps its receipt number; the store
 * reverses its stock and summary and queues the void, in one transaction. Rejects with a
 * SaleError when the reason is missing or too long (nothing is written) or a StoreError.
 */
export async function voidSaleWithReason(
  context: VoidContext,
  saleId: Id,
  reason: string,
): Promise<Sale> {
  const checked = validateVoidReason(reason);
  if (!checked.ok) {
    throw new SaleError(
      checked.error === 'required' ? 'void-reason-required' : 'void-reason-too-long',
      `void reason ${checked.error}`,
    );
  }
  return context.store.voidSale({
    saleId,
    reason: checked.value,
    voidedAt: context.now(),
    hlc: context.hlc(),
  });
}
