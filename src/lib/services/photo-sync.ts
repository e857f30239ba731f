// Product photos across a maker's devices (src/lib/sync/SPEC.md "Product photos"). After a
// sync round: photos this device holds that the server has not confirmed are uploaded, and
// photos named by products (pulled from another device) that this device lacks are fetched
// and kept in the device store, so the till shows them offline. A refused upload (too large,
// not an image, not this maker's) is remembered and never retried: nothing here can wedge
// the outbox, which does not carry photos at all.
import type { Id, ProductPhoto } from '$lib/domain/types';
import type { DeviceStore } from '$lib/db';

export type UploadAnswer = 'stored' | 'refused' | 'retry';
export type DownloadAnswer = { blob: Blob; mimeType: string } | 'missing' | 'retry';

export interface PhotoTransport {
  upload(photo: ProductPhoto): Promise<UploadAnswer>;
  download(id: Id): Promise<DownloadAnswer>;
}

/** The device setting with the photo ids the server holds (or refused). */
export const PHOTO_SYNC_SETTING = 'photos.sync';

interface PhotoSyncState {
  onServer: Id[];
  refused: Id[];
}

/** At most this many uploads and as many downloads per round: a round stays short. */
export const PHOTOS_PER_ROUND = 20;

const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

type Store = Pick<
  DeviceStore,
  'listProducts' | 'getPhoto' | 'putPhoto' | 'getSetting' | 'setSetting'
>;

export async function syncProductPhotos(
  store: Store,
  transport: PhotoTransport,
): Promise<{ uploaded: number; downloaded: number }> {
  const saved = await store.getSetting<PhotoSyncState>(PHOTO_SYNC_SETTING);
  const onServer = new Set(saved?.onServer ?? []);
  const refused = new Set(saved?.refused ?? []);
  const products = await store.listProducts({ includeArchived: true });
  const named = [...new Set(products.flatMap((p) => (p.photoId ? [p.photoId] : [])))];
  let uploaded = 0;
  let downloaded = 0;
  let uploads = 0;
  let downloads = 0;
  let stop = false;
  for (const id of named) {
    if (stop) break;
    if (onServer.has(id) || refused.has(id)) continue;
    const photo = await store.getPhoto(id);
    if (photo) {
      if (uploads++ >= PHOTOS_PER_ROUND) continue;
      const answer = await transport.upload(photo);
      if (answer === 'stored') {
        onServer.add(id);
        uploaded += 1;
      } else if (answer === 'refused') {
        refused.add(id);
      } else {
        stop = true;
      }
    } else {
      if (downloads++ >= PHOTOS_PER_ROUND) continue;
      const answer = await transport.download(id);
      if (answer === 'retry') {
        stop = true;
      } else if (answer !== 'missing' && PHOTO_TYPES.has(answer.mimeType)) {
        await store.putPhoto({
          id,
          blob: answer.blob,
          mimeType: answer.mimeType,
          width: 0,
          height: 0,
        });
        onServer.add(id);
        downloaded += 1;
      }
      // 'missing': not uploaded yet by the device that took it; asked again next round.
    }
  }
  // Only ids products still name are remembered: the setting never grows past the catalogue.
  const still = new Set(named);
  await store.setSetting<PhotoSyncState>(PHOTO_SYNC_SETTING, {
    onServer: [...onServer].filter((id) => still.has(id)),
    refused: [...refused].filter((id) => still.has(id)),
  });
  return { uploaded, downloaded };
}

/** The photo endpoints over fetch (`PUT` / `GET /api/sync/photos/<id>`). */
export function fetchPhotoTransport(fetchImpl: typeof fetch = fetch): PhotoTransport {
  const url = (id: Id) => `/api/sync/photos/${encodeURIComponent(id)}`;
  return {
    async upload(photo) {
      let response: Response;
      try {
        response = await fetchImpl(url(photo.id), {
          method: 'PUT',
          credentials: 'same-origin',
          headers: { 'content-type': photo.mimeType },
          body: photo.blob,
        });
      } catch {
        return 'retry';
      }
      if (response.ok) return 'stored';
      // Signed out or the server failing: later. Anything else is an answer about the photo.
      if (response.status === 401 || response.status === 429 || response.status >= 500) {
        return 'retry';
      }
      return 'refused';
    },
    async download(id) {
      let response: Response;
      try {
        response = await fetchImpl(url(id), { credentials: 'same-origin' });
      } catch {
        return 'retry';
      }
      if (response.status === 404) return 'missing';
      if (!response.ok) return 'retry';
      const mimeType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
      return { blob: await response.blob(), mimeType };
    },
  };
}
