/**
 * The small-business scheme (KOR, kleineondernemersregeling) and its turnover limit.
 *
 * THE rule: a maker in the KOR charges no VAT as long as their turnover in the calendar
 * year stays at or below EUR 20,000.00; from the sale that takes it past that amount VAT is
 * due. Kraam warns at 80% (EUR 16,000.00) and when the limit is passed.
 *
 * The turnover is what the customers paid for the goods (each completed sale's total after
 * discounts, without cash rounding), net of voids and refunds, counted in the calendar year
 * of Europe/Amsterdam (a sale at 31 December 23:30 there counts in that year, whatever the
 * phone's own time zone). Under the KOR the goods carry no VAT, so that total is the
 * turnover without VAT; a line that was still sold with VAT (before the maker joined) is
 * counted with its VAT, which can only make the warning come earlier, never later.
 */
import { assertCents } from './money';
import type { Cents, Sale, VatRate } from './types';

/** EUR 20,000.00: the KOR's yearly turnover limit. */
export const KOR_LIMIT_CENTS: Cents = 2_000_000;
/** 80% of the limit: from here the tracker warns. */
export const KOR_WARNING_CENTS: Cents = (KOR_LIMIT_CENTS * 80) / 100;
/** The time zone whose calendar year the Belastingdienst counts in. */
export const KOR_TIME_ZONE = 'Europe/Amsterdam';

/** The rates a maker outside the KOR may name as their usual one. */
export const USUAL_VAT_RATES = [9, 21] as const satisfies readonly VatRate[];
export type UsualVatRate = (typeof USUAL_VAT_RATES)[number];

/**
 * The maker's VAT answer as the profile keeps it: `kor` undefined means not answered yet
 * (the question can be skipped), `usualVatRate` counts only when `kor` is false.
 */
export interface VatSchemeFields {
  kor?: boolean | undefined;
  usualVatRate?: UsualVatRate | undefined;
}

/** The rate a new product starts with: none under the KOR, else the maker's usual one (21% when never said). */
export function defaultVatRate(scheme: VatSchemeFields | undefined): VatRate {
  if (scheme?.kor === true) return 0;
  if (scheme?.kor === false && scheme.usualVatRate !== undefined) return scheme.usualVatRate;
  return 21;
}

/** What counts of a sale: when, whether it still stands, and the goods' total. */
export type TurnoverSale = Pick<Sale, 'createdAt' | 'status' | 'totalCents'>;

/** A refund, once refunds exist: when it was given and the goods' amount paid back (positive). */
export interface TurnoverRefund {
  createdAt: number;
  amountCents: Cents;
}

const yearFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar year of an instant in `timeZone` (Europe/Amsterdam unless told). */
export function calendarYearOf(epochMs: number, timeZone: string = KOR_TIME_ZONE): number {
  let format = yearFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric' });
    yearFormats.set(timeZone, format);
  }
  return Number(format.format(epochMs));
}

/**
 * Net turnover of `year` (calendar year in `timeZone`): completed sales minus refunds.
 * Voided sales count nothing. Every amount is checked to be integer cents.
 */
export function yearTurnover(
  input: { sales: readonly TurnoverSale[]; refunds?: readonly TurnoverRefund[] },
  year: number,
  timeZone: string = KOR_TIME_ZONE,
): Cents {
  let total = 0;
  for (const sale of input.sales) {
    assertCents(sale.totalCents, 'sale total');
    if (sale.status !== 'completed') continue;
    if (calendarYearOf(sale.createdAt, timeZone) === year) total += sale.totalCents;
  }
  for (const refund of input.refunds ?? []) {
    assertCents(refund.amountCents, 'refund amount');
    if (calendarYearOf(refund.createdAt, timeZone) === year) total -= refund.amountCents;
  }
  assertCents(total, 'turnover');
  return total;
}

export type KorLevel = 'below' | 'near' | 'passed';

export interface KorStanding {
  level: KorLevel;
  turnoverCents: Cents;
  limitCents: Cents;
  /** What is left before the limit is passed (0 once passed). */
  leftCents: Cents;
  /** Whole percent of the limit, rounded down (for the bar). */
  percent: number;
}

/** Where a turnover stands against the limit: 'near' from 80% up to the limit itself, 'passed' above it. */
export function korStanding(turnoverCents: Cents): KorStanding {
  assertCents(turnoverCents, 'turnover');
  const level: KorLevel =
    turnoverCents > KOR_LIMIT_CENTS
      ? 'passed'
      : turnoverCents >= KOR_WARNING_CENTS
        ? 'near'
        : 'below';
  return {
    level,
    turnoverCents,
    limitCents: KOR_LIMIT_CENTS,
    leftCents: Math.max(0, KOR_LIMIT_CENTS - turnoverCents),
    percent: Math.max(0, Math.floor((turnoverCents * 100) / KOR_LIMIT_CENTS)),
  };
}
