// The push's fast path for its most common mutation, a sale with its lines (issue 11, ingest:
// zod's parse and the canonical JSON were a fifth of the push's JavaScript). One pass over a
// `sale.record` both checks it and writes its canonical JSON (canonical.ts: keys sorted at
// every level), with each object's keys sorted once, here, instead of once per object.
//
// It only ever says "certainly valid": a value it accepts is one MutationSchema accepts and
// returns unchanged (no unknown key to strip, every field within its bounds), and the text it
// writes is `canonicalJson` of it. Anything else (an unknown or missing key, a wrong type, a
// value out of bounds, another mutation type) gets `null`, and the push checks it with zod as
// before, so a rejected mutation keeps zod's message and path. fast-sale.spec.ts proves both
// claims on generated valid and invalid sales.
import { isHlc } from '$lib/domain/clock';
import type { Mutation } from '$lib/domain/types';
import { MAX_INT32, MAX_SYNC_CENTS, SALE_FLAGS, UUID_PATTERN } from '$lib/sync/protocol';

type SaleRecord = Extract<Mutation, { type: 'sale.record' }>;

/** The canonical JSON of a field's value when it is certainly valid, else null. */
type Field = (value: unknown) => string | null;

const id: Field = (v) => (typeof v === 'string' && UUID_PATTERN.test(v) ? `"${v}"` : null);

const integer =
  (min: number, max: number): Field =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? String(v) : null;

const text =
  (max: number): Field =>
  (v) =>
    typeof v === 'string' && v.length <= max ? JSON.stringify(v) : null;

const hlc: Field = (v) =>
  typeof v === 'string' && v.length <= 200 && isHlc(v) ? JSON.stringify(v) : null;

/** One of `values` (strings or numbers), compared as zod's enum and literal compare. */
function oneOf(values: readonly (string | number)[]): Field {
  const texts = new Map<unknown, string>(values.map((v) => [v, JSON.stringify(v)]));
  return (v) => texts.get(v) ?? null;
}

const nullable =
  (field: Field): Field =>
  (v) =>
    v === null ? 'null' : field(v);

function array(item: Field, min: number, max: number): Field {
  return (v) => {
    if (!Array.isArray(v) || v.length < min || v.length > max) return null;
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const written = item(v[i]);
      if (written === null) return null;
      out += i === 0 ? written : `,${written}`;
    }
    return `${out}]`;
  };
}

/**
 * An object with exactly these own keys (the optional ones may be absent), each value
 * certainly valid. A plain object only: zod would read a key from a prototype too.
 */
function object(fields: Readonly<Record<string, Field>>, optional: readonly string[] = []) {
  const keys = Object.keys(fields).sort();
  const parts = keys.map((key) => ({
    key,
    quoted: `${JSON.stringify(key)}:`,
    field: fields[key] as Field,
    optional: optional.includes(key),
  }));
  return (v: unknown): string | null => {
    if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) {
      return null;
    }
    const record = v as Record<string, unknown>;
    let out = '{';
    let present = 0;
    for (const part of parts) {
      const value = record[part.key];
      if (value === undefined) {
        if (part.optional) continue;
        return null;
      }
      const written = part.field(value);
      if (written === null) return null;
      out += present === 0 ? part.quoted + written : `,${part.quoted}${written}`;
      present++;
    }
    // No other key (zod would strip it: the value it returns would not be this one).
    if (Object.keys(record).length !== present) return null;
    return `${out}}`;
  };
}

const cents = integer(-MAX_SYNC_CENTS, MAX_SYNC_CENTS);
const nonNegativeCents = integer(0, MAX_SYNC_CENTS);
const epochMs = integer(0, 8.64e15);
const vatRate = oneOf([0, 9, 21]);

const payment = object(
  {
    method: oneOf(['cash', 'qr']),
    amountCents: cents,
    tenderedCents: nullable(nonNegativeCents),
    changeCents: nullable(nonNegativeCents),
    via: oneOf(['link']),
  },
  ['via'],
);

const sale = object(
  {
    id,
    deviceId: id,
    receiptNumber: integer(1, MAX_INT32),
    eventId: id,
    makerId: id,
    hlc,
    createdAt: epochMs,
    subtotalCents: nonNegativeCents,
    lineDiscountCents: nonNegativeCents,
    cartDiscountCents: nonNegativeCents,
    totalCents: nonNegativeCents,
    roundingCents: integer(-2, 2),
    paidCents: nonNegativeCents,
    payments: array(payment, 1, 10),
    itemCount: integer(1, 1_000_000),
    status: oneOf(['completed', 'voided']),
    voidReason: nullable(text(500)),
    voidedAt: nullable(epochMs),
    flags: array(oneOf(SALE_FLAGS), 0, SALE_FLAGS.length),
    clockAheadMs: epochMs,
  },
  ['flags', 'clockAheadMs'],
);

const line = object({
  id,
  saleId: id,
  position: integer(0, 999),
  productId: id,
  name: text(500),
  unitPriceCents: nonNegativeCents,
  vatRate,
  quantity: integer(1, 999),
  lineDiscountCents: nonNegativeCents,
  cartDiscountShareCents: nonNegativeCents,
  totalCents: nonNegativeCents,
  vatCents: nonNegativeCents,
});

const movement = object({
  id,
  eventId: id,
  productId: id,
  deviceId: id,
  kind: oneOf(['sale', 'void', 'refund', 'restock', 'recount']),
  delta: integer(-1_000_000, 1_000_000),
  saleId: nullable(id),
  hlc,
  createdAt: epochMs,
});

const saleRecord = object({
  type: oneOf(['sale.record']),
  sale,
  lines: array(line, 1, 1000),
  movements: array(movement, 0, 1000),
});

/**
 * A `sale.record` that MutationSchema certainly accepts as it is, with its canonical JSON
 * (`canonicalJson`); null for anything else (then check it with zod).
 */
export function fastSaleRecord(raw: unknown): { mutation: SaleRecord; canonical: string } | null {
  if ((raw as { type?: unknown } | null)?.type !== 'sale.record') return null;
  const canonical = saleRecord(raw);
  return canonical === null ? null : { mutation: raw as SaleRecord, canonical };
}
