/**
 * The sales journal an accountant books from: one row per sale line, and one negative row per
 * refunded line (a refund is its own record: src/lib/domain/refund.ts). Voided sales give no
 * rows (they never counted; their receipt numbers stay visible on the device's sales list).
 * Amounts are the goods value after discounts, including VAT, as the event summary counts
 * them (src/lib/domain/summary.ts): the journal's amounts add up to the summary's revenue net
 * of refunds, and per VAT rate to its VAT figures (property-tested in journal.spec.ts). Cash
 * rounding is a payment difference, not turnover, and is left out as the summary leaves it.
 *
 * Rows are produced one entry at a time (`entryRows`, `journalRows` over any iterable), so the
 * server can stream a year without holding it (src/lib/server/exports).
 */
import { receiptLabel } from '../device-code';
import { refundPaymentMethods } from '../electronic-refund';
import type { Cents, Id, PaymentMethod, Refund, Sale, SaleLine, VatRate } from '../types';

export type JournalKind = 'sale' | 'refund';

export interface JournalRow {
  kind: JournalKind;
  /** Epoch ms: the sale's time, or the refund's. */
  at: number;
  /** 'A-7' with the device's code, '7' without one. */
  receipt: string;
  eventId: Id;
  productId: Id;
  product: string;
  /** Negative on a refund row. */
  quantity: number;
  /** The line's list price per item, including VAT. */
  unitPriceCents: Cents;
  /** Goods value after discounts, incl. VAT; negative on a refund row. */
  amountCents: Cents;
  vatRate: VatRate;
  /** VAT contained in amountCents; negative on a refund row. */
  vatCents: Cents;
  /**
   * 'cash', 'qr' or 'cash+qr' for a split payment; on a refund row what went back: 'cash+qr'
   * when part went back in cash and part by phone/card (refundPaymentMethods).
   */
  method: string;
  /** A refund's reason; '' on a sale row. */
  reason: string;
}

/** What the journal reads of a sale (the server's export reads only these columns). */
export type JournalSale = Pick<
  Sale,
  'id' | 'deviceId' | 'receiptNumber' | 'eventId' | 'createdAt' | 'payments' | 'status'
>;

/** What the journal reads of a sale line. */
export type JournalLine = Pick<
  SaleLine,
  | 'id'
  | 'saleId'
  | 'position'
  | 'productId'
  | 'name'
  | 'unitPriceCents'
  | 'quantity'
  | 'totalCents'
  | 'vatRate'
  | 'vatCents'
>;

/** One sale with its lines, or one refund with the sale it refunds (and that sale's lines). */
export type JournalEntry =
  | { kind: 'sale'; sale: JournalSale; lines: readonly JournalLine[] }
  | {
      kind: 'refund';
      refund: Refund;
      sale: JournalSale | undefined;
      lines: readonly JournalLine[];
    };

export interface JournalContext {
  /** Per device id its code (SPEC.md, "Device codes"); a device without one shows plain numbers. */
  deviceCodes?: Readonly<Record<Id, string>>;
}

function paymentMethods(sale: JournalSale): string {
  const methods: PaymentMethod[] = [];
  for (const payment of sale.payments) {
    if (!methods.includes(payment.method)) methods.push(payment.method);
  }
  return methods.sort().join('+');
}

/** The journal rows of one entry (none for a voided sale). */
export function entryRows(entry: JournalEntry, context: JournalContext = {}): JournalRow[] {
  const codes = context.deviceCodes ?? {};
  if (entry.kind === 'sale') {
    const { sale } = entry;
    if (sale.status !== 'completed') return [];
    const receipt = receiptLabel(sale.receiptNumber, codes[sale.deviceId]);
    const method = paymentMethods(sale);
    return [...entry.lines]
      .sort((a, b) => a.position - b.position)
      .map((line) => ({
        kind: 'sale',
        at: sale.createdAt,
        receipt,
        eventId: sale.eventId,
        productId: line.productId,
        product: line.name,
        quantity: line.quantity,
        unitPriceCents: line.unitPriceCents,
        amountCents: line.totalCents,
        vatRate: line.vatRate,
        vatCents: line.vatCents,
        method,
        reason: '',
      }));
  }
  const { refund, sale } = entry;
  const byId = new Map(entry.lines.map((line) => [line.id, line]));
  const receipt = sale ? receiptLabel(sale.receiptNumber, codes[sale.deviceId]) : '';
  return refund.lines.map((back) => {
    const line = byId.get(back.saleLineId);
    return {
      kind: 'refund',
      at: refund.createdAt,
      receipt,
      eventId: refund.eventId,
      productId: back.productId,
      product: line?.name ?? '',
      quantity: -back.quantity,
      unitPriceCents: line?.unitPriceCents ?? 0,
      amountCents: -back.amountCents,
      vatRate: back.vatRate,
      vatCents: -back.vatCents,
      method: refundPaymentMethods(refund),
      reason: refund.reason,
    };
  });
}

