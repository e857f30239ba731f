// Product photos (src/lib/sync/SPEC.md "Product photos"): PUT the bytes of a photo this
// device took, GET one a maker's other device took.
import { requireUser } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json } from '$lib/server/http';
import { pathParam } from '$lib/server/organiser/http';
import { photoResponse, readPhoto } from '$lib/server/organiser/photos';
import {
  PRODUCT_PHOTO_MAX_BYTES,
  getProductPhoto,
  putProductPhoto,
} from '$lib/server/sync/product-photos';
import { IdSchema } from '$lib/sync/protocol';
import { ApiError } from '$lib/server/http';

export const prerender = false;

function photoIdOf(event: Parameters<typeof pathParam>[0]): string {
  const id = IdSchema.safeParse(pathParam(event, 'photoId'));
  if (!id.success) {
    throw new ApiError(400, 'validation_failed', 'The photo id must be a UUID.', [
      { path: 'photoId', message: 'a UUID' },
    ]);
  }
  return id.data;
}

export const PUT = api(async (event) => {
  const user = requireUser(event);
  const photoId = photoIdOf(event);
  const photo = await readPhoto(event.request, PRODUCT_PHOTO_MAX_BYTES);
  const { created } = await putProductPhoto(await getDb(), user.id, photoId, photo);
  return json({ photoId, created }, { status: created ? 201 : 200 });
});

export const GET = api(async (event) => {
  const user = requireUser(event);
  const photo = await getProductPhoto(await getDb(), user.id, photoIdOf(event));
  // A photo id never changes its bytes: the device may keep it as long as it likes.
  return photoResponse(photo, 'private, max-age=31536000, immutable');
});
