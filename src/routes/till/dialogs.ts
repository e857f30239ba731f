// The till's dialogs and rarely used parts, loaded on first use (docs/style.md, "Load on
// first use"): none of them is in the JavaScript the till needs before it can sell. Each is
// its own chunk, precached by the service worker like every other, so it opens offline too.
// A new dialog gets a loader here and is shown with
// `{#await tillDialogs.name() then { default: Name }}<Name ... />{/await}`.
export const tillDialogs = {
  payment: () => import('./PaymentDialog.svelte'),
  split: () => import('./SplitDialog.svelte'),
  cardPayment: () => import('./CardPaymentDialog.svelte'),
  linkPayment: () => import('./LinkPaymentDialog.svelte'),
  discount: () => import('./DiscountDialog.svelte'),
  oversell: () => import('./OversellDialog.svelte'),
  restock: () => import('./RestockDialog.svelte'),
  void: () => import('./VoidDialog.svelte'),
  receiptQr: () => import('$lib/components/ReceiptQrDialog.svelte'),
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
