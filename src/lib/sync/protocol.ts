/**
 * The sync protocol, shared by the device (engine.ts) and the server (src/lib/server/sync).
 * SPEC.md beside this file is the prose version; rule ids [G1]..[G7] come from there.
 *
 * Versioned: a change to a message shape bumps PROTOCOL_VERSION, and the server answers a
 * request of another version with 400 (the device then keeps its outbox and reports it).
 *
 * Validation happens in two layers, so that one bad mutation can never wedge a queue [G7]:
 *   - the envelope (PushRequestSchema): protocol, device id, epoch, sequence numbers. A bad
 *     envelope is a 400 and changes nothing;
 *   - each mutation (MutationSchema), checked one by one by the server. A mutation that
 *     fails it is stored as rejected and its sequence number is still consumed.
 */
import { z } from 'zod';
import { isHlc } from '$lib/domain/clock';
import { ELECTRONIC_REFUND_STATES } from '$lib/domain/electronic-refund';
import { MAX_MONEY_CENTS } from '$lib/domain/money';
import {
  CASH_MOVEMENT_KINDS,
  DENOMINATIONS,
  MAX_CASH_DESCRIPTION_LENGTH,
  MAX_MOVEMENTS_PER_DAY,
  MAX_PIECES,
  type CashDay,
  type CashDayReport,
  type CashMovement,
} from '$lib/domain/cashbook';
import { DEVICE_CODE_PATTERN } from '$lib/domain/device-code';
import {
  MAX_SETTLEMENT_NOTE_LENGTH,
  SETTLEMENT_METHODS,
  SETTLEMENT_OUTCOMES,
  settlementProblem,
} from '$lib/domain/link-settlement';
import { UNSAFE_TEXT_MESSAGE } from '$lib/domain/text';
import { FED_LANDMARK_KINDS, LANDMARK_KINDS, type Landmark } from '$lib/domain/organiser/stall-map';
import type { MakerResults } from '$lib/domain/organiser/results';
import { MAKER_NAMES_FEATURE } from './legacy-names';
import type {
  LinkSettlement,
  MarketEvent,
  Mutation,
  Product,
  ProductClocks,
  ProductField,
  Refund,
  Sale,
  SaleFlag,
  SaleLine,
  Stall,
  StallAssignment,
  StockMovement,
} from '$lib/domain/types';

export const PROTOCOL_VERSION = 1;

/** Most mutations in one push; the device sends at most this many per request. */
export const MAX_PUSH_MUTATIONS = 500;
/** Largest push body the server reads (413 beyond). */
export const MAX_PUSH_BYTES = 2 * 1024 * 1024;
/** Largest pull request body (it is tiny; anything bigger is not ours). */
export const MAX_PULL_BYTES = 16 * 1024;
export const DEFAULT_PULL_LIMIT = 500;
export const MAX_PULL_LIMIT = 1000;

/**
 * Largest amount any single money field may hold: a sale line may be up to 999 units of the
 * largest price a person can enter, so a total can be 999 times MAX_MONEY_CENTS. Still far
 * below 2^53, so sums of a whole batch stay exact.
 */
export const MAX_SYNC_CENTS = MAX_MONEY_CENTS * 1000;

/**
 * Largest value of a 32-bit `integer` column (src/lib/server/db/schema/sync.ts). Every
 * number a mutation carries into such a column is bounded by it or less, so the database can
 * never refuse it [G7]; numbers that grow without bound (sequence numbers, stock levels)
 * have 64-bit columns instead.
 */
export const MAX_INT32 = 2_147_483_647;

// ---------------------------------------------------------------------------------------
// Building blocks

/** What IdSchema accepts (also read by the push's fast path, server/sync/fast-sale.ts). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are generated on devices as UUIDv7; any UUID-shaped string is accepted. */
export const IdSchema = z.string().regex(UUID_PATTERN, 'expected a UUID');
const Cents = z.number().int().min(-MAX_SYNC_CENTS).max(MAX_SYNC_CENTS);
const NonNegativeCents = Cents.min(0);
const EpochMs = z.number().int().min(0).max(8.64e15);
const HlcSchema = z.string().max(200).refine(isHlc, 'expected a hybrid logical clock timestamp');
const VatRateSchema = z.union([z.literal(0), z.literal(9), z.literal(21)]);
const ShortText = z.string().max(500);
const DateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const TimeString = z.string().regex(/^\d{2}:\d{2}$/, 'expected HH:MM');
const Seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const SALE_FLAGS = [
  'oversell',
  'event-closed',
  'wrong-stall',
  'unknown-event',
  'foreign-event',
] as const;
const SaleFlagSchema = z.enum(SALE_FLAGS);
/** A device code (src/lib/domain/device-code.ts): one to three capital letters. */
const DeviceCodeSchema = z.string().regex(DEVICE_CODE_PATTERN);

