import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, mutationHash } from './canonical';
import { planSequence } from './sequence';
import {
  hasUnstorableText,
  mayHoldUnstorableText,
  nestedDeeperThan,
  storableLabel,
  storedBody,
} from './text';

const entry = (seq: number, hash = `h${seq}`) => ({ seq, hash });

describe('planSequence [G3]', () => {
  it('applies the next numbers, answers replays as duplicates, and stops at a gap', () => {
    const logged = new Map([
      [1, 'h1'],
      [2, 'h2'],
    ]);
    expect(planSequence([entry(2), entry(3), entry(4)], 2, logged)).toEqual({
      steps: [
        { kind: 'duplicate', entry: entry(2) },
        { kind: 'apply', entry: entry(3) },
        { kind: 'apply', entry: entry(4) },
      ],
      lastApplied: 4,
    });
    expect(planSequence([entry(3), entry(5), entry(4)], 2, logged)).toEqual({
      steps: [{ kind: 'apply', entry: entry(3) }],
      lastApplied: 3,
      gap: { expected: 4, received: 5 },
    });
    expect(planSequence([entry(3), entry(3)], 2, logged).steps.map((s) => s.kind)).toEqual([
      'apply',
      'duplicate',
    ]);
  });

  it('an old number with other content is a gap (the device’s numbering restarted), not a duplicate', () => {
    expect(planSequence([entry(1, 'new content')], 2, new Map([[1, 'h1']]))).toEqual({
      steps: [],
      lastApplied: 2,
      gap: { expected: 3, received: 1 },
    });
  });

  it('never applies a number twice or skips one, whatever arrives (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(20),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 30 }),
        (last, seqs) => {
          const logged = new Map(
            Array.from({ length: last }, (_, i) => [i + 1, `h${i + 1}`] as const),
          );
          const plan = planSequence(
            seqs.map((s) => entry(s)),
            last,
            logged,
          );
          const applied = plan.steps.filter((s) => s.kind === 'apply').map((s) => s.entry.seq);
          expect(applied).toEqual(applied.map((_, i) => last + 1 + i));
          expect(plan.lastApplied).toBe(last + applied.length);
          if (plan.gap) expect(plan.gap.expected).toBe(plan.lastApplied + 1);
        },
      ),
      { seed: 3, numRuns: 500 },
    );
  });
});

describe('mutation fingerprints and storable text', () => {
  it('a fingerprint ignores key order and nothing else', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    expect(mutationHash({ a: 1, b: 2 })).toBe(mutationHash({ b: 2, a: 1 }));
    expect(mutationHash({ a: 1 })).not.toBe(mutationHash({ a: 2 }));
  });

  it('finds and cleans what PostgreSQL cannot store (NUL, unpaired surrogates), keeps the rest', () => {
    expect(hasUnstorableText({ name: 'Brood 🍞 خبز' })).toBe(false);
    expect(hasUnstorableText({ lines: [{ name: 'a\u0000' }] })).toBe(true);
    expect(hasUnstorableText({ ['k\ud800']: 1 })).toBe(true);
    expect(hasUnstorableText(['\udc00x'])).toBe(true);
    expect(storableLabel('a\u0000b', 40)).toBe('a\ufffdb');
    // Cut by code points: the emoji is dropped whole, never halved into a lone surrogate.
    expect(storableLabel('x'.repeat(39) + '🍞', 40)).toBe('x'.repeat(39) + '🍞');
    expect(storableLabel('x'.repeat(40) + '🍞', 40)).toBe('x'.repeat(40));
  });

  it('[G7] unstorable text always shows in the canonical JSON as a \\u escape, so a push looks for it only then', () => {
    const odd = fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\u0000b', 'x\udc00', '\\u0000');
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), odd);
    const value = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(text, fc.oneof(text, fc.array(text), fc.jsonValue())),
    );
    fc.assert(
      fc.property(value, (v) => {
        if (hasUnstorableText(v)) expect(mayHoldUnstorableText(canonicalJson(v))).toBe(true);
      }),
      { seed: 11, numRuns: 2000 },
    );
    expect(mayHoldUnstorableText(canonicalJson({ name: 'Brood 🍞 خبز', n: [1, null] }))).toBe(
      false,
    );
    expect(mayHoldUnstorableText(canonicalJson({ ['k\ud800']: 1 }))).toBe(true);
    expect(mayHoldUnstorableText(canonicalJson(['a\u0000']))).toBe(true);
  });

  it('keeps a storable body as it is and any other one losslessly as escaped JSON text', () => {
    const plain = { type: 'sale.record', name: 'Brood 🍞' };
    expect(storedBody(plain, canonicalJson(plain))).toBe(plain);
    const bad = { type: 'sale.record\u0000', k: '\ud800' };
    const stored = storedBody(bad, canonicalJson(bad)) as { escapedJson: string };
    expect(hasUnstorableText(stored)).toBe(false);
    expect(JSON.parse(stored.escapedJson)).toEqual(bad);
    const deep: unknown = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(nestedDeeperThan(deep, 32)).toBe(true);
    expect(nestedDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestedDeeperThan({ a: [{ b: [] }] }, 3)).toBe(true);
    expect(storedBody(deep, canonicalJson(deep))).toEqual({ escapedJson: canonicalJson(deep) });
  });

  it('the fingerprint of any JSON value is the one the recursive definition gives, at any depth', () => {
    const recursive = (value: unknown): string => {
      if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
      if (Array.isArray(value)) return `[${value.map(recursive).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${recursive(v)}`).join(',')}}`;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(recursive(value));
      }),
      { seed: 7, numRuns: 1000 },
    );
    const depth = 1_000_000;
    expect(canonicalJson(JSON.parse('['.repeat(depth) + ']'.repeat(depth)))).toHaveLength(
      2 * depth,
    );
  });
});
