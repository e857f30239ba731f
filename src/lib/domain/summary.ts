/**
 * The per-event summary, kept up to date sale by sale.
 *
 * A summary that scans every sale cannot be fast at 100,000 sales (docs/stack-notes.md "Floors"), so
 * the store keeps an `EventSummaryAggregate` per event and updates it in the same transaction
 * that records or voids a sale. `recompute` rebuilds it from the sales for checks and repairs;
 * the property test in summary.spec.ts proves that both ways give the same aggregate.
 *
 * Definitions (all money in integer cents):
 * - A completed sale contributes: salesCount +1, revenueCents + totalCents (goods after all
 *   discounts, before cash rounding), roundingCents + roundingCents, discountCents +
 *   lineDiscountCents + cartDiscountCents, itemCount + itemCount; its hour: count +1, cents +
 *   totalCents; per product (from its lines): quantity + quantity, cents + line totalCents;
 *   per VAT rate: grossCents + line totalCents, vatCents + line vatCents; per payment method
 *   (one entry per payment): count +1, cents + amountCents (what was paid, so cash includes
 *   the rounding).
 * - A void takes back exactly what its sale contributed (the sale no longer counts in
 *   revenue, hours, products, VAT or payments) and adds voidCount +1 and voidedCents +
 *   the sale's totalCents. So revenueCents + voidedCents is the goods value of every sale
 *   ever rung up at the event.
 * - A refund (its own record, src/lib/domain/refund.ts) of a sale that counts takes back what
 *   it gave back: revenueCents - totalCents, itemCount - itemCount; the sale's hour: cents -
 *   totalCents (the sale still counts as a sale in its hour and in salesCount); per product and
 *   per VAT rate (from its lines): quantity, cents, grossCents and vatCents less the line's;
 *   per payment method: cash cents - the part handed back in cash, phone/card cents - the
 *   rest (the record's own parts, electronic-refund.ts recordedRefundParts; count unchanged). It adds
 *   refundCount +1 and refundedCents + totalCents (both absent until the first refund). The
 *   refunds of a voided sale do not count: the void took back the whole sale.
 * - Months (`byMonth`, the calendar month in Europe/Amsterdam, 'YYYY-MM', for the maker's
 *   history across events, src/lib/domain/history.ts): a completed sale adds count +1 and
 *   cents + totalCents to the month of its createdAt; a refund takes cents - totalCents from
 *   the month it was given in (its own createdAt, as the KOR turnover counts it,
 *   src/lib/domain/kor.ts), so the months of a year add up to that year's net turnover. A void
 *   takes back what its sale added. An aggregate stored before months were kept has no
 *   `byMonth`; it stays without one (never half counted) until recompute rebuilds it.
 * - Cash per device (`cashByDevice`, the cash book's takings): a completed sale adds its cash
 *   payments (rounding included) to its device's salesCents; a refund adds its cash part
 *   (the record's own, as above) to the refundsCents of the device that gave it; a void takes
 *   back what its sale added, and an undone refund what it added. Absent in an aggregate
 *   stored before it was kept, as `byMonth`.
 * - Canonical form: a map entry whose figures are all zero is removed, so "sold, then
 *   voided" leaves no trace in the maps, exactly as if the sale had never counted.
 * - A product's name is the name on the line of the most recently recorded sale of that
 *   product (a rename during the event shows the new name). Voids never change it.
 */
import type {
  Cents,
  EventSummaryAggregate,
  Id,
  LinkSettlement,
  PaymentMethod,
  Refund,
  Sale,
  SaleLine,
  VatRate,
} from './types';
import { VAT_RATES } from './types';
import { linkPartCents, type LinkOutcome } from './link-payment';
import { recordedRefundParts } from './electronic-refund';
import { linkStanding } from './link-settlement';
import { KOR_TIME_ZONE } from './kor';

