// More than one server process on one database (README, "Running more than one server"):
// everything that must be shared is in the database, so two app instances behave as one.
// On PostgreSQL the two instances are two separate connection pools, each with its own
// better-auth; on PGlite (one process per data folder) they share its one connection, and the
// test still proves no instance keeps the state in its own memory.
import { like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawDevice } from '$lib/sync/testing/factories';
import { uuidv7 } from '$lib/domain/ids';
import { openDatabase } from './db/open';
import { createTestDb, testDbKinds, type TestDb } from './db/testing';
import type { Db } from './db/types';
import { rateLimit } from './db/schema';
import { CLIENT_ADDRESS_HEADER, SIGN_IN_RATE_LIMIT, type Auth } from './auth/config';
import { loadRequestAuth } from './auth/session';
import { beginAttempt, SIGN_IN_ACCOUNT_LIMIT } from './auth/sign-in-limit';
import { createTestAuth, ORIGIN, PASSWORD } from './auth/testing';
import { ApiError } from './http/errors';
import { APPLICATION_LIMIT, countFormRequest } from './http/public-form-limit';
import { getProductPhoto, putProductPhoto } from './sync/product-photos';
import { createUser, push } from './sync/testing';

async function post(auth: Auth, path: string, body: unknown, address: string) {
  const response = await auth.handler(
    new Request(`${ORIGIN}/api/auth${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: ORIGIN,
        [CLIENT_ADDRESS_HEADER]: address,
      },
      body: JSON.stringify(body),
    }),
  );
  await response.text();
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { status: response.status, cookie };
}

describe.each(testDbKinds())('two server processes on one %s database', (kind) => {
  let t: TestDb;
  let second: { db: Db; close(): Promise<void> } | null = null;
  const instance: { db: Db; auth: Auth }[] = [];

  beforeAll(async () => {
    t = await createTestDb(kind);
    let otherDb = t.db;
    if (kind === 'postgres' && t.url) {
      second = await openDatabase({ kind: 'postgres', url: t.url, poolSize: 4 });
      otherDb = second.db;
    }
    instance.push({ db: t.db, auth: createTestAuth(t.db) });
    instance.push({ db: otherDb, auth: createTestAuth(otherDb) });
    // The founder signs up through the first instance.
    const founded = await post(
      instance[0]!.auth,
      '/sign-up/email',
      {
        email: 'founder@example.org',
        password: PASSWORD,
        name: 'Founder',
        organisationName: 'Bazaar',
      },
      '192.0.2.50',
    );
    expect(founded.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  const each = (i: number) => instance[i % 2]!;

  it('[multi] a session made by one instance is honoured by the other', async () => {
    const signedIn = await post(
      each(0).auth,
      '/sign-in/email',
      { email: 'founder@example.org', password: PASSWORD },
      '192.0.2.51',
    );
    expect(signedIn.status).toBe(200);
    const loaded = await loadRequestAuth(
      each(1).auth,
      each(1).db,
      new Headers({ cookie: signedIn.cookie }),
    );
    expect(loaded.auth.user?.email).toBe('founder@example.org');
  });

  it('[multi] the per-address sign-in limit counts attempts on both instances together', async () => {
    const address = '198.51.100.70';
    const attempt = (i: number) =>
      post(
        each(i).auth,
        '/sign-in/email',
        { email: 'nobody@example.org', password: 'wrong password' },
        address,
      );
    for (let i = 0; i < SIGN_IN_RATE_LIMIT.max; i++) {
      expect((await attempt(i)).status).toBe(401);
    }
    // The next one is refused, whichever instance it reaches.
    expect((await attempt(0)).status).toBe(429);
    expect((await attempt(1)).status).toBe(429);
    // Counted in the database, where another process sees it (better-auth's in-memory store
    // would be shared by the two instances of this one test process, not by two processes).
    const rows = await each(1)
      .db.select({ key: rateLimit.key, count: rateLimit.count })
      .from(rateLimit)
      .where(like(rateLimit.key, `%${address}%`));
    expect(rows.map((r) => r.count)).toEqual([SIGN_IN_RATE_LIMIT.max]);
  });

  it('[multi] the per-account sign-in pause holds on both instances', async () => {
    const now = new Date();
    const key = 'maker@example.org';
    for (let i = 0; i < SIGN_IN_ACCOUNT_LIMIT.freeFailures - 1; i++) {
      expect((await beginAttempt(each(i).db, key, now)).wait).toBe(0);
    }
    // This failure starts the pause (counted on the one instance) ...
    expect((await beginAttempt(each(0).db, key, now)).paused).toBe(true);
    // ... and the other instance makes the account wait too.
    expect((await beginAttempt(each(1).db, key, now)).wait).toBeGreaterThan(0);
  });

  it('[multi] the public form limit counts requests on both instances together', async () => {
    const now = new Date();
    for (let i = 0; i < APPLICATION_LIMIT.max; i++) {
      await countFormRequest(each(i).db, 'application', '203.0.113.9', now);
    }
    for (const i of [0, 1]) {
      const refused = await countFormRequest(each(i).db, 'application', '203.0.113.9', now).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ApiError);
      expect((refused as ApiError).status).toBe(429);
    }
  });

  it('[multi] a product photo uploaded through one instance is served by the other', async () => {
    const userId = await createUser(each(0).db);
    const device = new RawDevice();
    await push(
      each(0).db,
      userId,
      device.request(device.queue(device.productUpsert(device.product()))),
    );
    const photoId = uuidv7();
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    await putProductPhoto(each(0).db, userId, photoId, { type: 'image/jpeg', bytes });
    const served = await getProductPhoto(each(1).db, userId, photoId);
    expect(served.mimeType).toBe('image/jpeg');
    expect([...served.bytes]).toEqual([...bytes]);
  });
});
