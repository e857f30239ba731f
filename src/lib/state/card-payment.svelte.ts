// "Pay by phone/card" at the till (docs/payments.md): the server makes a Stripe Checkout
// Session for the sale, the till shows its QR and watches the outcome with growing pauses,
// and records the sale on this device only once the server says it was paid. Every network
// call happens before the store's transaction, never inside it.
import type { Cart } from '$lib/domain/cart';
import { uuidv7 } from '$lib/domain/ids';
import { planSplit } from '$lib/domain/split-payment';
import type { Cents, Id } from '$lib/domain/types';
import type { PaymentsFailure } from '$lib/payments/client';
import type { CheckoutAnswer, EmbeddedCheckout } from '$lib/payments/contract';
import { app } from './app.svelte';
import { till } from './till.svelte';

export type CardPhase =
  | 'starting'
  | 'open'
  | 'processing'
  | 'paid'
  | 'expired'
  | 'failed'
  | 'mismatch'
  | 'error'
  /** A split payment the maker stopped: the cash part is still in their hands. */
  | 'stopped';

/**
 * A split payment's cash part (src/lib/domain/split-payment.ts), taken before the rest is
 * paid by phone or card. Nothing is recorded until the rest is paid; until then the maker
 * holds `cashDueCents` of this customer's cash.
 */
export interface CashPart {
  cashPartCents: Cents;
  cashDueCents: Cents;
  tenderedCents: Cents;
  cashRounding: boolean;
}

export interface CardPaymentOptions {
  cashPart?: CashPart;
  /** The customer pays on this phone (Stripe's Embedded Checkout), not by scanning a QR. */
  embedded?: boolean;
}

export interface CardPaymentView {
  saleId: Id;
  phase: CardPhase;
  url: string | null;
  /** What the customer pays by phone or card (for a split: the rest after cash). */
  amountCents: Cents;
  paidCents: Cents | null;
  failure: PaymentsFailure | null;
  cashPart: CashPart | null;
  /** Embedded Checkout: what Stripe.js needs (null for the QR of Stripe's page). */
  embedded: EmbeddedCheckout | null;
  wantsEmbedded: boolean;
}

/**
 * The payments code (its client, its contract with zod) is loaded on first use, never with
 * the till (docs/style.md, "Load on first use"): the till must open fast and offline.
 */
