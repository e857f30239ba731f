/**
 * Sales and refunds for the export specs, the server's export tests and the benchmark: a sale
 * with given lines (VAT per line as the till computes it) and a refund of chosen lines.
 */
import { planRefund, type RefundRequest } from '../refund';
import type { Refund, Sale, SaleLine, VatRate } from '../types';
import { vatIncluded } from '../vat';

export interface LineSpec {
  productId: string;
  name?: string;
  price: number;
  quantity: number;
  vatRate: VatRate;
}

export function exportSale(
  n: number,
  specs: readonly LineSpec[],
  options: {
    method?: 'cash' | 'qr' | 'split';
    createdAt?: number;
    eventId?: string;
    makerId?: string;
    deviceId?: string;
    idPrefix?: string;
  } = {},
): { sale: Sale; lines: SaleLine[] } {
  const id = `${options.idPrefix ?? 'sale'}-${n}`;
  const lines: SaleLine[] = specs.map((spec, position) => {
    const totalCents = spec.price * spec.quantity;
    return {
      id: `${id}-line-${position}`,
      saleId: id,
      position,
      productId: spec.productId,
      name: spec.name ?? `Product ${spec.productId}`,
      unitPriceCents: spec.price,
      vatRate: spec.vatRate,
      quantity: spec.quantity,
      lineDiscountCents: 0,
      cartDiscountShareCents: 0,
      totalCents,
      vatCents: vatIncluded(totalCents, spec.vatRate),
    };
  });
  const totalCents = lines.reduce((sum, l) => sum + l.totalCents, 0);
  const method = options.method ?? 'cash';
  const half = Math.floor(totalCents / 2);
  const payments: Sale['payments'] =
    method === 'split'
      ? [
          { method: 'cash', amountCents: half, tenderedCents: half, changeCents: 0 },
          { method: 'qr', amountCents: totalCents - half, tenderedCents: null, changeCents: null },
        ]
      : [
          {
            method,
            amountCents: totalCents,
            tenderedCents: method === 'cash' ? totalCents : null,
            changeCents: method === 'cash' ? 0 : null,
          },
        ];
  return {
    sale: {
      id,
      deviceId: options.deviceId ?? 'device-1',
      receiptNumber: n,
      eventId: options.eventId ?? 'event-1',
      makerId: options.makerId ?? 'maker-1',
      hlc: `h${String(n).padStart(9, '0')}`,
      createdAt: options.createdAt ?? Date.UTC(2026, 4, 16, 8) + n * 1000,
      subtotalCents: totalCents,
      lineDiscountCents: 0,
      cartDiscountCents: 0,
      totalCents,
      roundingCents: 0,
      paidCents: totalCents,
      payments,
      itemCount: lines.reduce((sum, l) => sum + l.quantity, 0),
      status: 'completed',
      voidReason: null,
      voidedAt: null,
    },
    lines,
  };
}

export function exportRefund(
  made: { sale: Sale; lines: SaleLine[] },
  earlier: readonly Refund[],
  request: Omit<RefundRequest, 'saleId' | 'hlc'> & { hlc?: string },
  deviceId = 'device-1',
): Refund {
  return planRefund(
    made.sale,
    made.lines,
    earlier,
    { ...request, saleId: made.sale.id, hlc: request.hlc ?? `r-${request.id}` },
    deviceId,
  );
}
