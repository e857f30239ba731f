// Product photos across a maker's devices (src/lib/sync/SPEC.md "Product photos"): the device
// that took a photo uploads its bytes under the photo id it made; the product's `photoId`
// (synced as any product field) links it; the maker's other devices fetch it by that id and
// keep it for offline use. Only the maker's own account may upload (a helper's device may
// not); anyone who sells for the maker may fetch.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { productPhotos } from '$lib/server/db/schema';
import { ApiError, notFound } from '$lib/server/http';
import type { PhotoType, StoredPhoto } from '$lib/server/organiser/photos';
import { loadAccount } from './account';

/**
 * The most a product photo may weigh. The device stores it at most 512 px on its long side
 * (src/lib/services/photos.ts, some 30-60 KB); this leaves room and refuses anything bigger.
 */
export const PRODUCT_PHOTO_MAX_BYTES = 256 * 1024;

export async function putProductPhoto(
  db: Db,
  userId: string,
  photoId: string,
  photo: { type: PhotoType; bytes: Uint8Array },
): Promise<{ created: boolean }> {
  const sha256 = createHash('sha256').update(photo.bytes).digest('hex');
  return db.transaction(async (tx) => {
    const account = await loadAccount(tx, userId);
    const makerId = account.sellingMakerId;
    if (!makerId || account.helperOnly) {
      throw new ApiError(
        403,
        'forbidden',
        'Only the maker’s own account can upload product photos (sync a sale or product first).',
      );
    }
    const [existing] = await tx
      .select({ makerId: productPhotos.makerId, sha256: productPhotos.sha256 })
      .from(productPhotos)
      .where(eq(productPhotos.id, photoId))
      .for('update');
    if (existing) {
      if (existing.makerId === makerId && existing.sha256 === sha256) return { created: false };
      throw new ApiError(
        409,
        'photo_exists',
        `Photo ${photoId} already exists with other bytes: a new photo needs a new id.`,
      );
    }
    await tx.insert(productPhotos).values({
      id: photoId,
      makerId,
      mimeType: photo.type,
      bytes: photo.bytes,
      size: photo.bytes.byteLength,
      sha256,
    });
    return { created: true };
  });
}

/** A product photo for someone who sells for its maker; 404 for anyone else. */
export async function getProductPhoto(
  db: Db,
  userId: string,
  photoId: string,
): Promise<StoredPhoto> {
  const account = await loadAccount(db, userId);
  const [row] = await db
    .select({
      makerId: productPhotos.makerId,
      mimeType: productPhotos.mimeType,
      bytes: productPhotos.bytes,
    })
    .from(productPhotos)
    .where(eq(productPhotos.id, photoId));
  if (!row || !account.makerIds.includes(row.makerId)) {
    throw notFound(`There is no product photo ${photoId} for this account.`);
  }
  return { mimeType: row.mimeType, bytes: row.bytes };
}