const payments = () => import('$lib/payments/client');
const contract = () => import('$lib/payments/contract');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class CardPaymentState {
  /**
   * The server takes payments by phone or card for this maker (asked when the till opens:
   * till-payments.ts).
   */
  ready = $state(false);
  view = $state.raw<CardPaymentView | null>(null);
  /**
   * Cash the maker already holds of this customer after a split payment's card part failed
   * and they chose to finish in cash (the cash dialog reminds them to count it in).
   */
  heldCashCents = $state<Cents | null>(null);
  /** The split dialog (part cash, the rest by phone or card) is open. */
  splitOpen = $state(false);
  /** The cart the payment is for: the sale is recorded with exactly these lines. */
  #cart: Cart | null = null;

  /**
   * Starts a payment for the till's cart as it is now: all of it, or for a split payment the
   * rest after the cash part; by a QR of Stripe's page or (embedded) on this phone.
   */
  async start(options: CardPaymentOptions = {}): Promise<void> {
    const profile = app.profile;
    const eventId = till.eventId;
    if (!profile || !eventId || till.cart.lines.length === 0 || this.view) return;
    const cart = till.cart;
    const saleId = uuidv7();
    const totalCents = till.priced.totalCents;
    const cashPart = options.cashPart ?? null;
    const amountCents = cashPart ? totalCents - cashPart.cashPartCents : totalCents;
    this.#cart = cart;
    this.heldCashCents = null;
    this.view = {
      saleId,
      phase: 'starting',
      url: null,
      amountCents,
      paidCents: null,
      failure: null,
      cashPart,
      embedded: null,
      wantsEmbedded: options.embedded ?? false,
    };
    // Saved with the cart before the server is asked: a reload now still finds the payment.
    await till.holdForCardPayment(saleId).catch(() => undefined);
    const { createCheckout } = await payments();
    const result = await createCheckout({
      saleId,
      eventId,
      stallName: profile.stallName,
      lines: cart.lines.map((l) => ({
        productId: l.productId,
        name: l.name,
        unitPriceCents: l.unitPriceCents,
        vatRate: l.vatRate,
        quantity: l.quantity,
        discount: l.discount,
      })),
      cartDiscount: cart.cartDiscount,
      totalCents,
      ...(cashPart ? { amountCents } : {}),
      ...(options.embedded ? { uiMode: 'embedded' as const } : {}),
    });
    if (this.view?.saleId !== saleId) return;
    if (!result.ok) {
      this.view = { ...this.view, phase: 'error', failure: result.failure };
      return;
    }
    this.view = { ...this.view, embedded: result.value.embedded ?? null };
    this.#show(result.value);
    void this.#watch(saleId);
  }

  async #watch(saleId: Id): Promise<void> {
    const { fetchCheckout, watchCheckout } = await payments();
    const final = await watchCheckout({
      fetchAnswer: () => fetchCheckout(saleId),
      sleep,
      onAnswer: (answer) => {
        if (this.view?.saleId === saleId) this.#show(answer);
      },
      stopped: () => this.view?.saleId !== saleId,
    });
    if (final && this.view?.saleId === saleId) await this.#settle(final);
  }

  #show(answer: CheckoutAnswer): void {
    if (!this.view || this.view.saleId !== answer.saleId) return;
    const phase: CardPhase =
      answer.state === 'paid' && answer.amountMismatch ? 'mismatch' : answer.state;
    // "paid" is shown once the sale is recorded (#settle), not before.
    this.view = {
      ...this.view,
      // "paid" is shown once recorded; a stopped split stays stopped unless it was paid.
      phase:
        phase === 'paid' || (this.view.phase === 'stopped' && phase !== 'mismatch')
          ? this.view.phase
          : phase,
      url: answer.url,
      paidCents: answer.paidCents,
    };
  }

  async #settle(answer: CheckoutAnswer): Promise<void> {
    const cart = this.#cart;
    if (!this.view || !cart) return;
    const { checkoutSettled } = await contract();
    if (!checkoutSettled(answer)) {
      this.#show(answer);
      return;
    }
    const cashPart = this.view.cashPart;
    const recorded = await till.completeByPhoneOrCard(
      answer.saleId,
      cart,
      cashPart
        ? {
            cashPartCents: cashPart.cashPartCents,
            tenderedCents: cashPart.tenderedCents,
            cashRounding: cashPart.cashRounding,
          }
        : undefined,
    );
    if (this.view?.saleId !== answer.saleId) return;
    this.view = recorded
      ? { ...this.view, phase: 'paid' }
      : { ...this.view, phase: 'error', failure: 'unknown' };
  }

  /**
   * The maker stops the payment: the session is expired at Stripe, so the customer can no
   * longer pay it. If the customer paid just before, the answer says paid and the sale is
   * recorded after all.
   */
  async cancel(): Promise<void> {
    const view = this.view;
    if (!view) return;
    if (view.phase === 'open' || view.phase === 'processing') {
      const [{ cancelCheckout }, { checkoutSettled }] = await Promise.all([payments(), contract()]);
      const result = await cancelCheckout(view.saleId);
      if (result.ok && checkoutSettled(result.value)) {
        await this.#settle(result.value);
        return;
      }
      if (!result.ok && result.failure !== 'not_found') {
        // Stripe or the network did not answer: the page may still be paid; keep watching.
        this.view = { ...view, failure: result.failure };
        return;
      }
    }
    // A split payment's cash is still in the maker's hands: they decide what to do with it.
    if (view.cashPart && this.view?.saleId === view.saleId) {
      this.view = { ...this.view, phase: 'stopped', failure: null };
      return;
    }
    this.close();
  }

  /** A new payment with the same cash part and way to pay (after a failure). */
  async retry(): Promise<void> {
    const view = this.view;
    if (!view) return;
    const options: CardPaymentOptions = {
      ...(view.cashPart ? { cashPart: view.cashPart } : {}),
      embedded: view.wantsEmbedded,
    };
    this.close();
    await this.start(options);
  }

  /**
   * The card part of a split payment did not happen and the customer pays the rest in cash:
   * the whole sale becomes a cash sale, the cash already held counted in.
   */
  finishInCash(): void {
    const held = this.view?.cashPart?.cashDueCents ?? null;
    this.close();
    this.heldCashCents = held;
    till.openPayment();
  }

  /** Closes the dialog (the watch stops with it). */
  close(): void {
    const saleId = this.view?.saleId;
    this.view = null;
    this.#cart = null;
    if (saleId) void till.holdForCardPayment(null, saleId).catch(() => undefined);
  }

  /**
   * After the till was closed or reloaded: if a payment was open for the saved cart's pending
   * sale id, asks the server what became of it (resume.ts): paid meanwhile, the sale is
   * recorded (once: under that id); still open, the waiting dialog comes back; expired or
   * failed, the dialog says so and the cart stays for cash.
   */
  async resume(): Promise<void> {
    const held = till.resumable;
    if (!held || this.view) return;
    till.resumable = null;
    const [{ fetchCheckout }, { resumeAction }] = await Promise.all([
      payments(),
      import('$lib/payments/resume'),
    ]);
    const result = await fetchCheckout(held.saleId);
    const action = resumeAction(false, result);
    if (action === 'forget') {
      await till.holdForCardPayment(null, held.saleId).catch(() => undefined);
      return;
    }
    if (!result.ok || action === null || action === 'keep' || this.view) return;
    const answer = result.value;
    // A split payment's cash part is not saved with the cart: it is what the card part leaves
    // of the cart's total, rounded as the till rounds cash (the maker took it before the card).
    const totalCents = till.priced.totalCents;
    let cashPart: CashPart | null = null;
    if (answer.amountCents < totalCents) {
      const cashRounding = app.profile?.cashRounding ?? false;
      const planned = planSplit(totalCents, totalCents - answer.amountCents, cashRounding);
      if (!planned.ok) return; // Not this cart's payment: the maker's Stripe dashboard has it.
      const { cashPartCents, cashDueCents } = planned.plan;
      cashPart = { cashPartCents, cashDueCents, tenderedCents: cashDueCents, cashRounding };
    }
    this.#cart = held.cart;
    this.view = {
      saleId: held.saleId,
      phase: 'starting',
      url: null,
      amountCents: answer.amountCents,
      paidCents: null,
      failure: null,
      cashPart,
      embedded: null,
      wantsEmbedded: false,
    };
    this.#show(answer);
    if (action === 'watch') void this.#watch(held.saleId);
    else await this.#settle(answer);
  }
}

export const cardPayment = new CardPaymentState();
