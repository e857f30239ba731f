import { getOrganisation, renameOrganisation } from '$lib/server/accounts';
import { renameOrganisationBody } from '$lib/server/accounts/schemas';
import { requireMembership, requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';

export const prerender = false;

/** The organisation the signed-in user works in (any member). */
export const GET = api(async (event) => {
  const membership = requireMembership(event);
  const organisation = await getOrganisation(await getDb(), membership.organisationId);
  return json({ organisation, role: membership.role });
});

/** Rename it (organisers only). */
export const POST = api(async (event) => {
  const membership = requireRole(event, 'organiser');
  const { name } = await readInput(event.request, renameOrganisationBody, { maxBytes: 4096 });
  const organisation = await renameOrganisation(await getDb(), membership.organisationId, name);
  return json({ organisation });
});
