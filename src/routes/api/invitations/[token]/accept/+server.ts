import { acceptInvitation, listMemberships } from '$lib/server/accounts';
import { acceptInvitationBody, invitationTokenParam } from '$lib/server/accounts/schemas';
import { requireUser } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, readInput, validate } from '$lib/server/http';

export const prerender = false;

/** A signed-in user accepts an invitation: they become a member with the invited role. */
export const POST = api(async (event) => {
  const user = requireUser(event);
  const token = validate(invitationTokenParam, event.params.token, 'invitation token');
  // The body is optional (only a new-organisation invitation takes a name).
  const body = event.request.headers.get('content-type')
    ? await readInput(event.request, acceptInvitationBody, { maxBytes: 4096 })
    : {};
  const db = await getDb();
  const accepted = await acceptInvitation(db, token, user.id, body);
  const membership = (await listMemberships(db, user.id)).find((m) => m.id === accepted.id);
  return json({ membership }, { status: 201 });
});