export function emptySummary(eventId: Id): EventSummaryAggregate {
  return {
    eventId,
    salesCount: 0,
    voidCount: 0,
    revenueCents: 0,
    roundingCents: 0,
    discountCents: 0,
    voidedCents: 0,
    itemCount: 0,
    byHour: {},
    byProduct: {},
    byVatRate: {},
    byPayment: {},
    byMonth: {},
    cashByDevice: {},
  };
}

const monthFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar month of an instant in `timeZone` (Europe/Amsterdam unless told), as
 * 'YYYY-MM': a sale at 23:30 on 31 December there belongs to December of that year, whatever
 * the phone's own zone. An instant outside the calendar (not a finite date) is '0000-00'.
 */
export function monthKey(epochMs: number, timeZone: string = KOR_TIME_ZONE): string {
  if (!Number.isFinite(new Date(epochMs).getTime())) return '0000-00';
  // Asking Intl for every sale of a pulled year is slow (docs/benchmarks.md, issue 11): the
  // month of each quarter hour is remembered when its first and last instant fall in the
  // same month (a month turns at a local midnight, and every zone's offset since 1970 is a
  // whole number of quarter hours, so almost every quarter hour qualifies).
  const bucket = Math.floor(epochMs / QUARTER_HOUR_MS);
  let months = monthCache.get(timeZone);
  const known = months?.get(bucket);
  if (known !== undefined) return known;
  const start = bucket * QUARTER_HOUR_MS;
  const month = formatMonth(epochMs, timeZone);
  if (
    formatMonth(start, timeZone) === month &&
    formatMonth(start + QUARTER_HOUR_MS - 1, timeZone) === month
  ) {
    if (!months || months.size >= MONTH_CACHE_SIZE) {
      months = new Map();
      monthCache.set(timeZone, months);
    }
    months.set(bucket, month);
  }
  return month;
}

const QUARTER_HOUR_MS = 15 * 60_000;
/** Quarter hours remembered per time zone (a year is about 35,000; a busy pull meets few). */
const MONTH_CACHE_SIZE = 4096;
const monthCache = new Map<string, Map<number, string>>();

function formatMonth(epochMs: number, timeZone: string): string {
  if (!Number.isFinite(new Date(epochMs).getTime())) return '0000-00';
  let format = monthFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
    });
    monthFormats.set(timeZone, format);
  }
  let year = '';
  let month = '';
  for (const part of format.formatToParts(epochMs)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
  }
  return `${year.padStart(4, '0')}-${month}`;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/**
 * The hour a moment falls in, as 'YYYY-MM-DDTHH' in the wall-clock time of the given offset
 * (minutes east of UTC: +60 for Amsterdam in winter, +120 in summer). Pure: the caller
 * decides the offset; `localHourKey` passes the device's own.
 */
export function hourKey(epochMs: number, timeZoneOffsetMinutes = 0): string {
  return new Date(epochMs + timeZoneOffsetMinutes * MINUTE_MS).toISOString().slice(0, 13);
}

/**
 * The device-local hour of a moment. Reads the device's time zone (the offset in force at
 * that moment, so daylight saving is right for past sales too).
 */
export function localHourKey(epochMs: number): string {
  return hourKey(epochMs, -new Date(epochMs).getTimezoneOffset());
}

type Sign = 1 | -1;

function cloneSummary(s: EventSummaryAggregate): EventSummaryAggregate {
  return {
    ...s,
    byHour: { ...s.byHour },
    byProduct: { ...s.byProduct },
    byVatRate: { ...s.byVatRate },
    byPayment: { ...s.byPayment },
    ...(s.byMonth ? { byMonth: { ...s.byMonth } } : {}),
    ...(s.cashByDevice ? { cashByDevice: { ...s.cashByDevice } } : {}),
  };
}

function allZero(entry: Record<string, unknown>): boolean {
  return Object.values(entry).every((v) => typeof v !== 'number' || v === 0);
}

