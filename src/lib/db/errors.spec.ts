import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { StoreError } from './device-store';
import { toStoreError } from './errors';

describe('toStoreError', () => {
  it('passes a StoreError through unchanged', () => {
    const error = new StoreError('not-found', 'gone');
    expect(toStoreError(error)).toBe(error);
  });

  it('maps a QuotaExceededError, bare or wrapped by Dexie as inner, to "quota"', () => {
    const bare = new DOMException('full', 'QuotaExceededError');
    expect(toStoreError(bare).code).toBe('quota');
    const wrapped = new Dexie.AbortError('Transaction aborted', bare);
    expect(wrapped.inner).toBe(bare);
    const mapped = toStoreError(wrapped);
    expect(mapped.code).toBe('quota');
    expect(mapped.message).toBe(
      'The device is full: there is no room left to save this. Nothing was saved.',
    );
    expect(mapped.cause).toBe(wrapped);
  });

  it("finds a quota failure inside a bulk write's failures", () => {
    const bulk = new Dexie.BulkError('1 of 3 operations failed', [
      new DOMException('full', 'QuotaExceededError'),
    ]);
    expect(toStoreError(bulk).code).toBe('quota');
  });

  it('maps a closed database to "closed"', () => {
    expect(toStoreError(new Dexie.DatabaseClosedError()).code).toBe('closed');
    expect(toStoreError(new DOMException('closing', 'InvalidStateError')).code).toBe('closed');
  });

  it('maps a taken key to "invalid" and anything else to "unknown", in plain English', () => {
    expect(toStoreError(new Dexie.ConstraintError('Key already exists')).code).toBe('invalid');
    const other = toStoreError(new TypeError('x is not a function'));
    expect(other.code).toBe('unknown');
    expect(other.message).toBe(
      'The storage on this device failed (TypeError: x is not a function).',
    );
    expect(toStoreError('a string').code).toBe('unknown');
  });
});
