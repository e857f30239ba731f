/**
 * The payment-link part of the device store (docs/payments.md, "Offline: the stall's payment
 * link"): what Stripe said of payments on the stall's payment link (pulled `link_payment`
 * records, Dexie table `linkPayments`, version 6) and the event's sales paid on the link, so
 * the sales screen can show which await confirmation. Contract suite:
 * link-payment-store.contract.ts.
 */
import type { LinkPaymentRecord } from '$lib/domain/link-payment';
import type { Id, Sale } from '$lib/domain/types';

/** A sale paid (in part) on the stall's payment link, with every record that names it. */
export interface LinkSale {
  sale: Sale;
  records: LinkPaymentRecord[];
}

export interface LinkPaymentStore {
  /**
   * The event's sales with a payment via the link (voided ones included; the caller decides),
   * each with the pulled records naming it, oldest sale first.
   */
  listLinkSales(eventId: Id): Promise<LinkSale[]>;
}

/** Pairs the sales with the records naming them, oldest sale first (both stores use this). */
export function linkSalesOf(
  sales: readonly Sale[],
  records: readonly LinkPaymentRecord[],
): LinkSale[] {
  return [...sales]
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((sale) => ({
      sale,
      records: records
        .filter((r) => r.saleId === sale.id)
        .sort((a, b) => a.createdAt - b.createdAt),
    }));
}