/** Adds `delta` to the numeric fields of map[key] (a fresh object), dropping all-zero entries. */
function bump<T extends Record<string, unknown>>(
  map: Record<string, T>,
  key: string,
  zero: T,
  delta: Partial<Record<keyof T, number>>,
  patch?: Partial<T>,
): void {
  const next: Record<string, unknown> = { ...(map[key] ?? zero), ...patch };
  for (const [field, d] of Object.entries(delta)) {
    next[field] = ((next[field] as number | undefined) ?? 0) + (d as number);
  }
  if (allZero(next)) delete map[key];
  else map[key] = next as T;
}

/** What one sale adds (sign 1) or takes back (sign -1). Mutates `s`, which must be a clone. */
function contribute(
  s: EventSummaryAggregate,
  sale: Sale,
  lines: readonly SaleLine[],
  hour: string,
  sign: Sign,
): void {
  s.salesCount += sign;
  s.revenueCents += sign * sale.totalCents;
  s.roundingCents += sign * sale.roundingCents;
  s.discountCents += sign * (sale.lineDiscountCents + sale.cartDiscountCents);
  s.itemCount += sign * sale.itemCount;
  bump(s.byHour, hour, { count: 0, cents: 0 }, { count: sign, cents: sign * sale.totalCents });
  if (s.byMonth) {
    bump(
      s.byMonth,
      monthKey(sale.createdAt),
      { count: 0, cents: 0 },
      { count: sign, cents: sign * sale.totalCents },
    );
  }
  for (const line of lines) {
    bump(
      s.byProduct,
      line.productId,
      { name: line.name, quantity: 0, cents: 0 },
      { quantity: sign * line.quantity, cents: sign * line.totalCents },
      // Only a recorded sale renames; a void keeps the name (see the module comment).
      sign === 1 ? { name: line.name } : undefined,
    );
    bump(
      s.byVatRate,
      String(line.vatRate),
      { grossCents: 0, vatCents: 0 },
      { grossCents: sign * line.totalCents, vatCents: sign * line.vatCents },
    );
  }
  let cash = 0;
  for (const payment of sale.payments) {
    bump(
      s.byPayment,
      payment.method,
      { count: 0, cents: 0 },
      { count: sign, cents: sign * payment.amountCents },
    );
    if (payment.method === 'cash') cash += payment.amountCents;
  }
  if (s.cashByDevice && cash !== 0) {
    bump(s.cashByDevice, sale.deviceId, NO_CASH, { salesCents: sign * cash });
  }
}

const NO_CASH = { salesCents: 0, refundsCents: 0 };

/** The summary with one more completed sale. Pure: returns a new object. */
export function applySale(
  summary: EventSummaryAggregate,
  sale: Sale,
  lines: readonly SaleLine[],
  hour: string,
): EventSummaryAggregate {
  const next = cloneSummary(summary);
  contribute(next, sale, lines, hour, 1);
  return next;
}

/**
 * A summary the caller may change in place with `countSale`, `countVoid` and `countRefund`
 * (its maps are its own; their entries are replaced, never changed): a pulled page of a
 * thousand sales of one event copies the summary once instead of once per sale.
 */
export function ownSummary(summary: EventSummaryAggregate): EventSummaryAggregate {
  return cloneSummary(summary);
}

/** `applySale` on a summary from `ownSummary`, in place. */
export function countSale(
  s: EventSummaryAggregate,
  sale: Sale,
  lines: readonly SaleLine[],
  hour: string,
): void {
  contribute(s, sale, lines, hour, 1);
}

/** `applyVoid` on a summary from `ownSummary`, in place. */
export function countVoid(
  s: EventSummaryAggregate,
  sale: Sale,
  lines: readonly SaleLine[],
  hour: string,
): void {
  contribute(s, sale, lines, hour, -1);
  s.voidCount += 1;
  s.voidedCents += sale.totalCents;
}

/** `applyRefund` on a summary from `ownSummary`, in place. */
export function countRefund(s: EventSummaryAggregate, refund: Refund, hour: string): void {
  takeBack(s, refund, hour, 1);
}

/**
 * The summary after voiding a sale that `applySale` counted before. `sale` and `lines` are
 * the sale as recorded (its figures, not its new status); `hour` must be the key it was
 * counted under.
 */
