// The cash book on the server (src/lib/domain/cashbook.ts; SPEC.md "Cash book"): what a push
// batch loads, how it applies cashbook.open / cashbook.movement / cashbook.close, and what it
// writes. The same rules as the device, checked again: a bad mutation is stored rejected with
// its reason and never wedges the queue [G7]. Rows are only ever inserted (kept 7 years).
import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import {
  cashDayId,
  expectedCash,
  piecesTotal,
  signedAmount,
  type CashDay,
  type CashDayReport,
  type CashMovement,
} from '$lib/domain/cashbook';
import type { Id, Mutation } from '$lib/domain/types';
import type { Tx } from '$lib/server/db';
import { cashDays, cashMovements, cashReports } from '$lib/server/db/schema';
import type { MutationResult } from '$lib/sync/protocol';
import { assignmentKey, type BatchState } from './batch-state';
import { insertRows } from './bulk-insert';
import type { ChangeInput } from './change-feed';

type Verdict = Omit<MutationResult, 'seq'>;
type Of<T extends Mutation['type']> = Extract<Mutation, { type: T }>;
const reject = (reason: string): Verdict => ({ status: 'rejected', reason });
const duplicate = (reason: string): Verdict => ({ status: 'duplicate', reason });

export interface CashState {
  /** Books by id (`${eventId}:${deviceId}`): on the server or opened in this batch. */
  days: Map<string, CashDay>;
  /** Each book's movements (loaded for the batch's books, and new ones). */
  movements: Map<string, CashMovement[]>;
  /** Movement ids already used: their maker. */
  movementIds: Map<Id, Id>;
  /** Reports by id (the batch's closes and the reports its corrections name). */
  reports: Map<Id, Pick<CashDayReport, 'id' | 'makerId' | 'eventId' | 'deviceId' | 'number'>>;
  /** Books already closed. */
  closedDays: Set<string>;
  /** `${deviceId}:${number}` of report numbers already used. */
  numbers: Set<string>;
  newDays: CashDay[];
  newMovements: CashMovement[];
  newReports: CashDayReport[];
}

export function emptyCashState(): CashState {
  return {
    days: new Map(),
    movements: new Map(),
    movementIds: new Map(),
    reports: new Map(),
    closedDays: new Set(),
    numbers: new Set(),
    newDays: [],
    newMovements: [],
    newReports: [],
  };
}

/** The event ids the batch's cash book mutations name (their events are loaded too). */
export function cashEventIds(mutations: readonly Mutation[]): Id[] {
  const out: Id[] = [];
  for (const m of mutations) {
    if (m.type === 'cashbook.open') out.push(m.day.eventId);
    if (m.type === 'cashbook.movement') out.push(m.movement.eventId);
    if (m.type === 'cashbook.close') out.push(m.report.eventId);
  }
  return out;
}

export async function loadCash(
  tx: Tx,
  state: BatchState,
  mutations: readonly Mutation[],
): Promise<void> {
  const dayIds = new Set<string>();
  const movementIds = new Set<Id>();
  const reportIds = new Set<Id>();
  const numbers = new Set<number>();
  for (const m of mutations) {
    if (m.type === 'cashbook.open') dayIds.add(cashDayId(m.day.eventId, state.deviceId));
    if (m.type === 'cashbook.movement') {
      dayIds.add(cashDayId(m.movement.eventId, state.deviceId));
      movementIds.add(m.movement.id);
      if (m.movement.correctsReportId) reportIds.add(m.movement.correctsReportId);
    }
    if (m.type === 'cashbook.close') {
      dayIds.add(cashDayId(m.report.eventId, state.deviceId));
      reportIds.add(m.report.id);
      numbers.add(m.report.number);
    }
  }
  if (dayIds.size === 0) return;
  const cash = state.cash;
  const days = await tx
    .select()
    .from(cashDays)
    .where(inArray(cashDays.id, [...dayIds].sort()));
  for (const row of days) {
    const { receivedAt: _received, ...day } = row;
    cash.days.set(row.id, day);
    cash.movements.set(row.id, []);
  }
  const eventIds = [...new Set(days.map((d) => d.eventId))];
  if (eventIds.length > 0) {
    const rows = await tx
      .select()
      .from(cashMovements)
      .where(
        and(inArray(cashMovements.eventId, eventIds), eq(cashMovements.deviceId, state.deviceId)),
      );
    for (const row of rows) {
      const { receivedAt: _received, ...movement } = row;
      cash.movements.get(cashDayId(row.eventId, row.deviceId))?.push(movement);
      cash.movementIds.set(row.id, row.makerId);
    }
  }
  const others = [...movementIds].filter((id) => !cash.movementIds.has(id));
  if (others.length > 0) {
    const rows = await tx
      .select({ id: cashMovements.id, makerId: cashMovements.makerId })
      .from(cashMovements)
      .where(inArray(cashMovements.id, others.sort()));
    for (const row of rows) cash.movementIds.set(row.id, row.makerId);
  }
  const reportKeys = cashReports;
  const reports = await tx
    .select({
      id: reportKeys.id,
      makerId: reportKeys.makerId,
      eventId: reportKeys.eventId,
      deviceId: reportKeys.deviceId,
      number: reportKeys.number,
    })
    .from(cashReports)
    .where(
      or(
        reportIds.size > 0 ? inArray(cashReports.id, [...reportIds].sort()) : undefined,
        eventIds.length > 0
          ? and(inArray(cashReports.eventId, eventIds), eq(cashReports.deviceId, state.deviceId))
          : undefined,
        numbers.size > 0
          ? and(eq(cashReports.deviceId, state.deviceId), inArray(cashReports.number, [...numbers]))
          : undefined,
      ),
    );
  for (const r of reports) {
    cash.reports.set(r.id, r);
    if (r.deviceId === state.deviceId) {
      cash.closedDays.add(cashDayId(r.eventId, r.deviceId));
      cash.numbers.add(`${r.deviceId}:${r.number}`);
    }
  }
}

