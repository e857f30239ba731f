/**
 * What the cash book part of both device stores decides (Dexie and the in-memory twin), from
 * rows already read: so both make exactly the same rows and refuse exactly the same requests.
 */
import {
  CashBookError,
  cashDayId,
  cashRefundsCents,
  cashSalesCents,
  expectedCash,
  settledCashCents,
  planMovement,
  planReport,
  validateFloat,
  type CashDay,
  type CashDayReport,
  type CashMovement,
} from '$lib/domain/cashbook';
import type {
  EventSummaryAggregate,
  Id,
  LinkSettlement,
  MarketEvent,
  Refund,
  Sale,
} from '$lib/domain/types';
import type {
  CashBook,
  CashMovementRequest,
  CloseCashDayRequest,
  OpenCashDayRequest,
} from './cashbook-store';
import { StoreError } from './device-store';

/** The id of a device's cash day, for the store that loads these rules on first use. */
export { cashDayId };

function invalid(error: unknown): never {
  if (error instanceof CashBookError) throw new StoreError('invalid', error.message, error);
  throw error;
}

export function planOpenDay(
  event: MarketEvent | undefined,
  existing: CashDay | undefined,
  request: OpenCashDayRequest,
  deviceId: Id,
): CashDay {
  if (!event) throw new StoreError('not-found', 'This event is not on this device.');
  if (existing) {
    throw new StoreError(
      'invalid',
      'The cash book of this day was opened before.',
      new CashBookError('already-open', 'float', 'The cash book of this day was opened before.'),
    );
  }
  let openingFloatCents: number;
  try {
    openingFloatCents = validateFloat(request.openingFloatCents);
  } catch (error) {
    invalid(error);
  }
  return {
    id: cashDayId(event.id, deviceId),
    eventId: event.id,
    makerId: request.makerId,
    deviceId,
    openingFloatCents,
    openedAt: request.openedAt,
    hlc: request.hlc,
  };
}

/**
 * The device's own sales and the refunds it paid out, of one event, with the link payments
 * it recorded as received in cash after all (src/lib/domain/link-settlement.ts).
 */
export function takings(
  deviceId: Id,
  eventSales: readonly Sale[],
  eventRefunds: readonly Refund[],
  eventSettlements: readonly LinkSettlement[] = [],
): { cashSalesCents: number; cashRefundsCents: number } {
  return {
    cashSalesCents:
      cashSalesCents(eventSales.filter((s) => s.deviceId === deviceId)) +
      settledCashCents(
        eventSales,
        eventSettlements.filter((s) => s.deviceId === deviceId),
      ),
    cashRefundsCents: cashRefundsCents(eventRefunds.filter((r) => r.deviceId === deviceId)),
  };
}

/**
 * The same takings read from the event's kept aggregate (its `cashByDevice`: the summary keeps
 * them sale by sale, src/lib/domain/summary.ts) and the device's link settlements received in
 * cash, with their sales only: no scan of the event's sales. Null when the aggregate does not
 * keep them (stored before it did, or no aggregate): the caller then counts with `takings`.
 */
export function summaryTakings(
  deviceId: Id,
  summary: Pick<EventSummaryAggregate, 'cashByDevice'> | undefined,
  settledSales: readonly Sale[],
  eventSettlements: readonly LinkSettlement[],
): { cashSalesCents: number; cashRefundsCents: number } | null {
  if (!summary?.cashByDevice) return null;
  const cash = summary.cashByDevice[deviceId];
  return {
    cashSalesCents:
      (cash?.salesCents ?? 0) +
      settledCashCents(
        settledSales,
        eventSettlements.filter((s) => s.deviceId === deviceId),
      ),
    cashRefundsCents: cash?.refundsCents ?? 0,
  };
}

/** The settlements `summaryTakings` needs the sales of: this device's, received in cash. */
export function cashSettlements(
  deviceId: Id,
  eventSettlements: readonly LinkSettlement[],
): LinkSettlement[] {
  return eventSettlements.filter(
    (s) => s.deviceId === deviceId && s.outcome === 'received_other_way' && s.method === 'cash',
  );
}

export function byHlc<T extends { hlc: string; id: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) =>
    a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}

export function bookOf(
  day: CashDay | undefined,
  movements: readonly CashMovement[],
  report: CashDayReport | undefined,
  figures: { cashSalesCents: number; cashRefundsCents: number },
): CashBook {
  if (report) {
    return {
      day,
      movements: report.movements,
      report,
      cashSalesCents: report.cashSalesCents,
      cashRefundsCents: report.cashRefundsCents,
      expectedCents: report.expectedCents,
    };
  }
  const sorted = byHlc(movements);
  return {
    day,
    movements: sorted,
    report: undefined,
    ...figures,
    expectedCents: expectedCash({
      openingFloatCents: day?.openingFloatCents ?? 0,
      ...figures,
      movements: sorted,
    }),
  };
}

function checkOpen(day: CashDay | undefined, report: CashDayReport | undefined): CashDay {
  if (!day) {
    throw new StoreError(
      'not-found',
      'The cash book of this day is not open.',
      new CashBookError('not-open', 'float', 'The cash book of this day is not open.'),
    );
  }
  if (report) {
    throw new StoreError(
      'invalid',
      `This day was closed with report ${report.number}; it can no longer change.`,
      new CashBookError('closed', 'report', 'This day was closed; it can no longer change.'),
    );
  }
  return day;
}

export function planCashMovement(
  day: CashDay | undefined,
  report: CashDayReport | undefined,
  movements: readonly CashMovement[],
  figures: { cashSalesCents: number; cashRefundsCents: number },
  corrected: CashDayReport | undefined,
  request: CashMovementRequest,
): CashMovement {
  const open = checkOpen(day, report);
  if (movements.some((m) => m.id === request.id)) {
    throw new StoreError(
      'invalid',
      'This movement was already saved once; it was not saved again.',
    );
  }
  const correctsReportId = request.correctsReportId ?? null;
  if (correctsReportId !== null && !corrected) {
    throw new StoreError(
      'invalid',
      'The report this corrects is not on this device.',
      new CashBookError('bad-kind', 'correctsReportId', 'The corrected report is unknown.'),
    );
  }
  try {
    return planMovement(
      open,
      {
        openingFloatCents: open.openingFloatCents,
        ...figures,
        movements,
      },
      { ...request, correctsReportId },
    );
  } catch (error) {
    invalid(error);
  }
}

export function planCloseDay(
  day: CashDay | undefined,
  report: CashDayReport | undefined,
  movements: readonly CashMovement[],
  figures: { cashSalesCents: number; cashRefundsCents: number },
  number: number,
  request: CloseCashDayRequest,
): CashDayReport {
  const open = checkOpen(day, report);
  try {
    return planReport(
      open,
      { openingFloatCents: open.openingFloatCents, ...figures, movements: byHlc(movements) },
      { countedCents: request.countedCents, pieces: request.pieces },
      { id: request.id, number, closedAt: request.closedAt, hlc: request.hlc },
    );
  } catch (error) {
    invalid(error);
  }
}

/** Reports by device, then number. */
export function sortReports(rows: readonly CashDayReport[]): CashDayReport[] {
  return [...rows].sort((a, b) =>
    a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.number - b.number,
  );
}
