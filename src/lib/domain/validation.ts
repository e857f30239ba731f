/**
 * Validation of what people type into forms. Each check returns error codes, not text:
 * the UI maps a code to a translated message (nl, en, ar), so the rules live here once and
 * the wording lives in the message files. Inputs are the raw strings from the inputs;
 * Arabic-Indic digits are accepted wherever digits are.
 */
import { normalizeDigits, parseMoneyInput } from './money';
import { MAX_LINE_QUANTITY } from './cart';
import type { Cents, VatRate } from './types';
import { isVatRate } from './vat';

export type ValidationErrorCode =
  | 'required'
  | 'too-long'
  | 'not-a-number'
  | 'negative'
  | 'too-many-decimals'
  | 'too-large'
  | 'not-whole'
  | 'invalid-rate'
  | 'invalid-date'
  | 'out-of-range';

export const MAX_PRODUCT_NAME_LENGTH = 60;
export const MAX_EVENT_NAME_LENGTH = 80;
export const MAX_PLACE_LENGTH = 120;
/** More than this on one stall is a typo (an extra zero), not stock. */
export const MAX_STOCK = 99_999;

export interface ProductInput {
  name: string;
  price: string;
  vatRate: string | number;
  /** Empty: the product has no stock count at this event. */
  stock: string;
}

export interface ProductValue {
  name: string;
  priceCents: Cents;
  vatRate: VatRate;
  stock: number | null;
}

export type ProductField = 'name' | 'price' | 'vatRate' | 'stock';
export type ProductValidation =
  | { ok: true; value: ProductValue }
  | { ok: false; errors: Partial<Record<ProductField, ValidationErrorCode>> };

export interface EventInput {
  name: string;
  /** YYYY-MM-DD, as an <input type="date"> gives it. */
  date: string;
  place: string;
}

export type EventField = 'name' | 'date' | 'place';
export type EventValidation =
  | { ok: true; value: EventInput }
  | { ok: false; errors: Partial<Record<EventField, ValidationErrorCode>> };

export type QuantityValidation =
  | { ok: true; value: number }
  | { ok: false; error: 'required' | 'not-a-number' | 'not-whole' | 'out-of-range' };

/** Length in characters as a person counts them (code points, so emoji and Arabic count once). */
function length(text: string): number {
  return [...text].length;
}

function checkName(raw: string, max: number): { value: string; error?: ValidationErrorCode } {
  const value = raw.trim();
  if (value === '') return { value, error: 'required' };
  if (length(value) > max) return { value, error: 'too-long' };
  return { value };
}

function checkVatRate(raw: string | number): { value?: VatRate; error?: ValidationErrorCode } {
  const text = normalizeDigits(String(raw)).trim().replace(/\s*%$/, '');
  if (text === '') return { error: 'required' };
  const rate = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  return isVatRate(rate) ? { value: rate } : { error: 'invalid-rate' };
}

function checkStock(raw: string): { value: number | null; error?: ValidationErrorCode } {
  const text = normalizeDigits(raw).trim();
  if (text === '') return { value: null };
  if (/^[-\u2212]\s*\d+([.,]\d+)?$/.test(text)) return { value: null, error: 'negative' };
  if (/^\d*[.,]\d+$/.test(text)) return { value: null, error: 'not-whole' };
  if (!/^\d+$/.test(text)) return { value: null, error: 'not-a-number' };
  const digits = text.replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_STOCK).length || Number(digits) > MAX_STOCK) {
    return { value: null, error: 'too-large' };
  }
  return { value: Number(digits) };
}

/** Product form: name 1..60 characters, price incl. VAT (money rules), VAT rate, optional stock. */
export function validateProductInput(input: ProductInput): ProductValidation {
  const errors: Partial<Record<ProductField, ValidationErrorCode>> = {};
  const name = checkName(input.name, MAX_PRODUCT_NAME_LENGTH);
  if (name.error) errors.name = name.error;
  const price = parseMoneyInput(input.price);
  if (!price.ok) errors.price = price.error === 'empty' ? 'required' : price.error;
  const rate = checkVatRate(input.vatRate);
  if (rate.error) errors.vatRate = rate.error;
  const stock = checkStock(input.stock);
  if (stock.error) errors.stock = stock.error;
  if (!price.ok || rate.value === undefined || Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: { name: name.value, priceCents: price.cents, vatRate: rate.value, stock: stock.value },
  };
}

/** True for a real calendar date written YYYY-MM-DD (leap years included). */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [, y = '', m = '', d = ''] = match;
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= daysInMonth;
}

/** Event form: name 1..80 characters, a valid YYYY-MM-DD date, place optional (<= 120). */
export function validateEventInput(input: EventInput): EventValidation {
  const errors: Partial<Record<EventField, ValidationErrorCode>> = {};
  const name = checkName(input.name, MAX_EVENT_NAME_LENGTH);
  if (name.error) errors.name = name.error;
  const date = normalizeDigits(input.date).trim();
  if (date === '') errors.date = 'required';
  else if (!isIsoDate(date)) errors.date = 'invalid-date';
  const place = input.place.trim();
  if (length(place) > MAX_PLACE_LENGTH) errors.place = 'too-long';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { name: name.value, date, place } };
}

/** A quantity typed or set on a cart line: a whole number 1..999. */
export function validateQuantity(quantity: number | string): QuantityValidation {
  let value: number;
  if (typeof quantity === 'number') {
    value = quantity;
  } else {
    const text = normalizeDigits(quantity).trim();
    if (text === '') return { ok: false, error: 'required' };
    if (!/^[-\u2212]?\d*([.,]\d+)?$/.test(text) || !/\d/.test(text)) {
      return { ok: false, error: 'not-a-number' };
    }
    value = Number(text.replace(',', '.').replace('\u2212', '-'));
  }
  if (!Number.isFinite(value)) return { ok: false, error: 'not-a-number' };
  if (!Number.isInteger(value)) return { ok: false, error: 'not-whole' };
  if (value < 1 || value > MAX_LINE_QUANTITY) return { ok: false, error: 'out-of-range' };
  return { ok: true, value };
}
