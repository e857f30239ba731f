import { listMembers } from '$lib/server/accounts';
import { requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json } from '$lib/server/http';

export const prerender = false;

/** Everyone in the organiser's organisation. */
export const GET = api(async (event) => {
  const membership = requireRole(event, 'organiser');
  return json({ members: await listMembers(await getDb(), membership.organisationId) });
});
