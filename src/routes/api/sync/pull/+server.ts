import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { pullEndpoint } from '$lib/server/sync/endpoints';

export const GET: RequestHandler = async ({ request, locals }) =>
  pullEndpoint(await getDb(), locals.user?.id ?? null, request);

export const POST: RequestHandler = async ({ request, locals }) =>
  pullEndpoint(await getDb(), locals.user?.id ?? null, request);
