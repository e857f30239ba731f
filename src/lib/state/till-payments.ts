// The till's one look at payments when it opens (docs/payments.md, "At the till"): one
// status request feeds both "Pay by phone/card" (cardPayment.ready) and the offline payment
// link the phone keeps (linkPayment); the link itself is asked for only when needed
// (src/lib/payments/till-status.ts). The payments code loads on first use, never in the
// till's first load (docs/style.md).
import { app } from './app.svelte';
import { cardPayment } from './card-payment.svelte';
import { linkPayment } from './link-payment.svelte';

export async function refreshTillPayments(fetcher?: typeof fetch): Promise<void> {
  const { checkTillPayments } = await import('$lib/payments/till-status');
  const profile = app.profile;
  const check = await checkTillPayments(
    { kept: profile?.paymentLink ?? null, stallName: profile?.stallName ?? null },
    fetcher,
  );
  cardPayment.ready = check.ready;
  await linkPayment.apply(check);
}
