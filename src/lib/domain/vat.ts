/**
 * VAT contained in a price that includes VAT (Dutch prices are shown and entered incl. VAT).
 *
 * THE rounding rule (the only one in Kraam):
 *   vat = round(gross * rate / (100 + rate)), rounded to the nearest cent, halves away
 *   from zero, computed per sale line on the line's total after its discounts.
 * It is done in integers: the quotient and remainder of |gross| * rate by (100 + rate) are
 * exact, the remainder decides the rounding (2 * r >= divisor -> up), and the sign is put
 * back at the end, so vat(-g) = -vat(g) (a refund or void mirrors the sale exactly) and no
 * float ever holds the division result. Net is always gross - vat, so gross = net + vat
 * to the cent. (With the divisors 109 and 121, both odd, an exact half cannot even occur;
 * the tie rule is stated anyway so a future rate cannot make the result ambiguous.)
 */
import { assertCents } from './money';
import type { Cents, VatRate } from './types';
import { VAT_RATES } from './types';

export function isVatRate(value: unknown): value is VatRate {
  return typeof value === 'number' && (VAT_RATES as readonly number[]).includes(value);
}

/** VAT inside `grossCents` at `rate` percent, by THE rounding rule above. */
export function vatIncluded(grossCents: Cents, rate: VatRate): Cents {
  assertCents(grossCents, 'gross');
  if (!isVatRate(rate)) throw new RangeError(`unknown VAT rate: ${String(rate)}`);
  if (rate === 0 || grossCents === 0) return 0;
  const magnitude = Math.abs(grossCents) * rate;
  assertCents(magnitude, 'gross * rate');
  const divisor = 100 + rate;
  const remainder = magnitude % divisor;
  const quotient = (magnitude - remainder) / divisor;
  const rounded = 2 * remainder >= divisor ? quotient + 1 : quotient;
  // `0 - x`, not `-x`: a negative zero would leak into sums and comparisons.
  return grossCents < 0 ? 0 - rounded : rounded;
}

/** The price without VAT: gross minus the VAT above (never rounded separately). */
export function netOf(grossCents: Cents, rate: VatRate): Cents {
  return grossCents - vatIncluded(grossCents, rate);
}
