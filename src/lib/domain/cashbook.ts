/**
 * The cash book of one event day at one till (device), as a Dutch cash administration keeps
 * it: the opening float, the cash the till took in (cash sales after the 5-cent rounding, less
 * cash refunds), every other cash movement with its kind and description, the expected cash,
 * the count at close and the difference. Pure rules shared by the device store, the server's
 * checks and the screens.
 *
 * THE rule: expected = float + cash sales - cash refunds + sum(signed movements), in integer
 * cents, where a movement's sign follows its kind (`MOVEMENT_SIGN`): cash in (a withdrawal
 * from the bank, a private deposit) adds, cash out (an expense, a deposit to the bank, a
 * private withdrawal) takes away. The book must never go negative (a tax inspector may then
 * reject it and estimate the takings), so a movement that would take the expected cash below
 * zero is refused, and `movementCheck` says so before the maker saves it.
 *
 * One book per event and device: each till has its own drawer. Cash sales are the cash
 * payments (amountCents, rounding included) of this device's sales that were not voided;
 * cash refunds are the refunds this device paid out in cash (whatever device sold the sale).
 *
 * Closing makes a numbered day report (a till's Z report): numbered 1, 2, 3... per maker and
 * device, never reused, never changed afterwards. A correction is a new entry: a movement in
 * a later day's book that names the report it corrects (`correctsReportId`).
 *
 * The count: by total, or by note and coin. Euro notes from 500 to 5 and coins from 2 euro
 * to 1 cent are counted; the 1- and 2-cent coins are not handed out with Dutch cash rounding
 * but are legal tender and may be in the drawer, so they count like any other coin.
 */
import { MAX_MONEY_CENTS } from './money';
import { isSafeText, UNSAFE_TEXT_MESSAGE } from './text';
import type { Cents, Hlc, Id, LinkSettlement, Payment, Refund, Sale } from './types';
import { refundCashCents } from './electronic-refund';
import { linkPartCents } from './link-payment';

export const CASH_MOVEMENT_KINDS = [
  'expense',
  'bank-deposit',
  'bank-withdrawal',
  'private-withdrawal',
  'private-deposit',
] as const;
export type CashMovementKind = (typeof CASH_MOVEMENT_KINDS)[number];

/** +1: cash comes into the drawer; -1: cash goes out of it. */
export const MOVEMENT_SIGN: Readonly<Record<CashMovementKind, 1 | -1>> = {
  expense: -1,
  'bank-deposit': -1,
  'bank-withdrawal': 1,
  'private-withdrawal': -1,
  'private-deposit': 1,
};

/** Euro notes and coins in cents, largest first. */
export const DENOMINATIONS: readonly Cents[] = [
  50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
];
export const NOTE_DENOMINATIONS: readonly Cents[] = DENOMINATIONS.filter((d) => d >= 500);
export const COIN_DENOMINATIONS: readonly Cents[] = DENOMINATIONS.filter((d) => d < 500);

export const MAX_CASH_DESCRIPTION_LENGTH = 200;
/** Most pieces of one note or coin in one count (a drawer, not a vault). */
export const MAX_PIECES = 100_000;
/** Most movements in one day's book: a market day, not a bank. */
export const MAX_MOVEMENTS_PER_DAY = 500;

/** The book of one event day at one device: opened with a float. */
export interface CashDay {
  /** `${eventId}:${deviceId}` (cashDayId). */
  id: string;
  eventId: Id;
  makerId: Id;
  deviceId: Id;
  openingFloatCents: Cents;
  openedAt: number;
  hlc: Hlc;
}

export interface CashMovement {
  id: Id;
  eventId: Id;
  makerId: Id;
  deviceId: Id;
  kind: CashMovementKind;
  description: string;
  /** Always positive; the kind says in or out (MOVEMENT_SIGN). */
  amountCents: Cents;
  /** A correction of a closed day: the report it corrects; otherwise null. */
  correctsReportId: Id | null;
  createdAt: number;
  hlc: Hlc;
}

/** The count at close: the total, and the pieces per denomination when counted that way. */
export interface CashCount {
  countedCents: Cents;
  /** Denomination in cents (as a string key) -> number of pieces; null: counted by total. */
  pieces: Record<string, number> | null;
}

/** The day report made at close. Never changed afterwards. */
export interface CashDayReport {
  id: Id;
  /** 1, 2, 3... per maker and device; never reused. */
  number: number;
  eventId: Id;
  makerId: Id;
  deviceId: Id;
  openingFloatCents: Cents;
  cashSalesCents: Cents;
  cashRefundsCents: Cents;
  /** The day's movements as they were at close, oldest first. */
  movements: CashMovement[];
  expectedCents: Cents;
  countedCents: Cents;
  pieces: Record<string, number> | null;
  /** counted - expected: negative when cash is missing. */
  differenceCents: Cents;
  openedAt: number;
  closedAt: number;
  hlc: Hlc;
}

export type CashBookErrorCode =
  | 'bad-amount'
  | 'bad-float'
  | 'bad-kind'
  | 'description-required'
  | 'description-too-long'
  | 'unsafe-text'
  | 'bad-pieces'
  | 'bad-count'
  | 'count-mismatch'
  | 'negative'
  | 'too-many-movements'
  | 'already-open'
  | 'not-open'
  | 'closed';

