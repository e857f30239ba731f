import { applicationDecisionBody } from '$lib/organiser/contract';
import { invitationUrl } from '$lib/server/accounts';
import { linkKey, publicOrigin } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { decideApplication } from '$lib/server/organiser/applications';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';

export const prerender = false;

/**
 * Accept (an invitation is made; its link is in the answer), put on the waiting list, or
 * decline with a message to the maker. Accepted and declined are final (409).
 */
export const POST = api(async (event) => {
  const membership = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const applicationId = idParam(event, 'applicationId');
  const body = await readInput(event.request, applicationDecisionBody, { maxBytes: 16 * 1024 });
  const origin = publicOrigin();
  const application = await decideApplication(await getDb(), {
    organisationId: membership.organisationId,
    eventId,
    applicationId,
    decidedBy: membership.userId,
    body,
    linkUrl: (token) => invitationUrl(origin, token),
    linkKey: await linkKey(),
  });
  return json({ application });
});