export const PaymentSchema = z.object({
  method: z.enum(['cash', 'qr']),
  amountCents: Cents,
  tenderedCents: NonNegativeCents.nullable(),
  changeCents: NonNegativeCents.nullable(),
  /**
   * Added later, optional (SPEC.md "The stall's payment link"): 'link' on a 'qr' payment the
   * customer made offline on the stall's payment link, awaiting Stripe's confirmation. An
   * older app or server reads it as a plain 'qr' payment.
   */
  via: z.literal('link').optional(),
});

export const SaleSchema = z.object({
  id: IdSchema,
  deviceId: IdSchema,
  /** A device's own counter: far below 2^31 in any device's life (column `integer`). */
  receiptNumber: z.number().int().min(1).max(MAX_INT32),
  eventId: IdSchema,
  makerId: IdSchema,
  hlc: HlcSchema,
  createdAt: EpochMs,
  subtotalCents: NonNegativeCents,
  lineDiscountCents: NonNegativeCents,
  cartDiscountCents: NonNegativeCents,
  totalCents: NonNegativeCents,
  roundingCents: z.number().int().min(-2).max(2),
  paidCents: NonNegativeCents,
  payments: z.array(PaymentSchema).min(1).max(10),
  itemCount: z.number().int().min(1).max(1_000_000),
  status: z.enum(['completed', 'voided']),
  voidReason: ShortText.nullable(),
  voidedAt: EpochMs.nullable(),
  /** Only the server sets flags; whatever a device sends here is ignored. */
  flags: z.array(SaleFlagSchema).max(SALE_FLAGS.length).optional(),
  /**
   * Set by the server only (a device's value is ignored): how far the sale's time was ahead
   * of the server's clock when it arrived, when that was more than 10 minutes
   * (src/lib/domain/clock-skew.ts). Not one of `flags`: an older app would refuse an unknown
   * flag in a pulled sale, and drops this unknown key instead.
   */
  clockAheadMs: z.number().int().min(0).max(8.64e15).optional(),
});

export const SaleLineSchema = z.object({
  id: IdSchema,
  saleId: IdSchema,
  position: z.number().int().min(0).max(999),
  productId: IdSchema,
  name: ShortText,
  unitPriceCents: NonNegativeCents,
  vatRate: VatRateSchema,
  quantity: z.number().int().min(1).max(999),
  lineDiscountCents: NonNegativeCents,
  cartDiscountShareCents: NonNegativeCents,
  totalCents: NonNegativeCents,
  vatCents: NonNegativeCents,
});

export const StockMovementSchema = z.object({
  id: IdSchema,
  eventId: IdSchema,
  productId: IdSchema,
  deviceId: IdSchema,
  kind: z.enum(['sale', 'void', 'refund', 'restock', 'recount']),
  delta: z.number().int().min(-1_000_000).max(1_000_000),
  saleId: IdSchema.nullable(),
  hlc: HlcSchema,
  createdAt: EpochMs,
});

export const PRODUCT_COLOURS = [
  'terracotta',
  'saffron',
  'olive',
  'teal',
  'indigo',
  'plum',
  'slate',
] as const;

/** The product fields a device edits; the server merges them one by one [G6]. */
export const PRODUCT_FIELDS = [
  'name',
  'priceCents',
  'vatRate',
  'photoId',
  'colour',
  'category',
  'archived',
] as const satisfies readonly ProductField[];

export const ProductSchema = z.object({
  id: IdSchema,
  makerId: IdSchema,
  name: z.string().min(1).max(200),
  priceCents: NonNegativeCents.max(MAX_MONEY_CENTS),
  vatRate: VatRateSchema,
  photoId: IdSchema.nullable(),
  colour: z.enum(PRODUCT_COLOURS),
  category: z.string().max(100),
  archived: z.boolean(),
  createdAt: EpochMs,
  updatedAt: EpochMs,
});

/** Per field, the HLC of the edit that set the value (SPEC.md G6, the epoch rule). */
export const ProductClocksSchema = z.partialRecord(z.enum(PRODUCT_FIELDS), HlcSchema);

