/**
 * The till's cart: an immutable value (every operation returns a new cart, so a runes
 * `$state` holding it re-renders and an undo is just keeping the old value) and its pricing.
 *
 * Rules, decided once:
 *   - One line per product: adding a product already in the cart adds to its quantity.
 *   - Quantities are whole numbers 1..MAX_LINE_QUANTITY on a line; setting 0 removes the
 *     line. A negative, fractional or too-large quantity throws RangeError: it is a bug in
 *     the caller, since typed quantities go through `validateQuantity` first.
 *   - Discounts are validated when they are set (`setLineDiscount`, `setCartDiscount` return
 *     an error result; `validateDiscount` lets a form check first): an amount may not be
 *     negative or exceed what it discounts; a percent is a whole number 0..100.
 *     If the cart changes afterwards so that an amount no longer fits (a line's quantity
 *     goes down), pricing caps it at what it discounts and says so (`lineDiscountClamped`,
 *     `cartDiscountClamped`) for the UI to show — a total never goes below zero, silently
 *     or otherwise.
 *   - A percent discount is rounded to the cent, halves up (base * percent / 100, integers).
 *   - The cart discount is spread over the lines in proportion to their totals after line
 *     discounts, by the largest-remainder method (ties to the earlier line), so the shares
 *     add up to the cart discount exactly; then VAT is computed per line on what remains,
 *     so VAT per rate stays right when a cart mixes 9% and 21% (vat.ts has the rounding rule).
 */
import { assertCents } from './money';
import type { Cents, Id, LineDiscount, Product, VatRate } from './types';
import { VAT_RATES } from './types';
import { isVatRate, vatIncluded } from './vat';

export const MAX_LINE_QUANTITY = 999;

export interface CartLine {
  productId: Id;
  name: string;
  unitPriceCents: Cents;
  vatRate: VatRate;
  quantity: number;
  discount: LineDiscount;
}

export interface Cart {
  lines: CartLine[];
  cartDiscount: LineDiscount;
}

export type CartProduct = Pick<Product, 'id' | 'name' | 'priceCents' | 'vatRate'>;

/**
 * The till's cart as kept on the device after every change, so a reload or a crash never
 * loses it. `pendingSaleId` is the id the sale gets when "Complete" is tapped, written before
 * the sale is recorded: on reopening, a stored sale with that id means the cart was sold;
 * none means it was not, and the cart comes back.
 */
export interface SavedCart {
  eventId: Id;
  cart: Cart;
  pendingSaleId: Id | null;
  savedAt: number;
  /** The browser tab whose cart it is (src/lib/state/tab.ts): one saved cart per tab. */
  tabId: string;
}

export type DiscountError =
  'negative' | 'not-whole' | 'exceeds-amount' | 'percent-out-of-range' | 'unknown-line';
export type DiscountCheck = { ok: true; cents: Cents } | { ok: false; error: DiscountError };
export type CartDiscountResult = { ok: true; cart: Cart } | { ok: false; error: DiscountError };

export interface PricedLine {
  line: CartLine;
  /** unitPrice * quantity */
  grossCents: Cents;
  lineDiscountCents: Cents;
  /** True when the line's amount discount was capped at the line's gross. */
  lineDiscountClamped: boolean;
  cartDiscountShareCents: Cents;
  /** gross - line discount - cart discount share */
  totalCents: Cents;
  /** VAT contained in totalCents. */
  vatCents: Cents;
}

export interface VatRateTotal {
  rate: VatRate;
  /** Sum of line totals at this rate (incl. VAT). */
  grossCents: Cents;
  /** Sum of the per-line VAT at this rate. */
  vatCents: Cents;
  netCents: Cents;
}

export interface PricedCart {
  lines: PricedLine[];
  itemCount: number;
  /** Sum of line totals after line discounts, before the cart discount. */
  subtotalCents: Cents;
  /** Sum of line discounts. */
  lineDiscountCents: Cents;
  cartDiscountCents: Cents;
  /** True when the cart's amount discount was capped at the subtotal. */
  cartDiscountClamped: boolean;
  /** subtotal - cart discount = sum of the lines' totalCents. */
  totalCents: Cents;
  vatCents: Cents;
  /** One entry per rate present in the cart, in VAT_RATES order (21, 9, 0). */
  vatByRate: VatRateTotal[];
}

const NONE: LineDiscount = Object.freeze({ kind: 'none' });

export function emptyCart(): Cart {
  return { lines: [], cartDiscount: NONE };
}

