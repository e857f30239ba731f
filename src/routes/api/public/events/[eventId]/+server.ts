// Public (no sign-in): a published event, who is at which stall, and its map.
import { getDb } from '$lib/server/db';
import { pathParam } from '$lib/server/organiser/http';
import { api, json, notFound } from '$lib/server/http';
import { publicEvent } from '$lib/server/organiser/public';

export const prerender = false;

export const GET = api(async (event) => {
  const page = await publicEvent(await getDb(), pathParam(event, 'eventId'));
  if (!page) throw notFound('There is no public event with this address.');
  return json(page, { headers: { 'cache-control': 'private, max-age=60' } });
});