/**
 * A pulled product: the server's merged product, per field the clock of its value, and the
 * server row's `version` (1 when made, +1 on every write). The feed is read in txid order,
 * which is not commit order, so a device keeps a pulled product only when its version is
 * newer than the one it holds (SPEC.md, pull rules). Missing (an older server): always kept.
 */
export const ProductChangeSchema = ProductSchema.extend({
  fieldHlcs: ProductClocksSchema.optional(),
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type ProductChange = z.infer<typeof ProductChangeSchema>;

export const MarketEventSchema = z.object({
  id: IdSchema,
  organisationId: IdSchema.nullable(),
  seriesId: IdSchema.nullable(),
  name: z.string().min(1).max(200),
  date: DateString,
  place: z.string().max(200),
  opensAt: TimeString.nullable(),
  closesAt: TimeString.nullable(),
  status: z.enum(['draft', 'published', 'open', 'closed']),
  origin: z.enum(['device', 'server']),
  createdAt: EpochMs,
  updatedAt: EpochMs,
});

/**
 * A pulled event. A maker's own event (written by pushes) carries the server row's `version`;
 * the device keeps it only when newer than the one it holds, like products (SPEC.md pull
 * rules, fault 28). Missing (an organiser's event, or an older server): always kept.
 */
export const EventChangeSchema = MarketEventSchema.extend({
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type EventChange = z.infer<typeof EventChangeSchema>;

export const StallSchema = z.object({
  id: IdSchema,
  eventId: IdSchema,
  label: z.string().max(100),
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().finite(),
  height: z.number().finite(),
  notes: z.string().max(2000),
  power: z.boolean(),
  table: z.boolean(),
  foodHygiene: z.boolean(),
});

export const StallAssignmentSchema = z.object({
  id: IdSchema,
  eventId: IdSchema,
  stallId: IdSchema,
  makerId: IdSchema,
  arrivalTime: z.string().max(20).nullable(),
  instructions: z.string().max(2000),
});

// Organiser kinds (issue 4, src/lib/server/organiser/API.md "Sync"). Added to protocol v1
// additively: devices ignore entities they do not apply, and each of these carries the
// whole current state of what it describes, so none needs a deletion of its own.

/** A landmark as the sync feed carries it (see `LandmarkSchema`). */
export type FedLandmark = Omit<Landmark, 'kind'> & {
  kind: (typeof FED_LANDMARK_KINDS)[number];
  exactKind?: Landmark['kind'];
};

export const LandmarkSchema = z.object({
  id: IdSchema,
  eventId: IdSchema,
  // v1 apps parse `kind` as one of the first four kinds, so it stays one of those (a later
  // kind is fed as 'other'); `exactKind` (added later, optional) carries the real one.
  kind: z.enum(FED_LANDMARK_KINDS),
  exactKind: z.enum(LANDMARK_KINDS).optional(),
  label: z.string().max(200),
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
});

/** An event's map frame and landmarks (stalls come as `stall` changes). */
export const EventMapSchema = z.object({
  /** The event's id (one map per event; every change's data has an `id`). */
  id: IdSchema,
  eventId: IdSchema,
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  landmarks: z.array(LandmarkSchema),
});
export type EventMapData = z.infer<typeof EventMapSchema>;

export const AnnouncementSchema = z.object({
  id: IdSchema,
  eventId: IdSchema,
  body: z.string().max(4000),
  /** Server time of sending, epoch ms. */
  sentAt: EpochMs,
});
export type AnnouncementData = z.infer<typeof AnnouncementSchema>;

const Count = z.number().int().min(0);
const NullableCount = Count.nullable();
const SplitFigureSchema = z.object({ count: z.number().int(), cents: Cents });
/** How the money came in (src/lib/domain/summary.ts PaymentSplit, paymentSplitOf). */
/** A line a result computed before it existed (an older server) reads as nothing. */
const LaterSplitFigureSchema = SplitFigureSchema.default(() => ({ count: 0, cents: 0 }));
const PaymentSplitSchema = z.object({
  cash: SplitFigureSchema,
  phoneOrCard: SplitFigureSchema,
  other: LaterSplitFigureSchema,
  awaiting: SplitFigureSchema,
  writtenOff: LaterSplitFigureSchema,
  refunded: SplitFigureSchema,
  paidAfterWriteOff: LaterSplitFigureSchema,
  paidTwice: LaterSplitFigureSchema,
});
const OwnFiguresSchema = z.object({
  salesCount: Count,
  itemCount: Count,
  revenueCents: Cents,
  averageSaleCents: Cents,
  busiestHour: z.string().nullable(),
  /** Absent in results computed before the split was (an older server). */
  split: PaymentSplitSchema.optional(),
});
const ChangeFigureSchema = z.object({
  absolute: z.number().int(),
  percent: z.number().int().nullable(),
});

/** A maker's results after an event closed (domain organiser/results.ts MakerResults). */
export const MakerResultsSchema = z.object({
  own: OwnFiguresSchema,
  event: z.object({
    makersCount: Count,
    sharingMakersCount: Count,
    figuresShown: z.boolean(),
    salesCount: NullableCount,
    itemCount: NullableCount,
    revenueCents: Cents.nullable(),
    averageSaleCents: Cents.nullable(),
    busiestHour: z.string().nullable(),
  }),
  previous: OwnFiguresSchema.nullable(),
  change: z
    .object({
      salesCount: ChangeFigureSchema,
      itemCount: ChangeFigureSchema,
      revenueCents: ChangeFigureSchema,
      averageSaleCents: ChangeFigureSchema,
    })
    .nullable(),
});

export const MakerResultsChangeSchema = z.object({
  /** The event's id (one result per event for the maker it is sent to). */
  id: IdSchema,
  eventId: IdSchema,
  makerId: IdSchema,
  /** Server time the results were computed (at closing), epoch ms. */
  computedAt: EpochMs,
  results: MakerResultsSchema,
});
export type MakerResultsData = z.infer<typeof MakerResultsChangeSchema>;

const MovementList = z.array(StockMovementSchema).max(1000);

export const RefundLineSchema = z.object({
  saleLineId: IdSchema,
  productId: IdSchema,
  vatRate: VatRateSchema,
  /** A sale line's quantity is at most 999, so is any part of it (column `integer`). */
  quantity: z.number().int().min(1).max(999),
  amountCents: NonNegativeCents,
  vatCents: NonNegativeCents,
});

/** A refund record (src/lib/domain/refund.ts; SPEC.md "Refunds"). */
export const RefundSchema = z.object({
  id: IdSchema,
  saleId: IdSchema,
  eventId: IdSchema,
  makerId: IdSchema,
  deviceId: IdSchema,
  hlc: HlcSchema,
  createdAt: EpochMs,
  reason: z.string().min(1).max(500),
  method: z.enum(['cash', 'qr']),
  /**
   * The part handed back in cash (0..totalCents), where `method` alone does not say it (a
   * part-cash, part-card sale given back card first). Absent: read as before (all of it in
   * cash when method is cash, none otherwise). SPEC.md "Refunds".
   */
  cashCents: NonNegativeCents.optional(),
  lines: z.array(RefundLineSchema).min(1).max(1000),
  totalCents: NonNegativeCents,
  itemCount: z.number().int().min(1).max(1_000_000),
});

/**
 * The maker's settlement of a payment on the stall's payment link that Stripe never confirmed
 * (src/lib/domain/link-settlement.ts; SPEC.md "Settling a payment on the link"). Added later.
 */
export const LinkSettlementSchema = z
  .object({
    id: IdSchema,
    saleId: IdSchema,
    eventId: IdSchema,
    makerId: IdSchema,
    outcome: z.enum(SETTLEMENT_OUTCOMES),
    method: z.enum(SETTLEMENT_METHODS).nullable(),
    note: z
      .string()
      .min(1)
      .max(MAX_SETTLEMENT_NOTE_LENGTH * 2)
      .nullable(),
    at: EpochMs,
    deviceId: IdSchema,
    hlc: HlcSchema,
  })
  .superRefine((s, ctx) => {
    const problem = settlementProblem(s);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        path: problem.startsWith('note') ? ['note'] : ['method'],
        message:
          problem === 'method-required'
            ? 'received another way needs its method (cash or other)'
            : problem === 'method-not-allowed'
              ? 'a write-off has no method'
              : problem === 'note-unsafe'
                ? UNSAFE_TEXT_MESSAGE
                : `expected 1..${MAX_SETTLEMENT_NOTE_LENGTH} characters without surrounding spaces`,
      });
    }
  });

// The cash book (src/lib/domain/cashbook.ts; SPEC.md "Cash book"). The same bounds as the
// domain: amounts 1..MAX_MONEY_CENTS, a float and a count 0..MAX_MONEY_CENTS, a description of
// 1..200 characters (trimmed), pieces per euro note or coin.
const CashAmount = z.number().int().min(1).max(MAX_MONEY_CENTS);
const CashTotal = z.number().int().min(0).max(MAX_MONEY_CENTS);
const CashDescription = z
  .string()
  .min(1)
  .max(MAX_CASH_DESCRIPTION_LENGTH * 2)
  .refine(
    (text) => text.trim() === text && [...text].length <= MAX_CASH_DESCRIPTION_LENGTH,
    `expected 1..${MAX_CASH_DESCRIPTION_LENGTH} characters without surrounding spaces`,
  );

export const CashDaySchema = z.object({
  id: z.string().max(80),
  eventId: IdSchema,
  makerId: IdSchema,
  deviceId: IdSchema,
  openingFloatCents: CashTotal,
  openedAt: EpochMs,
  hlc: HlcSchema,
});

export const CashMovementSchema = z.object({
  id: IdSchema,
  eventId: IdSchema,
  makerId: IdSchema,
  deviceId: IdSchema,
  kind: z.enum(CASH_MOVEMENT_KINDS),
  description: CashDescription,
  amountCents: CashAmount,
  correctsReportId: IdSchema.nullable(),
  createdAt: EpochMs,
  hlc: HlcSchema,
});

const CashPiecesSchema = z
  .record(
    z
      .string()
      .refine((key) => DENOMINATIONS.some((d) => String(d) === key), 'not a euro note or coin'),
    z.number().int().min(1).max(MAX_PIECES),
  )
  .nullable();

export const CashDayReportSchema = z.object({
  id: IdSchema,
  number: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  eventId: IdSchema,
  makerId: IdSchema,
  deviceId: IdSchema,
  openingFloatCents: CashTotal,
  cashSalesCents: NonNegativeCents,
  cashRefundsCents: NonNegativeCents,
  movements: z.array(CashMovementSchema).max(MAX_MOVEMENTS_PER_DAY),
  expectedCents: Cents,
  countedCents: CashTotal,
  pieces: CashPiecesSchema,
  differenceCents: Cents,
  openedAt: EpochMs,
  closedAt: EpochMs,
  hlc: HlcSchema,
});

export const MutationSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('sale.record'),
    sale: SaleSchema,
    lines: z.array(SaleLineSchema).min(1).max(1000),
    movements: MovementList,
  }),
  z.object({
    type: z.literal('sale.void'),
    saleId: IdSchema,
    reason: z.string().min(1).max(500),
    voidedAt: EpochMs,
    hlc: HlcSchema,
    movements: MovementList,
  }),
  z.object({
    type: z.literal('product.upsert'),
    product: ProductSchema,
    hlc: HlcSchema,
    fields: z.array(z.enum(PRODUCT_FIELDS)).max(PRODUCT_FIELDS.length).optional(),
    rebased: z.literal(true).optional(),
    fieldHlcs: ProductClocksSchema.optional(),
  }),
  z.object({ type: z.literal('event.upsert'), event: MarketEventSchema, hlc: HlcSchema }),
  z.object({ type: z.literal('stock.movement'), movement: StockMovementSchema }),
  z.object({ type: z.literal('refund.record'), refund: RefundSchema, movements: MovementList }),
  z.object({ type: z.literal('cashbook.open'), day: CashDaySchema }),
  z.object({ type: z.literal('cashbook.movement'), movement: CashMovementSchema }),
  z.object({ type: z.literal('cashbook.close'), report: CashDayReportSchema }),
  z.object({ type: z.literal('link.settle'), settlement: LinkSettlementSchema }),
]);

