import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MONEY_CENTS } from './money';
import {
  backspaceTender,
  EMPTY_TENDER,
  isTenderKey,
  tenderKeyOf,
  tenderCents,
  tenderText,
  typeTenderKey,
  type TenderKey,
  type TypedTender,
} from './tender-input';

function type(keys: string, from: TypedTender = EMPTY_TENDER): TypedTender {
  let typed = from;
  for (const key of keys) {
    if (!isTenderKey(key)) throw new Error(`not a key: ${key}`);
    typed = typeTenderKey(typed, key);
  }
  return typed;
}

describe('the keypad takes euros', () => {
  it('typing 1, 0 means 10 euros', () => {
    expect(tenderCents(type('10'))).toBe(1000);
    expect(tenderCents(type('5'))).toBe(500);
    expect(tenderCents(type('150'))).toBe(15_000);
  });

  it('the decimal key starts the cents, comma or point alike, at most two digits', () => {
    expect(tenderCents(type('10,5'))).toBe(1050);
    expect(tenderCents(type('10.5'))).toBe(1050);
    expect(tenderCents(type('10,55'))).toBe(1055);
    expect(tenderCents(type('10,559'))).toBe(1055);
    expect(tenderCents(type('10,05'))).toBe(1005);
    expect(tenderCents(type(',5'))).toBe(50);
    expect(tenderCents(type('10,'))).toBe(1000);
    // A second decimal key changes nothing.
    expect(type('1,.,2')).toEqual(type('1,2'));
  });

  it('shows what was typed with the language separator; leading zeros collapse', () => {
    expect(tenderText(type('10,5'), ',')).toBe('10,5');
    expect(tenderText(type('10.5'), '.')).toBe('10.5');
    expect(tenderText(type('007'), ',')).toBe('7');
    expect(tenderText(type(','), '.')).toBe('0.');
    expect(tenderText(EMPTY_TENDER, ',')).toBe('0');
  });

  it('backspace takes the last key off, the decimal key included', () => {
    expect(backspaceTender(type('10,55'))).toEqual(type('10,5'));
    expect(backspaceTender(type('10,'))).toEqual(type('10'));
    expect(backspaceTender(type('1'))).toEqual(EMPTY_TENDER);
    expect(backspaceTender(EMPTY_TENDER)).toEqual(EMPTY_TENDER);
  });

  it('never grows past the largest amount', () => {
    const max = type(String(MAX_MONEY_CENTS / 100));
    expect(tenderCents(max)).toBe(MAX_MONEY_CENTS);
    expect(type('0', max)).toEqual(max);
    expect(type(',1', max)).toEqual(type(',', max));
    expect(isTenderKey('a')).toBe(false);
    expect(isTenderKey('00')).toBe(false);
    expect(isTenderKey('-')).toBe(false);
  });

  it('property: the value is whole cents within bounds and equals the typed decimal number', () => {
    const key = fc.constantFrom<TenderKey>('0', '1', '2', '5', '9', ',', '.');
    fc.assert(
      fc.property(fc.array(key, { maxLength: 14 }), (keys) => {
        const typed = type(keys.join(''));
        const cents = tenderCents(typed);
        expect(Number.isSafeInteger(cents)).toBe(true);
        expect(cents).toBeGreaterThanOrEqual(0);
        expect(cents).toBeLessThanOrEqual(MAX_MONEY_CENTS);
        expect(Math.round(Number(tenderText(typed, '.')) * 100)).toBe(cents);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});

describe('a keyboard types on the keypad too', () => {
  it('an Arabic or Persian keyboard types its own digits and separators: read as the keys they are', () => {
    expect(tenderKeyOf('٥')).toBe('5');
    expect(tenderKeyOf('۷')).toBe('7');
    expect(tenderKeyOf('٫')).toBe('.');
    expect(tenderKeyOf('،')).toBe(',');
    expect(tenderKeyOf('1')).toBe('1');
    for (const other of ['a', '٬', '-', 'Backspace', '', '\u200f', '٪', '55'])
      expect(tenderKeyOf(other)).toBeNull();
  });
});
