import { uuidv7 } from '$lib/domain/ids';
import type { ProductPhoto } from '$lib/domain/types';

/**
 * Product photos: checked, downscaled in the browser and stored on the device as a small
 * blob. A phone camera photo is 3-12 MB; the till shows it in a tile of ~120 px, so we keep
 * at most 512 px on the long side (sharp on a 3x screen, ~30-60 KB as WebP/JPEG).
 */

/** Longest side of a stored product photo, in pixels. */
export const PHOTO_MAX_SIDE = 512;
/** Files above this are refused before we try to decode them (a phone photo is far below). */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const ENCODE_QUALITY = 0.82;

export type PhotoFileError = 'not-image' | 'too-large' | 'unreadable';

export class PhotoError extends Error {
  constructor(readonly code: PhotoFileError) {
    super(`photo: ${code}`);
    this.name = 'PhotoError';
  }
}

/**
 * The size that fits within `max` x `max` keeping the aspect ratio; never scales up.
 * Both sides are whole pixels and at least 1.
 */
export function fitWithin(
  width: number,
  height: number,
  max: number,
): { width: number; height: number } {
  if (!(width > 0 && height > 0 && max > 0)) {
    throw new RangeError(`fitWithin: sizes must be positive, got ${width}x${height} max ${max}`);
  }
  const scale = Math.min(1, max / Math.max(width, height));
  return {
    width: Math.min(max, Math.max(1, Math.round(width * scale))),
    height: Math.min(max, Math.max(1, Math.round(height * scale))),
  };
}

/**
 * Checks a chosen file before anything is decoded or saved. The browser's MIME type is the
 * first gate (a PDF or a video is refused at once, whatever its size); the decoder is the
 * second (see downscalePhoto), for a file that only claims to be an image.
 */
export function checkPhotoFile(file: { type: string; size: number }): PhotoFileError | null {
  if (!file.type.startsWith('image/')) return 'not-image';
  if (file.size > PHOTO_MAX_BYTES) return 'too-large';
  return null;
}

/** A photo ready to store: everything but the id, which the service hands out. */
export type PreparedPhoto = Omit<ProductPhoto, 'id'>;

/**
 * Decodes the file, draws it at most PHOTO_MAX_SIDE px on its long side and encodes WebP
 * (JPEG where the browser cannot encode WebP). Rejects with a PhotoError, never saves.
 * Browser only: createImageBitmap and a canvas.
 */
export async function downscalePhoto(
  file: Blob,
  max: number = PHOTO_MAX_SIDE,
): Promise<PreparedPhoto> {
  const problem = checkPhotoFile(file);
  if (problem) throw new PhotoError(problem);
  let bitmap: ImageBitmap;
  try {
    // 'from-image' applies the camera's EXIF rotation, so a portrait photo stays upright.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new PhotoError('unreadable');
  }
  try {
    const size = fitWithin(bitmap.width, bitmap.height, max);
    const blob = await encode(bitmap, size.width, size.height);
    return { blob, mimeType: blob.type, width: size.width, height: size.height };
  } finally {
    bitmap.close();
  }
}

async function encode(bitmap: ImageBitmap, width: number, height: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new PhotoError('unreadable');
    context.drawImage(bitmap, 0, 0, width, height);
    const webp = await canvas.convertToBlob({ type: 'image/webp', quality: ENCODE_QUALITY });
    if (webp.type === 'image/webp') return webp;
    return canvas.convertToBlob({ type: 'image/jpeg', quality: ENCODE_QUALITY });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new PhotoError('unreadable');
  context.drawImage(bitmap, 0, 0, width, height);
  const webp = await toBlob(canvas, 'image/webp');
  // A browser that cannot encode WebP quietly returns PNG: fall back to JPEG, which is small.
  if (webp?.type === 'image/webp') return webp;
  const jpeg = await toBlob(canvas, 'image/jpeg');
  if (!jpeg) throw new PhotoError('unreadable');
  return jpeg;
}

function toBlob(canvas: HTMLCanvasElement, type: string): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, type, ENCODE_QUALITY));
}

/** Gives a prepared photo its id. */
export function withPhotoId(photo: PreparedPhoto, id: string = uuidv7()): ProductPhoto {
  return { id, ...photo };
}
