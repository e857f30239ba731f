// The till's dialogs and rarely used parts, loaded on first use (docs/style.md, "Load on
// first use"): none of them is in the JavaScript the till needs before it can sell. Each is
// its own chunk, precached by the service worker like every other, so it opens offline too.
// A new dialog gets a loader here and is shown with
// `{#await tillDialogs.name() then { default: Name }}<Name ... />{/await}`.
import { loadLocaleMessages } from '$lib/i18n/locale-messages';
import { localeState } from '$lib/state/locale.svelte';

// A dialog also waits for all of the screen's language's messages: a till started in
// another language than Dutch has only the till's own before its first render
// (src/hooks.client.ts), and a dialog may say more (a receipt, a refund).
function withMessages<T>(load: () => Promise<T>): () => Promise<T> {
  return () =>
    Promise.all([load(), loadLocaleMessages(localeState.current)]).then(([module]) => module);
}

export const tillDialogs = {
  payment: withMessages(() => import('./PaymentDialog.svelte')),
  split: withMessages(() => import('./SplitDialog.svelte')),
  cardPayment: withMessages(() => import('./CardPaymentDialog.svelte')),
  linkPayment: withMessages(() => import('./LinkPaymentDialog.svelte')),
  discount: withMessages(() => import('./DiscountDialog.svelte')),
  oversell: withMessages(() => import('./OversellDialog.svelte')),
  restock: withMessages(() => import('./RestockDialog.svelte')),
  void: withMessages(() => import('./VoidDialog.svelte')),
  receiptQr: withMessages(() => import('$lib/components/ReceiptQrDialog.svelte')),
};

/**
 * Fetches and compiles the cash payment dialog once the till is up and the browser is idle,
 * so the first "Pay" opens it as fast as a static import would. Nothing waits for it.
 */
export function preloadPaymentDialog(): void {
  const load = () => void tillDialogs.payment().catch(() => undefined);
  if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 500);
}
