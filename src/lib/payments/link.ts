// The stall's payment link at the till (docs/payments.md, "Offline: the stall's payment
// link"): the maker's reusable Stripe Payment Link, with the sale's id appended as
// `client_reference_id`, so the server can match the customer's payment to the sale when
// Stripe's webhook arrives. Pure: no network, no store.
import type { Id } from '$lib/domain/types';

/** The query parameter Stripe copies from a payment link's URL into the Checkout Session. */
export const CLIENT_REFERENCE_PARAM = 'client_reference_id';

/**
 * The link the customer scans for one sale: the kept link with `?client_reference_id=<sale
 * id>` (replacing any one already there). Null for a link that is not an https (or, in
 * tests, http) URL: the till then offers cash only.
 */
export function paymentLinkForSale(linkUrl: string, saleId: Id): string | null {
  let url: URL;
  try {
    url = new URL(linkUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  url.searchParams.set(CLIENT_REFERENCE_PARAM, saleId);
  return url.toString();
}
