import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { inviteMaker } from '$lib/server/organiser/assignments';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { eventMakerBody } from '$lib/organiser/contract';

export const prerender = false;

/** Invites a maker of the organisation to this event (201 new, 200 already invited). */
export const POST = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const { makerId } = await readInput(event.request, eventMakerBody, { maxBytes: 1024 });
  const result = await inviteMaker(await getDb(), organisationId, eventId, makerId);
  return json({ invitedMakerIds: result.invitedMakerIds }, { status: result.added ? 201 : 200 });
});
