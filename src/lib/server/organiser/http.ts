// Small helpers the organiser routes share: who is asking, ids from the path, 204.
import type { RequestEvent } from '@sveltejs/kit';
import type { Membership } from '$lib/server/accounts';
import { requireRole } from '$lib/server/auth';
import { validate } from '$lib/server/http';
import { IdSchema } from '$lib/organiser/contract';

type Event = Pick<RequestEvent, 'locals' | 'params'>;

export function requireOrganiser(event: Event): Membership {
  return requireRole(event, 'organiser');
}

/** A path parameter as given ('' when absent). */
export function pathParam(event: Pick<RequestEvent, 'params'>, name: string): string {
  return (event.params as Record<string, string | undefined>)[name] ?? '';
}

/** A UUID from the path (400 naming the parameter when it is not one). */
export function idParam(event: Event, name: string): string {
  return validate(IdSchema, pathParam(event, name), `path parameter "${name}"`);
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}
