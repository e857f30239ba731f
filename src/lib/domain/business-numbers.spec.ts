import { describe, expect, it } from 'vitest';
import { isKvkNumber, isVatNumber, parseKvkNumber, parseVatNumber } from './business-numbers';

describe('KvK number', () => {
  it.each([
    ['12345678', '12345678'],
    [' 1234 5678 ', '12345678'],
    ['1234.5678', '12345678'],
  ])('accepts %j as %s', (raw, value) => {
    expect(parseKvkNumber(raw)).toEqual({ ok: true, value });
    expect(isKvkNumber(value)).toBe(true);
  });

  it('empty means none', () => {
    expect(parseKvkNumber('   ')).toEqual({ ok: true, value: null });
  });

  it.each(['1234567', '123456789', '1234567a', '١٢٣٤٥٦٧٨', '12345678\u0000', '-1234567'])(
    'refuses %j',
    (raw) => {
      expect(parseKvkNumber(raw)).toEqual({ ok: false, error: 'kvk-format' });
    },
  );
});

describe('VAT number', () => {
  it.each([
    ['NL123456789B01', 'NL123456789B01'],
    ['nl 1234.56.789 b01', 'NL123456789B01'],
  ])('accepts %j as %s', (raw, value) => {
    expect(parseVatNumber(raw)).toEqual({ ok: true, value });
    expect(isVatNumber(value)).toBe(true);
  });

  it('empty means none', () => {
    expect(parseVatNumber('')).toEqual({ ok: true, value: null });
  });

  it.each(['NL12345678B01', 'BE123456789B01', 'NL123456789B1', 'NL123456789X01', '123456789B01'])(
    'refuses %j',
    (raw) => {
      expect(parseVatNumber(raw)).toEqual({ ok: false, error: 'vat-format' });
    },
  );
});
