import { describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { OPTIONS, nextHlc, product } from '$lib/db/contract-fixtures';
import type { ProductPhoto } from '$lib/domain/types';
import {
  PHOTO_SYNC_SETTING,
  syncProductPhotos,
  type DownloadAnswer,
  type PhotoTransport,
  type UploadAnswer,
} from './photo-sync';

function photo(id: string, bytes = 'webp'): ProductPhoto {
  return {
    id,
    blob: new Blob([bytes], { type: 'image/webp' }),
    mimeType: 'image/webp',
    width: 9,
    height: 9,
  };
}

/** A server in memory: photos by id, and how it answers. */
function server(answers: { upload?: UploadAnswer; download?: 'retry' } = {}) {
  const photos = new Map<string, { blob: Blob; mimeType: string }>();
  const calls: string[] = [];
  const transport: PhotoTransport = {
    upload(p) {
      calls.push(`PUT ${p.id}`);
      const answer = answers.upload ?? 'stored';
      if (answer === 'stored') photos.set(p.id, { blob: p.blob, mimeType: p.mimeType });
      return Promise.resolve(answer);
    },
    download(id): Promise<DownloadAnswer> {
      calls.push(`GET ${id}`);
      if (answers.download) return Promise.resolve(answers.download);
      return Promise.resolve(photos.get(id) ?? 'missing');
    },
  };
  return { photos, calls, transport };
}

describe('syncProductPhotos', () => {
  it('a photo taken on phone A reaches phone B: A uploads it once, B fetches and keeps it for offline use', async () => {
    const remote = server();
    const a = new MemoryDeviceStore(OPTIONS);
    const b = new MemoryDeviceStore(OPTIONS);
    const baklava = product('p1', { photoId: 'photo-1' });
    await a.saveProduct(baklava, nextHlc(), photo('photo-1'));
    expect(await syncProductPhotos(a, remote.transport)).toEqual({ uploaded: 1, downloaded: 0 });
    expect(await syncProductPhotos(a, remote.transport)).toEqual({ uploaded: 0, downloaded: 0 });
    expect(remote.calls).toEqual(['PUT photo-1']);
    // B learnt the product (with its photoId) through the feed, not the bytes.
    await b.saveProduct(baklava, nextHlc());
    expect(await b.getPhoto('photo-1')).toBeUndefined();
    expect(await syncProductPhotos(b, remote.transport)).toEqual({ uploaded: 0, downloaded: 1 });
    const kept = await b.getPhoto('photo-1');
    expect(await kept?.blob.text()).toBe('webp');
    // Kept: the next round asks nothing (offline it is there).
    remote.calls.length = 0;
    await syncProductPhotos(b, remote.transport);
    expect(remote.calls).toEqual([]);
  });

  it('a changed photo follows (a new id is fetched); a removed one is forgotten', async () => {
    const remote = server();
    const a = new MemoryDeviceStore(OPTIONS);
    const b = new MemoryDeviceStore(OPTIONS);
    await a.saveProduct(product('p1', { photoId: 'photo-1' }), nextHlc(), photo('photo-1'));
    await syncProductPhotos(a, remote.transport);
    await a.saveProduct(product('p1', { photoId: 'photo-2' }), nextHlc(), photo('photo-2', 'new'));
    await syncProductPhotos(a, remote.transport);
    await b.saveProduct(product('p1', { photoId: 'photo-2' }), nextHlc());
    await syncProductPhotos(b, remote.transport);
    expect(await (await b.getPhoto('photo-2'))?.blob.text()).toBe('new');
    expect(await b.getPhoto('photo-1')).toBeUndefined();
    await b.saveProduct(product('p1', { photoId: null }), nextHlc());
    await syncProductPhotos(b, remote.transport);
    expect(await b.getSetting(PHOTO_SYNC_SETTING)).toEqual({ onServer: [], refused: [] });
  });

  it('a refused upload (413, 415, 409) is not retried; offline or signed out it is retried next round', async () => {
    const refusing = server({ upload: 'refused' });
    const a = new MemoryDeviceStore(OPTIONS);
    await a.saveProduct(product('p1', { photoId: 'photo-1' }), nextHlc(), photo('photo-1'));
    await syncProductPhotos(a, refusing.transport);
    await syncProductPhotos(a, refusing.transport);
    expect(refusing.calls).toEqual(['PUT photo-1']);
    const offline = server({ upload: 'retry' });
    const c = new MemoryDeviceStore(OPTIONS);
    await c.saveProduct(product('p1', { photoId: 'photo-9' }), nextHlc(), photo('photo-9'));
    await syncProductPhotos(c, offline.transport);
    await syncProductPhotos(c, offline.transport);
    expect(offline.calls).toEqual(['PUT photo-9', 'PUT photo-9']);
    // Nothing of this touches the outbox.
    expect(await c.pendingCount()).toBe(1);
  });

  it('a photo not uploaded yet is asked again next round; a download that is not an image is not kept', async () => {
    const remote = server();
    const b = new MemoryDeviceStore(OPTIONS);
    await b.saveProduct(product('p1', { photoId: 'photo-1' }), nextHlc());
    expect(await syncProductPhotos(b, remote.transport)).toEqual({ uploaded: 0, downloaded: 0 });
    remote.photos.set('photo-1', { blob: new Blob(['<svg/>']), mimeType: 'image/svg+xml' });
    await syncProductPhotos(b, remote.transport);
    expect(await b.getPhoto('photo-1')).toBeUndefined();
    expect(remote.calls).toEqual(['GET photo-1', 'GET photo-1']);
  });
});
