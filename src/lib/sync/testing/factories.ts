/**
 * Test factories for sync: a "raw device" that makes well-formed mutations (through the
 * domain's own cart and sale code) and numbers them like an outbox, without any storage.
 * Used by the server specs (raw pushers) and the engine specs alike. Test code only.
 */
import { cashDayId, planReport, type CashMovementKind } from '$lib/domain/cashbook';
import { addProduct, emptyCart, priceCart, type Cart } from '$lib/domain/cart';
import { createHlc, type HybridLogicalClock } from '$lib/domain/clock';
import { uuidv7 } from '$lib/domain/ids';
import { planRefund, refundMovements, type RefundRequest } from '$lib/domain/refund';
import { buildSale, saleMovements, voidMovements, type SalePaymentInput } from '$lib/domain/sale';
import type {
  LinkSettlement,
  MarketEvent,
  Mutation,
  Product,
  Sale,
  SaleLine,
  StockMovement,
  VatRate,
} from '$lib/domain/types';
import { PROTOCOL_VERSION, type PushRequestOut } from '../protocol';

export const BASE_TIME = Date.UTC(2026, 4, 16, 9, 0);

export type SaleRecord = Extract<Mutation, { type: 'sale.record' }>;

export interface SaleItem {
  product: Pick<Product, 'id' | 'name' | 'priceCents' | 'vatRate'>;
  quantity?: number;
}

export interface RawDeviceOptions {
  deviceId?: string;
  makerId?: string;
  /** The device's wall clock (ms); tests skew it to prove ordering never relies on it. */
  now?: () => number;
}

/** A device reduced to what sync sees: ids, a clock, and a numbered stream of mutations. */
export class RawDevice {
  readonly deviceId: string;
  readonly makerId: string;
  readonly clock: HybridLogicalClock;
  readonly now: () => number;
  seq = 0;
  private receipt = 0;

  constructor(options: RawDeviceOptions = {}) {
    this.deviceId = options.deviceId ?? uuidv7();
    this.makerId = options.makerId ?? uuidv7();
    let tick = 0;
    this.now = options.now ?? (() => BASE_TIME + ++tick * 1000);
    this.clock = createHlc(this.deviceId, this.now);
  }

  product(overrides: Partial<Product> = {}): Product {
    const at = this.now();
    return {
      id: uuidv7(),
      makerId: this.makerId,
      name: 'Brood',
      priceCents: 350,
      vatRate: 9 as VatRate,
      photoId: null,
      colour: 'saffron',
      category: '',
      archived: false,
      createdAt: at,
      updatedAt: at,
      ...overrides,
    };
  }

  event(overrides: Partial<MarketEvent> = {}): MarketEvent {
    const at = this.now();
    return {
      id: uuidv7(),
      organisationId: null,
      seriesId: null,
      name: 'Bazaar',
      date: '2026-05-16',
      place: 'Buurthuis',
      opensAt: '10:00',
      closesAt: '17:00',
      status: 'open',
      origin: 'device',
      createdAt: at,
      updatedAt: at,
      ...overrides,
    };
  }

  productUpsert(
    product: Product,
    fields?: Extract<Mutation, { type: 'product.upsert' }>['fields'],
  ): Mutation {
    return {
      type: 'product.upsert',
      product,
      hlc: this.clock.now(),
      ...(fields ? { fields } : {}),
    };
  }

  eventUpsert(event: MarketEvent): Mutation {
    return { type: 'event.upsert', event, hlc: this.clock.now() };
  }

  /** A cash sale of the items; products in `stocked` get stock movements. */
  sale(
    eventId: string,
    items: readonly SaleItem[],
    options: { stocked?: ReadonlySet<string>; makerId?: string; payment?: SalePaymentInput } = {},
  ): SaleRecord {
    let cart: Cart = emptyCart();
    for (const item of items) cart = addProduct(cart, item.product, item.quantity ?? 1);
    const hlc = this.clock.now();
    const createdAt = this.now();
    const id = uuidv7();
    const draft = buildSale({
      id,
      eventId,
      makerId: options.makerId ?? this.makerId,
      hlc,
      createdAt,
      cart,
      payment: options.payment ?? {
        method: 'cash',
        tenderedCents: priceCart(cart).totalCents,
        cashRounding: false,
      },
      lineIds: () => uuidv7(),
    });
    this.receipt += 1;
    const sale: Sale = { ...draft.sale, deviceId: this.deviceId, receiptNumber: this.receipt };
    const stocked = options.stocked ?? new Set(items.map((i) => i.product.id));
    const movements: StockMovement[] = saleMovements(sale, draft.lines, stocked, uuidv7, hlc).map(
      (m) => ({ ...m, deviceId: this.deviceId }),
    );
    return { type: 'sale.record', sale, lines: draft.lines as SaleLine[], movements };
  }

  voidOf(record: SaleRecord, reason = 'Verkeerd aangeslagen'): Mutation {
    const hlc = this.clock.now();
    const voidedAt = this.now();
    const movements = voidMovements(record.movements, uuidv7, hlc, voidedAt).map((m) => ({
      ...m,
      deviceId: this.deviceId,
    }));
    return { type: 'sale.void', saleId: record.sale.id, reason, voidedAt, hlc, movements };
  }

