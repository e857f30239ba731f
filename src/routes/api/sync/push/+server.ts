import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { pushEndpoint } from '$lib/server/sync/endpoints';

export const POST: RequestHandler = async ({ request, locals }) =>
  pushEndpoint(await getDb(), locals.user?.id ?? null, request);
