// Database rows <-> the domain shapes devices know (src/lib/domain/types.ts).
import type {
  MarketEvent,
  Product,
  ProductClocks,
  Refund,
  Sale,
  SaleLine,
  StockMovement,
  VatRate,
} from '$lib/domain/types';
import type {
  events,
  products,
  refundLines,
  refunds,
  saleLines,
  sales,
  stockMovements,
} from '$lib/server/db/schema';
import { PRODUCT_FIELDS, type ProductChange } from '$lib/sync/protocol';

export type ProductRow = typeof products.$inferSelect;
export type ProductInsert = typeof products.$inferInsert;
export type EventRow = typeof events.$inferSelect;
export type EventInsert = typeof events.$inferInsert;
export type SaleRow = typeof sales.$inferSelect;
export type SaleInsert = typeof sales.$inferInsert;
export type SaleLineRow = typeof saleLines.$inferSelect;
export type MovementRow = typeof stockMovements.$inferSelect;
export type MovementInsert = typeof stockMovements.$inferInsert;

/** The database only ever holds the three rates (the protocol validated them). */
function vatRate(value: number): VatRate {
  return value === 9 || value === 21 ? value : 0;
}

export function productFromRow(row: ProductRow | ProductInsert): Product {
  return {
    id: row.id,
    makerId: row.makerId,
    name: row.name,
    priceCents: row.priceCents,
    vatRate: vatRate(row.vatRate),
    photoId: row.photoId ?? null,
    colour: row.colour as Product['colour'],
    category: row.category ?? '',
    archived: row.archived ?? false,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * A product as pulled: with the clock of each field's value (a missing one is the row's) and
 * the row's version, which orders a product's feed rows on the device [G5].
 */
export function productChangeFromRow(row: ProductRow | ProductInsert): ProductChange {
  const fieldHlcs: ProductClocks = {};
  for (const field of PRODUCT_FIELDS) fieldHlcs[field] = row.fieldHlcs?.[field] ?? row.hlc;
  return { ...productFromRow(row), fieldHlcs, version: row.version ?? 1 };
}

export function eventFromRow(row: EventRow | EventInsert): MarketEvent {
  return {
    id: row.id,
    organisationId: row.organisationId ?? null,
    seriesId: row.seriesId ?? null,
    name: row.name,
    date: row.date,
    place: row.place ?? '',
    opensAt: row.opensAt ?? null,
    closesAt: row.closesAt ?? null,
    status: row.status,
    origin: row.origin,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function saleFromRow(row: SaleRow | SaleInsert): Sale {
  return {
    id: row.id,
    deviceId: row.deviceId,
    receiptNumber: row.receiptNumber,
    eventId: row.eventId,
    makerId: row.makerId,
    hlc: row.hlc,
    createdAt: row.createdAt,
    subtotalCents: row.subtotalCents,
    lineDiscountCents: row.lineDiscountCents,
    cartDiscountCents: row.cartDiscountCents,
    totalCents: row.totalCents,
    roundingCents: row.roundingCents,
    paidCents: row.paidCents,
    payments: row.payments,
    itemCount: row.itemCount,
    status: row.status,
    voidReason: row.voidReason ?? null,
    voidedAt: row.voidedAt ?? null,
    flags: row.flags ?? [],
    ...(row.clockAheadMs != null ? { clockAheadMs: row.clockAheadMs } : {}),
  };
}

/** The server's row of a sale; `clockAheadMs` is the server's finding, never the device's. */
export function saleToRow(
  sale: Sale,
  makerId: string,
  flags: SaleRow['flags'],
  clockAheadMs: number | null = null,
): SaleInsert {
  return { ...sale, makerId, flags, clockAheadMs };
}

export function lineFromRow(row: SaleLineRow): SaleLine {
  return { ...row, vatRate: vatRate(row.vatRate) };
}

export function movementFromRow(row: MovementRow | MovementInsert): StockMovement {
  return {
    id: row.id,
    eventId: row.eventId,
    productId: row.productId,
    deviceId: row.deviceId,
    kind: row.kind,
    delta: row.delta,
    saleId: row.saleId ?? null,
    hlc: row.hlc,
    createdAt: row.createdAt,
  };
}

export function movementToRow(movement: StockMovement, makerId: string): MovementInsert {
  return { ...movement, makerId };
}

export type RefundRow = typeof refunds.$inferSelect;
export type RefundInsert = typeof refunds.$inferInsert;
export type RefundLineRow = typeof refundLines.$inferSelect;
export type RefundLineInsert = typeof refundLines.$inferInsert;

export function refundFromRows(row: RefundRow, lines: readonly RefundLineRow[]): Refund {
  return {
    id: row.id,
    saleId: row.saleId,
    eventId: row.eventId,
    makerId: row.makerId,
    deviceId: row.deviceId,
    hlc: row.hlc,
    createdAt: row.createdAt,
    reason: row.reason,
    method: row.method,
    ...(row.cashCents !== null ? { cashCents: row.cashCents } : {}),
    lines: lines.map((l) => ({
      saleLineId: l.saleLineId,
      productId: l.productId,
      vatRate: l.vatRate as VatRate,
      quantity: l.quantity,
      amountCents: l.amountCents,
      vatCents: l.vatCents,
    })),
    totalCents: row.totalCents,
    itemCount: row.itemCount,
  };
}

export function refundToRows(refund: Refund): { row: RefundInsert; lines: RefundLineInsert[] } {
  const { lines, ...row } = refund;
  return { row, lines: lines.map((l) => ({ ...l, refundId: refund.id })) };
}
