/**
 * The payments API (docs/payments.md), shared by the device and the server: one contract
 * module, validated at the server's edge (src/lib/server/http/input.ts: 400 for the shape,
 * 422 naming the field for a refused value).
 *
 *   GET  /api/payments                          -> PaymentsStatus (anyone; cash only when off)
 *   POST /api/payments/connect                  -> { url } Stripe-hosted onboarding
 *   POST /api/payments/connect/refresh          -> PaymentsStatus (asks Stripe, on return)
 *   POST /api/payments/checkout                 CheckoutRequest -> CheckoutAnswer
 *   GET  /api/payments/checkout/<saleId>        -> CheckoutAnswer (the till watches this)
 *   POST /api/payments/checkout/<saleId>/cancel -> CheckoutAnswer
 *   GET  /api/payments/fees/<eventId>           -> StallFeeAnswer (the maker's own fee)
 *   POST /api/payments/fees/<eventId>           -> StallFeeCheckout (Embedded Checkout)
 *   POST /api/stripe/webhook                    Stripe's events (signed; not for devices)
 */
import { z } from 'zod';
import { MAX_LINE_QUANTITY } from '$lib/domain/cart';
import { safeText } from '$lib/safe-text';

/** Stripe's smallest euro charge. A smaller sale is paid in cash. */
export const MIN_CHECKOUT_CENTS = 50;
/** Stripe's largest amount (8 digits), well below the till's own limit. */
export const MAX_CHECKOUT_CENTS = 99_999_999;
/** Lines in one Checkout Session (Stripe takes at most 100 line items). */
export const MAX_CHECKOUT_LINES = 100;
/** Request bodies of the payments endpoints. */
export const MAX_CHECKOUT_BODY_BYTES = 64 * 1024;
/** Stripe's events are a few kilobytes; anything near this is not Stripe. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

const Id = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a UUID');
const Cents = z.number().int().min(0).max(MAX_CHECKOUT_CENTS);
const Discount = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('amount'), cents: Cents }),
  z.object({ kind: z.literal('percent'), percent: z.number().int().min(0).max(100) }),
]);

export const CheckoutLineSchema = z.strictObject({
  productId: Id,
  name: safeText(200).min(1),
  unitPriceCents: Cents,
  vatRate: z.union([z.literal(0), z.literal(9), z.literal(21)]),
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
  discount: Discount,
});

/** What the till sends: the cart as it is priced on the device, and what it expects to be due. */
export const CheckoutRequestSchema = z.strictObject({
  /** The sale's id, made by the device; the session's client_reference_id and idempotency key. */
  saleId: Id,
  eventId: Id,
  /** The maker's stall name as the customer should see it. */
  stallName: safeText(120).min(1),
  lines: z.array(CheckoutLineSchema).min(1).max(MAX_CHECKOUT_LINES),
  cartDiscount: Discount,
  /** The total the till shows; the server recomputes it from the lines and refuses a difference. */
  totalCents: Cents,
  /**
   * A split payment (src/lib/domain/split-payment.ts): only this electronic part is charged,
   * the rest was taken in cash. Between 50 cents and the total; absent: the whole total.
   */
  amountCents: Cents.optional(),
  /**
   * 'embedded': the customer pays on the maker's phone in Stripe's Embedded Checkout
   * (Stripe.js, loaded only then); absent or 'hosted': Stripe's own page, shown as a QR.
   */
  uiMode: z.enum(['hosted', 'embedded']).optional(),
});
export type CheckoutRequest = z.infer<typeof CheckoutRequestSchema>;

/** Where a maker's Stripe connection stands: what Settings → Payments shows. */
export const CONNECT_STATES = [
  'off',
  'signed-out',
  'not-connected',
  'details-needed',
  'ready',
] as const;
export type ConnectState = (typeof CONNECT_STATES)[number];

export interface PaymentsStatus {
  /** 'off': the server has no Stripe keys (cash only). */
  state: ConnectState;
  /** Stripe's publishable key when configured (never the secret key). */
  publishableKey: string | null;
  /**
   * For a signed-in account: the id of the stall's payment link the server keeps (null: none
   * made yet, or the account is not ready). The till keeps its link while this names it and
   * asks `POST /api/payments/link` only when it keeps none or another (docs/payments.md).
   * Absent from an older server's answer (the till then asks for the link as before).
   */
  linkId?: string | null;
}

/** open: waiting for the customer; processing: paid by a delayed method, not settled yet. */
export const CHECKOUT_STATES = ['open', 'processing', 'expired', 'failed', 'paid'] as const;
export type CheckoutState = (typeof CHECKOUT_STATES)[number];

export interface CheckoutAnswer {
  saleId: string;
  state: CheckoutState;
  /** Stripe's page for the customer (null once expired). */
  url: string | null;
  amountCents: number;
  /** What Stripe says was paid, once paid. */
  paidCents: number | null;
  /** Paid, but not the amount asked: the till does not complete the sale. */
  amountMismatch: boolean;
  /** ISO time the session expires. */
  expiresAt: string;
  /**
   * Only in the answer to POST /api/payments/checkout with uiMode 'embedded': what Stripe.js
   * needs to mount Embedded Checkout on this phone (never the secret key).
   */
  embedded?: EmbeddedCheckout;
}

/** What the browser needs for Stripe's Embedded Checkout. */
export interface EmbeddedCheckout {
  publishableKey: string;
  /** The session's client secret (for this one session only). */
  clientSecret: string;
  /** The connected account the session lives on (null: the platform's own, e.g. stall fees). */
  stripeAccount: string | null;
}

/** The till completes the sale only on this. */
export function checkoutSettled(answer: CheckoutAnswer): boolean {
  return answer.state === 'paid' && !answer.amountMismatch;
}

/** States after which nothing changes any more (the till stops watching). */
export function checkoutFinal(answer: CheckoutAnswer): boolean {
  return answer.state === 'paid' || answer.state === 'expired' || answer.state === 'failed';
}

// ---- The stall's payment link (offline payments; docs/payments.md) -------------------------
//
//   POST /api/payments/link   PaymentLinkRequest -> PaymentLinkAnswer (made once per maker)

/** What the device sends when it asks for its stall's payment link. */
export const PaymentLinkRequestSchema = z.strictObject({
  /** The stall name the customer sees on the link's page. */
  stallName: safeText(120).min(1),
});
export type PaymentLinkRequest = z.infer<typeof PaymentLinkRequestSchema>;

/** The maker's reusable payment link: the device keeps it for the till to use offline. */
export interface PaymentLinkAnswer {
  /** Stripe's payment link id (plink_...). */
  linkId: string;
  /** The link's page, where the customer types the amount. */
  url: string;
}

/** The signed-in maker's stall fee at one event (src/lib/server/payments/fees.ts). */
export interface StallFeeAnswer {
  eventId: string;
  /** The fee for the maker's stall(s) at this event. */
  dueCents: number;
  /** Paid so far (by hand in the organiser's table, or online). */
  paidCents: number;
  /** What is still owed (never negative). */
  owedCents: number;
  /** The reference of the last payment made inside Kraam, if any. */
  reference: string | null;
  /** It can be paid here now: Stripe is set up and at least 50 cents are owed. */
  payable: boolean;
}

/** What "Pay now" answers: Embedded Checkout on the platform's account, for what is owed. */
export interface StallFeeCheckout {
  eventId: string;
  amountCents: number;
  embedded: EmbeddedCheckout;
}
