import { revokeInvitation } from '$lib/server/accounts';
import { invitationIdParam } from '$lib/server/accounts/schemas';
import { requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, validate } from '$lib/server/http';

export const prerender = false;

/**
 * An organiser withdraws one of their organisation's links (404 for another organisation's,
 * 409 once used or already revoked). From then on the invite page and sign-up refuse it.
 */
export const POST = api(async (event) => {
  const membership = requireRole(event, 'organiser');
  const id = validate(invitationIdParam, event.params.id, 'invitation id');
  const invitation = await revokeInvitation(
    await getDb(),
    membership.organisationId,
    id,
    membership.userId,
  );
  return json({ invitation });
});
