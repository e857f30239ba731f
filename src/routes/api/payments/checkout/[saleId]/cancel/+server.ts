import { requireUser } from '$lib/server/auth';
import { api, json } from '$lib/server/http';
import { cancelCheckout, serverPayments } from '$lib/server/payments';
import { saleIdParam } from '$lib/server/payments/params';

export const prerender = false;

/** The maker gives up on this payment: the session expires at Stripe. */
export const POST = api(async (event) => {
  const user = requireUser(event);
  return json(
    await cancelCheckout(await serverPayments(), user.id, saleIdParam(event.params.saleId)),
  );
});
