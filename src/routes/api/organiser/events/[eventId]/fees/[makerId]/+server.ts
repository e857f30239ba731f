import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { setFeePaid } from '$lib/server/organiser/assignments';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { feePaidBody } from '$lib/organiser/contract';

export const prerender = false;

/** What the maker has paid in total towards their stall fee at this event. */
export const PUT = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const makerId = idParam(event, 'makerId');
  const { paidCents } = await readInput(event.request, feePaidBody, { maxBytes: 1024 });
  return json({
    fees: await setFeePaid(await getDb(), organisationId, eventId, makerId, paidCents),
  });
});
