import { listMemberships, type Membership } from '../accounts/memberships';
import type { Db } from '../db/types';
import type { Auth } from './config';
import type { SessionCache } from './session-cache';

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}

export interface SessionInfo {
  id: string;
  expiresAt: string;
}

/** What the hooks put on `event.locals` for every request. */
export interface RequestAuth {
  user: SessionUser | null;
  session: SessionInfo | null;
  /** All of the user's memberships, oldest first. */
  memberships: Membership[];
  /** The current one (the oldest): the organisation the user works in. */
  membership: Membership | null;
}

export const ANONYMOUS: RequestAuth = Object.freeze({
  user: null,
  session: null,
  memberships: [],
  membership: null,
}) as RequestAuth;

/**
 * Does a request need `locals.memberships`? Every one does, but a device's push and pull:
 * their routes read only `locals.user`, and each reads the account's memberships itself
 * (sync/push.ts inside its transaction, sync/pull.ts in its first statement), so reading them
 * here too was one statement of nothing.
 */
export function readsMemberships(method: string, pathname: string): boolean {
  if (pathname === '/api/sync/push') return method !== 'POST';
  if (pathname === '/api/sync/pull') return method !== 'POST' && method !== 'GET';
  return true;
}

/**
 * Reads the session cookie (better-auth) and the user's memberships (`withMemberships`
 * false: none read, `memberships` empty; see readsMemberships). `setCookie` holds a
 * refreshed session cookie when better-auth extended the session, to pass on to the client.
 * With `cache` (the server's, session-cache.ts) the session and user found for a Cookie
 * header are remembered for a short while; the memberships are always read.
 */
export async function loadRequestAuth(
  auth: Auth,
  db: Db,
  headers: Headers,
  cache?: SessionCache,
  withMemberships = true,
): Promise<{ auth: RequestAuth; setCookie: string[] }> {
  const cookie = headers.get('cookie');
  if (!cookie) return { auth: { ...ANONYMOUS, memberships: [] }, setCookie: [] };
  let found = cache?.get(cookie) ?? null;
  let setCookie: string[] = [];
  if (!found) {
    const began = cache?.begin() ?? 0;
    const result = await auth.api.getSession({ headers, returnHeaders: true });
    setCookie = result.headers.getSetCookie();
    const response = result.response;
    if (!response) return { auth: { ...ANONYMOUS, memberships: [] }, setCookie };
    found = {
      user: { id: response.user.id, name: response.user.name, email: response.user.email },
      session: {
        id: response.session.id,
        expiresAt: new Date(response.session.expiresAt).toISOString(),
      },
    };
    // A refreshed cookie is a new Cookie header next time: nothing to remember for this one.
    if (setCookie.length === 0) cache?.set(cookie, found, began);
  }
  const memberships = withMemberships ? await listMemberships(db, found.user.id) : [];
  return {
    auth: {
      user: { ...found.user },
      session: { ...found.session },
      memberships,
      membership: memberships[0] ?? null,
    },
    setCookie,
  };
}
