import { lookupInvitation } from '$lib/server/accounts';
import { invitationNotFound } from '$lib/server/accounts/invitations';
import { invitationTokenParam } from '$lib/server/accounts/schemas';
import { getDb } from '$lib/server/db';
import { api, json, validate } from '$lib/server/http';

export const prerender = false;

/**
 * Public: what the invitation link is for (organisation name, role) and whether it still
 * works: status valid, expired or used. Nothing else about the organisation.
 */
export const GET = api(async ({ params }) => {
  const token = validate(invitationTokenParam, params.token, 'invitation token');
  const invitation = await lookupInvitation(await getDb(), token);
  if (!invitation) throw invitationNotFound();
  return json({ invitation });
});
