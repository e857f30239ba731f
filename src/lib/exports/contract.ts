/**
 * The books export API (one contract module per API): GET /api/books/export, the signed-in
 * maker's sales journal, VAT totals per rate or cash book across all their devices, as a file.
 *
 * Query: kind=journal|vat|cashbook, format=csv-nl|csv-intl|xlsx, period=event|month|quarter|year
 * with eventId (event), year (month, quarter, year: 2000..2100), month (1..12), quarter (1..4);
 * kor=1 writes 0% as "btw-vrijgesteld (KOR)" (the KOR answer is kept on the device only).
 * Every field is checked; an unknown field, a missing or malformed one is a 400 naming it.
 * Only the session maker's own data is read: an eventId of another maker's event gives an
 * empty file (nothing of theirs), never their rows. CSV is streamed (bounded memory); the
 * cash book is not on the server yet (its sync is new) and gives 422 'not_available'.
 */
import { z } from 'zod';
import {
  EXPORT_FORMATS,
  EXPORT_KINDS,
  MAX_EXPORT_YEAR,
  MIN_EXPORT_YEAR,
} from '$lib/domain/exports';
import type { ExportPeriod } from '$lib/domain/exports';

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, `a whole number ${min}..${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const booksExportQuery = z
  .strictObject({
    kind: z.enum(EXPORT_KINDS as [string, ...string[]]),
    format: z.enum(EXPORT_FORMATS as [string, ...string[]]),
    period: z.enum(['event', 'month', 'quarter', 'year']),
    eventId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'an event id')
      .optional(),
    year: wholeNumber(MIN_EXPORT_YEAR, MAX_EXPORT_YEAR).optional(),
    month: wholeNumber(1, 12).optional(),
    quarter: wholeNumber(1, 4).optional(),
    kor: z.enum(['0', '1']).default('0'),
  })
  .superRefine((q, ctx) => {
    const need = (field: 'eventId' | 'year' | 'month' | 'quarter') => {
      if (q[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `required for period=${q.period}` });
      }
    };
    if (q.period === 'event') need('eventId');
    else need('year');
    if (q.period === 'month') need('month');
    if (q.period === 'quarter') need('quarter');
  });

export type BooksExportQuery = z.output<typeof booksExportQuery>;

/** The query's period (after validation every field it needs is there). */
export function queryPeriod(q: BooksExportQuery): ExportPeriod {
  switch (q.period) {
    case 'event':
      return { kind: 'event', eventId: q.eventId as string };
    case 'month':
      return { kind: 'month', year: q.year as number, month: q.month as number };
    case 'quarter':
      return { kind: 'quarter', year: q.year as number, quarter: q.quarter as number };
    default:
      return { kind: 'year', year: q.year as number };
  }
}