export function applyVoid(
  summary: EventSummaryAggregate,
  sale: Sale,
  lines: readonly SaleLine[],
  hour: string,
): EventSummaryAggregate {
  const next = cloneSummary(summary);
  countVoid(next, sale, lines, hour);
  return next;
}

/** What one refund takes back (sign 1) or, undone, gives again (sign -1). Mutates `s`. */
function takeBack(s: EventSummaryAggregate, refund: Refund, hour: string, sign: Sign): void {
  s.revenueCents -= sign * refund.totalCents;
  s.itemCount -= sign * refund.itemCount;
  s.refundCount = (s.refundCount ?? 0) + sign;
  s.refundedCents = (s.refundedCents ?? 0) + sign * refund.totalCents;
  if (s.refundCount === 0 && s.refundedCents === 0) {
    delete s.refundCount;
    delete s.refundedCents;
  }
  bump(s.byHour, hour, { count: 0, cents: 0 }, { cents: -sign * refund.totalCents });
  if (s.byMonth) {
    bump(
      s.byMonth,
      monthKey(refund.createdAt),
      { count: 0, cents: 0 },
      { cents: -sign * refund.totalCents },
    );
  }
  for (const line of refund.lines) {
    bump(
      s.byProduct,
      line.productId,
      { name: '', quantity: 0, cents: 0 },
      { quantity: -sign * line.quantity, cents: -sign * line.amountCents },
    );
    bump(
      s.byVatRate,
      String(line.vatRate),
      { grossCents: 0, vatCents: 0 },
      { grossCents: -sign * line.amountCents, vatCents: -sign * line.vatCents },
    );
  }
  // What went back in cash comes off cash, the rest off phone/card (the record's own parts).
  const { cashCents, electronicCents } = recordedRefundParts(refund);
  if (cashCents !== 0) {
    bump(s.byPayment, 'cash', { count: 0, cents: 0 }, { cents: -sign * cashCents });
    // Out of the drawer of the device that gave it back.
    if (s.cashByDevice) {
      bump(s.cashByDevice, refund.deviceId, NO_CASH, { refundsCents: sign * cashCents });
    }
  }
  if (electronicCents !== 0) {
    const method = refund.method === 'cash' ? 'qr' : refund.method;
    bump(s.byPayment, method, { count: 0, cents: 0 }, { cents: -sign * electronicCents });
  }
}

/**
 * The summary after a refund of a sale that counts (completed). `hour` must be the key its
 * sale was counted under. Pure: returns a new object.
 */
export function applyRefund(
  summary: EventSummaryAggregate,
  refund: Refund,
  hour: string,
): EventSummaryAggregate {
  const next = cloneSummary(summary);
  takeBack(next, refund, hour, 1);
  return next;
}

/**
 * The summary without a refund `applyRefund` counted before: for a sale voided after it was
 * refunded (a void pulled from another device), whose void then takes back the whole sale.
 */
export function undoRefund(
  summary: EventSummaryAggregate,
  refund: Refund,
  hour: string,
): EventSummaryAggregate {
  const next = cloneSummary(summary);
  takeBack(next, refund, hour, -1);
  return next;
}

/**
 * The summary built from scratch: every completed sale counted less its refunds, every
 * voided one in the void figures. Sales are taken in recording order (receipt number) so
 * product names come out as they do when kept up to date sale by sale.
 */
