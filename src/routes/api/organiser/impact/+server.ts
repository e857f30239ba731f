import { getDb } from '$lib/server/db';
import { api, json } from '$lib/server/http';
import { requireOrganiser } from '$lib/server/organiser/http';
import { impactReport } from '$lib/server/organiser/impact';

export const prerender = false;

/** Impact per series and per year (closed events only): evidence for funders. */
export const GET = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  return json(await impactReport(await getDb(), organisationId));
});
