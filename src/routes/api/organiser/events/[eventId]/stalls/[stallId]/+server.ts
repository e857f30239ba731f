import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { idParam, noContent, requireOrganiser } from '$lib/server/organiser/http';
import { stallBody } from '$lib/organiser/contract';
import { deleteStall, updateStall } from '$lib/server/organiser/stall-map';

export const prerender = false;

export const PATCH = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const stallId = idParam(event, 'stallId');
  const body = await readInput(event.request, stallBody, { maxBytes: 16 * 1024 });
  return json({ stall: await updateStall(await getDb(), organisationId, eventId, stallId, body) });
});

export const DELETE = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  await deleteStall(
    await getDb(),
    organisationId,
    idParam(event, 'eventId'),
    idParam(event, 'stallId'),
  );
  return noContent();
});
