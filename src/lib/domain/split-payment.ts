/**
 * A split payment: part of one sale in cash, the rest by phone or card (docs/payments.md,
 * "Split payment"). The maker says how much of the sale the customer settles in cash (the
 * cash part, in goods value); the 5-cent rounding, the tender and the change apply to that
 * cash part only; the electronic part is exactly the rest, never rounded.
 *
 *   electronic = total - cashPart            (Stripe's bounds: 50 cents .. total - 1 cent)
 *   cashDue    = roundCash(cashPart) or cashPart (the maker's rounding setting)
 *   rounding   = cashDue - cashPart           (the sale's roundingCents, -2..+2)
 *   payments   = [cash cashDue (tendered, change), qr electronic]
 *   sum(payments) = total + rounding = paid   (what every sale must satisfy)
 *
 * Pure. The same rule checks a sale a device sends (`paymentsRoundingProblem`): rounding may
 * only come from cash, and only as THE rule rounds the part of the total cash settled.
 */
import { change, roundCash } from './cash';
import { assertCents } from './money';
import type { Cents, Payment } from './types';

/** Stripe's smallest euro charge: an electronic part below it is taken in cash. */
export const MIN_ELECTRONIC_CENTS: Cents = 50;

export interface SplitPlan {
  totalCents: Cents;
  /** The goods value the customer settles in cash (before rounding). */
  cashPartCents: Cents;
  /** What the customer pays in cash: the cash part, 5-cent rounded when the maker rounds. */
  cashDueCents: Cents;
  /** cashDueCents - cashPartCents: the sale's rounding figure. */
  roundingCents: Cents;
  /** What the customer pays by phone or card: exactly total - cash part. */
  electronicCents: Cents;
}

export type SplitError =
  /** Nothing (or a negative amount) in cash: that is not a split, it is a card payment. */
  | { ok: false; error: 'no-cash' }
  /** The rest is below Stripe's 50 cents (or nothing): take all of it in cash. */
  | { ok: false; error: 'rest-too-small'; maxCashPartCents: Cents };

export type SplitResult = { ok: true; plan: SplitPlan } | SplitError;

/** The largest cash part that leaves an electronic rest Stripe accepts (< 0: no split possible). */
export function maxCashPart(totalCents: Cents): Cents {
  assertCents(totalCents, 'total');
  return totalCents - MIN_ELECTRONIC_CENTS;
}

/** Plans a split of `totalCents` with `cashPartCents` settled in cash. */
export function planSplit(totalCents: Cents, cashPartCents: Cents, rounding: boolean): SplitResult {
  assertCents(totalCents, 'total');
  assertCents(cashPartCents, 'cash part');
  if (cashPartCents <= 0) return { ok: false, error: 'no-cash' };
  const maxCashPartCents = maxCashPart(totalCents);
  if (cashPartCents > maxCashPartCents) {
    return { ok: false, error: 'rest-too-small', maxCashPartCents };
  }
  const cashDueCents = rounding ? roundCash(cashPartCents) : cashPartCents;
  return {
    ok: true,
    plan: {
      totalCents,
      cashPartCents,
      cashDueCents,
      roundingCents: cashDueCents - cashPartCents,
      electronicCents: totalCents - cashPartCents,
    },
  };
}

export type SplitPaymentsResult =
  { ok: true; payments: Payment[] } | { ok: false; error: 'insufficient'; shortCents: Cents };

/** The sale's payments for a plan and the cash handed over: cash first, then phone/card. */
export function splitPayments(plan: SplitPlan, tenderedCents: Cents): SplitPaymentsResult {
  const given = change(plan.cashDueCents, tenderedCents);
  if (!given.ok) return { ok: false, error: 'insufficient', shortCents: given.shortCents };
  return {
    ok: true,
    payments: [
      {
        method: 'cash',
        amountCents: plan.cashDueCents,
        tenderedCents,
        changeCents: given.changeCents,
      },
      { method: 'qr', amountCents: plan.electronicCents, tenderedCents: null, changeCents: null },
    ],
  };
}

/**
 * Rounding comes from cash only: with no cash payment a sale has no rounding; with cash, the
 * rounding is 0 (the maker does not round) or exactly THE rule's for the part of the total the
 * cash settled (total - electronic). Also the electronic payments never exceed the total.
 * The problem in words, or null.
 */
export function paymentsRoundingProblem(
  totalCents: Cents,
  roundingCents: Cents,
  payments: readonly Pick<Payment, 'method' | 'amountCents'>[],
): string | null {
  const electronic = payments
    .filter((p) => p.method !== 'cash')
    .reduce((a, p) => a + p.amountCents, 0);
  const hasCash = payments.some((p) => p.method === 'cash');
  if (electronic > totalCents) return 'electronic payments exceed the total';
  if (!hasCash) return roundingCents === 0 ? null : 'rounding without a cash payment';
  const cashPart = totalCents - electronic;
  if (roundingCents === 0 || roundingCents === roundCash(cashPart) - cashPart) return null;
  return 'rounding does not follow the 5-cent rule on the cash part';
}