export class CashBookError extends Error {
  constructor(
    readonly code: CashBookErrorCode,
    /** The input the error is about: 'amount', 'description', 'kind', 'float', 'count'. */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'CashBookError';
  }
}

export function cashDayId(eventId: Id, deviceId: Id): string {
  return `${eventId}:${deviceId}`;
}

function isWholeCents(n: unknown, min: number, max: number): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= min && n <= max;
}

/** The opening float: 0 .. MAX_MONEY_CENTS whole cents. */
export function validateFloat(cents: unknown): Cents {
  if (!isWholeCents(cents, 0, MAX_MONEY_CENTS)) {
    throw new CashBookError('bad-float', 'float', 'The float is a whole number of cents from 0.');
  }
  return cents;
}

/** A movement's amount: 1 .. MAX_MONEY_CENTS whole cents. */
export function validateMovementAmount(cents: unknown): Cents {
  if (!isWholeCents(cents, 1, MAX_MONEY_CENTS)) {
    throw new CashBookError(
      'bad-amount',
      'amount',
      'The amount is a whole number of cents from 1 up to one million euros.',
    );
  }
  return cents;
}

export function isCashMovementKind(kind: unknown): kind is CashMovementKind {
  return typeof kind === 'string' && (CASH_MOVEMENT_KINDS as readonly string[]).includes(kind);
}

/** A description: trimmed, 1..200 characters, no NUL or lone surrogate. */
export function validateDescription(text: unknown): string {
  if (typeof text !== 'string') {
    throw new CashBookError('description-required', 'description', 'A description is needed.');
  }
  if (!isSafeText(text)) {
    throw new CashBookError(
      'unsafe-text',
      'description',
      `The description ${UNSAFE_TEXT_MESSAGE}.`,
    );
  }
  const value = text.trim();
  if (value === '') {
    throw new CashBookError('description-required', 'description', 'A description is needed.');
  }
  if ([...value].length > MAX_CASH_DESCRIPTION_LENGTH) {
    throw new CashBookError(
      'description-too-long',
      'description',
      `The description is longer than ${MAX_CASH_DESCRIPTION_LENGTH} characters.`,
    );
  }
  return value;
}

export function signedAmount(movement: Pick<CashMovement, 'kind' | 'amountCents'>): Cents {
  return MOVEMENT_SIGN[movement.kind] * movement.amountCents;
}

/** What the till took in cash: payments of completed sales made on this device. */
export function cashSalesCents(sales: readonly Pick<Sale, 'status' | 'payments'>[]): Cents {
  let sum = 0;
  for (const sale of sales) {
    if (sale.status !== 'completed') continue;
    for (const p of sale.payments as Payment[]) if (p.method === 'cash') sum += p.amountCents;
  }
  return sum;
}

/**
 * Link payments the maker received in cash after all (src/lib/domain/link-settlement.ts):
 * the link part of each completed sale whose settlement says "received another way, cash".
 * They go into the drawer of the device that recorded the settlement, so its cash book
 * counts them with its cash sales.
 */
export function settledCashCents(
  sales: readonly Pick<Sale, 'id' | 'status' | 'payments'>[],
  settlements: readonly Pick<LinkSettlement, 'saleId' | 'outcome' | 'method'>[],
): Cents {
  const byId = new Map(sales.map((sale) => [sale.id, sale]));
  let sum = 0;
  for (const s of settlements) {
    if (s.outcome !== 'received_other_way' || s.method !== 'cash') continue;
    const sale = byId.get(s.saleId);
    if (sale?.status === 'completed') sum += linkPartCents(sale.payments);
  }
  return sum;
}

/**
 * What was paid back in cash: each refund's cash part as its record says (refundCashCents;
 * a refund of a part-cash, part-card sale goes back card first, so only what was handed back
 * in cash), nothing else.
 */
export function cashRefundsCents(
  refunds: readonly Pick<Refund, 'method' | 'totalCents' | 'cashCents'>[],
): Cents {
  let sum = 0;
  for (const r of refunds) sum += refundCashCents(r);
  return sum;
}

export interface BookFigures {
  openingFloatCents: Cents;
  cashSalesCents: Cents;
  cashRefundsCents: Cents;
  movements: readonly Pick<CashMovement, 'kind' | 'amountCents'>[];
}

/** THE rule: float + cash sales - cash refunds + signed movements. */
export function expectedCash(book: BookFigures): Cents {
  let sum = book.openingFloatCents + book.cashSalesCents - book.cashRefundsCents;
  for (const m of book.movements) sum += signedAmount(m);
  return sum;
}

export type MovementCheck =
  | { ok: true; balanceAfterCents: Cents }
  | { ok: false; balanceAfterCents: Cents; shortCents: Cents };

/**
 * What the book would hold after a movement, and whether that is allowed: never below zero.
 * The screen calls this as the maker types (the warning comes before saving); the store calls
 * it again inside its transaction and refuses.
 */