// The schemas and the domain types must describe the same thing: these fail to compile
// the moment one of them changes without the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [
  Same<(typeof PRODUCT_FIELDS)[number], ProductField>,
  Same<z.infer<typeof MutationSchema>, Mutation>,
  Same<z.infer<typeof SaleSchema>, Sale>,
  Same<z.infer<typeof SaleLineSchema>, SaleLine>,
  Same<z.infer<typeof StockMovementSchema>, StockMovement>,
  Same<z.infer<typeof ProductSchema>, Product>,
  Same<z.infer<typeof ProductClocksSchema>, ProductClocks>,
  Same<z.infer<typeof MarketEventSchema>, MarketEvent>,
  Same<z.infer<typeof StallSchema>, Stall>,
  Same<z.infer<typeof StallAssignmentSchema>, StallAssignment>,
  Same<z.infer<typeof SaleFlagSchema>, SaleFlag>,
  Same<z.infer<typeof LandmarkSchema>, FedLandmark>,
  Same<z.infer<typeof MakerResultsSchema>, MakerResults>,
  Same<z.infer<typeof RefundSchema>, Refund>,
  Same<z.infer<typeof CashDaySchema>, CashDay>,
  Same<z.infer<typeof CashMovementSchema>, CashMovement>,
  Same<z.infer<typeof CashDayReportSchema>, CashDayReport>,
  Same<z.infer<typeof LinkSettlementSchema>, LinkSettlement>,
] = [
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
];
void sameShapes;

