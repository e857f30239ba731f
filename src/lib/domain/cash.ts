/**
 * Cash at the till: Dutch 5-cent rounding, change, and the quick amounts to tap.
 *
 * THE cash rounding rule (voluntary in the Netherlands, cash only, never cards; in a split
 * payment only the cash part rounds): round the amount to a multiple of 5 cents by its last
 * digit — 1, 2 go down to 0; 3, 4 go up to 5; 6, 7 go down to 5; 8, 9 go up to 10 (0 and 5
 * stay). That is "nearest 5 cents", and since the last digit decides, halves never occur.
 * Negative amounts (refunds) round as the mirror image: roundCash(-c) = -roundCash(c).
 * The difference (rounded - exact) is kept as its own figure (`roundingCents`), never
 * hidden in revenue, and is always within -2..+2 cents.
 */
import { assertCents, MAX_MONEY_CENTS } from './money';
import type { Cents } from './types';

/** Euro notes whose multiples are offered as quick tender amounts (5, 10, 20, 50 euros). */
export const QUICK_TENDER_NOTES: readonly Cents[] = [500, 1000, 2000, 5000];

/** Rounds cents to a multiple of 5 by THE rule above. */
export function roundCash(cents: Cents): Cents {
  assertCents(cents);
  const magnitude = Math.abs(cents);
  const lastDigit = magnitude % 10;
  const base = magnitude - lastDigit;
  const rounded = lastDigit <= 2 ? base : lastDigit <= 7 ? base + 5 : base + 10;
  // `0 - x` keeps -0 out of sums and comparisons.
  return cents < 0 ? 0 - rounded : rounded;
}

export interface CashDue {
  /** What the customer pays in cash. */
  dueCents: Cents;
  /** dueCents - totalCents: the rounding difference, its own figure (0 without rounding). */
  roundingCents: Cents;
}

/** What is due in cash for a total, with or without the maker's 5-cent rounding. */
export function cashDue(totalCents: Cents, rounding: boolean): CashDue {
  assertCents(totalCents, 'total');
  const dueCents = rounding ? roundCash(totalCents) : totalCents;
  return { dueCents, roundingCents: dueCents - totalCents };
}

export type ChangeResult =
  { ok: true; changeCents: Cents } | { ok: false; error: 'insufficient'; shortCents: Cents };

/** Change to give back, or how much is still missing. */
export function change(dueCents: Cents, tenderedCents: Cents): ChangeResult {
  assertCents(dueCents, 'due');
  assertCents(tenderedCents, 'tendered');
  if (tenderedCents < dueCents) {
    return { ok: false, error: 'insufficient', shortCents: dueCents - tenderedCents };
  }
  return { ok: true, changeCents: tenderedCents - dueCents };
}

/**
 * Amounts a customer is likely to hand over, following the total: the exact amount first,
 * then the smallest multiple of each of the 5, 10, 20 and 50 euro notes that covers it,
 * ascending, without duplicates (due 9300 -> [9300, 9500, 10000]; due 1270 -> [1270, 1500,
 * 2000, 5000]; due 2000 -> [2000, 5000]). Each is less than 50 euros above what is due and
 * never above MAX_MONEY_CENTS. Nothing due -> [0].
 */
export function quickTenderAmounts(dueCents: Cents): Cents[] {
  assertCents(dueCents, 'due');
  if (dueCents < 0) throw new RangeError('due must not be negative');
  if (dueCents === 0) return [0];
  const amounts = new Set<Cents>([dueCents]);
  for (const note of QUICK_TENDER_NOTES) {
    const covering = Math.ceil(dueCents / note) * note;
    if (covering <= MAX_MONEY_CENTS) amounts.add(covering);
  }
  return [...amounts].sort((a, b) => a - b);
}

/**
 * Revenue is the goods' value; the cash taken differs from it by the 5-cent rounding (its own
 * figure, above). What the screens put next to the revenue: the cash taken when the two
 * differ, null when they are the same.
 */
export function cashTakenWhenRounded(revenueCents: Cents, roundingCents: Cents): Cents | null {
  assertCents(revenueCents, 'revenue');
  assertCents(roundingCents, 'rounding');
  return roundingCents === 0 ? null : revenueCents + roundingCents;
}
