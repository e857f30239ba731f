import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { nextEditionBody } from '$lib/organiser/contract';
import { createNextEdition } from '$lib/server/organiser/series';

export const prerender = false;

/** A new draft edition copied from the series' latest one. */
export const POST = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const seriesId = idParam(event, 'seriesId');
  const body = await readInput(event.request, nextEditionBody, { maxBytes: 4096 });
  const created = await createNextEdition(await getDb(), organisationId, seriesId, body);
  return json({ event: created }, { status: 201 });
});
