import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addProduct, emptyCart, setCartDiscount, type Cart } from './cart';
import {
  decodeReceipt,
  encodeReceipt,
  MAX_RECEIPT_FRAGMENT_LENGTH,
  receiptFromSale,
  receiptIsVatExempt,
  receiptPaidCents,
  type Receipt,
} from './receipt';
import { buildSale } from './sale';
import type { Sale, VatRate } from './types';

const SEED = { seed: 42, numRuns: 300 };
const SOLD_AT = Date.UTC(2026, 11, 6, 14, 5, 9);

function sell(
  items: { name: string; priceCents: number; vatRate: VatRate; quantity: number }[],
  tenderedCents?: number,
  cashRounding = false,
): Receipt {
  let cart: Cart = emptyCart();
  items.forEach((item, i) => {
    cart = addProduct(cart, { id: `p${i}`, ...item }, item.quantity);
  });
  return receiptOf(cart, tenderedCents, cashRounding);
}

function receiptOf(cart: Cart, tenderedCents?: number, cashRounding = false): Receipt {
  let n = 0;
  const { sale, lines } = buildSale({
    id: 'sale-1',
    eventId: 'event-1',
    makerId: 'maker-1',
    hlc: 'h',
    createdAt: SOLD_AT + 123,
    cart,
    payment: { method: 'cash', tenderedCents: tenderedCents ?? 100_000_000, cashRounding },
    lineIds: () => `line-${n++}`,
  });
  const stored: Sale = { ...sale, receiptNumber: 9, deviceId: 'device-1' };
  return receiptFromSale(stored, lines, {
    stallName: 'Bakkerij Amal',
    kvkNumber: '12345678',
    vatNumber: 'NL123456789B01',
  });
}

