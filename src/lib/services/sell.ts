import type { DeviceStore } from '$lib/db/device-store';
import type { Cart } from '$lib/domain/cart';
import { buildSale, saleMovements, type SalePaymentInput } from '$lib/domain/sale';
import type { Cents, Id, Sale } from '$lib/domain/types';

/** What the till knows when the maker taps "Complete" on a cash sale. */
export interface CashSaleRequest {
  cart: Cart;
  eventId: Id;
  makerId: Id;
  tenderedCents: Cents;
  /** The maker's voluntary 5-cent rounding (StallProfile.cashRounding). */
  cashRounding: boolean;
  /** Products whose stock is kept at this event: only they get stock movements. */
  stockedProductIds: ReadonlySet<Id>;
  /** The sale's id when the caller chose it beforehand (the till saves it with the cart). */
  saleId?: Id;
}

/** Where ids, clock readings and storage come from (injected so tests can pin them). */
export interface SellContext {
  store: DeviceStore;
  newId: () => Id;
  hlc: () => string;
  now: () => number;
}

/**
 * Sells the cart for cash: builds the sale (domain), then records the sale, its lines, its
 * stock movements and its outbox entry in one transaction (G1). Resolves with the stored
 * sale (with its receipt number) only after that transaction committed; rejects with a
 * SaleError (nothing to sell, not enough cash) or a StoreError (device full, storage gone),
 * in which case nothing was stored and the caller keeps the cart.
 */
export async function sellForCash(context: SellContext, request: CashSaleRequest): Promise<Sale> {
  return recordNewSale(context, request, {
    method: 'cash',
    tenderedCents: request.tenderedCents,
    cashRounding: request.cashRounding,
  });
}

/**
 * What every way of selling shares: builds the sale (domain) with its payment, then records
 * the sale, its lines, its stock movements and its outbox entry in one transaction (G1).
 */
export async function recordNewSale(
  context: SellContext,
  request: Pick<CashSaleRequest, 'cart' | 'eventId' | 'makerId' | 'stockedProductIds' | 'saleId'>,
  payment: SalePaymentInput,
): Promise<Sale> {
  const createdAt = context.now();
  const hlc = context.hlc();
  const { sale, lines } = buildSale({
    id: request.saleId ?? context.newId(),
    eventId: request.eventId,
    makerId: request.makerId,
    hlc,
    createdAt,
    cart: request.cart,
    payment,
    lineIds: context.newId,
  });
  const movements = saleMovements(sale, lines, request.stockedProductIds, context.newId, hlc);
  return context.store.recordSale({ sale, lines, movements });
}

/** What the till knows once the payment provider said the customer paid (docs/payments.md). */
export interface ElectronicSaleRequest {
  cart: Cart;
  eventId: Id;
  makerId: Id;
  /** The id the payment was made for (its client_reference_id): the sale gets exactly it. */
  saleId: Id;
  stockedProductIds: ReadonlySet<Id>;
  /**
   * A split payment (src/lib/domain/split-payment.ts): the cash the maker took first for
   * `cashPartCents` of the sale; the provider was paid exactly the rest.
   */
  cashPart?: { cashPartCents: Cents; tenderedCents: Cents; cashRounding: boolean };
}

/**
 * Records a sale paid by phone or card, after the server said it was paid: the same one
 * transaction as a cash sale (sale, lines, stock movements, outbox entry; G1), payment method
 * 'qr' for exactly the total. Called only after the network answered, never inside a store
 * transaction.
 */
export async function sellByPhoneOrCard(
  context: SellContext,
  request: ElectronicSaleRequest,
): Promise<Sale> {
  return recordNewSale(
    context,
    request,
    request.cashPart ? { method: 'split', ...request.cashPart } : { method: 'qr' },
  );
}
