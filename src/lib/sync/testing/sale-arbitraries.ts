// Generators of a sale's parts as a device writes them (fast-check), shared by the specs that
// prove a hand-written check equal to the zod schema it stands in for: the push's fast path
// (src/lib/server/sync/fast-sale.spec.ts) and the device's check of a pull page
// (src/lib/sync/pull-check.spec.ts). Every bound is at its edge as often as inside it; the
// helpers below walk and break such values.
import fc from 'fast-check';
import { MAX_INT32, MAX_SYNC_CENTS, SALE_FLAGS } from '../protocol';

export const hex = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: n, maxLength: n });
export const uuid = fc
  .tuple(hex(8), hex(4), hex(4), hex(4), hex(12))
  .map((parts) => parts.join('-'));
export const text = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: Math.min(max, 40) }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom('', 'a\u0000b', '\ud800', 'x\udfff', '"\\', 'é€😀', 'x'.repeat(max)),
  );
export const hlc = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 15, maxLength: 15 }),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdefxyz'), minLength: 4, maxLength: 4 }),
    fc.string({ minLength: 1, maxLength: 60 }),
  )
  .map(([ms, counter, node]) => `${ms}-${counter}-${node}`);
export const int = (min: number, max: number) =>
  fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
export const cents = int(-MAX_SYNC_CENTS, MAX_SYNC_CENTS);
export const nonNegative = int(0, MAX_SYNC_CENTS);
export const epoch = int(0, 8.64e15);

/** As JSON.parse makes objects (one with a null prototype is left to zod). */
export const noNullPrototype = true;

export const payment = fc.record(
  {
    method: fc.constantFrom('cash', 'qr'),
    amountCents: cents,
    tenderedCents: fc.option(nonNegative),
    changeCents: fc.option(nonNegative),
    via: fc.constant('link'),
  },
  { requiredKeys: ['method', 'amountCents', 'tenderedCents', 'changeCents'], noNullPrototype },
);
export const sale = fc.record(
  {
    id: uuid,
    deviceId: uuid,
    receiptNumber: int(1, MAX_INT32),
    eventId: uuid,
    makerId: uuid,
    hlc,
    createdAt: epoch,
    subtotalCents: nonNegative,
    lineDiscountCents: nonNegative,
    cartDiscountCents: nonNegative,
    totalCents: nonNegative,
    roundingCents: int(-2, 2),
    paidCents: nonNegative,
    payments: fc.array(payment, { minLength: 1, maxLength: 10 }),
    itemCount: int(1, 1_000_000),
    status: fc.constantFrom('completed', 'voided'),
    voidReason: fc.option(text(500)),
    voidedAt: fc.option(epoch),
    flags: fc.uniqueArray(fc.constantFrom(...SALE_FLAGS), { maxLength: SALE_FLAGS.length }),
    clockAheadMs: epoch,
  },
  {
    requiredKeys: [
      'id',
      'deviceId',
      'receiptNumber',
      'eventId',
      'makerId',
      'hlc',
      'createdAt',
      'subtotalCents',
      'lineDiscountCents',
      'cartDiscountCents',
      'totalCents',
      'roundingCents',
      'paidCents',
      'payments',
      'itemCount',
      'status',
      'voidReason',
      'voidedAt',
    ],
    noNullPrototype,
  },
);
export const line = fc.record(
  {
    id: uuid,
    saleId: uuid,
    position: int(0, 999),
    productId: uuid,
    name: text(500),
    unitPriceCents: nonNegative,
    vatRate: fc.constantFrom(0, 9, 21),
    quantity: int(1, 999),
    lineDiscountCents: nonNegative,
    cartDiscountShareCents: nonNegative,
    totalCents: nonNegative,
    vatCents: nonNegative,
  },
  { noNullPrototype },
);
export const movement = fc.record(
  {
    id: uuid,
    eventId: uuid,
    productId: uuid,
    deviceId: uuid,
    kind: fc.constantFrom('sale', 'void', 'refund', 'restock', 'recount'),
    delta: int(-1_000_000, 1_000_000),
    saleId: fc.option(uuid),
    hlc,
    createdAt: epoch,
  },
  { noNullPrototype },
);

/** Every path to an object or array inside `value` (the root included). */
export function containers(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const out = [path];
  for (const [key, item] of Object.entries(value)) {
    out.push(...containers(item, [...path, Array.isArray(value) ? Number(key) : key]));
  }
  return out;
}

/** Every path to a leaf (not an object or array) inside `value`. */
export function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [path];
  return Object.entries(value).flatMap(([key, item]) =>
    leaves(item, [...path, Array.isArray(value) ? Number(key) : key]),
  );
}

/** A copy of `value` (as JSON.parse makes it) with the leaf at `path` replaced. */
export function withLeaf(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  if (path.length === 0) return leaf;
  let target = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
  target[path[path.length - 1] as string | number] = leaf;
  return copy;
}

/**
 * One way to break a value, as the property tests generate them: at the container `pick`
 * chooses, a field replaced by `odd` or removed, or `extraKey` added (at any level). Works on a
 * copy as JSON.parse makes it (a `__proto__` key is then an own key, as on the wire).
 */
export function brokenAt(
  value: unknown,
  pick: number,
  how: 'replace' | 'remove' | 'add',
  odd: unknown,
  extraKey: string,
): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  const places = containers(copy);
  const path = places[pick % places.length] ?? [];
  let target: unknown = copy;
  for (const step of path) target = (target as Record<string | number, unknown>)[step];
  const keys = Object.keys(target as object);
  const key = keys[pick % Math.max(keys.length, 1)];
  const record = target as Record<string, unknown>;
  if (Array.isArray(record) && (how === 'add' || key === undefined)) {
    // An array holds items only (an array's named key cannot come out of JSON.parse).
    record.push(odd);
  } else if (how === 'add' || key === undefined) {
    Object.defineProperty(record, extraKey, {
      value: odd,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else if (how === 'remove') {
    if (Array.isArray(record)) record.length = 0;
    else delete record[key];
  } else {
    record[key] = odd;
  }
  return copy as unknown;
}
