import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { assign } from '$lib/server/organiser/assignments';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { assignBody } from '$lib/organiser/contract';

export const prerender = false;

export const POST = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const body = await readInput(event.request, assignBody, { maxBytes: 16 * 1024 });
  const result = await assign(await getDb(), organisationId, eventId, body);
  return json(result, { status: result.changed ? 201 : 200 });
});