/** The fragment of a payload written by hand (an attacker's or a broken link). */
function fragmentOf(payload: unknown): string {
  const json = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const bytes = new TextEncoder().encode(json);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `1.${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

const VALID_PAYLOAD: unknown[] = [
  'Bakkerij Amal',
  null,
  null,
  9,
  1_765_029_909,
  'cash',
  [['Brood', 2, 350, 700, 9]],
  [[9, 700, 58]],
  700,
  0,
  1000,
  300,
];

function withField(index: number, value: unknown): unknown[] {
  const copy: unknown[] = structuredClone(VALID_PAYLOAD);
  copy[index] = value;
  return copy;
}

describe('receipt codec', () => {
  it('round trip: a sale with two VAT rates, rounding and change', () => {
    const receipt = sell(
      [
        { name: 'Brood', priceCents: 350, vatRate: 9, quantity: 2 },
        { name: 'Sjaal رنگ', priceCents: 2499, vatRate: 21, quantity: 1 },
      ],
      4000,
      true,
    );
    expect(receipt.roundingCents).not.toBe(0);
    const decoded = decodeReceipt(`#${encodeReceipt(receipt)}`);
    expect(decoded).toEqual({ ok: true, receipt });
    expect(receipt.vat.map((v) => v.rate)).toEqual([21, 9]);
    expect(receiptPaidCents(receipt)).toBe(receipt.totalCents + receipt.roundingCents);
    expect(receipt.changeCents).toBe(4000 - receiptPaidCents(receipt));
    expect(receipt.soldAt).toBe(SOLD_AT);
  });

  it('property: every sale the till can make decodes to the same receipt', () => {
    const item = fc.record({
      name: fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }),
      priceCents: fc.integer({ min: 0, max: 1_000_000 }),
      vatRate: fc.constantFrom<VatRate>(0, 9, 21),
      quantity: fc.integer({ min: 1, max: 20 }),
    });
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 90 }),
        fc.boolean(),
        (items, percent, rounding) => {
          let cart: Cart = emptyCart();
          items.forEach((it, i) => {
            cart = addProduct(cart, { id: `p${i}`, ...it }, it.quantity);
          });
          const discounted = setCartDiscount(cart, { kind: 'percent', percent });
          if (discounted.ok) cart = discounted.cart;
          const receipt = receiptOf(cart, undefined, rounding);
          const decoded = decodeReceipt(encodeReceipt(receipt));
          expect(decoded.ok).toBe(true);
          if (!decoded.ok) return;
          // Names are cleaned of control characters for the receipt; everything else is equal.
          expect({ ...decoded.receipt, lines: [] }).toEqual({ ...receipt, lines: [] });
          decoded.receipt.lines.forEach((line, i) => {
            expect({ ...line, name: '' }).toEqual({ ...receipt.lines[i], name: '' });
          });
        },
      ),
      SEED,
    );
  });

  it('bounded size: a 30-line sale with the longest Arabic names fits a QR code', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({
      name: `${'خبز بالسمسم والزعتر '.repeat(3).slice(0, 56)} ${i}`,
      priceCents: 99_999_99,
      vatRate: (i % 2 === 0 ? 21 : 9) as VatRate,
      quantity: 999,
    }));
    // One million euros is the till's ceiling per amount: keep the sum below it.
    const receipt = sell(items.map((it) => ({ ...it, priceCents: 3333, quantity: 9 })));
    const encoded = encodeReceipt(receipt);
    expect(encoded.length).toBeLessThanOrEqual(MAX_RECEIPT_FRAGMENT_LENGTH);
    const decoded = decodeReceipt(encoded);
    expect(decoded.ok && decoded.receipt.lines.length).toBe(30);
    expect(decoded.ok && decoded.receipt.totalCents).toBe(receipt.totalCents);
  });

  it('a usual 30-line sale keeps its names whole and stays small', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({
      name: `Appeltaart ${i}`,
      priceCents: 450,
      vatRate: 9 as VatRate,
      quantity: 1,
    }));
    const encoded = encodeReceipt(sell(items));
    expect(encoded.length).toBeLessThan(1400);
    const decoded = decodeReceipt(encoded);
    expect(decoded.ok && decoded.receipt.lines[29]?.name).toBe('Appeltaart 29');
  });

  it('KOR: a sale without VAT on any line is VAT-exempt', () => {
    const kor = sell([{ name: 'Kaars', priceCents: 800, vatRate: 0, quantity: 1 }]);
    expect(receiptIsVatExempt(kor)).toBe(true);
    const mixed = sell([
      { name: 'Kaars', priceCents: 800, vatRate: 0, quantity: 1 },
      { name: 'Brood', priceCents: 350, vatRate: 9, quantity: 1 },
    ]);
    expect(receiptIsVatExempt(mixed)).toBe(false);
  });

  it('control and bidi override characters in names never reach the receipt', () => {
    const receipt = sell([
      { name: 'Thee\u202Egnik\u0000', priceCents: 300, vatRate: 9, quantity: 1 },
    ]);
    const decoded = decodeReceipt(encodeReceipt(receipt));
    expect(decoded.ok && decoded.receipt.lines[0]?.name).toBe('Theegnik');
  });

  it('reads the hand-written valid payload the hostile cases start from', () => {
    expect(decodeReceipt(fragmentOf(VALID_PAYLOAD)).ok).toBe(true);
  });

  it('markup in a name stays text: the receipt carries it as it is', () => {
    const script = '<img src=x onerror=alert(1)>';
    const decoded = decodeReceipt(fragmentOf(withField(0, script)));
    expect(decoded.ok && decoded.receipt.stallName).toBe(script);
  });

  it.each([
    ['empty', '', 'version'],
    ['no version', 'abc', 'version'],
    ['unknown version', '2.WyJ4Il0', 'version'],
    ['bad base64', '1.@@@@', 'base64'],
    ['base64 of impossible length', '1.A', 'base64'],
    ['huge', `1.${'A'.repeat(1_000_000)}`, 'too-long'],
    ['not UTF-8', `1.${btoa('\xff\xfe').replace(/\//g, '_').replace(/=+$/, '')}`, 'utf8'],
    ['not JSON', fragmentOf('[1,2'), 'json'],
    ['an object', fragmentOf({ a: 1 }), 'shape'],
    ['stall of 61 characters', fragmentOf(withField(0, 'x'.repeat(61))), 'text'],
    ['NUL in the stall', fragmentOf(withField(0, 'Bak\u0000ker')), 'text'],
    ['RTL override in the stall', fragmentOf(withField(0, 'Bak\u202Eker')), 'text'],
    ['lone surrogate', fragmentOf(withField(0, 'Bak\ud800')), 'text'],
    ['empty stall', fragmentOf(withField(0, '')), 'text'],
    ['bad KvK', fragmentOf(withField(1, '1234')), 'text'],
    ['bad VAT id', fragmentOf(withField(2, 'NL1B01')), 'text'],
    ['negative receipt number', fragmentOf(withField(3, -1)), 'numbers'],
    ['receipt number 2^31', fragmentOf(withField(3, 2 ** 31)), 'numbers'],
    ['time 2^53', fragmentOf(withField(4, 2 ** 53)), 'numbers'],
    ['fractional total', fragmentOf(withField(8, 700.5)), 'numbers'],
    ['negative line', fragmentOf(withField(6, [['Brood', 2, -350, -700, 9]])), 'numbers'],
    ['quantity 2^31', fragmentOf(withField(6, [['Brood', 2 ** 31, 350, 700, 9]])), 'numbers'],
    ['unknown VAT rate', fragmentOf(withField(6, [['Brood', 2, 350, 700, 6]])), 'numbers'],
    [
      'line dearer than its price',
      fragmentOf(withField(6, [['Brood', 1, 350, 700, 9]])),
      'numbers',
    ],
    ['total not the lines', fragmentOf(withField(8, 800)), 'numbers'],
    ['wrong change', fragmentOf(withField(11, 299)), 'sums'],
    ['too little paid', fragmentOf(withField(10, 600)), 'sums'],
    ['VAT rate missing', fragmentOf(withField(7, [])), 'sums'],
    ['no lines', fragmentOf(withField(6, [])), 'shape'],
    ['unknown method', fragmentOf(withField(5, 'card')), 'shape'],
  ])('refuses %s', (_label, fragment, error) => {
    const result = decodeReceipt(fragment);
    expect(result.ok).toBe(false);
    if (!result.ok && error !== 'numbers') expect(result.error).toBe(error);
  });

  it('property: any string decodes to a result, never a throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => {
        const result = decodeReceipt(text);
        expect(typeof result.ok).toBe('boolean');
        const prefixed = decodeReceipt(`1.${text}`);
        expect(typeof prefixed.ok).toBe('boolean');
      }),
      SEED,
    );
  });
});
