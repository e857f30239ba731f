import { requireUser } from '$lib/server/auth';
import { api, json } from '$lib/server/http';
import { refreshConnect, serverPayments } from '$lib/server/payments';

export const prerender = false;

/** Back from onboarding: asks Stripe where the maker's account stands now. */
export const POST = api(async (event) => {
  const user = requireUser(event);
  return json(await refreshConnect(await serverPayments(), user.id));
});
