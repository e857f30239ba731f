import type { Sale } from '$lib/domain/types';
import { recordNewSale, type ElectronicSaleRequest, type SellContext } from './sell';

/**
 * Records a sale the customer paid on the stall's payment link while the till was offline
 * (docs/payments.md, "Offline: the stall's payment link"), once the maker confirmed "the
 * customer has paid on their phone": the same one transaction as every sale (sale, lines,
 * stock movements, outbox entry; G1), under the id the QR carried as client_reference_id,
 * with one 'qr' payment for exactly the total marked `via: 'link'`. It stays "awaiting
 * confirmation" (src/lib/domain/link-payment.ts) until Stripe's word reaches the device with
 * a pull; it is never counted as paid before. No network call at all.
 */
export async function sellByPaymentLink(
  context: SellContext,
  request: ElectronicSaleRequest,
): Promise<Sale> {
  return recordNewSale(context, request, { method: 'qr', via: 'link' });
}
