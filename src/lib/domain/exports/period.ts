/**
 * The periods an accountant asks for: one event, a calendar month, a quarter (the Dutch VAT
 * return) or a year. A month, quarter or year is a half-open range of instants
 * [from, to) between local midnights in Europe/Amsterdam (summer time included), so a sale
 * at 00:30 on 1 April counts in the second quarter as the receipt shows it. An event is
 * selected by its id: its sales and the refunds of its sales, whenever they were made.
 * A refund in a date period counts when it was made, not when its sale was (a correction
 * belongs to the return of the period it happened in, as the KOR turnover counts it:
 * src/lib/domain/kor.ts).
 */
import type { Id } from '../types';

export const EXPORT_TIME_ZONE = 'Europe/Amsterdam';
/** The years a period can name (a bound for the server's queries and the file names). */
export const MIN_EXPORT_YEAR = 2000;
export const MAX_EXPORT_YEAR = 2100;

export type ExportPeriod =
  | { kind: 'event'; eventId: Id }
  | { kind: 'month'; year: number; month: number }
  | { kind: 'quarter'; year: number; quarter: number }
  | { kind: 'year'; year: number };

export type DatePeriod = Exclude<ExportPeriod, { kind: 'event' }>;

/** An instant range, epoch ms, `from` included and `to` not. */
export interface InstantRange {
  from: number;
  to: number;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function offsetFormat(timeZone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    offsetFormats.set(timeZone, format);
  }
  return format;
}

/** How far `timeZone`'s wall clock is ahead of UTC at an instant, in ms. */
function zoneOffset(epochMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of offsetFormat(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The instant of local midnight starting `year-month-day` in `timeZone` (month 1..12; 13 rolls over). */
export function localMidnight(
  year: number,
  month: number,
  day: number,
  timeZone: string = EXPORT_TIME_ZONE,
): number {
  const wall = Date.UTC(year, month - 1, day);
  // Two rounds: the offset at the guess, then at the corrected instant (DST changes at 02:00
  // or 03:00, never at midnight in Europe, so this settles).
  let instant = wall - zoneOffset(wall, timeZone);
  instant = wall - zoneOffset(instant, timeZone);
  return instant;
}

function checkYear(year: number): void {
  if (!Number.isSafeInteger(year) || year < MIN_EXPORT_YEAR || year > MAX_EXPORT_YEAR) {
    throw new RangeError(`export period: year must be ${MIN_EXPORT_YEAR}..${MAX_EXPORT_YEAR}`);
  }
}

/** The first month (1..12) and the number of months of a date period; RangeError when malformed. */
function months(period: DatePeriod): { first: number; count: number } {
  checkYear(period.year);
  switch (period.kind) {
    case 'month':
      if (!Number.isSafeInteger(period.month) || period.month < 1 || period.month > 12) {
        throw new RangeError('export period: month must be 1..12');
      }
      return { first: period.month, count: 1 };
    case 'quarter':
      if (!Number.isSafeInteger(period.quarter) || period.quarter < 1 || period.quarter > 4) {
        throw new RangeError('export period: quarter must be 1..4');
      }
      return { first: (period.quarter - 1) * 3 + 1, count: 3 };
    case 'year':
      return { first: 1, count: 12 };
  }
}

/** The instant range of a month, quarter or year in `timeZone`. */
export function periodRange(period: DatePeriod, timeZone: string = EXPORT_TIME_ZONE): InstantRange {
  const { first, count } = months(period);
  return {
    from: localMidnight(period.year, first, 1, timeZone),
    to: localMidnight(period.year, first + count, 1, timeZone),
  };
}

export function inRange(range: InstantRange, epochMs: number): boolean {
  return epochMs >= range.from && epochMs < range.to;
}

/**
 * The period's part of a file name: '2026-K4' (kwartaal) or '2026-Q4', '2026-03', '2026', or
 * for an event its date and a slug of its name ('2026-05-16-voorjaarsmarkt').
 */
export function periodSlug(
  period: ExportPeriod,
  options: { language?: 'nl' | 'en'; event?: { date: string; name: string } } = {},
): string {
  switch (period.kind) {
    case 'year':
      return String(period.year);
    case 'month':
      return `${period.year}-${String(period.month).padStart(2, '0')}`;
    case 'quarter':
      return `${period.year}-${options.language === 'en' ? 'Q' : 'K'}${period.quarter}`;
    case 'event': {
      const name = (options.event?.name ?? '')
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40);
      const date = /^\d{4}-\d{2}-\d{2}$/.test(options.event?.date ?? '')
        ? (options.event?.date as string)
        : '';
      return [date, name].filter((part) => part !== '').join('-') || 'evenement';
    }
  }
}
