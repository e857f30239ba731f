// Generators of a sale's parts as a device writes them (fast-check), shared by the specs that
// prove a hand-written check equal to the zod schema it stands in for: the push's fast path
// (src/lib/server/sync/fast-sale.spec.ts) and the device's check of a pull page
// (src/lib/sync/pull-check.spec.ts). Every bound is at its edge as often as inside it.
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
