/**
 * Checks a mutation can fail without looking at any database: does a sale add up, do its
 * lines and movements belong to it. Pure, shared by client and server. The server stores a
 * mutation that fails them as rejected, with the reason, and moves on [G7]; the device could
 * run them before queueing to catch a bug early.
 *
 * The arithmetic follows src/lib/domain/cart.ts and sale.ts: per line
 *   total = unitPrice * quantity - lineDiscount - cartDiscountShare, vat = vatIncluded(total)
 * and per sale
 *   subtotal = sum(line total + cart share), lineDiscount = sum(line discounts),
 *   cartDiscount = sum(cart shares), total = subtotal - cartDiscount = sum(line totals),
 *   paid = total + rounding = sum(payments), itemCount = sum(quantities),
 *   rounding only on the cash part (src/lib/domain/split-payment.ts): none without cash,
 *   else 0 or THE 5-cent rule's for total - electronic payments.
 * Stock movements of a sale take exactly the quantity sold of a product (one per product);
 * no two lines or movements of one mutation share an id (the database would refuse them).
 */
import { paymentsRoundingProblem } from '$lib/domain/split-payment';
import { vatIncluded } from '$lib/domain/vat';
import type { Id, Mutation, SaleLine, StockMovement } from '$lib/domain/types';

type SaleRecord = Extract<Mutation, { type: 'sale.record' }>;
type SaleVoid = Extract<Mutation, { type: 'sale.void' }>;
type MovementMutation = Extract<Mutation, { type: 'stock.movement' }>;

/** The first problem found, in words a developer can act on, or null when it is sound. */
export function saleRecordProblem(m: SaleRecord, deviceId: Id): string | null {
  const { sale, lines, movements } = m;
  if (sale.deviceId !== deviceId) return 'the sale was made on another device';
  if (sale.status !== 'completed' || sale.voidReason !== null || sale.voidedAt !== null) {
    return 'a recorded sale must be completed (a void is its own mutation)';
  }
  const lineProblem = linesProblem(sale.id, lines);
  if (lineProblem) return lineProblem;
  const sum = (pick: (line: SaleLine) => number) => lines.reduce((a, l) => a + pick(l), 0);
  if (sale.subtotalCents !== sum((l) => l.totalCents + l.cartDiscountShareCents)) {
    return 'subtotal does not equal the lines before the cart discount';
  }
  if (sale.lineDiscountCents !== sum((l) => l.lineDiscountCents)) {
    return 'line discount does not equal the sum of the lines';
  }
  if (sale.cartDiscountCents !== sum((l) => l.cartDiscountShareCents)) {
    return 'cart discount does not equal the sum of the lines’ shares';
  }
  if (sale.totalCents !== sale.subtotalCents - sale.cartDiscountCents) {
    return 'total does not equal subtotal minus cart discount';
  }
  if (sale.paidCents !== sale.totalCents + sale.roundingCents) {
    return 'paid does not equal total plus rounding';
  }
  if (sale.payments.reduce((a, p) => a + p.amountCents, 0) !== sale.paidCents) {
    return 'payments do not add up to what was paid';
  }
  const rounding = paymentsRoundingProblem(sale.totalCents, sale.roundingCents, sale.payments);
  if (rounding) return rounding;
  if (sale.itemCount !== sum((l) => l.quantity)) return 'item count does not match the lines';
  return saleMovementsProblem(sale, lines, movements, deviceId);
}

function linesProblem(saleId: Id, lines: readonly SaleLine[]): string | null {
  const positions = new Set<number>();
  const ids = new Set<Id>();
  for (const line of lines) {
    if (line.saleId !== saleId) return `line ${line.position} belongs to another sale`;
    if (positions.has(line.position)) return `line position ${line.position} is used twice`;
    if (ids.has(line.id)) return `line id ${line.id} is used twice`;
    positions.add(line.position);
    ids.add(line.id);
    const expected =
      line.unitPriceCents * line.quantity - line.lineDiscountCents - line.cartDiscountShareCents;
    if (line.totalCents !== expected) return `line ${line.position} total does not add up`;
    if (line.vatCents !== vatIncluded(line.totalCents, line.vatRate)) {
      return `line ${line.position} VAT does not follow the rounding rule`;
    }
  }
  return null;
}

