// Series of recurring events (API.md "Series and events").
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { requireOrganiser } from '$lib/server/organiser/http';
import { seriesBody } from '$lib/organiser/contract';
import { createSeries, listSeries } from '$lib/server/organiser/series';

export const prerender = false;

export const GET = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  return json({ series: await listSeries(await getDb(), organisationId) });
});

export const POST = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const body = await readInput(event.request, seriesBody, { maxBytes: 4096 });
  return json(
    { series: await createSeries(await getDb(), organisationId, body.name) },
    { status: 201 },
  );
});
