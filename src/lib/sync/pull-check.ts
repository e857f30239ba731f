// The device's check of a pull answer (issue 11, the pull onto a fresh device: zod's parse of
// every page was a third of a fresh device's time in docs/benchmarks.md, "Issue 11 after the
// sixth pass"; in the browser zod runs without compiled parsers, src/hooks.client.ts).
//
// `checkPullAnswer` gives exactly what `PullResponseSchema.safeParse` gives: the answer's
// envelope is checked by hand, and each change whose kind has a hand-written check here (a
// sale, a stock movement: a year of sales is almost nothing else) is taken as it is when that
// check says "certainly valid": every key known, none missing, every value within its bounds,
// so zod would return it unchanged. Any other change, and any change the hand-written check
// does not take, is parsed by zod's `ChangeSchema`, as the whole answer was before; when zod
// refuses one, the whole answer is parsed by `PullResponseSchema` for zod's own error. So the
// device never stores a change zod would refuse, and a refused answer fails as before.
// pull-check.spec.ts proves the equality on generated valid and broken answers.
import { isHlc } from '$lib/domain/clock';
import { DEVICE_CODE_PATTERN } from '$lib/domain/device-code';
import {
  ChangeSchema,
  CursorSchema,
  MAX_INT32,
  MAX_REMAINING_ESTIMATE,
  MAX_SYNC_CENTS,
  PROTOCOL_VERSION,
  PullResponseSchema,
  SALE_FLAGS,
  type Change,
  type PullResponse,
} from './protocol';

/** True when zod's schema for this field would take the value and return it unchanged. */
type Check = (value: unknown) => boolean;

const HEX = new Uint8Array(128);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

/**
 * What `UUID_PATTERN` accepts (8-4-4-4-12 hex digits, either case), without the regular
 * expression: a pulled sale carries 28 ids, and the pattern was the check's largest cost.
 */
function isId(v: unknown): boolean {
  if (typeof v !== 'string' || v.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = v.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (c >= 128 || HEX[c] === 0) return false;
  }
  return true;
}

function isInt(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
const isCents = (v: unknown) => isInt(v, -MAX_SYNC_CENTS, MAX_SYNC_CENTS);
const isNonNegativeCents = (v: unknown) => isInt(v, 0, MAX_SYNC_CENTS);
const isEpochMs = (v: unknown) => isInt(v, 0, 8.64e15);
const isHlcText = (v: unknown) => typeof v === 'string' && v.length <= 200 && isHlc(v);
const isVatRate = (v: unknown) => v === 0 || v === 9 || v === 21;
const isDeviceCode = (v: unknown) => typeof v === 'string' && DEVICE_CODE_PATTERN.test(v);

/** One of `values`, compared as zod's enum and literal compare (SameValueZero). */
function oneOf(values: readonly (string | number)[]): Check {
  const set = new Set<unknown>(values);
  return (v) => set.has(v);
}
const isSaleFlag = oneOf(SALE_FLAGS);
const isPaymentMethod = oneOf(['cash', 'qr']);
const isSaleStatus = oneOf(['completed', 'voided']);
const isMovementKind = oneOf(['sale', 'void', 'refund', 'restock', 'recount']);

function isArrayOf(v: unknown, item: Check, min: number, max: number): v is unknown[] {
  if (!Array.isArray(v) || v.length < min || v.length > max) return false;
  for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
  return true;
}

/**
 * A plain object (as JSON.parse makes them) with exactly `keys` own keys. With every field it
 * must have checked by name, this says it has no other key: zod would strip another (its value
 * would not be this one). Keys read from a prototype: `prototypeHasNoField` below.
 */
function isRecord(v: unknown, keys: number): v is Record<string, unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    Object.getPrototypeOf(v) === Object.prototype &&
    Object.keys(v).length === keys
  );
}

// PaymentSchema, SaleSchema, SaleLineSchema, StockMovementSchema, SaleChangeDataSchema
// (protocol.ts), field by field: an absent optional key is `undefined` (a JSON text cannot
// give a present one that value), a required one fails its check.

