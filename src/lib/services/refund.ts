import type { SalesStore } from '$lib/db/device-store';
import { validateVoidReason } from '$lib/domain/sale';
import { RefundError, type RefundRequest } from '$lib/domain/refund';
import type { Id, Refund } from '$lib/domain/types';

export interface RefundContext {
  store: SalesStore;
  newId: () => Id;
  hlc: () => string;
  now: () => number;
}

/**
 * Records a refund of a sale: the whole of what remains, or chosen lines and quantities, with
 * the reason the maker gave (src/lib/domain/refund.ts). The store writes the refund, the
 * stock it gives back, the summary and the outbox entry in one transaction. Rejects with a
 * RefundError when the reason is missing or too long or nothing was chosen (nothing is
 * written), or with the store's StoreError.
 */
export async function refundSale(
  context: RefundContext,
  saleId: Id,
  lines: RefundRequest['lines'],
  reason: string,
): Promise<Refund> {
  const checked = validateVoidReason(reason);
  if (!checked.ok) {
    throw new RefundError(
      checked.error === 'required' ? 'reason-required' : 'reason-too-long',
      `refund reason ${checked.error}`,
    );
  }
  if (lines !== 'all' && lines.every((l) => l.quantity === 0)) {
    throw new RefundError('no-lines', 'nothing chosen');
  }
  return context.store.recordRefund({
    id: context.newId(),
    saleId,
    reason: checked.value,
    createdAt: context.now(),
    hlc: context.hlc(),
    lines: lines === 'all' ? 'all' : lines.filter((l) => l.quantity !== 0),
  });
}
