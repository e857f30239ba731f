// Public (no sign-in): a photo a listed maker shows on their profile.
import { getDb } from '$lib/server/db';
import { pathParam } from '$lib/server/organiser/http';
import { api, notFound } from '$lib/server/http';
import { photoResponse, publicPhoto } from '$lib/server/organiser/photos';
import { IdSchema } from '$lib/organiser/contract';

export const prerender = false;

export const GET = api(async (event) => {
  const id = IdSchema.safeParse(pathParam(event, 'photoId'));
  const photo = id.success ? await publicPhoto(await getDb(), id.data) : null;
  if (!photo) throw notFound('There is no public photo with this address.');
  return photoResponse(photo, 'private, max-age=300');
});
