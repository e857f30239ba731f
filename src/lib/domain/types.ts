/**
 * The device's data model. Every entity the till, sync and organiser work touch is named
 * here once; storage (Dexie on the device, PostgreSQL on the server) maps these shapes.
 *
 * Conventions: ids are UUIDv7 strings generated where the thing is created; money is
 * integer euro cents (`Cents`); times are epoch milliseconds from the device's wall clock
 * for display only — ordering uses the hybrid logical clock string (`Hlc`).
 */
import type { CashDay, CashDayReport, CashMovement } from './cashbook';

/** Integer euro cents. Never a float. */
export type Cents = number;
/** Dutch VAT rates in percent: 21 (default), 9 (food), 0 (KOR small-business scheme). */
export type VatRate = 0 | 9 | 21;
export const VAT_RATES: readonly VatRate[] = [21, 9, 0];
/** UUIDv7 (time-ordered) string. */
export type Id = string;
/** Hybrid logical clock timestamp, encoded so that string order is causal order. */
export type Hlc = string;
/** A UI language: the list is in ./locales.ts. */
export type { Locale } from './locales';

export interface Organisation {
  id: Id;
  name: string;
}

export type EventStatus = 'draft' | 'published' | 'open' | 'closed';

/** A bazaar day. Created on the device by a maker, or by an organiser on the server. */
export interface MarketEvent {
  id: Id;
  organisationId: Id | null;
  seriesId: Id | null;
  name: string;
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  place: string;
  /** Opening hours, HH:MM local time, optional. */
  opensAt: string | null;
  closesAt: string | null;
  status: EventStatus;
  /** 'device' when a maker made it on the phone; 'server' when it came from an organiser. */
  origin: 'device' | 'server';
  createdAt: number;
  updatedAt: number;
}

export interface Stall {
  id: Id;
  eventId: Id;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  notes: string;
  power: boolean;
  table: boolean;
  foodHygiene: boolean;
}

export interface StallAssignment {
  id: Id;
  eventId: Id;
  stallId: Id;
  makerId: Id;
  arrivalTime: string | null;
  instructions: string;
}

/** The maker this device sells for (a helper's device sells for the maker too). */
export interface StallProfile {
  id: Id;
  /** Name of the stall or maker, shown on receipts. */
  stallName: string;
  organisationId: Id | null;
  /** Set once the maker has an account and the device has synced. */
  userId: Id | null;
  /** Voluntary Dutch 5-cent rounding for cash payments. */
  cashRounding: boolean;
  createdAt: number;
  /** KvK number (8 digits), printed on receipts; absent or null: the maker has none. */
  kvkNumber?: string | null;
  /** VAT number (NL + 9 digits + B + 2 digits), printed on receipts; absent or null: none. */
  vatNumber?: string | null;
  /**
   * The small-business scheme (KOR): undefined until the maker answers (the question can be
   * skipped). Kept on this device only, like cashRounding (domain/kor.ts).
   */
  kor?: boolean;
  /** Outside the KOR, the rate a new product starts with (9 or 21); domain/kor.ts. */
  usualVatRate?: 9 | 21;
  /**
   * The stall's reusable Stripe payment link, kept while online so the till can offer it with
   * no network (docs/payments.md, "Offline: the stall's payment link"); absent or null: none.
   * Kept on this device only.
   */
  paymentLink?: { linkId: string; url: string } | null;
}

export type ProductColour =
  'terracotta' | 'saffron' | 'olive' | 'teal' | 'indigo' | 'plum' | 'slate';

