import { invitationUrl } from '$lib/server/accounts';
import { linkKey, publicOrigin } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json } from '$lib/server/http';
import { listApplications } from '$lib/server/organiser/applications';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';

export const prerender = false;

/** The event's applications (organisers of its organisation; another's event: 404). */
export const GET = api(async (event) => {
  const membership = requireOrganiser(event);
  const origin = publicOrigin();
  const applications = await listApplications(
    await getDb(),
    membership.organisationId,
    idParam(event, 'eventId'),
    { linkUrl: (token) => invitationUrl(origin, token), linkKey: await linkKey() },
  );
  return json({ applications });
});
