import { deleteAccount } from '$lib/server/accounts/delete-account';
import { deleteAccountBody } from '$lib/server/accounts/schemas';
import { requireUser } from '$lib/server/auth';
import { processSessionCache } from '$lib/server/auth/session-cache';
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';

export const prerender = false;

/**
 * "Delete my account" (docs/my-data.md): the person and their profile go, the books stay
 * without their name. Body `{ confirm: "delete my account" }`. 409 last_organiser when the
 * person is the only organiser of an organisation.
 */
export const POST = api(async (event) => {
  const user = requireUser(event);
  await readInput(event.request, deleteAccountBody, { maxBytes: 1024 });
  const db = await getDb();
  // No remembered session of this person outlives the account (auth/session-cache.ts).
  const deleted = await processSessionCache().around(() => deleteAccount(db, user.id));
  // The session row is gone with the account; the browser forgets its cookie too.
  for (const { name } of event.cookies.getAll()) {
    if (name.includes('better-auth')) event.cookies.delete(name, { path: '/' });
  }
  return json({ deleted: true, anonymisedMakers: deleted.makerIds.length });
});
