import { api, json, readBodyText } from '$lib/server/http';
import { handleWebhook, serverPayments } from '$lib/server/payments';
import { MAX_WEBHOOK_BODY_BYTES } from '$lib/payments/contract';

export const prerender = false;

/**
 * Stripe's events (docs/payments.md, "Webhooks"). The raw body is what the signature covers,
 * so it is read as text, bounded, and parsed only after the signature matched.
 */
export const POST = api(async (event) => {
  const raw = await readBodyText(event.request, MAX_WEBHOOK_BODY_BYTES);
  const result = await handleWebhook(
    await serverPayments(),
    raw,
    event.request.headers.get('stripe-signature'),
  );
  return json(result);
});
