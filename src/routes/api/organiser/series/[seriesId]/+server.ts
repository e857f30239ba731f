import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { idParam, noContent, requireOrganiser } from '$lib/server/organiser/http';
import { seriesBody } from '$lib/organiser/contract';
import { deleteSeries, renameSeries } from '$lib/server/organiser/series';

export const prerender = false;

export const PATCH = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const seriesId = idParam(event, 'seriesId');
  const body = await readInput(event.request, seriesBody, { maxBytes: 4096 });
  return json({ series: await renameSeries(await getDb(), organisationId, seriesId, body.name) });
});

export const DELETE = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  await deleteSeries(await getDb(), organisationId, idParam(event, 'seriesId'));
  return noContent();
});
