import { getDb } from '$lib/server/db';
import { api } from '$lib/server/http';
import { removeMaker } from '$lib/server/organiser/assignments';
import { idParam, noContent, requireOrganiser } from '$lib/server/organiser/http';

export const prerender = false;

export const DELETE = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  await removeMaker(
    await getDb(),
    organisationId,
    idParam(event, 'eventId'),
    idParam(event, 'makerId'),
  );
  return noContent();
});
