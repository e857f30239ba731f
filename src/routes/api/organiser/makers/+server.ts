import { getDb } from '$lib/server/db';
import { api, json } from '$lib/server/http';
import { requireOrganiser } from '$lib/server/organiser/http';
import { listMakers } from '$lib/server/organiser/makers';

export const prerender = false;

/** Every maker of the organisation with profile, sharing choice and events taken part in. */
export const GET = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  return json({ makers: await listMakers(await getDb(), organisationId) });
});