function assertQuantity(quantity: number, allowZero: boolean): void {
  const min = allowZero ? 0 : 1;
  if (!Number.isInteger(quantity) || quantity < min || quantity > MAX_LINE_QUANTITY) {
    throw new RangeError(
      `quantity must be a whole number ${min}..${MAX_LINE_QUANTITY}, got ${quantity}`,
    );
  }
}

function replaceLine(cart: Cart, productId: Id, update: (line: CartLine) => CartLine | null): Cart {
  const index = cart.lines.findIndex((line) => line.productId === productId);
  if (index === -1) return cart;
  const existing = cart.lines[index] as CartLine;
  const next = update(existing);
  const lines = cart.lines.slice();
  if (next === null) lines.splice(index, 1);
  else lines[index] = next;
  return { ...cart, lines };
}

/** Quantity of a product in the cart, 0 when it is not there (for the tile's badge). */
export function lineQuantity(cart: Cart, productId: Id): number {
  return cart.lines.find((line) => line.productId === productId)?.quantity ?? 0;
}

/** Adds `quantity` of a product; a product already in the cart gets its quantity raised. */
export function addProduct(cart: Cart, product: CartProduct, quantity = 1): Cart {
  assertQuantity(quantity, false);
  assertCents(product.priceCents, 'price');
  if (product.priceCents < 0) throw new RangeError('price must not be negative');
  if (!isVatRate(product.vatRate)) throw new RangeError(`unknown VAT rate: ${product.vatRate}`);
  if (cart.lines.some((line) => line.productId === product.id)) {
    return replaceLine(cart, product.id, (line) => {
      const next = line.quantity + quantity;
      assertQuantity(next, false);
      return { ...line, quantity: next };
    });
  }
  const line: CartLine = {
    productId: product.id,
    name: product.name,
    unitPriceCents: product.priceCents,
    vatRate: product.vatRate,
    quantity,
    discount: NONE,
  };
  return { ...cart, lines: [...cart.lines, line] };
}

/** Sets a line's quantity; 0 removes the line. Unknown product: the cart is returned as is. */
export function setQuantity(cart: Cart, productId: Id, quantity: number): Cart {
  assertQuantity(quantity, true);
  return replaceLine(cart, productId, (line) => (quantity === 0 ? null : { ...line, quantity }));
}

export function increment(cart: Cart, productId: Id): Cart {
  return setQuantity(cart, productId, lineQuantity(cart, productId) + 1);
}

/** One less; at 1 the line goes away. */
export function decrement(cart: Cart, productId: Id): Cart {
  const current = lineQuantity(cart, productId);
  return current === 0 ? cart : setQuantity(cart, productId, current - 1);
}

export function removeLine(cart: Cart, productId: Id): Cart {
  return replaceLine(cart, productId, () => null);
}

export function cartItemCount(cart: Cart): number {
  return cart.lines.reduce((sum, line) => sum + line.quantity, 0);
}

/**
 * Checks a discount against the amount it would discount and resolves it to cents.
 * Percent: whole number 0..100, rounded half up to the cent.
 */
export function validateDiscount(discount: LineDiscount, baseCents: Cents): DiscountCheck {
  assertCents(baseCents, 'discount base');
  switch (discount.kind) {
    case 'none':
      return { ok: true, cents: 0 };
    case 'amount':
      if (!Number.isSafeInteger(discount.cents)) return { ok: false, error: 'not-whole' };
      if (discount.cents < 0) return { ok: false, error: 'negative' };
      if (discount.cents > baseCents) return { ok: false, error: 'exceeds-amount' };
      return { ok: true, cents: discount.cents };
    case 'percent': {
      const { percent } = discount;
      if (!Number.isInteger(percent)) return { ok: false, error: 'not-whole' };
      if (percent < 0 || percent > 100) return { ok: false, error: 'percent-out-of-range' };
      return { ok: true, cents: percentOf(baseCents, percent) };
    }
  }
}

/** base * percent / 100 rounded to the cent, halves up (base >= 0), in integers. */
function percentOf(baseCents: Cents, percent: number): Cents {
  const product = baseCents * percent;
  assertCents(product, 'base * percent');
  const remainder = product % 100;
  const quotient = (product - remainder) / 100;
  return remainder >= 50 ? quotient + 1 : quotient;
}

/**
 * Resolves a stored discount for pricing: an amount larger than the base is capped at the
 * base and reported; anything else invalid throws (it cannot have come through the setters).
 */
function resolveDiscount(
  discount: LineDiscount,
  baseCents: Cents,
): { cents: Cents; clamped: boolean } {
  const check = validateDiscount(discount, baseCents);
  if (check.ok) return { cents: check.cents, clamped: false };
  if (check.error === 'exceeds-amount') return { cents: baseCents, clamped: true };
  throw new RangeError(`invalid discount in cart: ${check.error}`);
}

