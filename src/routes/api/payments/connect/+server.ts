import { requireUser } from '$lib/server/auth';
import { api, json } from '$lib/server/http';
import { serverPayments, startConnect } from '$lib/server/payments';

export const prerender = false;

/** The maker's own Stripe onboarding link (the account is made once). */
export const POST = api(async (event) => {
  const user = requireUser(event);
  return json(await startConnect(await serverPayments(), user.id));
});
