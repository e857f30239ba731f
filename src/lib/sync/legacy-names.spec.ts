// The wire's names before the rename (issue 10). rename.py: keep-legacy-names
import { describe, expect, it } from 'vitest';
import {
  currentNames,
  currentPushRequest,
  legacyNames,
  legacyPullResponse,
  MAKER_NAMES_FEATURE,
  readsMakerNames,
} from './legacy-names';
import { PULL_FEATURES } from './protocol';

describe('legacy names', () => {
  it('renames vendorId keys at every level, never a value the user typed', () => {
    const old = {
      type: 'sale.record',
      sale: { id: 's1', vendorId: 'v1', note: 'vendorId' },
      lines: [{ vendorId: 'v1', name: '"vendorId": x' }],
    };
    expect(currentNames(old)).toEqual({
      type: 'sale.record',
      sale: { id: 's1', makerId: 'v1', note: 'vendorId' },
      lines: [{ makerId: 'v1', name: '"vendorId": x' }],
    });
    expect(legacyNames(currentNames(old))).toEqual(old);
    expect(Object.keys(currentNames({ a: 1, vendorId: 2, b: 3 }) as object)).toEqual([
      'a',
      'makerId',
      'b',
    ]);
  });

  it('keeps the current key where both are sent, and an own __proto__ key as a plain key', () => {
    expect(currentNames({ vendorId: 'old', makerId: 'new' })).toEqual({ makerId: 'new' });
    const parsed = JSON.parse('{"__proto__": {"vendorId": "v1"}, "vendorId": "v2"}') as object;
    const copy = currentNames(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ makerId: 'v1' });
    expect(copy.makerId).toBe('v2');
  });

  it('walks a body nested a million levels deep without running out of stack [G7]', () => {
    const deep = JSON.parse('['.repeat(1_000_000) + '{"vendorId":1}' + ']'.repeat(1_000_000));
    let inner: unknown = currentNames(deep);
    for (let i = 0; i < 1_000_000; i++) inner = (inner as unknown[])[0];
    expect(inner).toEqual({ makerId: 1 });
  });

  it('reads an older app’s push envelope (vendorId) and its queued mutations', () => {
    const body = {
      protocol: 1,
      deviceId: 'd1',
      vendorId: 'v1',
      mutations: [{ seq: 1, mutation: { type: 'product.upsert', product: { vendorId: 'v1' } } }],
    };
    expect(currentPushRequest(body)).toEqual({
      protocol: 1,
      deviceId: 'd1',
      makerId: 'v1',
      mutations: [{ seq: 1, mutation: { type: 'product.upsert', product: { makerId: 'v1' } } }],
    });
    for (const odd of [null, 'x', 7, [], { mutations: 'x' }, { mutations: [null, 3, {}] }]) {
      expect(currentPushRequest(odd)).toEqual(odd);
    }
  });

  it('answers a pull in the old names unless the app names the maker-names feature', () => {
    expect(PULL_FEATURES).toContain(MAKER_NAMES_FEATURE);
    expect(readsMakerNames({ features: ['refunds', MAKER_NAMES_FEATURE] })).toBe(true);
    for (const body of [{}, { features: ['refunds'] }, { features: 'maker-names' }, null]) {
      expect(readsMakerNames(body)).toBe(false);
    }
    const answer = legacyPullResponse({
      protocol: 1,
      epoch: 'e',
      cursor: null,
      hasMore: false,
      makerId: 'v1',
      changes: [
        { entity: 'maker_results', op: 'upsert', data: { id: 'e1', makerId: 'v1' } },
        { entity: 'product', op: 'upsert', data: { id: 'p1', makerId: 'v1', name: 'makerId' } },
      ],
    });
    expect(answer).toEqual({
      protocol: 1,
      epoch: 'e',
      cursor: null,
      hasMore: false,
      vendorId: 'v1',
      changes: [
        { entity: 'vendor_results', op: 'upsert', data: { id: 'e1', vendorId: 'v1' } },
        { entity: 'product', op: 'upsert', data: { id: 'p1', vendorId: 'v1', name: 'makerId' } },
      ],
    });
  });
});
