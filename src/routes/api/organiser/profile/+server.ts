import { requireMembership } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { ownMakerId } from '$lib/server/organiser/makers-access';
import { ownProfile, saveOwnProfile } from '$lib/server/organiser/profiles';
import { profileBody } from '$lib/organiser/contract';

export const prerender = false;

/** The signed-in maker's own profile (there is no way to name another maker here). */
export const GET = api(async (event) => {
  const db = await getDb();
  const makerId = await ownMakerId(db, requireMembership(event));
  return json({ profile: await ownProfile(db, makerId) });
});

export const PUT = api(async (event) => {
  const db = await getDb();
  const makerId = await ownMakerId(db, requireMembership(event));
  const body = await readInput(event.request, profileBody, { maxBytes: 32 * 1024 });
  return json({ profile: await saveOwnProfile(db, makerId, body) });
});
