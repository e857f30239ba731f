// Public (no sign-in): a listed maker's public profile. Only publicProfile(...) fields.
import { getDb } from '$lib/server/db';
import { pathParam } from '$lib/server/organiser/http';
import { api, json, notFound, validate } from '$lib/server/http';
import { publicMaker } from '$lib/server/organiser/public';
import { slugParam } from '$lib/organiser/contract';

export const prerender = false;

export const GET = api(async (event) => {
  const slug = validate(slugParam, pathParam(event, 'slug'), 'maker slug');
  const page = await publicMaker(await getDb(), slug);
  if (!page) throw notFound('There is no maker with this address in the directory.');
  return json(page, { headers: { 'cache-control': 'private, max-age=60' } });
});