// ---------------------------------------------------------------------------------------
// Push

export const PushRequestSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  deviceId: IdSchema,
  /** The epoch this device last synced with; null before its first successful sync. */
  epoch: z.string().min(1).max(100).nullable(),
  /**
   * The newest sequence number the device has handed out (its outbox head). Lets the server
   * see, and report, that a device which disappears still had mutations it never sent [G3].
   */
  highestSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /**
   * The device's StallProfile id (made at first run, before any account). On the first
   * push the account adopts it, or maps it to the maker the account already has.
   */
  makerId: IdSchema.optional(),
  /**
   * The device's wall clock when it sent this push (ms): the server answers `clockAheadMs`
   * when it is well ahead of its own (SPEC.md, "A device clock ahead").
   */
  sentAt: EpochMs.optional(),
  /** Oldest first. Each mutation is validated on its own by the server (see the top). */
  mutations: z.array(z.object({ seq: Seq, mutation: z.unknown() })).max(MAX_PUSH_MUTATIONS),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;
/**
 * What a device sends under a sequence number in place of a mutation no push can carry
 * (larger than MAX_PUSH_BYTES on its own, or refused with 413 when sent alone). The server
 * logs it as rejected, so the number is consumed and the queue behind it goes on [G3, G7];
 * the full mutation stays on the device, shown to the maker (SPEC.md, "Too large").
 */
