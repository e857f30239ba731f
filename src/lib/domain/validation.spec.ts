import { describe, expect, it } from 'vitest';
import {
  isIsoDate,
  validateEventInput,
  validateProductInput,
  validateQuantity,
} from './validation';

const good = { name: 'Brood', price: '3,50', vatRate: '9', stock: '' };

describe('validateProductInput', () => {
  it('accepts a good product, trimmed, with or without stock', () => {
    expect(validateProductInput(good)).toEqual({
      ok: true,
      value: { name: 'Brood', priceCents: 350, vatRate: 9, stock: null },
    });
    expect(
      validateProductInput({ ...good, name: '  خبز  ', price: '٣٫٥٠', vatRate: 21, stock: '٤٠' }),
    ).toEqual({
      ok: true,
      value: { name: 'خبز', priceCents: 350, vatRate: 21, stock: 40 },
    });
    expect(validateProductInput({ ...good, vatRate: '0', stock: '0' })).toMatchObject({
      ok: true,
      value: { vatRate: 0, stock: 0 },
    });
  });

  it('reports every bad field at once, as codes', () => {
    expect(validateProductInput({ name: '  ', price: '', vatRate: '', stock: 'x' })).toEqual({
      ok: false,
      errors: { name: 'required', price: 'required', vatRate: 'required', stock: 'not-a-number' },
    });
  });

  it.each([
    [{ name: 'x'.repeat(61) }, { name: 'too-long' }],
    [{ price: '-1' }, { price: 'negative' }],
    [{ price: 'abc' }, { price: 'not-a-number' }],
    [{ price: '1,234' }, { price: 'too-many-decimals' }],
    [{ price: '2000000' }, { price: 'too-large' }],
    [{ vatRate: '6' }, { vatRate: 'invalid-rate' }],
    [{ vatRate: 'abc' }, { vatRate: 'invalid-rate' }],
    [{ vatRate: 9.5 }, { vatRate: 'invalid-rate' }],
    [{ stock: '-3' }, { stock: 'negative' }],
    [{ stock: '2.5' }, { stock: 'not-whole' }],
    [{ stock: '100000' }, { stock: 'too-large' }],
  ])('rejects %j with %j', (patch, errors) => {
    expect(validateProductInput({ ...good, ...patch })).toEqual({ ok: false, errors });
  });

  it('counts characters, not UTF-16 units: 60 emoji are fine', () => {
    expect(validateProductInput({ ...good, name: '🍞'.repeat(60) }).ok).toBe(true);
    expect(validateProductInput({ ...good, vatRate: '21 %' }).ok).toBe(true);
  });
});

describe('validateEventInput', () => {
  it('needs a name and a real calendar date; place is optional', () => {
    expect(validateEventInput({ name: ' Bazaar ', date: '2026-03-14', place: '' })).toEqual({
      ok: true,
      value: { name: 'Bazaar', date: '2026-03-14', place: '' },
    });
    expect(validateEventInput({ name: '', date: '', place: 'x'.repeat(121) })).toEqual({
      ok: false,
      errors: { name: 'required', date: 'required', place: 'too-long' },
    });
    expect(validateEventInput({ name: 'B', date: '2026-02-30', place: '' })).toEqual({
      ok: false,
      errors: { date: 'invalid-date' },
    });
  });

  it('isIsoDate knows leap years and the format', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-4-1')).toBe(false);
    expect(isIsoDate('14-03-2026')).toBe(false);
    expect(isIsoDate('2026-12-31')).toBe(true);
  });
});

describe('validateQuantity', () => {
  it.each([
    [1, { ok: true, value: 1 }],
    [999, { ok: true, value: 999 }],
    ['12', { ok: true, value: 12 }],
    ['١٢', { ok: true, value: 12 }],
    [0, { ok: false, error: 'out-of-range' }],
    ['0', { ok: false, error: 'out-of-range' }],
    [1000, { ok: false, error: 'out-of-range' }],
    ['-2', { ok: false, error: 'out-of-range' }],
    [1.5, { ok: false, error: 'not-whole' }],
    ['1,5', { ok: false, error: 'not-whole' }],
    ['', { ok: false, error: 'required' }],
    ['abc', { ok: false, error: 'not-a-number' }],
    [Number.NaN, { ok: false, error: 'not-a-number' }],
  ])('%j -> %j', (input, expected) => {
    expect(validateQuantity(input)).toEqual(expected);
  });
});
