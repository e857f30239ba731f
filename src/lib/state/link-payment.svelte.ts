// "Pay by phone/card (offline)" at the till (docs/payments.md, "Offline: the stall's payment
// link"). While online the device fetches the stall's reusable payment link and keeps it in
// the profile; with no network (or the server unreachable) the till shows it as a QR with the
// sale's id appended, the maker tells the customer the amount to type, and on "the customer
// has paid on their phone" the sale is recorded at once, awaiting Stripe's confirmation.
import type { Cart } from '$lib/domain/cart';
import { uuidv7 } from '$lib/domain/ids';
import type { Cents, Id } from '$lib/domain/types';
import { paymentLinkForSale } from '$lib/payments/link';
import type { TillPaymentsCheck } from '$lib/payments/till-status';
import { app } from './app.svelte';
import { till } from './till.svelte';

export interface LinkPaymentView {
  saleId: Id;
  /** The kept link with ?client_reference_id=<sale id>. */
  url: string;
  amountCents: Cents;
  phase: 'open' | 'recorded' | 'error';
}

class LinkPaymentState {
  /** The last look at the server failed (no answer): the offline link is offered. */
  unreachable = $state(false);
  view = $state.raw<LinkPaymentView | null>(null);
  #cart: Cart | null = null;

  /** The link the device keeps, if any. */
  get kept(): { linkId: string; url: string } | null {
    return app.profile?.paymentLink ?? null;
  }

  /** Offered when a link is kept and the network or the server is not there. */
  get offered(): boolean {
    return this.kept !== null && (!app.online || this.unreachable);
  }

  /**
   * What the till's one look at payments said (src/lib/payments/till-status.ts): keeps the
   * stall's link while the maker's account is ready (a new one when the server names another),
   * forgets it once the server says it is not (disconnected, or Stripe turned off). Offline
   * or no answer: keeps what it has and offers it.
   */
  async apply(check: TillPaymentsCheck): Promise<void> {
    this.unreachable = check.unreachable;
    if (check.link.change === 'set') await this.#keep(check.link.link);
    else if (check.link.change === 'forget' && app.profile?.paymentLink) await this.#keep(null);
  }

  /** The card payment found no connection: offer the link instead. */
  markUnreachable(): void {
    this.unreachable = true;
  }

  async #keep(link: { linkId: string; url: string } | null): Promise<void> {
    const store = app.store;
    const profile = app.profile;
    if (!store || !profile) return;
    const next = { ...profile, paymentLink: link };
    await store.saveProfile(next);
    app.profile = next;
  }

  /** Shows the QR for the till's cart as it is now. */
  start(): void {
    const link = this.kept;
    if (!link || till.cart.lines.length === 0 || this.view || !till.eventId) return;
    const saleId = uuidv7();
    const url = paymentLinkForSale(link.url, saleId);
    if (!url) return;
    this.#cart = till.cart;
    this.view = { saleId, url, amountCents: till.priced.totalCents, phase: 'open' };
  }

  /** "The customer has paid on their phone": the sale is recorded, awaiting confirmation. */
  async confirmPaid(): Promise<void> {
    const view = this.view;
    const cart = this.#cart;
    if (!view || !cart || view.phase !== 'open') return;
    const recorded = await till.completeByPaymentLink(view.saleId, cart);
    if (this.view?.saleId !== view.saleId) return;
    this.view = { ...view, phase: recorded ? 'recorded' : 'error' };
  }

  close(): void {
    this.view = null;
    this.#cart = null;
  }
}

export const linkPayment = new LinkPaymentState();