export const TooLargeMarkerSchema = z.object({
  type: z.literal('too-large'),
  /** The type of the mutation kept on the device. */
  of: z.string().max(40),
  /** Its size as JSON, in bytes. */
  bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type TooLargeMarker = z.infer<typeof TooLargeMarkerSchema>;

/** What the device builds (its mutations are typed; the server sees them as unknown). */
export type PushRequestOut = Omit<PushRequest, 'mutations'> & {
  mutations: { seq: number; mutation: Mutation | TooLargeMarker }[];
};

export const MUTATION_STATUSES = ['applied', 'duplicate', 'rejected'] as const;
export type MutationStatus = (typeof MUTATION_STATUSES)[number];

export const MutationResultSchema = z.object({
  seq: Seq,
  /**
   * applied: committed now. duplicate: already applied before (same sequence number, or the
   * same sale/void already on the server), nothing changed [G2]. rejected: malformed,
   * stored with the reason, the sequence number is consumed [G7].
   */
  status: z.enum(MUTATION_STATUSES),
  reason: z.string().optional(),
  flags: z.array(SaleFlagSchema).optional(),
});
export type MutationResult = z.infer<typeof MutationResultSchema>;

export const PushResponseSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  epoch: z.string(),
  /**
   * The device's last applied sequence number on the server after this push committed:
   * everything up to it may leave the outbox [G4].
   */
  acknowledgedUpTo: z.number().int().min(0),
  results: z.array(MutationResultSchema),
  /**
   * The push stopped at a sequence number that does not follow the last applied one [G3]:
   * received > expected means mutations are missing in between; received < expected with
   * different content means the device's sequence restarted (its data was lost).
   */
  gap: z.object({ expected: z.number().int(), received: z.number().int() }).optional(),
  /**
   * True when the request's epoch was not the server's: nothing was applied; the device
   * re-queues what it knows from acknowledgedUpTo + 1 on and pushes again (SPEC.md, epoch).
   */
  epochChanged: z.boolean().optional(),
  /**
   * Other devices of this account that said they made mutations the server never received
   * (highestSeq > acknowledgedUpTo): offline, or lost with their data (docs/sync-faults.md fault 19).
   */
  otherDevices: z
    .array(
      z.object({
        deviceId: z.string(),
        acknowledgedUpTo: z.number().int(),
        highestSeq: z.number().int(),
      }),
    )
    .optional(),
  /**
   * This device's code among its maker's devices (A, B, ...; SPEC.md, "Device codes"), shown
   * before its receipt numbers. Absent until the server knows whose device it is.
   */
  deviceCode: DeviceCodeSchema.optional(),
  /**
   * The request's `sentAt` was this far ahead of the server's clock (more than 10 minutes):
   * the app asks the maker to check the phone's date and time.
   */
  clockAheadMs: z.number().int().min(0).optional(),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;

// ---------------------------------------------------------------------------------------
// Pull

/**
 * An opaque position in the server's change feed. null = from the beginning. Its form:
 * `<txid>.<id>`, then `~` and the digests of the scope it covers, then (while the device
 * catches up on a newly granted scope) `~<txid>.<id>~<digests>` (SPEC.md, "Scope growth").
 * The bare `<txid>.<id>` of older servers is still accepted.
 */
const MAX_XID8 = 2n ** 64n - 1n;
const MAX_BIGINT = 2n ** 63n - 1n;
export const MAX_CURSOR_LENGTH = 8192;
const POSITION = String.raw`(\d{1,20})\.(\d{1,19})`;
const DIGESTS = String.raw`(?:[0-9a-f]{12}(?:\.[0-9a-f]{12})*)?`;
const CURSOR_PATTERN = new RegExp(`^${POSITION}(?:~${DIGESTS}(?:~${POSITION}~${DIGESTS})?)?$`);
function inRange(txid: string | undefined, id: string | undefined): boolean {
  return txid === undefined || (BigInt(txid) <= MAX_XID8 && BigInt(id ?? '0') <= MAX_BIGINT);
}
export const CursorSchema = z
  .string()
  .max(MAX_CURSOR_LENGTH)
  .refine((value) => {
    const match = CURSOR_PATTERN.exec(value);
    return !!match && inRange(match[1], match[2]) && inRange(match[3], match[4]);
  }, 'not a cursor this server handed out')
  .nullable();

export const PullRequestSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  deviceId: IdSchema,
  cursor: CursorSchema,
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
  /**
   * Change kinds added after the first apps shipped that this app can read (e.g. 'refunds').
   * The server leaves out the kinds an app does not name, so an older app's pull never meets
   * a kind its schema would refuse (SPEC.md "Refunds"). Unknown names are ignored.
   */
  features: z.array(z.string().max(40)).max(16).optional(),
});
export type PullRequest = z.input<typeof PullRequestSchema>;

