// The device's check of a pull answer (pull-check.ts) against the schema it stands in for: on
// generated answers, valid and broken in every way a server, a proxy or an attacker could
// break them, it gives exactly what `PullResponseSchema.safeParse` gives (taken or refused,
// and when taken, the same value); and a page of sales is read without zod.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkPullAnswer } from './pull-check';
import {
  ChangeSchema,
  MAX_INT32,
  MAX_REMAINING_ESTIMATE,
  MAX_SYNC_CENTS,
  PROTOCOL_VERSION,
  PullResponseSchema,
  SALE_FLAGS,
} from './protocol';
import { RawDevice } from './testing/factories';
import { PullAnswerSchema, readAnswer, TransportError } from './transport';
import {
  uuid,
  int,
  noNullPrototype,
  sale,
  line,
  movement,
  brokenAt,
  leaves,
  withLeaf,
} from '$lib/sync/testing/sale-arbitraries';

const saleChange = fc.record(
  {
    entity: fc.constant('sale'),
    op: fc.constant('upsert'),
    data: fc.record(
      {
        sale,
        lines: fc.array(line, { maxLength: 4 }),
        movements: fc.array(movement, { maxLength: 4 }),
        // No bound and no uniqueness here (SaleChangeDataSchema), unlike the sale's own flags.
        flags: fc.array(fc.constantFrom(...SALE_FLAGS), { maxLength: 7 }),
        deviceCode: fc.string({ unit: fc.constantFrom(...'ABCXYZ'), minLength: 1, maxLength: 3 }),
      },
      { requiredKeys: ['sale', 'lines', 'movements', 'flags'], noNullPrototype },
    ),
  },
  { noNullPrototype },
);
const movementChange = fc.record(
  { entity: fc.constant('stock_movement'), op: fc.constant('upsert'), data: movement },
  { noNullPrototype },
);

/** Changes of the kinds left to zod, as a server writes them. */
function otherChanges(): unknown[] {
  const device = new RawDevice();
  const event = device.event();
  const product = device.product({ name: 'Mok', priceCents: 1250, vatRate: 21 });
  return JSON.parse(
    JSON.stringify([
      { entity: 'product', op: 'upsert', data: { ...product, version: 2 } },
      { entity: 'event', op: 'upsert', data: event },
      { entity: 'deleted', op: 'delete', data: { entity: 'product', id: product.id } },
    ]),
  ) as unknown[];
}
const otherChange = fc.constantFrom(...otherChanges());

