// The till's dialogs and rarely used parts, loaded on first use (docs/style.md, "Load on
// first use"): none of them is in the JavaScript the till needs before it can sell. Each is
// its own chunk, precached by the service worker like every other, so it opens offline too.
// A new dialog gets a loader here and is shown inside `<LazyDialog load={tillDialogs.name}>`
// (./LazyDialog.svelte), which says plainly when its chunk could not be fetched.
//
// What a sale needs is NOT here: the cash payment (PaymentDialog) and the question before
// selling an item out of stock (OversellDialog) are in the till's first load, because a new
// phone that loses the network a moment after its first visit (before the service worker
// controls the page) could not fetch them (tests/e2e/first-visit-offline.e2e.ts).
import { loadLocaleMessages } from '$lib/i18n/locale-messages';
import { loadOnce } from '$lib/load-once';
import { downloads } from '$lib/state/downloads.svelte';
import { localeState } from '$lib/state/locale.svelte';

// A dialog also waits for all of the screen's language's messages: a till started in
// another language than Dutch has only the till's own before its first render
// (src/hooks.client.ts), and a dialog may say more (a receipt, a refund).
function withMessages<T>(load: () => Promise<T>): () => Promise<T> {
  const module = loadOnce(load, downloads);
  return () =>
    Promise.all([module(), loadLocaleMessages(localeState.current)]).then(([loaded]) => loaded);
}

export const tillDialogs = {
  split: withMessages(() => import('./SplitDialog.svelte')),
  cardPayment: withMessages(() => import('./CardPaymentDialog.svelte')),
  linkPayment: withMessages(() => import('./LinkPaymentDialog.svelte')),
  discount: withMessages(() => import('./DiscountDialog.svelte')),
  restock: withMessages(() => import('./RestockDialog.svelte')),
  void: withMessages(() => import('./VoidDialog.svelte')),
  receiptQr: withMessages(() => import('$lib/components/ReceiptQrDialog.svelte')),
};

/**
 * Fetches every dialog above as soon as the till has shown its products, not when the browser
 * is idle: a phone that stays online one second after its first visit has them all, also
 * before the service worker controls the page. Nothing waits for it; a dialog that did not
 * arrive is fetched again when it is opened.
 */
export function preloadTillDialogs(
  loaders: Record<string, () => Promise<unknown>> = tillDialogs,
): void {
  for (const load of Object.values(loaders)) void load().catch(() => undefined);
}