export const SaleChangeDataSchema = z.object({
  sale: SaleSchema,
  lines: z.array(SaleLineSchema),
  movements: z.array(StockMovementSchema),
  flags: z.array(SaleFlagSchema),
  /** The code of the device that made the sale (SPEC.md, "Device codes"); added later, optional. */
  deviceCode: DeviceCodeSchema.optional(),
});
export type SaleChangeData = z.infer<typeof SaleChangeDataSchema>;

/** A refund and the stock it gave back, for the maker's devices (feature 'refunds'). */
export const RefundChangeDataSchema = z.object({
  refund: RefundSchema,
  movements: z.array(StockMovementSchema),
});
export type RefundChangeData = z.infer<typeof RefundChangeDataSchema>;

/**
 * What Stripe said of one payment on the stall's payment link (feature 'payment-links';
 * SPEC.md "The stall's payment link"): the device matches it to its sale by `saleId`.
 */
export const LinkPaymentChangeDataSchema = z.object({
  /** Stripe's Checkout Session id (cs_...): one per payment on the link. */
  id: z.string().min(1).max(255),
  /** The customer's client_reference_id when it was a sale id; null otherwise. */
  saleId: IdSchema.nullable(),
  paidCents: z.number().int().min(0).max(MAX_SYNC_CENTS),
  /** ISO 4217, lower case as Stripe writes it; only 'eur' can confirm a sale. */
  currency: z.string().min(1).max(8),
  status: z.enum(['processing', 'failed', 'paid']),
  /** When Stripe made the payment's session (ms). */
  createdAt: EpochMs,
});
export type LinkPaymentChangeData = z.infer<typeof LinkPaymentChangeDataSchema>;

/** The pull feature that asks for the outcomes of payments on the stall's payment link. */
export const PAYMENT_LINKS_FEATURE = 'payment-links';

/**
 * A pull `features` name asking the server to say about how many changes are left after the
 * page (`remaining`, SPEC.md "Progress"). Not in PULL_FEATURES: counting costs the server a
 * little, so the engine asks on a round's first page and every REMAINING_EVERY_PAGES pages.
 */
export const REMAINING_FEATURE = 'remaining';
export const REMAINING_EVERY_PAGES = 10;
/** The server counts at most this many changes for `remaining` (the device says "about"). */
export const MAX_REMAINING_ESTIMATE = 1_000_000;
/** The electronic refunds' change kind ('refund_status'), sent only to apps naming this. */
export const REFUND_STATUS_FEATURE = 'refund-status';

/**
 * Where the electronic part of a refund stands at the payment provider (SPEC.md "Refunds by
 * phone or card"; feature 'refund-status'). The whole state each time, so the newest wins.
 */
