// Product photos across a maker's devices (src/lib/sync/SPEC.md "Product photos"), on PGlite
// and (with TEST_DATABASE_URL) PostgreSQL: only the maker's own account uploads, by bytes
// that are really an image of a bounded size; whoever sells for the maker fetches; nobody
// else learns anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { setSharesFigures } from '$lib/server/organiser/makers';
import { readPhoto } from '$lib/server/organiser/photos';
import { refusal } from '$lib/server/organiser/spec-helpers';
import { organisationWithMakers, type TestMaker } from '$lib/server/organiser/testing';
import { addMember, createUser } from './testing';
import { PRODUCT_PHOTO_MAX_BYTES, getProductPhoto, putProductPhoto } from './product-photos';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7]);

function upload(bytes: Uint8Array, type: string): Request {
  return new Request('http://localhost/api/sync/photos/x', {
    method: 'PUT',
    headers: { 'content-type': type },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
}

describe('reading a product photo upload', () => {
  it('takes JPEG, PNG or WebP bytes of the declared type up to the cap; 413 beyond it, 415 for anything else', async () => {
    expect((await readPhoto(upload(JPEG, 'image/jpeg'), PRODUCT_PHOTO_MAX_BYTES)).type).toBe(
      'image/jpeg',
    );
    const big = new Uint8Array(PRODUCT_PHOTO_MAX_BYTES + 1);
    big.set(JPEG);
    expect(
      await refusal(readPhoto(upload(big, 'image/jpeg'), PRODUCT_PHOTO_MAX_BYTES)),
    ).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(
      await refusal(readPhoto(upload(PNG, 'image/jpeg'), PRODUCT_PHOTO_MAX_BYTES)),
    ).toMatchObject({ status: 415 });
    const svg = new TextEncoder().encode('<svg onload="alert(1)"/>');
    expect(
      await refusal(readPhoto(upload(svg, 'image/svg+xml'), PRODUCT_PHOTO_MAX_BYTES)),
    ).toMatchObject({ status: 415 });
    expect(
      await refusal(readPhoto(upload(new Uint8Array(), 'image/png'), PRODUCT_PHOTO_MAX_BYTES)),
    ).toMatchObject({ status: 400 });
  });
});

describe.each(testDbKinds())('product photos on %s', (kind) => {
  let t: TestDb;
  let a: TestMaker;
  let b: TestMaker;
  let helperId: string;
  let organiserId: string;
  beforeAll(async () => {
    t = await createTestDb(kind);
    const org = await organisationWithMakers(t.db, 2);
    [a, b] = org.makers as [TestMaker, TestMaker];
    organiserId = org.organiser.userId;
    helperId = await createUser(t.db, 'Helper');
    await addMember(t.db, {
      userId: helperId,
      organisationId: org.organisationId,
      role: 'helper',
      makerId: a.makerId,
    });
    // A helper sells for a maker who shares figures with the organisation (accounts/helpers.ts).
    await setSharesFigures(t.db, a.makerId, org.organisationId, true);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('the maker uploads a photo once (again with the same bytes: no change); their account and helper fetch it', async () => {
    const id = uuidv7();
    expect(await putProductPhoto(t.db, a.userId, id, { type: 'image/png', bytes: PNG })).toEqual({
      created: true,
    });
    expect(await putProductPhoto(t.db, a.userId, id, { type: 'image/png', bytes: PNG })).toEqual({
      created: false,
    });
    for (const reader of [a.userId, helperId]) {
      const photo = await getProductPhoto(t.db, reader, id);
      expect(photo.mimeType).toBe('image/png');
      expect([...photo.bytes]).toEqual([...PNG]);
    }
  });

  it('another maker, an organiser or a helper cannot fetch it (404), nor upload other bytes under its id; a helper uploads nothing', async () => {
    const id = uuidv7();
    await putProductPhoto(t.db, a.userId, id, { type: 'image/jpeg', bytes: JPEG });
    for (const stranger of [b.userId, organiserId]) {
      expect(await refusal(getProductPhoto(t.db, stranger, id))).toMatchObject({ status: 404 });
    }
    expect(
      await refusal(putProductPhoto(t.db, b.userId, id, { type: 'image/png', bytes: PNG })),
    ).toMatchObject({ status: 409, code: 'photo_exists' });
    expect(
      await refusal(putProductPhoto(t.db, a.userId, id, { type: 'image/png', bytes: PNG })),
    ).toMatchObject({ status: 409 });
    expect(
      await refusal(putProductPhoto(t.db, helperId, uuidv7(), { type: 'image/png', bytes: PNG })),
    ).toMatchObject({ status: 403 });
    expect(
      await refusal(
        putProductPhoto(t.db, organiserId, uuidv7(), { type: 'image/png', bytes: PNG }),
      ),
    ).toMatchObject({ status: 403 });
    expect([...(await getProductPhoto(t.db, a.userId, id)).bytes]).toEqual([...JPEG]);
  });
});
