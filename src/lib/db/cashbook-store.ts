import type { CashDay, CashDayReport, CashMovement } from '$lib/domain/cashbook';
import type { Cents, Hlc, Id } from '$lib/domain/types';

export interface OpenCashDayRequest {
  eventId: Id;
  makerId: Id;
  openingFloatCents: number;
  openedAt: number;
  hlc: Hlc;
}

export interface CashMovementRequest {
  id: Id;
  eventId: Id;
  kind: string;
  description: string;
  amountCents: number;
  /** A correction of a closed day: the report (of this maker, on this device) it corrects. */
  correctsReportId?: Id | null;
  createdAt: number;
  hlc: Hlc;
}

export interface CloseCashDayRequest {
  /** The report's id. */
  id: Id;
  eventId: Id;
  /** The count by total; with `pieces`, optional and must agree with them. */
  countedCents?: number;
  /** The count by note and coin: denomination in cents -> pieces. */
  pieces?: Record<string, number> | null;
  closedAt: number;
  hlc: Hlc;
}

/** This device's book of one event day, with the till's figures as they are now. */
export interface CashBook {
  day: CashDay | undefined;
  /** Oldest first. */
  movements: CashMovement[];
  /** Set once the day is closed; the figures below are then the report's. */
  report: CashDayReport | undefined;
  /**
   * This device's cash takings at the event, read from the event's kept summary
   * (`cashByDevice`, src/lib/domain/summary.ts) and its link payments received in cash; an
   * aggregate stored before it kept them is counted from the sales instead.
   */
  cashSalesCents: Cents;
  cashRefundsCents: Cents;
  expectedCents: Cents;
}

/**
 * The cash book part of the device store (src/lib/domain/cashbook.ts): one book per event and
 * device, opened with a float, its movements, and the numbered day report made at close. Its
 * contract: cashbook-store.contract.ts. Every write and its outbox entry in one transaction.
 * Nothing here ever deletes or changes a report.
 */
export interface CashBookStore {
  /**
   * Opens this device's book for the event with a float; queues 'cashbook.open'.
   * 'not-found' for an unknown event; 'invalid' for a bad float or a book already opened.
   */
  openCashDay(request: OpenCashDayRequest): Promise<CashDay>;
  /**
   * Records a cash movement in this device's open book; queues 'cashbook.movement'.
   * 'not-found' when the book is not open; 'invalid' (cause: the CashBookError) for a closed
   * book, bad input, a movement that would take the book below zero, a movement id used
   * before, or a `correctsReportId` that is not a closed report on this device.
   */
  recordCashMovement(request: CashMovementRequest): Promise<CashMovement>;
  /**
   * Closes this device's book: the day report, numbered 1, 2, 3... on this device (a number
   * is consumed only when the report commits, never handed out again), with the cash sales
   * and refunds of this device at that moment; queues 'cashbook.close'.
   * 'not-found' when the book is not open; 'invalid' when it was closed before or the count
   * is bad.
   */
  closeCashDay(request: CloseCashDayRequest): Promise<CashDayReport>;
  /** This device's book of the event (an empty book when not opened). */
  getCashBook(eventId: Id): Promise<CashBook>;
  /** The day reports on this device (its own and those pulled from the maker's other devices). */
  listCashReports(eventId?: Id): Promise<CashDayReport[]>;
}