/** May this maker keep a cash book at this event: their own event, or one they take part in. */
function eventCheck(state: BatchState, eventId: Id, makerId: Id): string | null {
  const event = state.events.get(eventId);
  if (!event) return `unknown event ${eventId}`;
  if (event.ownerMakerId && state.resolver.owns(event.ownerMakerId)) return null;
  const key = assignmentKey(eventId, makerId);
  if (state.assignments.has(key) || state.takingPart.has(key)) return null;
  return 'the event is not one of this maker’s events';
}

function makerOf(state: BatchState, deviceMakerId: Id): { makerId: Id } | { reason: string } {
  const mapped = state.resolver.map(deviceMakerId);
  return mapped.ok ? { makerId: mapped.makerId } : { reason: mapped.reason };
}

export function applyCashOpen(state: BatchState, m: Of<'cashbook.open'>): Verdict {
  const { day } = m;
  if (day.deviceId !== state.deviceId)
    return reject('a cash book belongs to the device that opened it');
  if (day.id !== cashDayId(day.eventId, day.deviceId))
    return reject('the cash book id is not its event and device');
  const maker = makerOf(state, day.makerId);
  if ('reason' in maker) return reject(maker.reason);
  const existing = state.cash.days.get(day.id);
  if (existing) {
    if (
      existing.makerId === maker.makerId &&
      existing.openingFloatCents === day.openingFloatCents
    ) {
      return duplicate('the cash book is already open on the server');
    }
    return reject('this cash book was opened before');
  }
  const problem = eventCheck(state, day.eventId, maker.makerId);
  if (problem) return reject(problem);
  const stored = { ...day, makerId: maker.makerId };
  state.cash.days.set(day.id, stored);
  state.cash.movements.set(day.id, []);
  state.cash.newDays.push(stored);
  return { status: 'applied' };
}

export function applyCashMovement(state: BatchState, m: Of<'cashbook.movement'>): Verdict {
  const { movement } = m;
  if (movement.deviceId !== state.deviceId)
    return reject('a cash movement belongs to the device that made it');
  const dayId = cashDayId(movement.eventId, movement.deviceId);
  const day = state.cash.days.get(dayId);
  const maker = makerOf(state, movement.makerId);
  if ('reason' in maker) return reject(maker.reason);
  const holder = state.cash.movementIds.get(movement.id);
  if (holder !== undefined) {
    if (holder === maker.makerId) return duplicate('the cash movement is already on the server');
    return reject('the cash movement id is used by another maker');
  }
  if (!day || day.makerId !== maker.makerId) return reject('the cash book of this day is not open');
  if (state.cash.closedDays.has(dayId))
    return reject('the day was closed: a correction goes in a later day');
  if (movement.correctsReportId !== null) {
    const corrected = state.cash.reports.get(movement.correctsReportId);
    if (!corrected || corrected.makerId !== maker.makerId) {
      return reject('the corrected report is not one of this maker’s reports');
    }
  }
  // The book's floor (never below zero) is the device's check, made with the cash sales it
  // knows; the server checks the whole book when the day report arrives.
  const movements = state.cash.movements.get(dayId) ?? [];
  const stored = { ...movement, makerId: maker.makerId };
  movements.push(stored);
  state.cash.movements.set(dayId, movements);
  state.cash.movementIds.set(stored.id, maker.makerId);
  state.cash.newMovements.push(stored);
  return { status: 'applied' };
}