function isPayment(v: unknown): boolean {
  const via = typeof v === 'object' && v !== null && (v as { via?: unknown }).via !== undefined;
  if (!isRecord(v, via ? 5 : 4)) return false;
  return (
    isPaymentMethod(v.method) &&
    isCents(v.amountCents) &&
    (v.tenderedCents === null || isNonNegativeCents(v.tenderedCents)) &&
    (v.changeCents === null || isNonNegativeCents(v.changeCents)) &&
    (v.via === undefined || v.via === 'link')
  );
}

function isSale(v: unknown): boolean {
  const optional =
    typeof v === 'object' && v !== null
      ? Number((v as { flags?: unknown }).flags !== undefined) +
        Number((v as { clockAheadMs?: unknown }).clockAheadMs !== undefined)
      : 0;
  if (!isRecord(v, 18 + optional)) return false;
  return (
    isId(v.id) &&
    isId(v.deviceId) &&
    isInt(v.receiptNumber, 1, MAX_INT32) &&
    isId(v.eventId) &&
    isId(v.makerId) &&
    isHlcText(v.hlc) &&
    isEpochMs(v.createdAt) &&
    isNonNegativeCents(v.subtotalCents) &&
    isNonNegativeCents(v.lineDiscountCents) &&
    isNonNegativeCents(v.cartDiscountCents) &&
    isNonNegativeCents(v.totalCents) &&
    isInt(v.roundingCents, -2, 2) &&
    isNonNegativeCents(v.paidCents) &&
    isArrayOf(v.payments, isPayment, 1, 10) &&
    isInt(v.itemCount, 1, 1_000_000) &&
    isSaleStatus(v.status) &&
    (v.voidReason === null || (typeof v.voidReason === 'string' && v.voidReason.length <= 500)) &&
    (v.voidedAt === null || isEpochMs(v.voidedAt)) &&
    (v.flags === undefined || isArrayOf(v.flags, isSaleFlag, 0, SALE_FLAGS.length)) &&
    (v.clockAheadMs === undefined || isEpochMs(v.clockAheadMs))
  );
}

function isLine(v: unknown): boolean {
  if (!isRecord(v, 12)) return false;
  return (
    isId(v.id) &&
    isId(v.saleId) &&
    isInt(v.position, 0, 999) &&
    isId(v.productId) &&
    typeof v.name === 'string' &&
    v.name.length <= 500 &&
    isNonNegativeCents(v.unitPriceCents) &&
    isVatRate(v.vatRate) &&
    isInt(v.quantity, 1, 999) &&
    isNonNegativeCents(v.lineDiscountCents) &&
    isNonNegativeCents(v.cartDiscountShareCents) &&
    isNonNegativeCents(v.totalCents) &&
    isNonNegativeCents(v.vatCents)
  );
}

function isMovement(v: unknown): boolean {
  if (!isRecord(v, 9)) return false;
  return (
    isId(v.id) &&
    isId(v.eventId) &&
    isId(v.productId) &&
    isId(v.deviceId) &&
    isMovementKind(v.kind) &&
    isInt(v.delta, -1_000_000, 1_000_000) &&
    (v.saleId === null || isId(v.saleId)) &&
    isHlcText(v.hlc) &&
    isEpochMs(v.createdAt)
  );
}

const ANY_LENGTH = Number.POSITIVE_INFINITY;

function isSaleData(v: unknown): boolean {
  const deviceCode = typeof v === 'object' && v !== null && 'deviceCode' in v;
  if (!isRecord(v, deviceCode ? 5 : 4)) return false;
  return (
    isSale(v.sale) &&
    isArrayOf(v.lines, isLine, 0, ANY_LENGTH) &&
    isArrayOf(v.movements, isMovement, 0, ANY_LENGTH) &&
    isArrayOf(v.flags, isSaleFlag, 0, ANY_LENGTH) &&
    (!deviceCode || isDeviceCode(v.deviceCode))
  );
}

