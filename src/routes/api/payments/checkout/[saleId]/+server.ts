import { requireUser } from '$lib/server/auth';
import { api, json } from '$lib/server/http';
import { checkoutStatus, serverPayments } from '$lib/server/payments';
import { saleIdParam } from '$lib/server/payments/params';

export const prerender = false;

/** Where the sale's payment stands (the till watches this with backoff). */
export const GET = api(async (event) => {
  const user = requireUser(event);
  return json(
    await checkoutStatus(await serverPayments(), user.id, saleIdParam(event.params.saleId)),
  );
});
