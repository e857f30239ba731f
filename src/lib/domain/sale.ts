/**
 * Turning a priced cart and a payment into the rows a completed sale is stored as, and the
 * stock movements a sale or its void means. Pure: the caller supplies ids, the HLC
 * timestamp and the time, and writes everything in one transaction (G1); the device store
 * adds `deviceId` and the receipt number inside that transaction.
 *
 * Decisions:
 *   - Errors a till can hit (empty cart, not enough cash) throw a `SaleError` with a `code`
 *     for the UI to translate; the till should already have prevented them with `change()`.
 *   - A cart whose total is 0 (fully discounted) is a valid sale: it still moves stock.
 *   - Stock movements: one per stocked product per sale, with the quantities of every line
 *     for that product added up (the cart keeps one line per product anyway; combining
 *     keeps the rule "stock = opening + movements" independent of line layout).
 *   - A void reverses exactly the movements the sale recorded (not recomputed from the
 *     lines), so a product that became stocked after the sale is not credited stock it never
 *     lost.
 */
import { cashDue, change } from './cash';
import { priceCart, type Cart } from './cart';
import { planSplit, splitPayments } from './split-payment';
import type { Cents, Hlc, Id, Payment, Sale, SaleLine, StockMovement } from './types';

export type DraftSale = Omit<Sale, 'receiptNumber' | 'deviceId'>;
export type DraftStockMovement = Omit<StockMovement, 'deviceId'>;

export interface CashPaymentInput {
  method: 'cash';
  tenderedCents: Cents;
  /** The maker's voluntary 5-cent rounding setting (StallProfile.cashRounding). */
  cashRounding: boolean;
}

/**
 * Paid by phone or card through the payment provider (docs/payments.md): the exact total,
 * never rounded (5-cent rounding is for cash only), no tender and no change.
 */
export interface ElectronicPaymentInput {
  method: 'qr';
  /**
   * 'link': paid offline on the stall's payment link, awaiting Stripe's confirmation
   * (src/lib/domain/link-payment.ts).
   */
  via?: 'link';
}

/**
 * Part cash, part phone/card (src/lib/domain/split-payment.ts): `cashPartCents` of the total
 * settled in cash (rounded, with tender and change, as a cash sale), the rest exactly by
 * phone or card. Built only once the provider said the electronic part was paid.
 */
export interface SplitPaymentInput {
  method: 'split';
  cashPartCents: Cents;
  tenderedCents: Cents;
  cashRounding: boolean;
}

export type SalePaymentInput = CashPaymentInput | ElectronicPaymentInput | SplitPaymentInput;

export interface BuildSaleInput {
  id: Id;
  eventId: Id;
  makerId: Id;
  hlc: Hlc;
  createdAt: number;
  cart: Cart;
  payment: SalePaymentInput;
  /** One id per cart line, in order, or a generator called once per line. */
  lineIds: string[] | (() => string);
}

export type SaleErrorCode =
  | 'empty-cart'
  | 'insufficient-tender'
  | 'line-ids-mismatch'
  | 'invalid-split'
  | 'already-voided'
  | 'void-reason-required'
  | 'void-reason-too-long';

export class SaleError extends Error {
  readonly code: SaleErrorCode;
  /** For 'insufficient-tender': how much cash is still missing. */
  readonly shortCents: Cents | null;

  constructor(code: SaleErrorCode, message: string, shortCents: Cents | null = null) {
    super(message);
    this.name = 'SaleError';
    this.code = code;
    this.shortCents = shortCents;
  }
}

export const MAX_VOID_REASON_LENGTH = 200;

/** Builds the sale and its lines from the cart. Throws SaleError (see SaleErrorCode). */
export function buildSale(input: BuildSaleInput): { sale: DraftSale; lines: SaleLine[] } {
  const { cart, payment } = input;
  if (cart.lines.length === 0) throw new SaleError('empty-cart', 'the cart is empty');
  if (Array.isArray(input.lineIds) && input.lineIds.length !== cart.lines.length) {
    throw new SaleError(
      'line-ids-mismatch',
      `${input.lineIds.length} line ids for ${cart.lines.length} lines`,
    );
  }
  const priced = priceCart(cart);
  const settled = settle(priced.totalCents, payment);
  const ids = input.lineIds;
  const nextLineId = (i: number): string => (typeof ids === 'function' ? ids() : (ids[i] ?? ''));

  const lines: SaleLine[] = priced.lines.map((p, position) => ({
    id: nextLineId(position),
    saleId: input.id,
    position,
    productId: p.line.productId,
    name: p.line.name,
    unitPriceCents: p.line.unitPriceCents,
    vatRate: p.line.vatRate,
    quantity: p.line.quantity,
    lineDiscountCents: p.lineDiscountCents,
    cartDiscountShareCents: p.cartDiscountShareCents,
    totalCents: p.totalCents,
    vatCents: p.vatCents,
  }));

  const sale: DraftSale = {
    id: input.id,
    eventId: input.eventId,
    makerId: input.makerId,
    hlc: input.hlc,
    createdAt: input.createdAt,
    subtotalCents: priced.subtotalCents,
    lineDiscountCents: priced.lineDiscountCents,
    cartDiscountCents: priced.cartDiscountCents,
    totalCents: priced.totalCents,
    roundingCents: settled.roundingCents,
    paidCents: settled.payments.reduce((a, p) => a + p.amountCents, 0),
    payments: settled.payments,
    itemCount: priced.itemCount,
    status: 'completed',
    voidReason: null,
    voidedAt: null,
  };
  return { sale, lines };
}