/** The change kinds checked by hand (a change is `{ entity, op, data }`); the rest go to zod. */
function isChangeByHand(v: unknown): boolean {
  if (!isRecord(v, 3) || v.op !== 'upsert') return false;
  if (v.entity === 'sale') return isSaleData(v.data);
  if (v.entity === 'stock_movement') return isMovement(v.data);
  return false;
}

/**
 * Every field name the checks above read by name. Were one of them on Object.prototype (a
 * polluted page), a missing key would be read from there, as zod would read it too, but zod's
 * value would then have it as its own: such a page is left to zod whole.
 */
const FIELDS = [
  ...['entity', 'op', 'data', 'sale', 'lines', 'movements', 'flags', 'deviceCode'],
  ...['id', 'deviceId', 'receiptNumber', 'eventId', 'makerId', 'hlc', 'createdAt'],
  ...['subtotalCents', 'lineDiscountCents', 'cartDiscountCents', 'totalCents'],
  ...['roundingCents', 'paidCents', 'payments', 'itemCount', 'status', 'voidReason'],
  ...['voidedAt', 'clockAheadMs', 'method', 'amountCents', 'tenderedCents', 'changeCents'],
  ...['via', 'saleId', 'position', 'productId', 'name', 'unitPriceCents', 'vatRate'],
  ...['quantity', 'cartDiscountShareCents', 'vatCents', 'kind', 'delta'],
  ...['protocol', 'epoch', 'changes', 'cursor', 'hasMore', 'remaining'],
];
function prototypeHasNoField(): boolean {
  for (const field of FIELDS) if (field in Object.prototype) return false;
  return true;
}

const REQUIRED_ENVELOPE_KEYS = ['protocol', 'epoch', 'changes', 'cursor', 'hasMore', 'makerId'];

export type PullAnswerCheck = { success: true; data: PullResponse } | { success: false };

/** The whole answer through zod, as before this module (the answer's own error). */
function byZod(body: unknown): PullAnswerCheck {
  const parsed = PullResponseSchema.safeParse(body);
  return parsed.success ? { success: true, data: parsed.data } : { success: false };
}

/** What `PullResponseSchema.safeParse(body)` gives, most changes checked without zod. */
export function checkPullAnswer(body: unknown): PullAnswerCheck {
  if (
    typeof body !== 'object' ||
    body === null ||
    Object.getPrototypeOf(body) !== Object.prototype ||
    !prototypeHasNoField()
  ) {
    return byZod(body);
  }
  const record = body as Record<string, unknown>;
  const { protocol, epoch, changes, cursor, hasMore, makerId, remaining } = record;
  for (const key of REQUIRED_ENVELOPE_KEYS) if (!Object.hasOwn(record, key)) return byZod(body);
  if (
    protocol !== PROTOCOL_VERSION ||
    typeof epoch !== 'string' ||
    !Array.isArray(changes) ||
    typeof hasMore !== 'boolean' ||
    !(makerId === null || isId(makerId)) ||
    !(remaining === undefined || isInt(remaining, 0, MAX_REMAINING_ESTIMATE)) ||
    (remaining === undefined && Object.hasOwn(record, 'remaining')) ||
    !CursorSchema.safeParse(cursor).success
  ) {
    return byZod(body);
  }
  const checked: Change[] = new Array<Change>(changes.length);
  for (let i = 0; i < changes.length; i++) {
    const change: unknown = changes[i];
    if (isChangeByHand(change)) {
      checked[i] = change as Change;
      continue;
    }
    const parsed = ChangeSchema.safeParse(change);
    if (!parsed.success) return byZod(body);
    checked[i] = parsed.data;
  }
  // zod's output: the known keys only (an unknown key of the envelope is stripped).
  const data: PullResponse = {
    protocol: PROTOCOL_VERSION,
    epoch,
    changes: checked,
    cursor: cursor as string | null,
    hasMore,
    makerId: makerId as string | null,
  };
  if (remaining !== undefined) data.remaining = remaining as number;
  return { success: true, data };
}
