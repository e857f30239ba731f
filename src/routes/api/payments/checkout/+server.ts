import { requireUser } from '$lib/server/auth';
import { api, json, readInput } from '$lib/server/http';
import { createCheckout, serverPayments } from '$lib/server/payments';
import { CheckoutRequestSchema, MAX_CHECKOUT_BODY_BYTES } from '$lib/payments/contract';

export const prerender = false;

/** A Checkout Session for a sale at the till (src/lib/payments/contract.ts). */
export const POST = api(async (event) => {
  const user = requireUser(event);
  const body = await readInput(event.request, CheckoutRequestSchema, {
    maxBytes: MAX_CHECKOUT_BODY_BYTES,
  });
  return json(await createCheckout(await serverPayments(), user.id, body));
});
