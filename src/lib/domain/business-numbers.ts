/**
 * The maker's Dutch business numbers, printed on receipts when the maker has them:
 *   - KvK number (Kamer van Koophandel, the trade register): exactly 8 digits.
 *   - VAT identification number (btw-id): "NL", 9 digits, "B", 2 digits (NL123456789B01).
 * Both are optional. People type them with spaces or dots ("1234 5678", "nl 1234.56.789.b01"),
 * so those are dropped and letters upper-cased before the format is checked; what is stored
 * is the bare form.
 */

export type KvkNumberError = 'kvk-format';
export type VatNumberError = 'vat-format';

export type BusinessNumberResult<E> = { ok: true; value: string | null } | { ok: false; error: E };

/** Spaces (any), dots and hyphens are separators a person may type; nothing else is dropped. */
function compact(raw: string): string {
  return raw.replace(/[\s.-]/g, '').toUpperCase();
}

/** Empty means "no KvK number" (null); otherwise exactly 8 digits. */
export function parseKvkNumber(raw: string): BusinessNumberResult<KvkNumberError> {
  const value = compact(raw);
  if (value === '') return { ok: true, value: null };
  return /^[0-9]{8}$/.test(value) ? { ok: true, value } : { ok: false, error: 'kvk-format' };
}

/** Empty means "no VAT number" (null); otherwise NL + 9 digits + B + 2 digits. */
export function parseVatNumber(raw: string): BusinessNumberResult<VatNumberError> {
  const value = compact(raw);
  if (value === '') return { ok: true, value: null };
  return /^NL[0-9]{9}B[0-9]{2}$/.test(value)
    ? { ok: true, value }
    : { ok: false, error: 'vat-format' };
}

export function isKvkNumber(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9]{8}$/.test(value);
}

export function isVatNumber(value: unknown): value is string {
  return typeof value === 'string' && /^NL[0-9]{9}B[0-9]{2}$/.test(value);
}