export const ElectronicRefundStatusSchema = z.object({
  refundId: IdSchema,
  saleId: IdSchema,
  state: z.enum(ELECTRONIC_REFUND_STATES),
  amountCents: z.number().int().min(1).max(MAX_SYNC_CENTS),
  reason: z.string().max(500).nullable(),
  origin: z.enum(['device', 'dashboard']),
  recordId: IdSchema.nullable(),
});

/** The maker's settlements of link payments ('link_settlement'), sent only to apps naming this. */
export const LINK_SETTLEMENTS_FEATURE = 'link-settlements';

/** Pull `features` naming what this app reads beyond the first protocol. */
export const PULL_FEATURES = [
  'refunds',
  'cashbook',
  MAKER_NAMES_FEATURE,
  PAYMENT_LINKS_FEATURE,
  REFUND_STATUS_FEATURE,
  LINK_SETTLEMENTS_FEATURE,
] as const;

/** The cash book's change kinds, sent only to apps whose pull names 'cashbook'. */
export const CASHBOOK_ENTITIES = ['cash_day', 'cash_movement', 'cash_report'] as const;

export const ChangeSchema = z.discriminatedUnion('entity', [
  z.object({ entity: z.literal('product'), op: z.literal('upsert'), data: ProductChangeSchema }),
  z.object({ entity: z.literal('event'), op: z.literal('upsert'), data: EventChangeSchema }),
  z.object({ entity: z.literal('stall'), op: z.literal('upsert'), data: StallSchema }),
  z.object({
    entity: z.literal('stall_assignment'),
    op: z.literal('upsert'),
    data: StallAssignmentSchema,
  }),
  z.object({ entity: z.literal('sale'), op: z.literal('upsert'), data: SaleChangeDataSchema }),
  z.object({
    entity: z.literal('stock_movement'),
    op: z.literal('upsert'),
    data: StockMovementSchema,
  }),
  z.object({ entity: z.literal('event_map'), op: z.literal('upsert'), data: EventMapSchema }),
  z.object({
    entity: z.literal('announcement'),
    op: z.literal('upsert'),
    data: AnnouncementSchema,
  }),
  z.object({
    entity: z.literal('maker_results'),
    op: z.literal('upsert'),
    data: MakerResultsChangeSchema,
  }),
  z.object({ entity: z.literal('refund'), op: z.literal('upsert'), data: RefundChangeDataSchema }),
  z.object({
    entity: z.literal('link_payment'),
    op: z.literal('upsert'),
    data: LinkPaymentChangeDataSchema,
  }),
  z.object({
    entity: z.literal('refund_status'),
    op: z.literal('upsert'),
    data: ElectronicRefundStatusSchema,
  }),
  z.object({
    entity: z.literal('link_settlement'),
    op: z.literal('upsert'),
    data: LinkSettlementSchema,
  }),
  z.object({ entity: z.literal('cash_day'), op: z.literal('upsert'), data: CashDaySchema }),
  z.object({
    entity: z.literal('cash_movement'),
    op: z.literal('upsert'),
    data: CashMovementSchema,
  }),
  z.object({
    entity: z.literal('cash_report'),
    op: z.literal('upsert'),
    data: CashDayReportSchema,
  }),
  z.object({
    entity: z.literal('deleted'),
    op: z.literal('delete'),
    data: z.object({
      entity: z.enum(['product', 'event', 'stall', 'stall_assignment']),
      id: IdSchema,
    }),
  }),
]);
export type Change = z.infer<typeof ChangeSchema>;
export type ChangeEntity = Change['entity'];

export const PullResponseSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  epoch: z.string(),
  changes: z.array(ChangeSchema),
  /** Where the next pull starts; store it with the page in one transaction. */
  cursor: CursorSchema,
  /**
   * More changes are waiting: the page was full, or committed changes are held back behind
   * a transaction still in progress (SPEC.md, cursor rule). Pull again.
   */
  hasMore: z.boolean(),
  /** The maker this account sells for on the server (null before the first push). */
  makerId: IdSchema.nullable(),
  /**
   * About how many changes are left after this page (0 on the last page), when the pull's
   * `features` named REMAINING_FEATURE (SPEC.md "Progress"); added later: older servers
   * never send it, and older apps ignore it.
   */
  remaining: z.number().int().min(0).max(MAX_REMAINING_ESTIMATE).optional(),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

/** The error body of every non-2xx answer (src/lib/server/http/errors.ts). */
export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
