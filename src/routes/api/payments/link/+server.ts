import { requireUser } from '$lib/server/auth';
import { api, json, readInput } from '$lib/server/http';
import { ensurePaymentLink, serverPayments } from '$lib/server/payments';
import { MAX_CHECKOUT_BODY_BYTES, PaymentLinkRequestSchema } from '$lib/payments/contract';

export const prerender = false;

/** The stall's reusable payment link, made once (src/lib/payments/contract.ts). */
export const POST = api(async (event) => {
  const user = requireUser(event);
  const body = await readInput(event.request, PaymentLinkRequestSchema, {
    maxBytes: MAX_CHECKOUT_BODY_BYTES,
  });
  return json(await ensurePaymentLink(await serverPayments(), user.id, body));
});
