/**
 * The payment-link part of the device store (docs/payments.md, "Offline: the stall's payment
 * link"): what Stripe said of payments on the stall's payment link (pulled `link_payment`
 * records, Dexie table `linkPayments`, version 6) and the event's sales paid on the link, so
 * the sales screen can show which await confirmation. Contract suite:
 * link-payment-store.contract.ts.
 */
import { linkOutcome, linkPartCents, type LinkPaymentRecord } from '$lib/domain/link-payment';
import { canSettle, settlementProblem } from '$lib/domain/link-settlement';
import type { Hlc, Id, LinkSettlement, Sale } from '$lib/domain/types';
import { StoreError } from './device-store';

/**
 * A sale paid (in part) on the stall's payment link, with every record that names it and the
 * maker's settlement of it, if any (Dexie table `linkSettlements`, version 7, by sale).
 */
export interface LinkSale {
  sale: Sale;
  records: LinkPaymentRecord[];
  settlement: LinkSettlement | null;
}

/** What the maker chose for a link payment never confirmed (src/lib/domain/link-settlement.ts). */
export interface SettleRequest {
  id: Id;
  saleId: Id;
  outcome: LinkSettlement['outcome'];
  method: LinkSettlement['method'];
  note: string | null;
  at: number;
  hlc: Hlc;
}

export interface LinkPaymentStore {
  /**
   * The event's sales with a payment via the link (voided ones included; the caller decides),
   * each with the pulled records naming it, oldest sale first.
   */
  listLinkSales(eventId: Id): Promise<LinkSale[]>;
  /**
   * Records the maker's settlement of a sale's payment on the link, with its `link.settle`
   * outbox entry, in one transaction. StoreError 'invalid' for a sale not paid on the link,
   * voided, confirmed by Stripe, already settled, or a settlement whose fields are wrong.
   */
  settleLinkPayment(request: SettleRequest): Promise<LinkSettlement>;
}

/** The settlement to store for a request, or StoreError 'invalid' (both stores use this). */
export function planSettlement(
  sale: Sale | undefined,
  records: readonly LinkPaymentRecord[],
  existing: LinkSettlement | undefined,
  request: SettleRequest,
  deviceId: Id,
): LinkSettlement {
  if (!sale || linkPartCents(sale.payments) === 0) {
    throw new StoreError('invalid', 'This sale was not paid on the payment link.');
  }
  if (sale.status !== 'completed') {
    throw new StoreError('invalid', 'This sale was voided: there is nothing to settle.');
  }
  if (!canSettle(linkOutcome(linkPartCents(sale.payments), records), !!existing)) {
    throw new StoreError(
      'invalid',
      existing ? 'This payment was already settled.' : 'Stripe has confirmed this payment.',
    );
  }
  const settlement: LinkSettlement = {
    id: request.id,
    saleId: sale.id,
    eventId: sale.eventId,
    makerId: sale.makerId,
    outcome: request.outcome,
    method: request.outcome === 'received_other_way' ? request.method : null,
    note: request.note,
    at: request.at,
    deviceId,
    hlc: request.hlc,
  };
  const problem = settlementProblem(settlement);
  if (problem) throw new StoreError('invalid', `The settlement is not valid (${problem}).`);
  return settlement;
}

/** Pairs the sales with the records naming them, oldest sale first (both stores use this). */
export function linkSalesOf(
  sales: readonly Sale[],
  records: readonly LinkPaymentRecord[],
  settlements: readonly LinkSettlement[] = [],
): LinkSale[] {
  const settled = new Map(settlements.map((s) => [s.saleId, s]));
  return [...sales]
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((sale) => ({
      sale,
      records: records
        .filter((r) => r.saleId === sale.id)
        .sort((a, b) => a.createdAt - b.createdAt),
      settlement: settled.get(sale.id) ?? null,
    }));
}
