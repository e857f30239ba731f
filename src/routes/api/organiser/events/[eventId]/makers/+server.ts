import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { inviteMaker } from '$lib/server/organiser/assignments';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { eventMakerBody } from '$lib/organise/contract';

export const prerender = false;

/** Invites a maker of the organisation to this event (201 new, 200 already invited). */
export const POST = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const { vendorId } = await readInput(event.request, eventMakerBody, { maxBytes: 1024 });
  const result = await inviteMaker(await getDb(), organisationId, eventId, vendorId);
  return json({ invitedVendorIds: result.invitedVendorIds }, { status: result.added ? 201 : 200 });
});