function lineGross(line: CartLine): Cents {
  const gross = line.unitPriceCents * line.quantity;
  assertCents(gross, 'line gross');
  return gross;
}

export function setLineDiscount(
  cart: Cart,
  productId: Id,
  discount: LineDiscount,
): CartDiscountResult {
  const line = cart.lines.find((l) => l.productId === productId);
  if (!line) return { ok: false, error: 'unknown-line' };
  const check = validateDiscount(discount, lineGross(line));
  if (!check.ok) return check;
  return { ok: true, cart: replaceLine(cart, productId, (l) => ({ ...l, discount })) };
}

/** Validated against the subtotal (line totals after their own discounts). */
export function setCartDiscount(cart: Cart, discount: LineDiscount): CartDiscountResult {
  const check = validateDiscount(
    discount,
    priceCart({ ...cart, cartDiscount: NONE }).subtotalCents,
  );
  if (!check.ok) return check;
  return { ok: true, cart: { ...cart, cartDiscount: discount } };
}

/**
 * Splits `totalCents` over `weights` in proportion, by the largest-remainder method: every
 * part is the floor of its exact share, and the cents left over go one each to the parts
 * with the largest remainders (ties to the earlier part). The parts add up to the total
 * exactly and each is within one cent of its exact share. BigInt keeps total * weight exact
 * even past 2^53.
 */
export function allocateProportionally(totalCents: Cents, weights: readonly Cents[]): Cents[] {
  assertCents(totalCents, 'total');
  if (totalCents < 0) throw new RangeError('cannot allocate a negative amount');
  for (const w of weights) {
    assertCents(w, 'weight');
    if (w < 0) throw new RangeError('weights must not be negative');
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (totalCents === 0) return weights.map(() => 0);
  if (weightSum === 0) throw new RangeError('cannot allocate over zero weights');
  const total = BigInt(totalCents);
  const sum = BigInt(weightSum);
  const parts = weights.map((w, index) => {
    const exact = total * BigInt(w);
    return { index, floor: Number(exact / sum), remainder: exact % sum };
  });
  let left = totalCents - parts.reduce((a, p) => a + p.floor, 0);
  const byRemainder = [...parts].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  const result = parts.map((p) => p.floor);
  for (const part of byRemainder) {
    if (left === 0) break;
    result[part.index] = (result[part.index] ?? 0) + 1;
    left--;
  }
  return result;
}

/** Prices the cart by the rules at the top of this module. */
export function priceCart(cart: Cart): PricedCart {
  const resolved = cart.lines.map((line) => {
    const grossCents = lineGross(line);
    const discount = resolveDiscount(line.discount, grossCents);
    return { line, grossCents, discount, afterLine: grossCents - discount.cents };
  });
  const subtotalCents = resolved.reduce((sum, r) => sum + r.afterLine, 0);
  const cartDiscount = resolveDiscount(cart.cartDiscount, subtotalCents);
  const shares = allocateProportionally(
    cartDiscount.cents,
    resolved.map((r) => r.afterLine),
  );
  const lines: PricedLine[] = resolved.map((r, i) => {
    const share = shares[i] ?? 0;
    const totalCents = r.afterLine - share;
    return {
      line: r.line,
      grossCents: r.grossCents,
      lineDiscountCents: r.discount.cents,
      lineDiscountClamped: r.discount.clamped,
      cartDiscountShareCents: share,
      totalCents,
      vatCents: vatIncluded(totalCents, r.line.vatRate),
    };
  });
  const vatByRate: VatRateTotal[] = [];
  for (const rate of VAT_RATES) {
    const atRate = lines.filter((l) => l.line.vatRate === rate);
    if (atRate.length === 0) continue;
    const grossCents = atRate.reduce((sum, l) => sum + l.totalCents, 0);
    const vatCents = atRate.reduce((sum, l) => sum + l.vatCents, 0);
    vatByRate.push({ rate, grossCents, vatCents, netCents: grossCents - vatCents });
  }
  return {
    lines,
    itemCount: cartItemCount(cart),
    subtotalCents,
    lineDiscountCents: lines.reduce((sum, l) => sum + l.lineDiscountCents, 0),
    cartDiscountCents: cartDiscount.cents,
    cartDiscountClamped: cartDiscount.clamped,
    totalCents: subtotalCents - cartDiscount.cents,
    vatCents: lines.reduce((sum, l) => sum + l.vatCents, 0),
    vatByRate,
  };
}