const cursor = fc.oneof(
  fc.constant(null),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}.${b}`),
  fc.constantFrom('1.2~0123456789ab', '1.2~0123456789ab~3.4~', '18446744073709551615.1'),
);

/** A valid answer, its keys in a shuffled order. */
const validAnswer = fc
  .record(
    {
      protocol: fc.constant(PROTOCOL_VERSION),
      epoch: fc.string({ maxLength: 20 }),
      changes: fc.array(
        fc.oneof(
          { weight: 6, arbitrary: saleChange },
          { weight: 2, arbitrary: movementChange },
          { weight: 1, arbitrary: otherChange },
        ),
        { maxLength: 4 },
      ),
      cursor,
      hasMore: fc.boolean(),
      makerId: fc.option(uuid),
      remaining: int(0, MAX_REMAINING_ESTIMATE),
    },
    {
      requiredKeys: ['protocol', 'epoch', 'changes', 'cursor', 'hasMore', 'makerId'],
      noNullPrototype,
    },
  )
  .chain((value) =>
    fc
      .shuffledSubarray(Object.keys(value), { minLength: Object.keys(value).length })
      .map((keys) => {
        const shuffled: Record<string, unknown> = {};
        for (const key of keys) shuffled[key] = (value as Record<string, unknown>)[key];
        return JSON.parse(JSON.stringify(shuffled)) as unknown;
      }),
  );

/** Values at and past the bounds of the fields, and of the wrong type. */
const ODD_VALUES: unknown[] = [
  '\u0000',
  '\ud800',
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 31) - 1,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -1,
  0.5,
  1e21,
  'x'.repeat(100_000),
  '',
  '1',
  null,
  undefined,
  true,
  false,
  {},
  [],
  [null],
  'sale',
  'stock_movement',
  'upsert',
  'delete',
  'B',
  'ABCD',
  'oversell',
  '00000000-0000-0000-0000-00000000000g',
  '018f0000-0000-7000-8000-000000000000 ',
  '1.2',
  '1.2x',
  'link',
  'cash',
  -2,
  3,
  22,
  1000,
  1_000_001,
  MAX_REMAINING_ESTIMATE + 1,
  8.64e15 + 1,
  -3,
  999,
  1001,
  -1_000_001,
  MAX_INT32,
  MAX_SYNC_CENTS + 1,
  -MAX_SYNC_CENTS - 1,
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '000000000000000000000000000000000000',
];
const oddValues = fc.constantFrom(...ODD_VALUES);

/** Values just past what `value` is: one more, one less, twice, a longer text, ... */
function neighbours(value: unknown): unknown[] {
  if (typeof value === 'number') {
    return [value + 1, value - 1, value * 2, -value - 1, value + 0.5, String(value)];
  }
  if (typeof value === 'string') {
    return [`${value}x`, `${value}\u0000`, value.slice(1), value.toUpperCase(), ` ${value}`];
  }
  if (typeof value === 'boolean') return [String(value), Number(value), !value];
  return [0, 'null', {}];
}

/** One way to break an answer: a field replaced, removed, or a key added (at any level). */
const broken = fc
  .tuple(
    validAnswer,
    fc.nat(),
    fc.constantFrom('replace', 'remove', 'add'),
    oddValues,
    fc.constantFrom('extra', 'vendorId', '__proto__', 'toJSON', 'constructor', 'id', 'remaining'),
  )
  .map(([value, pick, how, odd, extraKey]) => brokenAt(value, pick, how, odd, extraKey));

/** The check and zod agree: both take it with equal values, or both refuse it. */
function agreesWithZod(value: unknown): boolean {
  const checked = checkPullAnswer(value);
  const parsed = PullResponseSchema.safeParse(value);
  expect(checked.success).toBe(parsed.success);
  if (checked.success && parsed.success) expect(checked.data).toStrictEqual(parsed.data);
  return checked.success;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the device’s check of a pull answer', () => {
  it('[G7] takes every valid answer as zod does, with the same value (edges of every bound, any key order, every change kind)', () => {
    fc.assert(
      fc.property(validAnswer, (value) => {
        expect(agreesWithZod(value)).toBe(true);
      }),
      { numRuns: 800 },
    );
  }, 120_000);

  it('[G7] a broken answer gets what zod gives it, taken or refused (NUL, lone surrogates, 2^31, 2^53, -0, NaN, negatives, huge strings, extra, missing and __proto__ keys, wrong types)', () => {
    let taken = 0;
    let refused = 0;
    fc.assert(
      fc.property(broken, (value) => {
        if (agreesWithZod(value)) taken++;
        else refused++;
      }),
      { numRuns: 2_500 },
    );
    // Both occur: a break that is still valid (a NUL in a name, an extra key zod strips) and
    // one zod refuses.
    expect(taken).toBeGreaterThan(150);
    expect(refused).toBeGreaterThan(750);
  }, 120_000);

  it('[G7] every field of an answer at the edge of its bounds, and each one just past it, gets what zod gives it', () => {
    let taken = 0;
    let refused = 0;
    for (const value of fc.sample(validAnswer, { numRuns: 6, seed: 7 })) {
      for (const path of leaves(value)) {
        let leaf: unknown = value;
        for (const step of path) leaf = (leaf as Record<string | number, unknown>)[step];
        for (const odd of [...neighbours(leaf), ...ODD_VALUES]) {
          if (agreesWithZod(withLeaf(value, path, odd))) taken++;
          else refused++;
        }
      }
    }
    expect(taken).toBeGreaterThan(250);
    expect(refused).toBeGreaterThan(500);
  }, 120_000);

  it('[G7] an answer as the device reads it from JSON text: __proto__ and constructor keys, duplicate keys, 2.0, -0, 1e21, escapes, deep nesting, not an object', () => {
    const [value] = fc.sample(validAnswer, { numRuns: 1, seed: 3 });
    const body = value as { changes: unknown[] };
    const device = new RawDevice();
    const event = device.event();
    const product = device.product({ name: 'Mok', priceCents: 1250, vatRate: 21 });
    const record = device.sale(event.id, [{ product, quantity: 2 }]);
    body.changes = [
      {
        entity: 'sale',
        op: 'upsert',
        data: { sale: record.sale, lines: record.lines, movements: record.movements, flags: [] },
      },
    ];
    const text = JSON.stringify(body);
    const variants = [
      text.replace('"quantity":2', '"quantity":7,"quantity":2'),
      text.replace('"quantity":2', '"quantity":2,"quantity":"2"'),
      text.replace('{"id"', '{"__proto__":{"x":1},"id"'),
      text.replace('{"id"', '{"constructor":1,"id"'),
      text.replace('"entity":"sale"', '"__proto__":{"entity":"sale"},"entity":"sale"'),
      text.replace('"quantity":2', '"quantity":2.0'),
      text.replace('"roundingCents":0', '"roundingCents":-0'),
      text.replace('"roundingCents":0', '"roundingCents":1e21'),
      text.replace('"name":"Mok"', '"name":"M\\u006fk\\u0000\\"\\/"'),
      text.replace('"voidReason":null', `"voidReason":${'['.repeat(100)}${']'.repeat(100)}`),
      text.replace('"flags":[]}', '"flags":[],"deviceCode":"ABCD"}'),
      text.replace('"flags":[]}', '"flags":["oversell","oversell"],"deviceCode":"AB"}'),
      '[]',
      'null',
      '"answer"',
    ];
    const outcomes = variants.map((variant) => agreesWithZod(JSON.parse(variant)));
    expect(outcomes).toEqual([
      true,
      false,
      true,
      true,
      true,
      true,
      true,
      false,
      true,
      false,
      false,
      true,
      false,
      false,
      false,
    ]);
  });

  it('[G7] an undefined item in a sale’s payments, lines or movements is refused as zod refuses it, never thrown', () => {
    const [value] = fc.sample(validAnswer, { numRuns: 1, seed: 12 });
    const [change] = fc.sample(saleChange, { numRuns: 1, seed: 12 });
    for (const list of ['payments', 'lines', 'movements'] as const) {
      const copy = JSON.parse(JSON.stringify(change)) as {
        data: { sale: { payments: unknown[] }; lines: unknown[]; movements: unknown[] };
      };
      const items = list === 'payments' ? copy.data.sale.payments : copy.data[list];
      items.push(undefined);
      expect(agreesWithZod({ ...(value as object), changes: [copy] })).toBe(false);
    }
  });

  it('reads a page of sales and stock movements without zod, and only the other kinds with it', async () => {
    const wholePage = vi.spyOn(PullResponseSchema, 'safeParse');
    const oneChange = vi.spyOn(ChangeSchema, 'safeParse');
    const [value] = fc.sample(validAnswer, { numRuns: 1, seed: 5 });
    const page = value as { changes: unknown[] };
    page.changes = [
      ...fc.sample(saleChange, { numRuns: 50, seed: 1 }),
      ...fc.sample(movementChange, { numRuns: 10, seed: 2 }),
    ];
    const answer = await readAnswer(new Response(JSON.stringify(page)), PullAnswerSchema);
    expect(answer.changes).toHaveLength(60);
    expect(wholePage).not.toHaveBeenCalled();
    expect(oneChange).not.toHaveBeenCalled();

    page.changes.push(...otherChanges());
    const mixed = await readAnswer(new Response(JSON.stringify(page)), PullAnswerSchema);
    expect(mixed.changes).toHaveLength(63);
    expect(wholePage).not.toHaveBeenCalled();
    expect(oneChange).toHaveBeenCalledTimes(3);
  });

  it('[G7] refuses a page with one malformed sale among valid ones with the transport’s message, as zod did', async () => {
    const [value] = fc.sample(validAnswer, { numRuns: 1, seed: 9 });
    const page = value as { changes: { data: { lines: { quantity: unknown }[] } }[] };
    page.changes = fc.sample(saleChange, { numRuns: 20, seed: 4 }).map((change) => {
      const copy = JSON.parse(JSON.stringify(change)) as (typeof page.changes)[number];
      copy.data.lines = [
        ...fc.sample(line, { numRuns: 1, seed: 8 }),
      ] as (typeof copy.data.lines)[number][];
      return copy;
    });
    const bad = page.changes[13]?.data.lines[0];
    if (!bad) throw new Error('no line to break');
    bad.quantity = 1_000;
    expect(PullResponseSchema.safeParse(page).success).toBe(false);
    const reading = readAnswer(new Response(JSON.stringify(page)), PullAnswerSchema);
    await expect(reading).rejects.toThrow(TransportError);
    await expect(reading).rejects.toThrow(
      'The server answered with something that is not a sync answer.',
    );
  });
});