export interface Product {
  id: Id;
  makerId: Id;
  name: string;
  /** Price including VAT. */
  priceCents: Cents;
  vatRate: VatRate;
  photoId: Id | null;
  colour: ProductColour;
  category: string;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A downscaled photo stored on the device. */
export interface ProductPhoto {
  id: Id;
  blob: Blob;
  mimeType: string;
  width: number;
  height: number;
}

/** Stock kept for one product at one event: opening count; the level follows movements. */
export interface EventStock {
  /** `${eventId}:${productId}` */
  id: string;
  eventId: Id;
  productId: Id;
  openingCount: number;
  /** openingCount + sum of this event's movements for the product (kept in step, recomputable). */
  level: number;
}

export type StockMovementKind = 'sale' | 'void' | 'refund' | 'restock' | 'recount';

/** Stock is never synced as an absolute number: only as signed movements (src/lib/sync/SPEC.md). */
export interface StockMovement {
  id: Id;
  eventId: Id;
  productId: Id;
  deviceId: Id;
  kind: StockMovementKind;
  /** Signed change: a sale of 2 is -2, its void +2, a refund of 1 of them +1, a restock of 5 is +5. */
  delta: number;
  saleId: Id | null;
  hlc: Hlc;
  createdAt: number;
}

export type LineDiscount =
  { kind: 'none' } | { kind: 'amount'; cents: Cents } | { kind: 'percent'; percent: number };

/** A sale line: name, price and VAT rate are copied in, so later product edits never change it. */
export interface SaleLine {
  id: Id;
  saleId: Id;
  /** Position in the sale, from 0. */
  position: number;
  productId: Id;
  name: string;
  unitPriceCents: Cents;
  vatRate: VatRate;
  quantity: number;
  /** Line discount in cents (already resolved from amount or percent). */
  lineDiscountCents: Cents;
  /** This line's share of the cart discount, in cents. */
  cartDiscountShareCents: Cents;
  /** unitPrice * quantity - lineDiscount - cartDiscountShare: what the line contributes. */
  totalCents: Cents;
  /** VAT contained in totalCents. */
  vatCents: Cents;
}

export type PaymentMethod = 'cash' | 'qr';

export interface Payment {
  method: PaymentMethod;
  /** Amount this payment settles, after cash rounding. */
  amountCents: Cents;
  /** Cash only: what the customer handed over. */
  tenderedCents: Cents | null;
  /** Cash only: what was given back. */
  changeCents: Cents | null;
  /**
   * 'link': a 'qr' payment the customer made on the stall's payment link while the till was
   * offline; it awaits Stripe's confirmation (src/lib/domain/link-payment.ts) and is never
   * counted as paid until then. Absent for every other payment.
   */
  via?: 'link';
}

export type SaleStatus = 'completed' | 'voided';

export interface Sale {
  id: Id;
  deviceId: Id;
  /** Sequential per device, never reused; a void keeps its number. */
  receiptNumber: number;
  eventId: Id;
  makerId: Id;
  hlc: Hlc;
  createdAt: number;
  /** Sum of line totals before the cart discount. */
  subtotalCents: Cents;
  lineDiscountCents: Cents;
  cartDiscountCents: Cents;
  /** What the goods cost: subtotal after all discounts (VAT is computed on this). */
  totalCents: Cents;
  /** Cash rounding difference (rounded total - total), its own figure; 0 when none. */
  roundingCents: Cents;
  /** totalCents + roundingCents: what was actually paid. */
  paidCents: Cents;
  payments: Payment[];
  itemCount: number;
  status: SaleStatus;
  voidReason: string | null;
  voidedAt: number | null;
  /**
   * Set by the server when it found a business problem with the sale; arrives on the device
   * with the next pull and replaces what the device had (G7). The device sets only
   * 'oversell' itself when it records a sale beyond its kept stock (the server's rule), so
   * the maker sees it before any sync; it never sends flags.
   */
  flags?: SaleFlag[];
  /**
   * Set by the server (never by the till): how far the sale's time was ahead of the server's
   * clock when it arrived, when more than 10 minutes (src/lib/domain/clock-skew.ts). Arrives
   * with the next pull, like `flags`.
   */
  clockAheadMs?: number;
}

/** One refunded line: how many of a sale line went back and what that gave back. */
export interface RefundLine {
  /** The sale line (SaleLine.id) this takes back from. */
  saleLineId: Id;
  /** Copied from the sale line, so figures per product and VAT rate need no join. */
  productId: Id;
  vatRate: VatRate;
  /** 1 .. what of the line is not refunded yet. */
  quantity: number;
  /** The goods value given back for this line (a share of the line's totalCents). */
  amountCents: Cents;
  /** The VAT contained in amountCents (a share of the line's vatCents). */
  vatCents: Cents;
}

/**
 * A refund: money (and goods) given back for a whole sale or chosen lines and quantities. Its
 * own record, never an edit of the sale (src/lib/sync/SPEC.md "Refunds"); a sale can have
 * several, together never more than the sale. Electronic refunds (a payment provider's
 * refund API) use this same record: `id` is their idempotency key and `method` says how the
 * money went back.
 */
export interface Refund {
  id: Id;
  saleId: Id;
  /** The sale's event and maker (a refund counts where its sale counts). */
  eventId: Id;
  makerId: Id;
  /** The device that recorded the refund (not necessarily the sale's). */
  deviceId: Id;
  hlc: Hlc;
  createdAt: number;
  /** Why, as the maker typed it (1..200 characters). */
  reason: string;
  /**
   * How the money went back: cash when any of it went back in cash, otherwise as the sale was
   * paid. For the amounts, read `refundCashCents` (src/lib/domain/electronic-refund.ts).
   */
  method: PaymentMethod;
  /**
   * The part handed back in cash (0..totalCents; the rest went back by phone/card), present
   * where `method` alone does not say it: a refund of a sale paid part in cash, part by
   * phone/card, given back card first. Absent (an older app's refund, or all of it one way):
   * all of it in cash when `method` is cash, none otherwise.
   */
  cashCents?: Cents;
  lines: RefundLine[];
  /** Sum of the lines' amountCents. */
  totalCents: Cents;
  /** Sum of the lines' quantities. */
  itemCount: number;
}

/**
 * How the maker settled a payment on the stall's payment link that Stripe never confirmed
 * (src/lib/domain/link-settlement.ts; SPEC.md "Settling a payment on the link"). Its own
 * record, never an edit of the synced sale; at most one per sale (the first to reach the
 * server wins).
 */
export interface LinkSettlement {
  id: Id;
  saleId: Id;
  /** The sale's event and maker (a settlement counts where its sale counts). */
  eventId: Id;
  makerId: Id;
  outcome: 'received_other_way' | 'written_off';
  /** How the money came after all ('received_other_way' only; null when written off). */
  method: 'cash' | 'other' | null;
  /** What the maker noted (1..200 characters), or null. */
  note: string | null;
  /** When the maker settled it (the settling device's clock). */
  at: number;
  /** The device that recorded the settlement (not necessarily the sale's). */
  deviceId: Id;
  hlc: Hlc;
}

/** Per-event figures kept in step with every sale and void (docs/stack-notes.md: a summary that scans 100,000 sales cannot be fast). */
export interface EventSummaryAggregate {
  eventId: Id;
  salesCount: number;
  voidCount: number;
  /** Revenue of completed sales (goods, after discounts, before cash rounding). */
  revenueCents: Cents;
  /** Sum of cash rounding differences of completed sales. */
  roundingCents: Cents;
  discountCents: Cents;
  voidedCents: Cents;
  /** Refunds of sales that still count (absent in aggregates stored before refunds existed: 0). */
  refundCount?: number;
  /** What those refunds gave back (goods value); already taken off every other figure. */
  refundedCents?: Cents;
  itemCount: number;
  /** hour key 'YYYY-MM-DDTHH' (device local) -> sales and revenue in that hour */
  byHour: Record<string, { count: number; cents: Cents }>;
  /** productId -> quantity and revenue */
  byProduct: Record<Id, { name: string; quantity: number; cents: Cents }>;
  /** VAT rate -> gross and VAT */
  byVatRate: Record<string, { grossCents: Cents; vatCents: Cents }>;
  /** payment method -> amount (incl. rounding for cash) */
  byPayment: Record<string, { count: number; cents: Cents }>;
  /**
   * month 'YYYY-MM' (Europe/Amsterdam) -> completed sales and their revenue net of the refunds
   * given that month (src/lib/domain/summary.ts). Absent in aggregates stored before months
   * were kept: rebuilt from the sales (recomputeSummary) before the history reads them.
   */
  byMonth?: Record<string, { count: number; cents: Cents }>;
  /**
   * deviceId -> the cash its drawer took (the cash payments of its completed sales, rounding
   * included) and paid back (the cash parts of the refunds it gave, of sales that count): the
   * cash book's takings (src/lib/db/cashbook-rules.ts), kept so the book never recounts the
   * sales. Absent in aggregates stored before it was kept: the book then counts from the
   * sales until recompute rebuilds the aggregate.
   */
  cashByDevice?: Record<Id, { salesCents: Cents; refundsCents: Cents }>;
}

/** Product fields a device edits; each is merged on its own by the server (G6). */
export type ProductField =
  'name' | 'priceCents' | 'vatRate' | 'photoId' | 'colour' | 'category' | 'archived';

/** Per product field, the HLC of the edit that set its current value [G6]. */
export type ProductClocks = Partial<Record<ProductField, Hlc>>;

/** A device's record of its products' clocks (Dexie table `productClocks`). */
export interface ProductClocksRow {
  /** The product id. */
  id: Id;
  fields: ProductClocks;
  /**
   * The server version of the product state this device holds (the last pulled one it
   * kept; a local edit keeps it). Undefined: none known (never pulled, an older server, or
   * cleared by an epoch change). See `keepPulledProduct` in src/lib/db/sync-rules.ts.
   */
  version?: number;
}

/**
 * Why the server flagged a sale (it never rejects one for a business reason, G7):
 * oversell (stock went below zero), event-closed (arrived after the event was closed),
 * wrong-stall (the maker has no stall at that organised event), unknown-event,
 * foreign-event (an organised event the maker takes no part in: not invited, no stall, not a
 * maker of its organisation; the sale stays theirs and that organisation never counts it).
 */
export type SaleFlag =
  'oversell' | 'event-closed' | 'wrong-stall' | 'unknown-event' | 'foreign-event';

export type Mutation =
  | { type: 'sale.record'; sale: Sale; lines: SaleLine[]; movements: StockMovement[] }
  | {
      type: 'sale.void';
      saleId: Id;
      reason: string;
      voidedAt: number;
      hlc: Hlc;
      movements: StockMovement[];
    }
  | {
      type: 'product.upsert';
      product: Product;
      hlc: Hlc;
      /**
       * The fields this edit changed. The server merges product edits field by field, last
       * writer (in server order) wins per field (G6); without `fields` every field counts as
       * changed.
       */
      fields?: ProductField[];
      /**
       * Set on a re-push after an epoch change (SPEC.md, the epoch rule): the product is sent
       * whole, each field with the clock of the value it carries (`fieldHlcs`), and the server
       * takes a field only if its clock is newer than the one it has [G6].
       */
      rebased?: true;
      fieldHlcs?: ProductClocks;
    }
  | { type: 'event.upsert'; event: MarketEvent; hlc: Hlc }
  | { type: 'stock.movement'; movement: StockMovement }
  /** A refund and the stock it gives back (kind 'refund', one per stocked product). */
  | { type: 'refund.record'; refund: Refund; movements: StockMovement[] }
  /** The cash book of an event day at a device (src/lib/domain/cashbook.ts; SPEC.md "Cash book"). */
  | { type: 'cashbook.open'; day: CashDay }
  | { type: 'cashbook.movement'; movement: CashMovement }
  | { type: 'cashbook.close'; report: CashDayReport }
  /** The maker settles a link payment never confirmed (src/lib/domain/link-settlement.ts). */
  | { type: 'link.settle'; settlement: LinkSettlement };

/** One entry in the device's outbox; `seq` is the per-device mutation sequence (G3). */
export interface OutboxEntry {
  seq: number;
  deviceId: Id;
  mutation: Mutation;
  createdAt: number;
}
