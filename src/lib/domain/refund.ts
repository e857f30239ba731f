/**
 * Refunds: money and goods given back for a whole sale or chosen lines and quantities. A
 * refund is its own record, never an edit of the sale (src/lib/sync/SPEC.md "Refunds"). Pure
 * rules shared by the device store, the server's checks and the screens.
 *
 * Amounts: a refund of q of a line of quantity Q, of which r were refunded before, gives back
 * share(r + q) - share(r) of the line's totalCents (and of its vatCents), where share(k) =
 * round-half-up(total * k / Q). So refunding a line in any number of steps gives back exactly
 * the line's total and VAT, never a cent more, and a refund of everything that remains is
 * the rest to the cent.
 */
import { MAX_VOID_REASON_LENGTH, validateVoidReason } from './sale';
import { divideHalfUp } from './summary';
import { refundCashCents, refundPartsOf } from './electronic-refund';
import type {
  Cents,
  Hlc,
  Id,
  PaymentMethod,
  Refund,
  RefundLine,
  Sale,
  SaleLine,
  StockMovement,
} from './types';

export const MAX_REFUND_REASON_LENGTH = MAX_VOID_REASON_LENGTH;

/** What the maker asks for: chosen lines and quantities, or (lines: 'all') what remains. */
export interface RefundRequest {
  id: Id;
  saleId: Id;
  reason: string;
  createdAt: number;
  hlc: Hlc;
  lines: 'all' | { saleLineId: Id; quantity: number }[];
}

export type RefundErrorCode =
  | 'sale-voided'
  | 'reason-required'
  | 'reason-too-long'
  | 'no-lines'
  | 'unknown-line'
  | 'duplicate-line'
  | 'bad-quantity'
  | 'more-than-remains';

export class RefundError extends Error {
  constructor(
    readonly code: RefundErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RefundError';
  }
}

/** How much of each line earlier refunds took back: line id -> quantity and amounts. */
export interface Refunded {
  quantity: number;
  amountCents: Cents;
  vatCents: Cents;
}

export function refundedByLine(refunds: readonly Refund[]): Map<Id, Refunded> {
  const out = new Map<Id, Refunded>();
  for (const refund of refunds) {
    for (const line of refund.lines) {
      const now = out.get(line.saleLineId) ?? { quantity: 0, amountCents: 0, vatCents: 0 };
      out.set(line.saleLineId, {
        quantity: now.quantity + line.quantity,
        amountCents: now.amountCents + line.amountCents,
        vatCents: now.vatCents + line.vatCents,
      });
    }
  }
  return out;
}

/** What of a sale is left to refund: per line, the quantity not refunded yet. */
export function remainingQuantities(
  lines: readonly SaleLine[],
  refunds: readonly Refund[],
): Map<Id, number> {
  const done = refundedByLine(refunds);
  return new Map(lines.map((l) => [l.id, l.quantity - (done.get(l.id)?.quantity ?? 0)]));
}

/** The sale's goods value not refunded yet. */
export function remainingCents(sale: Pick<Sale, 'totalCents'>, refunds: readonly Refund[]): Cents {
  return sale.totalCents - refunds.reduce((sum, r) => sum + r.totalCents, 0);
}

function share(total: Cents, k: number, quantity: number): Cents {
  // Totals can be negative only through discounts larger than the line (never built), so
  // plain half-up division of non-negative numbers is enough; guard anyway.
  if (total <= 0) return total < 0 ? -divideHalfUp(-total * k, quantity) : 0;
  return divideHalfUp(total * k, quantity);
}

/**
 * How a refund's money goes back, THE rule of src/lib/domain/electronic-refund.ts (card
 * first): of what the refund gives back, as much as the sale took by phone/card and earlier
 * refunds did not give back that way goes back by phone/card; only the rest in cash. `method`
 * is cash when any of it goes back in cash, otherwise as the sale was paid; `cashCents` is
 * given where `method` alone does not say the cash part (refundCashCents), so a refund of a
 * sale that took no phone/card payment, or whose refund is all one way, reads as it always did.
 */
export function refundMoney(
  sale: Pick<Sale, 'payments'>,
  earlier: readonly Pick<Refund, 'id' | 'hlc' | 'totalCents'>[],
  refund: Pick<Refund, 'id' | 'hlc' | 'totalCents'>,
): Pick<Refund, 'method' | 'cashCents'> {
  const parts = refundPartsOf(sale, [...earlier.filter((r) => r.id !== refund.id), refund]).get(
    refund.id,
  );
  const cashCents = parts?.cashCents ?? refund.totalCents;
  const electronic = sale.payments.find((p) => p.method !== 'cash')?.method;
  const method: PaymentMethod = cashCents > 0 || electronic === undefined ? 'cash' : electronic;
  const legacy = refundCashCents({ method, totalCents: refund.totalCents });
  return legacy === cashCents ? { method } : { method, cashCents };
}

