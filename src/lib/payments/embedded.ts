// Stripe's Embedded Checkout on the maker's phone (docs/payments.md, "On this phone"): Stripe.js
// is imported dynamically, so it is in no first-load chunk and never needed offline (the till
// offers "on this phone" only while online). `@stripe/stripe-js/pure` loads the script from
// js.stripe.com only when called; the CSP allows exactly that host for scripts and frames.
import type { EmbeddedCheckout } from './contract';

/** Mounts Embedded Checkout into `target`; resolves with a function that removes it. */
export async function mountEmbeddedCheckout(
  embedded: EmbeddedCheckout,
  target: HTMLElement,
): Promise<() => void> {
  const { loadStripe } = await import('@stripe/stripe-js/pure');
  const stripe = await loadStripe(
    embedded.publishableKey,
    embedded.stripeAccount ? { stripeAccount: embedded.stripeAccount } : undefined,
  );
  if (!stripe) throw new Error('Stripe.js did not load');
  const checkout = await stripe.createEmbeddedCheckoutPage({
    clientSecret: embedded.clientSecret,
  });
  checkout.mount(target);
  return () => checkout.destroy();
}
