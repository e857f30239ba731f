import { listMemberships, type Membership } from '../accounts/memberships';
import type { Db } from '../db/types';
import type { Auth } from './config';

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
 * Reads the session cookie (better-auth) and the user's memberships. `setCookie` holds a
 * refreshed session cookie when better-auth extended the session, to pass on to the client.
 */
export async function loadRequestAuth(
  auth: Auth,
  db: Db,
  headers: Headers,
): Promise<{ auth: RequestAuth; setCookie: string[] }> {
  if (!headers.get('cookie')) return { auth: { ...ANONYMOUS, memberships: [] }, setCookie: [] };
  const result = await auth.api.getSession({ headers, returnHeaders: true });
  const setCookie = result.headers.getSetCookie();
  const found = result.response;
  if (!found) return { auth: { ...ANONYMOUS, memberships: [] }, setCookie };
  const memberships = await listMemberships(db, found.user.id);
  return {
    auth: {
      user: { id: found.user.id, name: found.user.name, email: found.user.email },
      session: { id: found.session.id, expiresAt: new Date(found.session.expiresAt).toISOString() },
      memberships,
      membership: memberships[0] ?? null,
    },
    setCookie,
  };
}
