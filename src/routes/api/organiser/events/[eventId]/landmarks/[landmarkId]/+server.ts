import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { idParam, noContent, requireOrganiser } from '$lib/server/organiser/http';
import { updateLandmarkBody } from '$lib/organiser/contract';
import { deleteLandmark, updateLandmark } from '$lib/server/organiser/stall-map';

export const prerender = false;

export const PATCH = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const landmarkId = idParam(event, 'landmarkId');
  const body = await readInput(event.request, updateLandmarkBody, { maxBytes: 4096 });
  const landmark = await updateLandmark(await getDb(), organisationId, eventId, landmarkId, body);
  return json({ landmark });
});

export const DELETE = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  await deleteLandmark(
    await getDb(),
    organisationId,
    idParam(event, 'eventId'),
    idParam(event, 'landmarkId'),
  );
  return noContent();
});
