import { api, json } from '$lib/server/http';
import { paymentsStatus, serverPayments } from '$lib/server/payments';

export const prerender = false;

/** Is Stripe set up here, and where the signed-in maker's connection stands (never a secret). */
export const GET = api(async (event) =>
  json(await paymentsStatus(await serverPayments(), event.locals.user?.id ?? null)),
);