  /**
   * A refund of a sale (all of what remains, or chosen line positions and quantities), given
   * the refunds made of it before; made by the domain's own rules, as the device store does.
   */
  refundOf(
    record: SaleRecord,
    lines: 'all' | { position: number; quantity: number }[] = 'all',
    earlier: readonly Extract<Mutation, { type: 'refund.record' }>[] = [],
    reason = 'Kapot thuisgekomen',
  ): Extract<Mutation, { type: 'refund.record' }> {
    const request: RefundRequest = {
      id: uuidv7(),
      saleId: record.sale.id,
      reason,
      createdAt: this.now(),
      hlc: this.clock.now(),
      lines:
        lines === 'all'
          ? 'all'
          : lines.map((l) => ({
              saleLineId: record.lines[l.position]?.id ?? 'no-such-line',
              quantity: l.quantity,
            })),
    };
    const refund = planRefund(
      record.sale,
      record.lines,
      earlier.map((m) => m.refund),
      request,
      this.deviceId,
    );
    return {
      type: 'refund.record',
      refund,
      movements: refundMovements(refund, record.movements, uuidv7),
    };
  }

  /** The maker settles a sale's payment on the link (written off unless told). */
  settlementOf(
    record: SaleRecord,
    overrides: Partial<LinkSettlement> = {},
  ): Extract<Mutation, { type: 'link.settle' }> {
    return {
      type: 'link.settle',
      settlement: {
        id: uuidv7(),
        saleId: record.sale.id,
        eventId: record.sale.eventId,
        makerId: record.sale.makerId,
        outcome: 'written_off',
        method: null,
        note: null,
        at: this.now(),
        deviceId: this.deviceId,
        hlc: this.clock.now(),
        ...overrides,
      },
    };
  }

  stock(eventId: string, productId: string, delta: number, kind: 'restock' | 'recount'): Mutation {
    return {
      type: 'stock.movement',
      movement: {
        id: uuidv7(),
        eventId,
        productId,
        deviceId: this.deviceId,
        kind,
        delta,
        saleId: null,
        hlc: this.clock.now(),
        createdAt: this.now(),
      },
    };
  }

  /** Opens this device's cash book of an event (src/lib/domain/cashbook.ts). */
  cashOpen(
    eventId: string,
    openingFloatCents = 5000,
  ): Extract<Mutation, { type: 'cashbook.open' }> {
    return {
      type: 'cashbook.open',
      day: {
        id: cashDayId(eventId, this.deviceId),
        eventId,
        makerId: this.makerId,
        deviceId: this.deviceId,
        openingFloatCents,
        openedAt: this.now(),
        hlc: this.clock.now(),
      },
    };
  }

  cashMove(
    eventId: string,
    kind: CashMovementKind,
    amountCents: number,
    description = 'Koffie',
    correctsReportId: string | null = null,
  ): Extract<Mutation, { type: 'cashbook.movement' }> {
    return {
      type: 'cashbook.movement',
      movement: {
        id: uuidv7(),
        eventId,
        makerId: this.makerId,
        deviceId: this.deviceId,
        kind,
        description,
        amountCents,
        correctsReportId,
        createdAt: this.now(),
        hlc: this.clock.now(),
      },
    };
  }

  /** The day report closing a book, made by the domain's own rules, as the device store does. */
  cashClose(
    open: Extract<Mutation, { type: 'cashbook.open' }>,
    number: number,
    figures: {
      cashSalesCents?: number;
      cashRefundsCents?: number;
      movements?: Extract<Mutation, { type: 'cashbook.movement' }>[];
      countedCents?: number;
      pieces?: Record<string, number>;
    } = {},
  ): Extract<Mutation, { type: 'cashbook.close' }> {
    const movements = (figures.movements ?? []).map((m) => m.movement);
    const report = planReport(
      open.day,
      {
        openingFloatCents: open.day.openingFloatCents,
        cashSalesCents: figures.cashSalesCents ?? 0,
        cashRefundsCents: figures.cashRefundsCents ?? 0,
        movements,
      },
      figures.pieces ? { pieces: figures.pieces } : { countedCents: figures.countedCents ?? 0 },
      { id: uuidv7(), number, closedAt: this.now(), hlc: this.clock.now() },
    );
    return { type: 'cashbook.close', report };
  }

  /** Numbers mutations like an outbox would: the next sequence numbers of this device. */
  queue(...mutations: Mutation[]): { seq: number; mutation: Mutation }[] {
    return mutations.map((mutation) => ({ seq: ++this.seq, mutation }));
  }

  request(
    entries: { seq: number; mutation: Mutation }[],
    epoch: string | null = null,
  ): PushRequestOut {
    return {
      protocol: PROTOCOL_VERSION,
      deviceId: this.deviceId,
      epoch,
      highestSeq: this.seq,
      makerId: this.makerId,
      mutations: entries,
    };
  }
}