export function recompute(
  eventId: Id,
  sales: readonly Sale[],
  linesBySaleId: ReadonlyMap<Id, readonly SaleLine[]>,
  hourOf: (sale: Sale) => string,
  refundsBySaleId: ReadonlyMap<Id, readonly Refund[]> = new Map(),
): EventSummaryAggregate {
  const ordered = [...sales]
    .filter((sale) => sale.eventId === eventId)
    .sort((a, b) => a.receiptNumber - b.receiptNumber || compareStrings(a.id, b.id));
  const s = emptySummary(eventId);
  for (const sale of ordered) {
    const lines = linesBySaleId.get(sale.id) ?? [];
    if (sale.status === 'voided') {
      s.voidCount += 1;
      s.voidedCents += sale.totalCents;
      // Incrementally this sale renamed its products when recorded, and a product entry
      // that still exists kept that name.
      for (const line of lines) {
        const entry = s.byProduct[line.productId];
        if (entry) s.byProduct[line.productId] = { ...entry, name: line.name };
      }
    } else {
      const hour = hourOf(sale);
      contribute(s, sale, lines, hour, 1);
      for (const refund of refundsBySaleId.get(sale.id) ?? []) takeBack(s, refund, hour, 1);
    }
  }
  return s;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface BestSeller {
  productId: Id;
  name: string;
  quantity: number;
  cents: Cents;
}

export interface HourFigure {
  /** 'YYYY-MM-DDTHH', device local. */
  hour: string;
  count: number;
  cents: Cents;
}

export interface DayFigures {
  /** 'YYYY-MM-DD', device local. */
  day: string;
  hours: HourFigure[];
}

export interface PaymentFigure {
  method: PaymentMethod | string;
  count: number;
  cents: Cents;
}

export interface VatFigure {
  rate: VatRate;
  grossCents: Cents;
  vatCents: Cents;
  netCents: Cents;
}

export interface SummaryReport {
  revenueCents: Cents;
  salesCount: number;
  /** revenueCents / salesCount, rounded half up; 0 when there are no sales. */
  averageSaleCents: Cents;
  itemCount: number;
  bestSellers: BestSeller[];
  /** Ascending; hours without sales between the first and the last are included as zeros. */
  perHour: HourFigure[];
  /**
   * The same hours grouped by calendar day, ascending; within a day, hours without sales
   * between its first and its last are zeros. A phone whose clock ran two days ahead gives two
   * short days, not 49 hourly bars across both.
   */
  perDay: DayFigures[];
  /** cash first, then qr, then any other method by name. */
  paymentSplit: PaymentFigure[];
  /**
   * How the money came in: cash, phone/card, awaiting confirmation (paid on the stall's
   * payment link, not confirmed by Stripe yet: never counted as phone/card), refunded
   * (paymentSplitOf).
   */
  split: PaymentSplit;
  /** 21, 9, 0. */
  vatPerRate: VatFigure[];
  voids: { count: number; cents: Cents };
  /** Refunds of sales that count; already taken off revenue and every figure above. */
  refunds: { count: number; cents: Cents };
  roundingCents: Cents;
  discountCents: Cents;
}

export interface SummaryReportOptions {
  /** How many best sellers to list (default 5). */
  bestSellers?: number;
  /** The event's sales paid on the stall's payment link, with their outcome (default none). */
  linkSales?: readonly LinkSaleOutcome[];
}

/** A sale paid (in part) on the stall's payment link and where its confirmation stands. */
export interface LinkSaleOutcome {
  sale: Pick<Sale, 'status' | 'payments'>;
  outcome: LinkOutcome;
  /** How the maker settled it when Stripe never confirmed it (src/lib/domain/link-settlement.ts). */
  settlement?: Pick<LinkSettlement, 'outcome' | 'method'> | null;
}

/** The payment split every summary shows (sales screen, maker's results, dashboard). */
export interface PaymentSplit {
  /** Cash, including link parts the maker received in cash after all. */
  cash: { count: number; cents: Cents };
  phoneOrCard: { count: number; cents: Cents };
  /** Link parts received another way than cash (say a bank transfer). */
  other: { count: number; cents: Cents };
  awaiting: { count: number; cents: Cents };
  /** Link parts the maker wrote off: never paid, in no takings. */
  writtenOff: { count: number; cents: Cents };
  refunded: { count: number; cents: Cents };
  /**
   * For the maker to look at, already counted above: link parts Stripe confirmed after they
   * were written off (counted as phone/card), and parts received another way that Stripe
   * says were paid too (counted under the other way; one payment may be given back).
   */
  paidAfterWriteOff: { count: number; cents: Cents };
  paidTwice: { count: number; cents: Cents };
}

/**
 * The payment split from the aggregate's per-method totals and the event's link sales. THE
 * rule (src/lib/domain/link-payment.ts, src/lib/domain/link-settlement.ts): a completed sale's
 * link part counts as phone/card only once confirmed; until then (and when the amount
 * differed) it is "awaiting confirmation", taken out of the phone/card figure, never silently
 * counted as paid. Settled by the maker, it moves out of phone/card to cash or "another way"
 * (received another way) or to "written off" (in no takings). Cash and phone/card are net of
 * the refunds paid back that way, as the aggregate keeps them; refunded is what refunds gave
 * back.
 */
export function paymentSplitOf(
  agg: Pick<EventSummaryAggregate, 'byPayment' | 'refundCount' | 'refundedCents'>,
  linkSales: readonly LinkSaleOutcome[] = [],
): PaymentSplit {
  const zero = () => ({ count: 0, cents: 0 });
  const moved = {
    awaiting: zero(),
    cash: zero(),
    other: zero(),
    writtenOff: zero(),
    paidAfterWriteOff: zero(),
    paidTwice: zero(),
  };
  const add = (figure: { count: number; cents: Cents }, cents: Cents) => {
    figure.count += 1;
    figure.cents += cents;
  };
  let outOfPhoneCount = 0;
  let outOfPhoneCents = 0;
  for (const { sale, outcome, settlement } of linkSales) {
    if (sale.status !== 'completed') continue;
    const part = linkPartCents(sale.payments);
    if (part === 0) continue;
    const standing = linkStanding(outcome, settlement);
    if (standing.flag === 'paid_after_write_off') add(moved.paidAfterWriteOff, part);
    if (standing.flag === 'paid_twice') add(moved.paidTwice, part);
    if (standing.state === 'confirmed') continue;
    outOfPhoneCount += 1;
    outOfPhoneCents += part;
    if (standing.state === 'received_other_way') {
      add(standing.method === 'cash' ? moved.cash : moved.other, part);
    } else if (standing.state === 'written_off') add(moved.writtenOff, part);
    else add(moved.awaiting, part);
  }
  const qr = agg.byPayment.qr ?? { count: 0, cents: 0 };
  const cash = agg.byPayment.cash ?? { count: 0, cents: 0 };
  return {
    cash: { count: cash.count + moved.cash.count, cents: cash.cents + moved.cash.cents },
    phoneOrCard: { count: qr.count - outOfPhoneCount, cents: qr.cents - outOfPhoneCents },
    other: moved.other,
    awaiting: moved.awaiting,
    writtenOff: moved.writtenOff,
    refunded: { count: agg.refundCount ?? 0, cents: agg.refundedCents ?? 0 },
    paidAfterWriteOff: moved.paidAfterWriteOff,
    paidTwice: moved.paidTwice,
  };
}

/**
 * Several splits added up category by category (the organiser's dashboard: the event's split
 * is the sum of its makers'). Every category paymentSplitOf gives is summed, whatever it is, so
 * a category added to the split is added up here without more work.
 */
export function sumSplits(splits: readonly PaymentSplit[]): PaymentSplit {
  const total = paymentSplitOf({ byPayment: {} });
  const figures = total as unknown as Record<string, { count: number; cents: Cents }>;
  for (const split of splits) {
    for (const [key, figure] of Object.entries(split) as [
      string,
      { count: number; cents: Cents },
    ][]) {
      const now = figures[key] ?? { count: 0, cents: 0 };
      figures[key] = { count: now.count + figure.count, cents: now.cents + figure.cents };
    }
  }
  return total;
}

/** Integer division rounded half up (toward +infinity at .5), exact for safe integers. */
export function divideHalfUp(numerator: number, denominator: number): number {
  if (denominator <= 0) throw new RangeError('divideHalfUp: denominator must be positive');
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** The figures the summary screen shows, from the aggregate. Pure. */
export function summaryReport(
  agg: EventSummaryAggregate,
  options: SummaryReportOptions = {},
): SummaryReport {
  const top = options.bestSellers ?? 5;
  const bestSellers = Object.entries(agg.byProduct)
    .map(([productId, p]) => ({ productId, name: p.name, quantity: p.quantity, cents: p.cents }))
    .sort(
      (a, b) =>
        b.quantity - a.quantity ||
        b.cents - a.cents ||
        compareStrings(a.name, b.name) ||
        compareStrings(a.productId, b.productId),
    )
    .slice(0, Math.max(0, top));

  const methodOrder = (m: string) => (m === 'cash' ? 0 : m === 'qr' ? 1 : 2);
  const paymentSplit = Object.entries(agg.byPayment)
    .map(([method, p]) => ({ method, count: p.count, cents: p.cents }))
    .sort(
      (a, b) => methodOrder(a.method) - methodOrder(b.method) || compareStrings(a.method, b.method),
    );

  const vatPerRate: VatFigure[] = [];
  for (const rate of VAT_RATES) {
    const v = agg.byVatRate[String(rate)];
    if (v)
      vatPerRate.push({
        rate,
        grossCents: v.grossCents,
        vatCents: v.vatCents,
        netCents: v.grossCents - v.vatCents,
      });
  }

  return {
    revenueCents: agg.revenueCents,
    salesCount: agg.salesCount,
    averageSaleCents: agg.salesCount > 0 ? divideHalfUp(agg.revenueCents, agg.salesCount) : 0,
    itemCount: agg.itemCount,
    bestSellers,
    perHour: fillHours(agg.byHour),
    perDay: hoursByDay(agg.byHour),
    paymentSplit,
    split: paymentSplitOf(agg, options.linkSales),
    vatPerRate,
    voids: { count: agg.voidCount, cents: agg.voidedCents },
    refunds: { count: agg.refundCount ?? 0, cents: agg.refundedCents ?? 0 },
    roundingCents: agg.roundingCents,
    discountCents: agg.discountCents,
  };
}

/**
 * Empty hours are filled in only across a span an event can have. A device clock that was
 * wrong for one sale (common at markets) must not turn the chart into years of zeros.
 */
export const MAX_FILLED_HOURS = 7 * 24;

/** The day of an hour key ('YYYY-MM-DDTHH' -> 'YYYY-MM-DD'). */
export function dayOfHour(hour: string): string {
  return hour.slice(0, 10);
}

/** The hours of the aggregate grouped by day, each day filled between its first and last hour. */
export function hoursByDay(byHour: EventSummaryAggregate['byHour']): DayFigures[] {
  const days = new Map<string, EventSummaryAggregate['byHour']>();
  for (const hour of Object.keys(byHour).sort()) {
    const figure = byHour[hour];
    if (!figure) continue;
    const day = dayOfHour(hour);
    const hours = days.get(day) ?? {};
    hours[hour] = figure;
    days.set(day, hours);
  }
  return [...days].map(([day, hours]) => ({ day, hours: fillHours(hours) }));
}

function fillHours(byHour: EventSummaryAggregate['byHour']): HourFigure[] {
  const keys = Object.keys(byHour).sort();
  const first = keys[0];
  const last = keys[keys.length - 1];
  if (first === undefined || last === undefined) return [];
  // Keys are wall-clock hours; stepping them as if they were UTC walks the calendar hour by
  // hour without any time zone getting in the way.
  const start = Date.parse(`${first}:00:00Z`);
  const end = Date.parse(`${last}:00:00Z`);
  if (
    !Number.isFinite(start) ||
    !Number.isFinite(end) ||
    (end - start) / HOUR_MS > MAX_FILLED_HOURS
  ) {
    return keys.map((hour) => ({
      hour,
      count: byHour[hour]?.count ?? 0,
      cents: byHour[hour]?.cents ?? 0,
    }));
  }
  const out: HourFigure[] = [];
  for (let t = start; t <= end; t += HOUR_MS) {
    const hour = hourKey(t);
    const figure = byHour[hour];
    out.push({ hour, count: figure?.count ?? 0, cents: figure?.cents ?? 0 });
  }
  return out;
}