/**
 * The refund a request makes, given the sale, its lines and its earlier refunds. Throws a
 * RefundError for a voided sale, a missing or too long reason, no lines, a line not of this
 * sale, a line twice, a quantity that is not a whole number from 1, or more than remains.
 */
export function planRefund(
  sale: Sale,
  lines: readonly SaleLine[],
  earlier: readonly Refund[],
  request: RefundRequest,
  deviceId: Id,
): Refund {
  if (sale.status === 'voided') throw new RefundError('sale-voided', 'This sale was voided.');
  const reason = validateVoidReason(request.reason);
  if (!reason.ok) {
    throw new RefundError(
      reason.error === 'required' ? 'reason-required' : 'reason-too-long',
      reason.error === 'required' ? 'A refund needs a reason.' : 'The reason is too long.',
    );
  }
  const done = refundedByLine(earlier);
  const byId = new Map(lines.map((l) => [l.id, l]));
  const asked =
    request.lines === 'all'
      ? lines
          .map((l) => ({
            saleLineId: l.id,
            quantity: l.quantity - (done.get(l.id)?.quantity ?? 0),
          }))
          .filter((l) => l.quantity > 0)
      : request.lines;
  if (asked.length === 0) {
    throw new RefundError(
      request.lines === 'all' ? 'more-than-remains' : 'no-lines',
      request.lines === 'all' ? 'Everything of this sale was refunded.' : 'Choose what to refund.',
    );
  }
  const seen = new Set<Id>();
  const refundLines: RefundLine[] = [];
  for (const item of asked) {
    const line = byId.get(item.saleLineId);
    if (!line) throw new RefundError('unknown-line', 'A line is not of this sale.');
    if (seen.has(line.id)) throw new RefundError('duplicate-line', 'A line is chosen twice.');
    seen.add(line.id);
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) {
      throw new RefundError('bad-quantity', 'A quantity is a whole number from 1.');
    }
    const before = done.get(line.id)?.quantity ?? 0;
    if (before + item.quantity > line.quantity) {
      throw new RefundError('more-than-remains', 'More than remains of this line.');
    }
    const after = before + item.quantity;
    refundLines.push({
      saleLineId: line.id,
      productId: line.productId,
      vatRate: line.vatRate,
      quantity: item.quantity,
      amountCents:
        share(line.totalCents, after, line.quantity) -
        share(line.totalCents, before, line.quantity),
      vatCents:
        share(line.vatCents, after, line.quantity) - share(line.vatCents, before, line.quantity),
    });
  }
  const position = new Map(lines.map((l) => [l.id, l.position]));
  refundLines.sort((a, b) => (position.get(a.saleLineId) ?? 0) - (position.get(b.saleLineId) ?? 0));
  const totalCents = refundLines.reduce((sum, l) => sum + l.amountCents, 0);
  return {
    id: request.id,
    saleId: sale.id,
    eventId: sale.eventId,
    makerId: sale.makerId,
    deviceId,
    hlc: request.hlc,
    createdAt: request.createdAt,
    reason: reason.value,
    ...refundMoney(sale, earlier, { id: request.id, hlc: request.hlc, totalCents }),
    lines: refundLines,
    totalCents,
    itemCount: refundLines.reduce((sum, l) => sum + l.quantity, 0),
  };
}

/**
 * The stock a refund gives back: for each product whose stock the sale took (a 'sale'
 * movement of the sale), one 'refund' movement of +quantity refunded. Products whose stock
 * was not kept get none.
 */
export function refundMovements(
  refund: Refund,
  saleMovements: readonly StockMovement[],
  newId: () => Id,
): StockMovement[] {
  const stocked = new Set(
    saleMovements
      .filter((m) => m.kind === 'sale' && m.saleId === refund.saleId)
      .map((m) => m.productId),
  );
  const back = new Map<Id, number>();
  for (const line of refund.lines) {
    if (stocked.has(line.productId)) {
      back.set(line.productId, (back.get(line.productId) ?? 0) + line.quantity);
    }
  }
  return [...back].map(([productId, quantity]) => ({
    id: newId(),
    eventId: refund.eventId,
    productId,
    deviceId: refund.deviceId,
    kind: 'refund' as const,
    delta: quantity,
    saleId: refund.saleId,
    hlc: refund.hlc,
    createdAt: refund.createdAt,
  }));
}
