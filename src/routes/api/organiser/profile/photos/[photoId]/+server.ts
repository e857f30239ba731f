import { requireMembership } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api } from '$lib/server/http';
import { idParam, noContent } from '$lib/server/organiser/http';
import { ownMakerId } from '$lib/server/organiser/makers-access';
import { deletePhoto, ownPhoto, photoResponse } from '$lib/server/organiser/photos';

export const prerender = false;

/** One of the maker's own photos (listed or not). */
export const GET = api(async (event) => {
  const db = await getDb();
  const makerId = await ownMakerId(db, requireMembership(event));
  return photoResponse(await ownPhoto(db, makerId, idParam(event, 'photoId')), 'private, no-store');
});

export const DELETE = api(async (event) => {
  const db = await getDb();
  const makerId = await ownMakerId(db, requireMembership(event));
  await deletePhoto(db, makerId, idParam(event, 'photoId'));
  return noContent();
});
