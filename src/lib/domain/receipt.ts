/**
 * The customer's receipt, carried whole in a URL fragment: `/r#1.<base64url>`.
 *
 * Why the fragment: a browser never sends it to a server, so the receipt page (a static,
 * precached page, src/routes/r) shows what was bought without the server ever learning it,
 * and it works while the maker's phone is offline. The QR code on the till holds the URL.
 *
 * Format, version 1: "1." then base64url (no padding) of the UTF-8 JSON array
 *   [stallName, kvkNumber|null, vatNumber|null, receiptNumber, soldAtSeconds, method,
 *    [[name, quantity, unitPriceCents, totalCents, vatRate], ...],
 *    [[vatRate, grossCents, vatCents], ...], totalCents, roundingCents,
 *    tenderedCents|null, changeCents|null]
 * Positional, not keyed, so a 30-line sale fits a QR code a phone can read. A new version
 * gets a new prefix; a page that meets a version it does not know says it cannot read it.
 *
 * Decoding trusts nothing: the fragment is whatever a link says. Every field is checked
 * (types, integer ranges, text without control, NUL, lone surrogate or bidi override
 * characters, and that the figures add up), and anything else is one answer: unreadable.
 * The page renders the result as text only, never as HTML.
 */
import { isKvkNumber, isVatNumber } from './business-numbers';
import { MAX_LINE_QUANTITY } from './cart';
import { MAX_MONEY_CENTS } from './money';
import { isVatRate } from './vat';
import type { Cents, PaymentMethod, Sale, SaleLine, VatRate } from './types';

export const RECEIPT_VERSION = 1;
/** Longest fragment the page reads and the till makes: a QR code holds at most 2,953 bytes. */
export const MAX_RECEIPT_FRAGMENT_LENGTH = 2800;
/** Most lines one receipt carries. */
export const MAX_RECEIPT_LINES = 100;
/** Longest stall or product name on a receipt (code points), as the till allows. */
export const MAX_RECEIPT_NAME_LENGTH = 60;
/** Largest receipt number (a device counts from 1; 2^31 - 1 is far beyond any stall). */
export const MAX_RECEIPT_NUMBER = 2_147_483_647;
/** Latest sale time accepted (seconds since 1970): the year 2200. */
const MAX_SOLD_AT_SECONDS = 7_258_118_400;

export interface ReceiptLine {
  name: string;
  quantity: number;
  unitPriceCents: Cents;
  /** What the line costs after its discounts. */
  totalCents: Cents;
  vatRate: VatRate;
}

export interface ReceiptVat {
  rate: VatRate;
  grossCents: Cents;
  vatCents: Cents;
}

export interface Receipt {
  stallName: string;
  kvkNumber: string | null;
  vatNumber: string | null;
  receiptNumber: number;
  /** Epoch milliseconds, whole seconds (the receipt keeps seconds). */
  soldAt: number;
  method: PaymentMethod;
  lines: ReceiptLine[];
  /** VAT per rate, the rates present in the lines, highest rate first. */
  vat: ReceiptVat[];
  totalCents: Cents;
  /** Cash rounding (rounded total - total); 0 when none. */
  roundingCents: Cents;
  /** Cash only: what the customer handed over, and the change. */
  tenderedCents: Cents | null;
  changeCents: Cents | null;
}

export type ReceiptDecodeError =
  'too-long' | 'version' | 'base64' | 'utf8' | 'json' | 'shape' | 'text' | 'numbers' | 'sums';

export type ReceiptDecodeResult =
  { ok: true; receipt: Receipt } | { ok: false; error: ReceiptDecodeError };

/** What the customer pays: the goods plus the cash rounding. */
export function receiptPaidCents(receipt: Receipt): Cents {
  return receipt.totalCents + receipt.roundingCents;
}

/** No line carries VAT: the maker uses the small-business scheme (KOR), "btw-vrijgesteld". */
export function receiptIsVatExempt(receipt: Receipt): boolean {
  return receipt.lines.every((line) => line.vatRate === 0);
}

/** The discount on a line (0 when none): list price times quantity minus what it costs. */
export function receiptLineDiscountCents(line: ReceiptLine): Cents {
  return line.unitPriceCents * line.quantity - line.totalCents;
}

// C0 and C1 controls (NUL included), bidi embeddings, overrides and isolates, and unpaired
// surrogates. Built from a string so no control character sits in a regex literal.
const FORBIDDEN_TEXT = new RegExp(
  '[\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]' +
    '|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
);
const FORBIDDEN_TEXT_ALL = new RegExp(FORBIDDEN_TEXT.source, 'g');

function isReceiptText(value: unknown): value is string {
  if (typeof value !== 'string' || FORBIDDEN_TEXT.test(value)) return false;
  const length = [...value].length;
  return length >= 1 && length <= MAX_RECEIPT_NAME_LENGTH && value.trim() === value;
}

