import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { stallBody } from '$lib/organiser/contract';
import { createStall } from '$lib/server/organiser/stall-map';

export const prerender = false;

export const POST = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const body = await readInput(event.request, stallBody, { maxBytes: 16 * 1024 });
  return json(
    { stall: await createStall(await getDb(), organisationId, eventId, body) },
    { status: 201 },
  );
});
