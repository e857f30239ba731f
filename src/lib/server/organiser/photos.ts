// Makers' profile photos: uploaded as raw bytes, bounded in size, and accepted only when the
// bytes really are a JPEG, PNG or WebP image of the declared type (never SVG or HTML: a
// photo is served on a public page, and a script in it must not run there).
import { and, eq, sql } from 'drizzle-orm';
import { uuidv7 } from '$lib/domain/ids';
import { MAX_PHOTOS } from '$lib/domain/organiser/maker-profile';
import type { Db } from '$lib/server/db';
import { makerPhotos, makerProfiles } from '$lib/server/db/schema';
import { ApiError, notFound } from '$lib/server/http';
import { readBodyBytes } from '$lib/server/http/body';
import { domainError } from './errors';

export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
/** Uploaded photos kept per maker (the profile shows up to MAX_PHOTOS of them). */
export const MAX_STORED_PHOTOS = MAX_PHOTOS * 2;

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** The image type the bytes themselves say, by their magic numbers; null for anything else. */
export function sniffImageType(bytes: Uint8Array): PhotoType | null {
  const starts = (...values: number[]) => values.every((v, i) => bytes[i] === v);
  if (bytes.length >= 3 && starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (bytes.length >= 8 && starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) {
    return 'image/png';
  }
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.slice(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * Reads a photo upload: declared type, bounded size (413, at most `maxBytes`), bytes of that
 * type (415).
 */
export async function readPhoto(
  request: Request,
  maxBytes: number = MAX_PHOTO_BYTES,
): Promise<{ type: PhotoType; bytes: Uint8Array }> {
  const declared = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (!PHOTO_TYPES.includes(declared as PhotoType)) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Send the photo's bytes with content-type ${PHOTO_TYPES.join(', ')} (got "${declared || 'none'}").`,
    );
  }
  const declaredLength = request.headers.get('content-length');
  if (declaredLength !== null && Number(declaredLength) > maxBytes) {
    throw tooLarge(maxBytes);
  }
  const bytes = await readBodyBytes(request, maxBytes, () => tooLarge(maxBytes));
  if (bytes.byteLength === 0) {
    throw new ApiError(400, 'empty_body', 'The photo upload is empty.');
  }
  const type = sniffImageType(bytes);
  if (type !== declared) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `The bytes are not a ${declared} image${type ? ` (they look like ${type})` : ''}.`,
    );
  }
  return { type, bytes };
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(
    413,
    'payload_too_large',
    `A photo is at most ${maxBytes} bytes: scale it down first.`,
  );
}

export async function addPhoto(
  db: Db,
  makerId: string,
  photo: { type: PhotoType; bytes: Uint8Array },
): Promise<{ photoId: string }> {
  return db.transaction(async (tx) => {
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(makerPhotos)
      .where(eq(makerPhotos.makerId, makerId));
    if ((count?.n ?? 0) >= MAX_STORED_PHOTOS) {
      throw domainError(
        409,
        'too_many_photos',
        `You have ${MAX_STORED_PHOTOS} photos uploaded; delete one before adding another.`,
      );
    }
    const id = uuidv7();
    await tx.insert(makerPhotos).values({
      id,
      makerId,
      mimeType: photo.type,
      bytes: photo.bytes,
      size: photo.bytes.byteLength,
    });
    return { photoId: id };
  });
}

export async function deletePhoto(db: Db, makerId: string, photoId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(makerPhotos)
      .where(and(eq(makerPhotos.id, photoId), eq(makerPhotos.makerId, makerId)))
      .returning({ id: makerPhotos.id });
    if (deleted.length === 0) throw notFound(`You have no photo ${photoId}.`);
    await tx
      .update(makerProfiles)
      .set({ photoIds: sql`${makerProfiles.photoIds} - ${photoId}::text` })
      .where(eq(makerProfiles.makerId, makerId));
  });
}

export interface StoredPhoto {
  mimeType: string;
  bytes: Uint8Array;
}

/** A maker's own photo (for their profile screen). */
export async function ownPhoto(db: Db, makerId: string, photoId: string): Promise<StoredPhoto> {
  const [row] = await db
    .select({ mimeType: makerPhotos.mimeType, bytes: makerPhotos.bytes })
    .from(makerPhotos)
    .where(and(eq(makerPhotos.id, photoId), eq(makerPhotos.makerId, makerId)));
  if (!row) throw notFound(`You have no photo ${photoId}.`);
  return row;
}

/** A photo a listed maker shows on their public profile; null for anything else. */
export async function publicPhoto(db: Db, photoId: string): Promise<StoredPhoto | null> {
  const [row] = await db
    .select({ mimeType: makerPhotos.mimeType, bytes: makerPhotos.bytes })
    .from(makerPhotos)
    .innerJoin(makerProfiles, eq(makerProfiles.makerId, makerPhotos.makerId))
    .where(
      and(
        eq(makerPhotos.id, photoId),
        eq(makerProfiles.listed, true),
        sql`${makerProfiles.photoIds} ? ${photoId}`,
      ),
    );
  return row ?? null;
}

/** The answer for a stored photo: its own type, never sniffed as anything else. */
export function photoResponse(photo: StoredPhoto, cache: string): Response {
  return new Response(photo.bytes as unknown as BodyInit, {
    headers: {
      'content-type': photo.mimeType,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
      'cache-control': cache,
    },
  });
}
