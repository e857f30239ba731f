// The cash book of each event day per device (src/lib/domain/cashbook.ts; SPEC.md "Cash
// book"). Rows are only ever inserted: a Dutch cash administration is kept 7 years, so
// nothing in the code deletes or updates them, and a closed day's report never changes (a
// correction is a new movement naming the report). Relative imports only: drizzle-kit loads
// this file outside Vite.
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { CashMovement } from '../../../domain/cashbook';

const cents = (name: string) => bigint(name, { mode: 'number' });
const epochMs = (name: string) => bigint(name, { mode: 'number' });
const serverTime = (name: string) => timestamp(name, { withTimezone: true }).notNull().defaultNow();

/** One book per event and device, opened with a float. id: `${eventId}:${deviceId}`. */
export const cashDays = pgTable(
  'cash_days',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id').notNull(),
    makerId: text('maker_id').notNull(),
    deviceId: text('device_id').notNull(),
    openingFloatCents: cents('opening_float_cents').notNull(),
    openedAt: epochMs('opened_at').notNull(),
    hlc: text('hlc').notNull(),
    receivedAt: serverTime('received_at'),
  },
  (t) => [
    uniqueIndex('cash_days_event_device_idx').on(t.eventId, t.deviceId),
    index('cash_days_maker_idx').on(t.makerId),
  ],
);

export const cashMovements = pgTable(
  'cash_movements',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id').notNull(),
    makerId: text('maker_id').notNull(),
    deviceId: text('device_id').notNull(),
    kind: text('kind', {
      enum: ['expense', 'bank-deposit', 'bank-withdrawal', 'private-withdrawal', 'private-deposit'],
    }).notNull(),
    description: text('description').notNull(),
    amountCents: cents('amount_cents').notNull(),
    correctsReportId: text('corrects_report_id'),
    createdAt: epochMs('created_at').notNull(),
    hlc: text('hlc').notNull(),
    receivedAt: serverTime('received_at'),
  },
  (t) => [
    index('cash_movements_event_device_idx').on(t.eventId, t.deviceId),
    index('cash_movements_maker_idx').on(t.makerId),
  ],
);

/**
 * The day reports: numbered per device (unique), one per book (unique), with every figure
 * as its own column and the movements as they were at close.
 */
export const cashReports = pgTable(
  'cash_reports',
  {
    id: text('id').primaryKey(),
    number: integer('number').notNull(),
    eventId: text('event_id').notNull(),
    makerId: text('maker_id').notNull(),
    deviceId: text('device_id').notNull(),
    openingFloatCents: cents('opening_float_cents').notNull(),
    cashSalesCents: cents('cash_sales_cents').notNull(),
    cashRefundsCents: cents('cash_refunds_cents').notNull(),
    movements: jsonb('movements').$type<CashMovement[]>().notNull(),
    expectedCents: cents('expected_cents').notNull(),
    countedCents: cents('counted_cents').notNull(),
    pieces: jsonb('pieces').$type<Record<string, number> | null>(),
    differenceCents: cents('difference_cents').notNull(),
    openedAt: epochMs('opened_at').notNull(),
    closedAt: epochMs('closed_at').notNull(),
    hlc: text('hlc').notNull(),
    receivedAt: serverTime('received_at'),
  },
  (t) => [
    uniqueIndex('cash_reports_device_number_idx').on(t.deviceId, t.number),
    uniqueIndex('cash_reports_event_device_idx').on(t.eventId, t.deviceId),
    index('cash_reports_maker_idx').on(t.makerId),
  ],
);