function saleMovementsProblem(
  sale: SaleRecord['sale'],
  lines: readonly SaleLine[],
  movements: readonly StockMovement[],
  deviceId: Id,
): string | null {
  const sold = new Map<Id, number>();
  for (const line of lines)
    sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);
  const seen = new Set<Id>();
  const movementIds = new Set<Id>();
  for (const m of movements) {
    if (movementIds.has(m.id)) return `stock movement id ${m.id} is used twice`;
    movementIds.add(m.id);
    if (m.saleId !== sale.id || m.kind !== 'sale') return 'a stock movement is not this sale’s';
    if (m.eventId !== sale.eventId) return 'a stock movement is for another event';
    if (m.deviceId !== deviceId) return 'a stock movement was made on another device';
    if (seen.has(m.productId)) return 'two stock movements for one product';
    seen.add(m.productId);
    const quantity = sold.get(m.productId);
    if (quantity === undefined) return 'a stock movement for a product not on the sale';
    if (m.delta !== -quantity) return 'a stock movement does not match the quantity sold';
  }
  return null;
}

export function saleVoidProblem(m: SaleVoid, deviceId: Id): string | null {
  if (m.reason.trim() === '') return 'a void needs a reason';
  const seen = new Set<Id>();
  const movementIds = new Set<Id>();
  for (const movement of m.movements) {
    if (movementIds.has(movement.id)) return `stock movement id ${movement.id} is used twice`;
    movementIds.add(movement.id);
    if (movement.saleId !== m.saleId || movement.kind !== 'void') {
      return 'a stock movement is not this void’s';
    }
    if (movement.deviceId !== deviceId) return 'a stock movement was made on another device';
    if (movement.delta <= 0) return 'a void gives stock back (delta > 0)';
    if (seen.has(movement.productId)) return 'two stock movements for one product';
    seen.add(movement.productId);
  }
  return null;
}

export function stockMovementProblem(m: MovementMutation, deviceId: Id): string | null {
  const { movement } = m;
  if (movement.kind !== 'restock' && movement.kind !== 'recount') {
    return 'only restocks and recounts travel on their own (sale movements go with the sale)';
  }
  if (movement.saleId !== null) return 'a restock or recount belongs to no sale';
  if (movement.deviceId !== deviceId) return 'the movement was made on another device';
  if (movement.kind === 'restock' && movement.delta <= 0) return 'a restock adds stock';
  return null;
}

type RefundRecord = Extract<Mutation, { type: 'refund.record' }>;

/**
 * What a refund must be on its own (its sale is checked against the server's rows in
 * batch-apply.ts): a reason, lines each naming a different sale line, VAT within the amount,
 * totals that add up, and stock movements that give back exactly the refunded quantities of
 * products on the refund, made on this device, for this sale and event.
 */
export function refundRecordProblem(m: RefundRecord, deviceId: Id): string | null {
  const { refund } = m;
  if (refund.reason.trim() === '') return 'a refund needs a reason';
  if (refund.deviceId !== deviceId) return 'the refund was made on another device';
  const lineIds = new Set<Id>();
  const quantities = new Map<Id, number>();
  let total = 0;
  let items = 0;
  for (const line of refund.lines) {
    if (lineIds.has(line.saleLineId)) return `sale line ${line.saleLineId} is refunded twice`;
    lineIds.add(line.saleLineId);
    if (line.vatCents > line.amountCents) return 'a refund line has more VAT than its amount';
    total += line.amountCents;
    items += line.quantity;
    quantities.set(line.productId, (quantities.get(line.productId) ?? 0) + line.quantity);
  }
  if (total !== refund.totalCents) return 'the refund lines do not add up to its total';
  if (items !== refund.itemCount) return 'the refund lines do not add up to its item count';
  const movementIds = new Set<Id>();
  const seen = new Set<Id>();
  for (const movement of m.movements) {
    if (movementIds.has(movement.id)) return `stock movement id ${movement.id} is used twice`;
    movementIds.add(movement.id);
    if (
      movement.kind !== 'refund' ||
      movement.saleId !== refund.saleId ||
      movement.eventId !== refund.eventId
    ) {
      return 'a stock movement is not this refund’s';
    }
    if (movement.deviceId !== deviceId) return 'a stock movement was made on another device';
    if (seen.has(movement.productId)) return 'two stock movements for one product';
    seen.add(movement.productId);
    if (movement.delta !== quantities.get(movement.productId)) {
      return 'a stock movement does not give back the quantity refunded';
    }
  }
  return null;
}

/** A settlement of a link payment (SPEC.md "Settling a payment on the link"): made on this device. */
export function linkSettleProblem(
  m: Extract<Mutation, { type: 'link.settle' }>,
  deviceId: Id,
): string | null {
  if (m.settlement.deviceId !== deviceId) return 'the settlement was made on another device';
  return null;
}