/** A name as the receipt can carry it: forbidden characters dropped, trimmed, shortened. */
export function receiptText(value: string, maxLength = MAX_RECEIPT_NAME_LENGTH): string {
  const cleaned = value.replace(FORBIDDEN_TEXT_ALL, '').trim();
  const points = [...cleaned];
  if (points.length <= maxLength) return cleaned || '?';
  return `${points
    .slice(0, maxLength - 1)
    .join('')
    .trim()}…`;
}

function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/');
  let binary: string;
  try {
    binary = atob(padded + '='.repeat((4 - (padded.length % 4)) % 4));
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function serialise(receipt: Receipt, nameLength: number): string {
  const payload = [
    receiptText(receipt.stallName),
    receipt.kvkNumber,
    receipt.vatNumber,
    receipt.receiptNumber,
    Math.floor(receipt.soldAt / 1000),
    receipt.method,
    receipt.lines.map((line) => [
      receiptText(line.name, nameLength),
      line.quantity,
      line.unitPriceCents,
      line.totalCents,
      line.vatRate,
    ]),
    receipt.vat.map((v) => [v.rate, v.grossCents, v.vatCents]),
    receipt.totalCents,
    receipt.roundingCents,
    receipt.tenderedCents,
    receipt.changeCents,
  ];
  return `${RECEIPT_VERSION}.${toBase64Url(new TextEncoder().encode(JSON.stringify(payload)))}`;
}

export class ReceiptTooLargeError extends Error {
  constructor() {
    super('The receipt does not fit a QR code.');
    this.name = 'ReceiptTooLargeError';
  }
}

/**
 * The fragment for a receipt (without the '#'). Names are cleaned (see receiptText); when
 * the whole receipt would not fit MAX_RECEIPT_FRAGMENT_LENGTH, product names are shortened
 * step by step (the amounts never are). Throws ReceiptTooLargeError when even that fails.
 */
export function encodeReceipt(receipt: Receipt): string {
  for (const nameLength of [MAX_RECEIPT_NAME_LENGTH, 24, 12, 6]) {
    const encoded = serialise(receipt, nameLength);
    if (encoded.length <= MAX_RECEIPT_FRAGMENT_LENGTH) return encoded;
  }
  throw new ReceiptTooLargeError();
}

/** Reads a fragment (with or without its leading '#'). Never throws. */
export function decodeReceipt(fragment: string): ReceiptDecodeResult {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (text.length > MAX_RECEIPT_FRAGMENT_LENGTH) return { ok: false, error: 'too-long' };
  const dot = text.indexOf('.');
  if (dot < 0 || text.slice(0, dot) !== String(RECEIPT_VERSION)) {
    return { ok: false, error: 'version' };
  }
  const bytes = fromBase64Url(text.slice(dot + 1));
  if (!bytes) return { ok: false, error: 'base64' };
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { ok: false, error: 'utf8' };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    return { ok: false, error: 'json' };
  }
  return readPayload(payload);
}