export function movementCheck(
  book: BookFigures,
  next: Pick<CashMovement, 'kind' | 'amountCents'>,
): MovementCheck {
  const balanceAfterCents = expectedCash(book) + signedAmount(next);
  if (balanceAfterCents < 0)
    return { ok: false, balanceAfterCents, shortCents: -balanceAfterCents };
  return { ok: true, balanceAfterCents };
}

/** The pieces counted, checked: known denominations, whole numbers 0..MAX_PIECES; zero rows dropped. */
export function validatePieces(pieces: unknown): Record<string, number> {
  if (typeof pieces !== 'object' || pieces === null || Array.isArray(pieces)) {
    throw new CashBookError('bad-pieces', 'pieces', 'The count by note and coin is not readable.');
  }
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(pieces as Record<string, unknown>)) {
    if (!DENOMINATIONS.some((d) => String(d) === key)) {
      throw new CashBookError('bad-pieces', 'pieces', `${key} cents is not a euro note or coin.`);
    }
    if (!isWholeCents(n, 0, MAX_PIECES)) {
      throw new CashBookError(
        'bad-pieces',
        'pieces',
        `The number of pieces is a whole number from 0 to ${MAX_PIECES}.`,
      );
    }
    if (n > 0) out[key] = n;
  }
  return out;
}

/** The total of a count by note and coin. */
export function piecesTotal(pieces: Record<string, number>): Cents {
  let sum = 0;
  for (const [key, n] of Object.entries(pieces)) sum += Number(key) * n;
  return sum;
}

/**
 * A count at close: by total (pieces null) or by note and coin (the total follows from the
 * pieces; a given total must agree). 0 .. MAX_MONEY_CENTS.
 */
export function validateCount(count: { countedCents?: unknown; pieces?: unknown }): CashCount {
  if (count.pieces !== undefined && count.pieces !== null) {
    const pieces = validatePieces(count.pieces);
    const total = piecesTotal(pieces);
    if (total > MAX_MONEY_CENTS) {
      throw new CashBookError('bad-count', 'count', 'The count is more than one million euros.');
    }
    if (count.countedCents !== undefined && count.countedCents !== total) {
      throw new CashBookError(
        'count-mismatch',
        'count',
        'The total does not match the notes and coins counted.',
      );
    }
    return { countedCents: total, pieces };
  }
  if (!isWholeCents(count.countedCents, 0, MAX_MONEY_CENTS)) {
    throw new CashBookError('bad-count', 'count', 'The count is a whole number of cents from 0.');
  }
  return { countedCents: count.countedCents, pieces: null };
}

export interface NewMovement {
  id: Id;
  kind: unknown;
  description: unknown;
  amountCents: unknown;
  correctsReportId?: Id | null;
  createdAt: number;
  hlc: Hlc;
}

/**
 * The movement a request makes in an open day's book, checked: kind, description, amount,
 * the day's movement limit, and that the book stays at zero or above.
 */
export function planMovement(day: CashDay, book: BookFigures, request: NewMovement): CashMovement {
  if (!isCashMovementKind(request.kind)) {
    throw new CashBookError('bad-kind', 'kind', 'Choose what kind of cash movement this is.');
  }
  const description = validateDescription(request.description);
  const amountCents = validateMovementAmount(request.amountCents);
  if (book.movements.length >= MAX_MOVEMENTS_PER_DAY) {
    throw new CashBookError(
      'too-many-movements',
      'amount',
      `A day's book holds at most ${MAX_MOVEMENTS_PER_DAY} movements.`,
    );
  }
  const check = movementCheck(book, { kind: request.kind, amountCents });
  if (!check.ok) {
    throw new CashBookError(
      'negative',
      'amount',
      `The cash book would go ${check.shortCents} cents below zero; a cash book may never be negative.`,
    );
  }
  return {
    id: request.id,
    eventId: day.eventId,
    makerId: day.makerId,
    deviceId: day.deviceId,
    kind: request.kind,
    description,
    amountCents,
    correctsReportId: request.correctsReportId ?? null,
    createdAt: request.createdAt,
    hlc: request.hlc,
  };
}

/** The day report closing a day makes; `number` is handed out by the store. */
export function planReport(
  day: CashDay,
  book: Omit<BookFigures, 'movements'> & { movements: readonly CashMovement[] },
  count: { countedCents?: unknown; pieces?: unknown },
  meta: { id: Id; number: number; closedAt: number; hlc: Hlc },
): CashDayReport {
  const counted = validateCount(count);
  const expectedCents = expectedCash(book);
  return {
    id: meta.id,
    number: meta.number,
    eventId: day.eventId,
    makerId: day.makerId,
    deviceId: day.deviceId,
    openingFloatCents: day.openingFloatCents,
    cashSalesCents: book.cashSalesCents,
    cashRefundsCents: book.cashRefundsCents,
    movements: [...book.movements].sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0)),
    expectedCents,
    countedCents: counted.countedCents,
    pieces: counted.pieces,
    differenceCents: counted.countedCents - expectedCents,
    openedAt: day.openedAt,
    closedAt: meta.closedAt,
    hlc: meta.hlc,
  };
}
