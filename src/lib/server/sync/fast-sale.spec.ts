// The push's fast path for a sale (fast-sale.ts) against the schema it stands in for: on
// generated sales, valid and broken in every way a device or an attacker could break them,
// whatever it accepts MutationSchema accepts and returns unchanged, and the text it writes is
// the canonical JSON; whatever else it leaves to zod (so zod's message and path stay).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MutationSchema } from '$lib/sync/protocol';
import { RawDevice } from '$lib/sync/testing/factories';
import { canonicalJson } from './canonical';
import { fastSaleRecord } from './fast-sale';
import {
  noNullPrototype,
  sale,
  line,
  movement,
  brokenAt,
  leaves,
  withLeaf,
} from '$lib/sync/testing/sale-arbitraries';

/** A valid sale.record with its keys in a shuffled order (a device's order is its own). */
const validSale = fc
  .record(
    {
      type: fc.constant('sale.record' as const),
      sale,
      lines: fc.array(line, { minLength: 1, maxLength: 4 }),
      movements: fc.array(movement, { maxLength: 4 }),
    },
    { noNullPrototype },
  )
  .chain((value) =>
    fc.shuffledSubarray(Object.keys(value), { minLength: 4 }).map((keys) => {
      const shuffled: Record<string, unknown> = {};
      for (const key of keys) shuffled[key] = (value as Record<string, unknown>)[key];
      return shuffled;
    }),
  );

/** Every path to an object or array inside `value` (the root included). */
const oddValues = fc.constantFrom<unknown>(
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
  {},
  [],
  [null],
  'sale.record',
  '00000000-0000-0000-0000-00000000000g',
  '018f0000-0000-7000-8000-000000000000 ',
  'link',
  'cash',
  -2,
  3,
  22,
  1000,
  1_000_001,
  8.64e15 + 1,
);

/** Values just past what `value` is: one more, one less, twice, a longer text, ... */
function neighbours(value: unknown): unknown[] {
  if (typeof value === 'number') {
    return [value + 1, value - 1, value * 2, -value - 1, value + 0.5, String(value)];
  }
  if (typeof value === 'string') {
    return [`${value}x`, `${value}\u0000`, value.slice(1), value.toUpperCase(), ` ${value}`];
  }
  return [];
}

/** One way to break a value: a field replaced, removed, or a key added (at any level). */
const broken = fc
  .tuple(
    validSale,
    fc.nat(),
    fc.constantFrom('replace', 'remove', 'add'),
    oddValues,
    fc.constantFrom('extra', 'vendorId', '__proto__', 'toJSON', 'constructor', 'id'),
  )
  .map(([value, pick, how, odd, extraKey]) => brokenAt(value, pick, how, odd, extraKey));

/** A sale's keys, every level, for `toStrictEqual` beside zod's output (key sets alike). */
function assertSameAsZod(value: unknown) {
  const fast = fastSaleRecord(value);
  if (fast === null) return false;
  const parsed = MutationSchema.safeParse(value);
  expect(parsed.success).toBe(true);
  expect(parsed.data).toStrictEqual(value);
  expect(fast.mutation).toBe(value);
  expect(fast.canonical).toBe(canonicalJson(value));
  return true;
}

