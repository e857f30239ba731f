import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { publicMaker } from '$lib/server/organiser/public';
import { slugParam } from '$lib/organiser/contract';
import type { PageServerLoad } from './$types';

/** A listed maker's public page; anything else (unlisted, unknown) is a plain 404. */
export const load: PageServerLoad = async ({ params, setHeaders }) => {
  const slug = slugParam.safeParse(params.slug);
  const found = slug.success ? await publicMaker(await getDb(), slug.data) : null;
  if (!found) error(404, 'Not found');
  setHeaders({ 'cache-control': 'private, max-age=60' });
  return found;
};