/** Every row of the entries, in their order (a generator: nothing is held beyond one entry). */
export function* journalRows(
  entries: Iterable<JournalEntry>,
  context: JournalContext = {},
): Generator<JournalRow> {
  for (const entry of entries) yield* entryRows(entry, context);
}

/** The same, for entries that arrive a page at a time (the server's cursor). */
export async function* journalRowsAsync(
  entries: AsyncIterable<JournalEntry>,
  context: JournalContext = {},
): AsyncGenerator<JournalRow> {
  for await (const entry of entries) yield* entryRows(entry, context);
}

/**
 * The entries of in-memory sales, lines and refunds, in time order (sales and refunds
 * interleaved; equal times: sales first, then by id). `refundedSales` may hold sales outside
 * the selection whose refunds are in it (a January refund of a December sale).
 */
export function journalEntries(input: {
  sales: readonly Sale[];
  lines: readonly SaleLine[];
  refunds: readonly Refund[];
  refundedSales?: readonly Sale[];
}): JournalEntry[] {
  const linesBySale = new Map<Id, SaleLine[]>();
  for (const line of input.lines) {
    const list = linesBySale.get(line.saleId);
    if (list) list.push(line);
    else linesBySale.set(line.saleId, [line]);
  }
  const salesById = new Map<Id, Sale>();
  for (const sale of input.refundedSales ?? []) salesById.set(sale.id, sale);
  for (const sale of input.sales) salesById.set(sale.id, sale);
  const entries: JournalEntry[] = [
    ...input.sales.map((sale): JournalEntry => ({
      kind: 'sale',
      sale,
      lines: linesBySale.get(sale.id) ?? [],
    })),
    ...input.refunds.map((refund): JournalEntry => ({
      kind: 'refund',
      refund,
      sale: salesById.get(refund.saleId),
      lines: linesBySale.get(refund.saleId) ?? [],
    })),
  ];
  return entries.sort(compareEntries);
}

function entryKey(entry: JournalEntry): { at: number; rank: number; id: string } {
  return entry.kind === 'sale'
    ? { at: entry.sale.createdAt, rank: 0, id: entry.sale.id }
    : { at: entry.refund.createdAt, rank: 1, id: entry.refund.id };
}

/** Time order: by time, a sale before a refund at the same instant, then by id. */
export function compareEntries(a: JournalEntry, b: JournalEntry): number {
  const x = entryKey(a);
  const y = entryKey(b);
  return x.at - y.at || x.rank - y.rank || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
}

// ---------------------------------------------------------------------------------------
// VAT totals per rate, for the return

export interface VatTotal {
  vatRate: VatRate;
  /** Sales, incl. VAT. */
  salesCents: Cents;
  /** Refunds, incl. VAT, as a positive number. */
  refundsCents: Cents;
  /** Turnover net of refunds, incl. VAT. */
  grossCents: Cents;
  /** VAT net of refunds. */
  vatCents: Cents;
  /** grossCents - vatCents: the turnover the return asks for. */
  netCents: Cents;
}

/**
 * VAT totals per rate (21, 9, 0 order; only the rates that occur), net of refunds, from the
 * journal's rows. Consumes the rows one by one (works on a stream).
 */
export class VatTotals {
  readonly #byRate = new Map<VatRate, VatTotal>();

  add(row: JournalRow): void {
    let total = this.#byRate.get(row.vatRate);
    if (!total) {
      total = {
        vatRate: row.vatRate,
        salesCents: 0,
        refundsCents: 0,
        grossCents: 0,
        vatCents: 0,
        netCents: 0,
      };
      this.#byRate.set(row.vatRate, total);
    }
    if (row.kind === 'sale') total.salesCents += row.amountCents;
    else total.refundsCents -= row.amountCents;
    total.grossCents += row.amountCents;
    total.vatCents += row.vatCents;
    total.netCents = total.grossCents - total.vatCents;
  }

  totals(): VatTotal[] {
    return [...this.#byRate.values()].sort((a, b) => b.vatRate - a.vatRate).map((t) => ({ ...t }));
  }
}

export function vatTotals(rows: Iterable<JournalRow>): VatTotal[] {
  const totals = new VatTotals();
  for (const row of rows) totals.add(row);
  return totals.totals();
}

export async function vatTotalsAsync(rows: AsyncIterable<JournalRow>): Promise<VatTotal[]> {
  const totals = new VatTotals();
  for await (const row of rows) totals.add(row);
  return totals.totals();
}