describe('the push’s fast path for a sale', () => {
  it('[G7] takes every valid sale (edges of every bound, any key order) as zod does and writes its canonical JSON', () => {
    fc.assert(
      fc.property(validSale, (value) => {
        expect(assertSameAsZod(value)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('[G7] a sale it does not take is left to zod; whatever it takes, zod takes unchanged (NUL, lone surrogates, 2^31, 2^53, -0, NaN, negatives, huge strings, extra, missing keys, wrong types)', () => {
    let taken = 0;
    let refusedByZod = 0;
    fc.assert(
      fc.property(broken, (value) => {
        if (assertSameAsZod(value)) taken++;
        else if (!MutationSchema.safeParse(value).success) refusedByZod++;
      }),
      { numRuns: 5_000 },
    );
    // Both kinds occur: a break that is still valid (a NUL in a name, -0 in a count) and one
    // zod refuses (with its own message and path, the push's as before).
    expect(taken).toBeGreaterThan(100);
    expect(refusedByZod).toBeGreaterThan(1_000);
  });

  it('[G7] every field of a sale at the edge of its bounds, and each one just past it, is taken only when zod takes it unchanged', () => {
    let taken = 0;
    let refusedByZod = 0;
    // Sales at the smallest and the largest of every bound, and generated ones.
    const samples = fc.sample(validSale, { numRuns: 20, seed: 11 });
    for (const value of samples) {
      for (const path of leaves(value)) {
        let leaf: unknown = value;
        for (const step of path) leaf = (leaf as Record<string | number, unknown>)[step];
        for (const odd of [...neighbours(leaf), ...fc.sample(oddValues, 6)]) {
          const changed = withLeaf(value, path, odd);
          if (assertSameAsZod(changed)) taken++;
          else if (!MutationSchema.safeParse(changed).success) refusedByZod++;
        }
      }
    }
    expect(taken).toBeGreaterThan(1_000);
    expect(refusedByZod).toBeGreaterThan(1_000);
  });

  it('[G7] a sale as the push reads it from JSON text: duplicate keys, __proto__ and constructor keys, 1e2, 1.0, -0, 1e21, escapes, decomposed accents, 100 levels deep', () => {
    const device = new RawDevice();
    const event = device.event();
    const product = device.product({ name: 'Mok', priceCents: 1250, vatRate: 21 });
    const text = JSON.stringify(device.sale(event.id, [{ product, quantity: 2 }]));
    /** Who takes it: the fast path (then as zod would), zod alone, or neither. */
    const taker = (changed: string) => {
      const value: unknown = JSON.parse(changed);
      if (assertSameAsZod(value)) return 'fast';
      return MutationSchema.safeParse(value).success ? 'zod' : 'refused';
    };
    const variants: [string, 'fast' | 'zod' | 'refused'][] = [
      // The last of two equal keys wins in JSON.parse, for both paths alike.
      [text.replace('"quantity":2', '"quantity":7,"quantity":2'), 'fast'],
      [text.replace('"quantity":2', '"quantity":2,"quantity":"2"'), 'refused'],
      // An own key named __proto__ or constructor is an unknown key: zod strips it.
      [text.replace('{"id"', '{"__proto__":{"x":1},"id"'), 'zod'],
      [text.replace('{"id"', '{"constructor":1,"id"'), 'zod'],
      [text.replace('"quantity":2', '"quantity":2e0'), 'fast'],
      [text.replace('"quantity":2', '"quantity":2.0'), 'fast'],
      [text.replace('"roundingCents":0', '"roundingCents":-0'), 'fast'],
      [text.replace('"roundingCents":0', '"roundingCents":1e21'), 'refused'],
      [text.replace('"roundingCents":0', '"roundingCents":1e-7'), 'refused'],
      [text.replace('"name":"Mok"', '"name":"M\\u006fk\\n\\t\\"\\/"'), 'fast'],
      [text.replace('"name":"Mok"', '"name":"Mo\u0301k"'), 'fast'],
      [
        text.replace('"voidReason":null', `"voidReason":${'['.repeat(100)}${']'.repeat(100)}`),
        'refused',
      ],
    ];
    for (const [changed, expected] of variants) {
      expect(changed).not.toBe(text);
      expect(taker(changed)).toBe(expected);
    }
  });

  it('takes the sales a till makes, and nothing else: other mutation types, a prototype’s keys, a value that is not an object', () => {
    const device = new RawDevice();
    const event = device.event();
    const product = device.product({ name: 'Mok', priceCents: 1250, vatRate: 21 });
    const record = device.sale(event.id, [{ product, quantity: 2 }]);
    expect(assertSameAsZod(JSON.parse(JSON.stringify(record)))).toBe(true);
    expect(fastSaleRecord(device.voidOf(record))).toBeNull();
    expect(fastSaleRecord(device.productUpsert(product))).toBeNull();
    const inherited = Object.create(JSON.parse(JSON.stringify(record)) as object) as unknown;
    expect(MutationSchema.safeParse(inherited).success).toBe(true); // zod reads a prototype
    expect(fastSaleRecord(inherited)).toBeNull(); // the fast path does not: zod decides
    for (const odd of [null, undefined, 'sale.record', 42, [record], { type: 'sale.record' }]) {
      expect(fastSaleRecord(odd)).toBeNull();
    }
  });
});

/** What this spec reads of a zod 4 schema: its kind, its parts, and the bounds it declares. */
interface ZodLike {
  _zod: {
    def: {
      type: string;
      innerType?: ZodLike;
      element?: ZodLike;
      shape?: Record<string, ZodLike>;
      values?: unknown[];
      checks?: { _zod: { def: { check: string; minimum?: number; maximum?: number } } }[];
    };
  };
  /** zod 4's own reading of a number's bounds, and of a text's length. */
  minValue?: number | null;
  maxValue?: number | null;
  minLength?: number | null;
  maxLength?: number | null;
}

function unwrapped(schema: ZodLike): ZodLike {
  let inner = schema;
  while (['nullable', 'optional', 'default'].includes(inner._zod.def.type)) {
    inner = inner._zod.def.innerType as ZodLike;
  }
  return inner;
}

interface Bound {
  path: (string | number)[];
  type: 'number' | 'string' | 'array';
  min: number | undefined;
  max: number | undefined;
}

const orUndefined = (v: number | null | undefined) => (typeof v === 'number' ? v : undefined);

/** Every bounded field of `value` with the bounds its schema declares, read from the schema. */
function boundsOf(schema: ZodLike, value: unknown, path: (string | number)[] = []): Bound[] {
  const inner = unwrapped(schema);
  const { def } = inner._zod;
  if (value === null || value === undefined) return [];
  if (def.type === 'object' && def.shape) {
    return Object.entries(def.shape).flatMap(([key, field]) =>
      boundsOf(field, (value as Record<string, unknown>)[key], [...path, key]),
    );
  }
  if (def.type === 'array' && def.element && Array.isArray(value)) {
    const checks = (def.checks ?? []).map((c) => c._zod.def);
    const own: Bound = {
      path,
      type: 'array',
      min: checks.find((c) => c.check === 'min_length')?.minimum,
      max: checks.find((c) => c.check === 'max_length')?.maximum,
    };
    return [own, ...(value.length > 0 ? boundsOf(def.element, value[0], [...path, 0]) : [])];
  }
  if (def.type === 'number') {
    return [
      { path, type: 'number', min: orUndefined(inner.minValue), max: orUndefined(inner.maxValue) },
    ];
  }
  if (def.type === 'string' && typeof inner.maxLength === 'number') {
    return [{ path, type: 'string', min: orUndefined(inner.minLength), max: inner.maxLength }];
  }
  return [];
}

describe('the push’s fast path for a sale, at the bounds zod declares', () => {
  it('[G7] takes every number, text and list exactly at the bounds MutationSchema declares (read from the schema itself, not copied), and nothing one past them', () => {
    const device = new RawDevice();
    const event = device.event();
    const product = device.product({ name: 'Mok', priceCents: 1250, vatRate: 21 });
    const record = JSON.parse(
      JSON.stringify(device.sale(event.id, [{ product, quantity: 2 }])),
    ) as Record<string, unknown>;
    (record.sale as Record<string, unknown>).flags = ['oversell'];
    (record.sale as Record<string, unknown>).clockAheadMs = 0;
    const schema = (MutationSchema.options as unknown as ZodLike[]).find((option) =>
      option._zod.def.shape?.type?._zod.def.values?.includes('sale.record'),
    );
    expect(MutationSchema.safeParse(record).success).toBe(true);
    const bounds = boundsOf(schema as ZodLike, record);
    // The bounds of a sale, its lines, payments and movements: dozens of them.
    expect(bounds.filter((b) => b.type === 'number').length).toBeGreaterThan(20);
    expect(bounds.filter((b) => b.type === 'array').map((b) => b.path.join('.'))).toEqual(
      expect.arrayContaining(['lines', 'movements', 'sale.payments', 'sale.flags']),
    );
    let atBound = 0;
    for (const bound of bounds) {
      let leaf: unknown = record;
      for (const step of bound.path) leaf = (leaf as Record<string | number, unknown>)[step];
      const sized = (size: number): unknown => {
        if (bound.type === 'number') return size;
        if (bound.type === 'string') return 'x'.repeat(size);
        const items = leaf as unknown[];
        return Array.from({ length: size }, (_, i) => items[i % items.length]);
      };
      const edges = [bound.min, bound.max].filter((v): v is number => v !== undefined);
      for (const edge of edges) {
        const changed = withLeaf(record, bound.path, sized(edge));
        const where = `${bound.path.join('.')} = ${bound.type} ${edge}`;
        // Taken at the bound itself, as zod takes it (when zod does: a list of one repeated
        // line is still a sale, a text of x's is no clock).
        if (MutationSchema.safeParse(changed).success) {
          expect(assertSameAsZod(changed), where).toBe(true);
          atBound++;
        } else {
          expect(fastSaleRecord(changed), where).toBeNull();
        }
      }
      // One below the least, one above the most, and half above it for numbers.
      const past = [
        bound.min === undefined ? undefined : bound.min - 1,
        bound.max === undefined ? undefined : bound.max + 1,
        // (a half where a double still has one: near 2^53 it rounds back onto the bound)
        bound.type === 'number' && bound.max !== undefined && !Number.isInteger(bound.max + 0.5)
          ? bound.max + 0.5
          : undefined,
      ].filter((v): v is number => v !== undefined && (bound.type === 'number' || v >= 0));
      for (const size of past) {
        const changed = withLeaf(record, bound.path, sized(size));
        const where = `${bound.path.join('.')} = ${bound.type} ${size}`;
        expect(MutationSchema.safeParse(changed).success, where).toBe(false);
        expect(fastSaleRecord(changed), where).toBeNull();
      }
    }
    expect(atBound).toBeGreaterThan(50);
  });
});