function readPayload(payload: unknown): ReceiptDecodeResult {
  if (!Array.isArray(payload) || payload.length !== 12) return { ok: false, error: 'shape' };
  const [
    stall,
    kvk,
    vatId,
    number,
    soldAt,
    method,
    rawLines,
    rawVat,
    total,
    rounding,
    tendered,
    change,
  ] = payload as unknown[];
  if (!Array.isArray(rawLines) || !Array.isArray(rawVat)) return { ok: false, error: 'shape' };
  if (rawLines.length < 1 || rawLines.length > MAX_RECEIPT_LINES || rawVat.length > 3) {
    return { ok: false, error: 'shape' };
  }
  if (method !== 'cash' && method !== 'qr') return { ok: false, error: 'shape' };
  if (!isReceiptText(stall)) return { ok: false, error: 'text' };
  if (kvk !== null && !isKvkNumber(kvk)) return { ok: false, error: 'text' };
  if (vatId !== null && !isVatNumber(vatId)) return { ok: false, error: 'text' };
  if (!isIntIn(number, 1, MAX_RECEIPT_NUMBER) || !isIntIn(soldAt, 0, MAX_SOLD_AT_SECONDS)) {
    return { ok: false, error: 'numbers' };
  }
  if (!isIntIn(total, 0, MAX_MONEY_CENTS) || !isIntIn(rounding, -2, 2)) {
    return { ok: false, error: 'numbers' };
  }

  const lines: ReceiptLine[] = [];
  for (const raw of rawLines) {
    if (!Array.isArray(raw) || raw.length !== 5) return { ok: false, error: 'shape' };
    const [name, quantity, unit, lineTotal, rate] = raw as unknown[];
    if (!isReceiptText(name)) return { ok: false, error: 'text' };
    if (
      !isIntIn(quantity, 1, MAX_LINE_QUANTITY) ||
      !isIntIn(unit, 0, MAX_MONEY_CENTS) ||
      !isIntIn(lineTotal, 0, MAX_MONEY_CENTS) ||
      !isVatRate(rate) ||
      lineTotal > unit * quantity
    ) {
      return { ok: false, error: 'numbers' };
    }
    lines.push({ name, quantity, unitPriceCents: unit, totalCents: lineTotal, vatRate: rate });
  }

  const vat: ReceiptVat[] = [];
  for (const raw of rawVat) {
    if (!Array.isArray(raw) || raw.length !== 3) return { ok: false, error: 'shape' };
    const [rate, gross, vatCents] = raw as unknown[];
    if (
      !isVatRate(rate) ||
      !isIntIn(gross, 0, MAX_MONEY_CENTS) ||
      !isIntIn(vatCents, 0, MAX_MONEY_CENTS) ||
      vatCents > gross ||
      (rate === 0 && vatCents !== 0)
    ) {
      return { ok: false, error: 'numbers' };
    }
    vat.push({ rate, grossCents: gross, vatCents });
  }

  // The figures must add up, or the page would show a receipt that contradicts itself.
  const linesTotal = lines.reduce((sum, line) => sum + line.totalCents, 0);
  const rates = new Set(lines.map((line) => line.vatRate));
  const vatRates = vat.map((v) => v.rate);
  const grossTotal = vat.reduce((sum, v) => sum + v.grossCents, 0);
  if (
    linesTotal !== total ||
    grossTotal !== total ||
    new Set(vatRates).size !== vatRates.length ||
    vatRates.length !== rates.size ||
    !vatRates.every((rate) => rates.has(rate))
  ) {
    return { ok: false, error: 'sums' };
  }
  for (const v of vat) {
    const gross = lines
      .filter((line) => line.vatRate === v.rate)
      .reduce((sum, line) => sum + line.totalCents, 0);
    if (gross !== v.grossCents) return { ok: false, error: 'sums' };
  }
  const paid = total + rounding;
  if (paid < 0) return { ok: false, error: 'sums' };
  if (method === 'cash') {
    if (!isIntIn(tendered, 0, MAX_MONEY_CENTS) || !isIntIn(change, 0, MAX_MONEY_CENTS)) {
      return { ok: false, error: 'numbers' };
    }
    if (tendered < paid || change !== tendered - paid) return { ok: false, error: 'sums' };
  } else if (tendered !== null || change !== null || rounding !== 0) {
    return { ok: false, error: 'sums' };
  }

  return {
    ok: true,
    receipt: {
      stallName: stall,
      kvkNumber: kvk,
      vatNumber: vatId,
      receiptNumber: number,
      soldAt: soldAt * 1000,
      method,
      lines,
      vat: [...vat].sort((a, b) => b.rate - a.rate),
      totalCents: total,
      roundingCents: rounding,
      tenderedCents: method === 'cash' ? (tendered as number) : null,
      changeCents: method === 'cash' ? (change as number) : null,
    },
  };
}

/** The maker's details a receipt names (from StallProfile). */
export interface ReceiptMaker {
  stallName: string;
  kvkNumber?: string | null;
  vatNumber?: string | null;
}

/**
 * The receipt of a stored sale: its lines in their order, the VAT per rate as the sale's
 * lines computed it (src/lib/domain/vat.ts, per line), and its payment.
 */
export function receiptFromSale(
  sale: Sale,
  saleLines: readonly SaleLine[],
  maker: ReceiptMaker,
): Receipt {
  const ordered = [...saleLines].sort((a, b) => a.position - b.position);
  const byRate = new Map<VatRate, ReceiptVat>();
  for (const line of ordered) {
    const entry = byRate.get(line.vatRate) ?? { rate: line.vatRate, grossCents: 0, vatCents: 0 };
    entry.grossCents += line.totalCents;
    entry.vatCents += line.vatCents;
    byRate.set(line.vatRate, entry);
  }
  const payment = sale.payments[0];
  const cash = payment?.method !== 'qr';
  return {
    stallName: maker.stallName,
    kvkNumber: isKvkNumber(maker.kvkNumber) ? maker.kvkNumber : null,
    vatNumber: isVatNumber(maker.vatNumber) ? maker.vatNumber : null,
    receiptNumber: sale.receiptNumber,
    soldAt: Math.floor(sale.createdAt / 1000) * 1000,
    method: cash ? 'cash' : 'qr',
    lines: ordered.map((line) => ({
      name: line.name,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceCents,
      totalCents: line.totalCents,
      vatRate: line.vatRate,
    })),
    vat: [...byRate.values()].sort((a, b) => b.rate - a.rate),
    totalCents: sale.totalCents,
    roundingCents: sale.roundingCents,
    tenderedCents: cash ? (payment?.tenderedCents ?? sale.paidCents) : null,
    changeCents: cash ? (payment?.changeCents ?? 0) : null,
  };
}
