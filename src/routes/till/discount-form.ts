import type { DiscountError } from '$lib/domain/cart';
import { normalizeDigits, parseMoneyInput, type MoneyInputError } from '$lib/domain/money';
import type { LineDiscount } from '$lib/domain/types';
import { m } from '$lib/paraglide/messages';

export type DiscountMode = 'amount' | 'percent';
export type DiscountFormError = MoneyInputError | DiscountError;

/** Reads what the maker typed into a discount; percent is a whole number. */
export function parseDiscount(
  mode: DiscountMode,
  text: string,
): { ok: true; discount: LineDiscount } | { ok: false; error: DiscountFormError } {
  if (mode === 'amount') {
    const parsed = parseMoneyInput(text);
    if (!parsed.ok) return parsed;
    return { ok: true, discount: { kind: 'amount', cents: parsed.cents } };
  }
  const value = normalizeDigits(text).trim().replace(/%$/, '').trim();
  if (value === '') return { ok: false, error: 'empty' };
  if (!/^-?\d+([.,]\d+)?$/.test(value)) return { ok: false, error: 'not-a-number' };
  const percent = Number(value.replace(',', '.'));
  if (percent < 0) return { ok: false, error: 'negative' };
  if (!Number.isInteger(percent)) return { ok: false, error: 'not-whole' };
  return { ok: true, discount: { kind: 'percent', percent } };
}

/** The message for a refused discount, in the maker's language. */
export function discountErrorMessage(error: DiscountFormError, maxText: string): string {
  switch (error) {
    case 'empty':
      return m.till_discount_error_empty();
    case 'not-a-number':
      return m.till_discount_error_number();
    case 'negative':
      return m.till_discount_error_negative();
    case 'too-many-decimals':
      return m.till_discount_error_decimals();
    case 'too-large':
    case 'exceeds-amount':
      return m.till_discount_error_exceeds({ amount: maxText });
    case 'not-whole':
    case 'percent-out-of-range':
      return m.till_discount_error_percent();
    case 'unknown-line':
      return m.common_error_unknown();
  }
}