/**
 * The payments for a total: cash with its rounding and change, electronic for exactly it, or
 * a split (rounding on the cash part only).
 */
function settle(
  totalCents: Cents,
  payment: SalePaymentInput,
): { payments: Payment[]; roundingCents: Cents } {
  if (payment.method === 'qr') {
    return {
      payments: [
        {
          method: 'qr',
          amountCents: totalCents,
          tenderedCents: null,
          changeCents: null,
          ...(payment.via === 'link' ? { via: 'link' as const } : {}),
        },
      ],
      roundingCents: 0,
    };
  }
  if (payment.method === 'split') {
    const planned = planSplit(totalCents, payment.cashPartCents, payment.cashRounding);
    if (!planned.ok) {
      throw new SaleError('invalid-split', `cannot split ${totalCents}: ${planned.error}`);
    }
    const paid = splitPayments(planned.plan, payment.tenderedCents);
    if (!paid.ok) {
      throw new SaleError(
        'insufficient-tender',
        `tendered ${payment.tenderedCents} < due ${planned.plan.cashDueCents}`,
        paid.shortCents,
      );
    }
    return { payments: paid.payments, roundingCents: planned.plan.roundingCents };
  }
  const due = cashDue(totalCents, payment.cashRounding);
  const tender = change(due.dueCents, payment.tenderedCents);
  if (!tender.ok) {
    throw new SaleError(
      'insufficient-tender',
      `tendered ${payment.tenderedCents} < due ${due.dueCents}`,
      tender.shortCents,
    );
  }
  return {
    payments: [
      {
        method: 'cash',
        amountCents: due.dueCents,
        tenderedCents: payment.tenderedCents,
        changeCents: tender.changeCents,
      },
    ],
    roundingCents: due.roundingCents,
  };
}

/** Only a completed sale can be voided (once). */
export function voidable(sale: Pick<Sale, 'status'>): boolean {
  return sale.status === 'completed';
}

export type VoidReasonResult =
  { ok: true; value: string } | { ok: false; error: 'required' | 'too-long' };

/** A void needs a reason a person wrote: trimmed, 1..200 characters. */
export function validateVoidReason(reason: string): VoidReasonResult {
  const value = reason.trim();
  if (value === '') return { ok: false, error: 'required' };
  if ([...value].length > MAX_VOID_REASON_LENGTH) return { ok: false, error: 'too-long' };
  return { ok: true, value };
}

/**
 * The sale as voided: same id, same receipt number, status 'voided', with the reason and
 * time. Throws SaleError when it is already voided or the reason is missing or too long.
 */
export function voidSale<T extends Pick<Sale, 'status' | 'voidReason' | 'voidedAt'>>(
  sale: T,
  reason: string,
  voidedAt: number,
): T {
  if (!voidable(sale)) throw new SaleError('already-voided', 'the sale is already voided');
  const checked = validateVoidReason(reason);
  if (!checked.ok) {
    throw new SaleError(
      checked.error === 'required' ? 'void-reason-required' : 'void-reason-too-long',
      `void reason ${checked.error}`,
    );
  }
  return { ...sale, status: 'voided', voidReason: checked.value, voidedAt };
}

/**
 * Stock movements for a sale: one per stocked product, delta = -(total quantity sold),
 * kind 'sale', in the order the products first appear on the sale's lines.
 */
export function saleMovements(
  sale: Pick<Sale, 'id' | 'eventId' | 'createdAt'>,
  lines: readonly Pick<SaleLine, 'productId' | 'quantity'>[],
  stockedProductIds: ReadonlySet<string>,
  newId: () => string,
  hlc: Hlc,
): DraftStockMovement[] {
  const sold = new Map<Id, number>();
  for (const line of lines) {
    if (!stockedProductIds.has(line.productId)) continue;
    sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);
  }
  return [...sold].map(([productId, quantity]) => ({
    id: newId(),
    eventId: sale.eventId,
    productId,
    kind: 'sale',
    delta: 0 - quantity,
    saleId: sale.id,
    hlc,
    createdAt: sale.createdAt,
  }));
}

/**
 * The movements that undo a sale's movements: for each 'sale' movement, a 'void' movement
 * with the opposite delta for the same event, product and sale. Other kinds are ignored.
 */
export function voidMovements(
  recorded: readonly Pick<StockMovement, 'eventId' | 'productId' | 'kind' | 'delta' | 'saleId'>[],
  newId: () => string,
  hlc: Hlc,
  voidedAt: number,
): DraftStockMovement[] {
  return recorded
    .filter((m) => m.kind === 'sale')
    .map((m) => ({
      id: newId(),
      eventId: m.eventId,
      productId: m.productId,
      kind: 'void',
      delta: 0 - m.delta,
      saleId: m.saleId,
      hlc,
      createdAt: voidedAt,
    }));
}
