/**
 * Sales paid on the stall's payment link while the till was offline (docs/payments.md,
 * "Offline: the stall's payment link").
 *
 * THE rule: such a sale's link part (its payments marked `via: 'link'`) is "awaiting
 * confirmation" until Stripe's paid sessions naming the sale add up to exactly that part in
 * euros ("confirmed"); paid sessions adding up to anything else make it "amount_mismatch",
 * never confirmed. It is never counted as paid before. Still awaiting 24 hours after the sale
 * (by the sale's time, corrected by how far the server found its clock ahead), the maker is
 * asked to settle it. The server and the device use this same rule, so both orders of
 * webhook and sync end the same.
 */
import type { Cents, Id, Payment, Sale } from './types';

/** What Stripe said of one payment on the link (pulled with feature 'payment-links'). */
export interface LinkPaymentRecord {
  /** Stripe's Checkout Session id. */
  id: string;
  saleId: Id | null;
  paidCents: Cents;
  currency: string;
  status: 'processing' | 'failed' | 'paid';
  createdAt: number;
}

export type LinkOutcome = 'awaiting' | 'confirmed' | 'amount_mismatch';

/** How long a payment on the link may stay unconfirmed before the maker is asked to settle it. */
export const LINK_SETTLE_AFTER_MS = 24 * 60 * 60 * 1000;

/** The part of a sale paid on the stall's payment link (0: none). */
export function linkPartCents(payments: readonly Payment[]): Cents {
  let sum = 0;
  for (const p of payments) if (p.via === 'link') sum += p.amountCents;
  return sum;
}

/** The outcome of a sale's link part of `partCents`, from the records that name the sale. */
export function linkOutcome(
  partCents: Cents,
  records: readonly Pick<LinkPaymentRecord, 'status' | 'paidCents' | 'currency'>[],
): LinkOutcome {
  const paid = records.filter((r) => r.status === 'paid');
  if (paid.length === 0) return 'awaiting';
  const euros = paid.every((r) => r.currency === 'eur');
  const sum = paid.reduce((total, r) => total + r.paidCents, 0);
  return euros && sum === partCents ? 'confirmed' : 'amount_mismatch';
}

/**
 * True when a sale's link part is still awaiting confirmation 24 hours after it was made.
 * The sale's time is the selling device's clock; a clock the server found ahead
 * (`clockAheadMs`) is taken back, so a fast clock never delays the question, and a slow one
 * only brings it forward by its own error.
 */
export function linkNeedsSettling(
  sale: Pick<Sale, 'createdAt' | 'clockAheadMs' | 'status'>,
  outcome: LinkOutcome,
  now: number,
): boolean {
  if (sale.status !== 'completed' || outcome !== 'awaiting') return false;
  return now - (sale.createdAt - (sale.clockAheadMs ?? 0)) >= LINK_SETTLE_AFTER_MS;
}