export function applyCashClose(state: BatchState, m: Of<'cashbook.close'>): Verdict {
  const { report } = m;
  if (report.deviceId !== state.deviceId)
    return reject('a day report belongs to the device that made it');
  const dayId = cashDayId(report.eventId, report.deviceId);
  const maker = makerOf(state, report.makerId);
  if ('reason' in maker) return reject(maker.reason);
  const known = state.cash.reports.get(report.id);
  if (known) {
    if (known.makerId === maker.makerId && known.deviceId === report.deviceId) {
      return duplicate('the day report is already on the server');
    }
    return reject('the report id is used by another report');
  }
  const day = state.cash.days.get(dayId);
  if (!day || day.makerId !== maker.makerId) return reject('the cash book of this day is not open');
  if (state.cash.closedDays.has(dayId)) return reject('the day was closed before');
  if (state.cash.numbers.has(`${report.deviceId}:${report.number}`)) {
    return reject('the report number was used before on this device');
  }
  if (report.openingFloatCents !== day.openingFloatCents)
    return reject('the report’s float is not the book’s');
  const onServer = state.cash.movements.get(dayId) ?? [];
  const same =
    onServer.length === report.movements.length &&
    report.movements.every((r) => {
      const s = onServer.find((x) => x.id === r.id);
      return !!s && s.kind === r.kind && s.amountCents === r.amountCents;
    });
  if (!same) return reject('the report’s movements are not the book’s');
  const expected = expectedCash(report);
  if (report.expectedCents !== expected)
    return reject('the report’s expected cash does not add up');
  if (report.pieces !== null && piecesTotal(report.pieces) !== report.countedCents) {
    return reject('the report’s count does not match its notes and coins');
  }
  if (report.differenceCents !== report.countedCents - expected) {
    return reject('the report’s difference does not add up');
  }
  // A book's running balance never went below zero (the device refuses such a movement).
  let running = report.openingFloatCents + report.cashSalesCents - report.cashRefundsCents;
  for (const mv of report.movements) running += signedAmount(mv);
  if (running < 0) return reject('the cash book would be negative');
  const stored: CashDayReport = {
    ...report,
    makerId: maker.makerId,
    movements: report.movements.map((mv) => ({ ...mv, makerId: maker.makerId })),
  };
  state.cash.reports.set(stored.id, stored);
  state.cash.closedDays.add(dayId);
  state.cash.numbers.add(`${stored.deviceId}:${stored.number}`);
  state.cash.newReports.push(stored);
  return { status: 'applied' };
}

const DAY_KEYS = [
  'id',
  'eventId',
  'makerId',
  'deviceId',
  'openingFloatCents',
  'openedAt',
  'hlc',
] as const;
const MOVEMENT_KEYS = [
  'id',
  'eventId',
  'makerId',
  'deviceId',
  'kind',
  'description',
  'amountCents',
  'correctsReportId',
  'createdAt',
  'hlc',
] as const;
const REPORT_KEYS = [
  'id',
  'number',
  'eventId',
  'makerId',
  'deviceId',
  'openingFloatCents',
  'cashSalesCents',
  'cashRefundsCents',
  'movements',
  'expectedCents',
  'countedCents',
  'pieces',
  'differenceCents',
  'openedAt',
  'closedAt',
  'hlc',
] as const;

/**
 * The batch's new cash book rows as INSERTs (each with how many rows it must insert: fewer
 * means a row was there already, and the batch must run again).
 */
export function cashInserts(state: BatchState): { query: SQL; rows: number }[] {
  const { newDays, newMovements, newReports } = state.cash;
  const out: { query: SQL; rows: number }[] = [];
  const tail = 'on conflict do nothing returning id';
  if (newDays.length > 0) {
    out.push({ query: insertRows(cashDays, DAY_KEYS, newDays, tail), rows: newDays.length });
  }
  if (newMovements.length > 0) {
    out.push({
      query: insertRows(cashMovements, MOVEMENT_KEYS, newMovements, tail),
      rows: newMovements.length,
    });
  }
  if (newReports.length > 0) {
    out.push({
      query: insertRows(cashReports, REPORT_KEYS, newReports, tail),
      rows: newReports.length,
    });
  }
  return out;
}

/** The pull changes of the batch's cash book rows, for the maker's other devices. */
export function cashChanges(state: BatchState): ChangeInput[] {
  const out: ChangeInput[] = [];
  for (const day of state.cash.newDays) {
    out.push({
      change: { entity: 'cash_day', op: 'upsert', data: day },
      makerId: day.makerId,
      organisationId: null,
    });
  }
  for (const movement of state.cash.newMovements) {
    out.push({
      change: { entity: 'cash_movement', op: 'upsert', data: movement },
      makerId: movement.makerId,
      organisationId: null,
    });
  }
  for (const report of state.cash.newReports) {
    out.push({
      change: { entity: 'cash_report', op: 'upsert', data: report },
      makerId: report.makerId,
      organisationId: null,
    });
  }
  return out;
}
