import { api, json } from '$lib/server/http';
import { requireUser } from '$lib/server/auth';

export const prerender = false;

/** Who is signed in, and in which organisations with which role. */
export const GET = api((event) => {
  const user = requireUser(event);
  const { session, memberships, membership } = event.locals;
  return json({ user, session, membership, memberships });
});
