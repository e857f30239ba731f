import { requireMembership } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json } from '$lib/server/http';
import { ownMakerId } from '$lib/server/organiser/makers-access';
import { addPhoto, readPhoto } from '$lib/server/organiser/photos';

export const prerender = false;

/** Uploads a photo (raw JPEG, PNG or WebP bytes, at most 2 MB). */
export const POST = api(async (event) => {
  const db = await getDb();
  const makerId = await ownMakerId(db, requireMembership(event));
  const { photoId } = await addPhoto(db, makerId, await readPhoto(event.request));
  return json({ photoId, url: `/api/organiser/profile/photos/${photoId}` }, { status: 201 });
});
