import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { publicEvent } from '$lib/server/organiser/public';
import type { PageServerLoad } from './$types';

/** A published (or open, or closed) event; a draft or an unknown id is a plain 404. */
export const load: PageServerLoad = async ({ params, setHeaders }) => {
  const found = await publicEvent(await getDb(), params.id);
  if (!found) error(404, 'Not found');
  setHeaders({ 'cache-control': 'private, max-age=60' });
  return found;
};
