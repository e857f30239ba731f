/**
 * The till's keypad takes euros, as a person says them: typing 1, 0 means 10 euros; the
 * decimal key starts the cents (at most two digits). The typed text is kept as the maker
 * typed it ("10", "10,", "10,5") so the screen can echo it; its value is whole cents.
 * Both ',' and '.' are accepted as the decimal key (a keyboard may have either), whatever
 * the language shows. An amount never grows past MAX_MONEY_CENTS: a key that would take it
 * there is ignored.
 */
import { MAX_MONEY_CENTS, normalizeDigits } from './money';
import type { Cents } from './types';

/** What was typed: euros, and the cents once the decimal key was pressed (else null). */
export interface TypedTender {
  euros: string;
  cents: string | null;
}

export const EMPTY_TENDER: TypedTender = { euros: '', cents: null };

export type TenderKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | ',' | '.';

export function isTenderKey(key: string): key is TenderKey {
  return /^[0-9.,]$/.test(key);
}

/**
 * The keypad key a keyboard's key stands for: the digits and separators an Arabic or Persian
 * keyboard types ('٥', '۷', '٫', '،') are the keys they look like; anything else is null.
 */
export function tenderKeyOf(key: string): TenderKey | null {
  const normalized = normalizeDigits(key);
  return isTenderKey(normalized) ? normalized : null;
}

/** The typed amount after one more key; the same value when the key cannot apply. */
export function typeTenderKey(typed: TypedTender, key: TenderKey): TypedTender {
  if (key === ',' || key === '.') {
    return typed.cents === null ? { euros: typed.euros, cents: '' } : typed;
  }
  let next: TypedTender;
  if (typed.cents === null) {
    // No leading zeros: "0", "7" -> "7".
    next = { euros: typed.euros === '0' ? key : typed.euros + key, cents: null };
  } else {
    if (typed.cents.length >= 2) return typed;
    next = { euros: typed.euros, cents: typed.cents + key };
  }
  return tenderCents(next) > MAX_MONEY_CENTS ? typed : next;
}

/** Removes the last key typed. */
export function backspaceTender(typed: TypedTender): TypedTender {
  if (typed.cents !== null) {
    return typed.cents === ''
      ? { euros: typed.euros, cents: null }
      : { euros: typed.euros, cents: typed.cents.slice(0, -1) };
  }
  return { euros: typed.euros.slice(0, -1), cents: null };
}

export function isEmptyTender(typed: TypedTender): boolean {
  return typed.euros === '' && typed.cents === null;
}

/** Whole cents of a typed amount ("10" -> 1000, "10,5" -> 1050, "," -> 0). */
export function tenderCents(typed: TypedTender): Cents {
  const euros = typed.euros === '' ? 0 : Number(typed.euros);
  const cents = typed.cents === null ? 0 : Number(typed.cents.padEnd(2, '0'));
  return euros * 100 + cents;
}

/** The typed text for the screen, with the language's decimal separator ("10,5"). */
export function tenderText(typed: TypedTender, decimalSeparator: ',' | '.'): string {
  const euros = typed.euros === '' ? '0' : typed.euros;
  return typed.cents === null ? euros : `${euros}${decimalSeparator}${typed.cents}`;
}
