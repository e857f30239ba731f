// The sync routes beside SvelteKit (node-route.ts): served there only when every check the
// hooks make is already decided, with the answers the routes give; everything else is left
// for SvelteKit untouched.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionCache } from '$lib/server/auth/session-cache';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { MAX_PULL_BYTES, PROTOCOL_VERSION, PULL_FEATURES } from '$lib/sync/protocol';
import { pushEndpoint } from './endpoints';
import { syncRoute } from './node-route';
import { count, createUser, stallWithStockedSale } from './testing';

const COOKIE = 'better-auth.session_token=remembered';
/** What the stand-in for SvelteKit answers: the request was left to it. */
const LEFT = 599;

describe.each(testDbKinds())('the sync routes beside SvelteKit on %s', (kind) => {
  let testDb: TestDb;
  let server: Server;
  let base: string;
  let cache: SessionCache;
  let userId: string;

  beforeEach(async () => {
    testDb = await createTestDb(kind);
    userId = await createUser(testDb.db);
    cache = new SessionCache({ ttlMs: 60_000, maxEntries: 10 });
    cache.set(
      COOKIE,
      {
        user: { id: userId, name: 'Maker', email: 'maker@example.org' },
        session: { id: 's1', expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      },
      cache.begin(),
    );
    const route = syncRoute({
      allowedOrigins: ['http://kraam.test'],
      cache,
      db: async () => testDb.db,
    });
    server = createServer((req, res) => {
      if (route(req, res)) return;
      req.resume();
      res.writeHead(LEFT).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await testDb?.close();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: COOKIE, ...headers },
      body,
    });

  it('answers a push and a pull of a remembered session itself, as the routes answer them', async () => {
    const { db } = testDb;
    const { device, setup, sale } = await stallWithStockedSale(db, userId);
    const body = JSON.stringify(device.request(device.queue(sale), setup.epoch));
    const answer = await post('/api/sync/push', body, { origin: 'http://kraam.test' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const pushed = (await answer.json()) as { results: { status: string }[] };
    expect(pushed.results).toEqual([expect.objectContaining({ status: 'applied' })]);
    expect(await count(db, 'sales')).toBe(1);
    // The same body again: a duplicate, as the route says it.
    const again = await post('/api/sync/push', body);
    const route = await pushEndpoint(
      db,
      userId,
      new Request('http://kraam.test/api/sync/push', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }),
    );
    expect(await again.text()).toBe(await route.text());
    expect(await count(db, 'sales')).toBe(1);

    const pulled = await post(
      '/api/sync/pull',
      JSON.stringify({
        protocol: PROTOCOL_VERSION,
        deviceId: device.deviceId,
        cursor: null,
        features: [...PULL_FEATURES],
      }),
    );
    expect(pulled.status).toBe(200);
    expect(pulled.headers.get('cache-control')).toBe('no-store');
    const page = (await pulled.json()) as { changes: { entity: string }[] };
    expect(page.changes.filter((change) => change.entity === 'sale')).toHaveLength(1);
  });

  it('answers bad input with the routes’ errors: not JSON, not a push, another account’s device', async () => {
    const { db } = testDb;
    const { device, setup, sale } = await stallWithStockedSale(db, userId);
    const broken = await post('/api/sync/push', '{"mutations": [');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    const invalid = await post('/api/sync/push', '{"mutations": 3}');
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe(
      'validation_failed',
    );
    // Another account sends this device's sale: refused, nothing written.
    const other = await createUser(db, 'Other');
    cache.set(
      'other=1',
      {
        user: { id: other, name: 'Other', email: 'other@example.org' },
        session: { id: 's2', expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      },
      cache.begin(),
    );
    const refused = await post(
      '/api/sync/push',
      JSON.stringify(device.request(device.queue(sale), setup.epoch)),
      { cookie: 'other=1' },
    );
    expect(refused.status).toBe(403);
    expect(await count(db, 'sales')).toBe(0);
  });

  it('leaves to SvelteKit every request whose checks it has not decided: no or an unknown cookie, another origin, another type, method or path, no declared length, too large, the cache off', async () => {
    const body = '{}';
    const left = async (answer: Promise<Response>) => expect((await answer).status).toBe(LEFT);
    await left(post('/api/sync/push', body, { cookie: 'unknown=1' }));
    await left(
      fetch(`${base}/api/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }),
    );
    await left(post('/api/sync/push', body, { origin: 'https://evil.example' }));
    await left(post('/api/sync/push', body, { 'sec-fetch-site': 'cross-site' }));
    await left(post('/api/sync/push', body, { 'content-type': 'text/plain' }));
    await left(post('/api/sync/push?x=1', body));
    await left(post('/api/sync/pushes', body));
    await left(post('/api/auth/sign-out', body));
    await left(fetch(`${base}/api/sync/pull?deviceId=x`, { headers: { cookie: COOKIE } }));
    // Longer than the pull takes (MAX_PULL_BYTES).
    await left(post('/api/sync/pull', `{"pad": "${' '.repeat(MAX_PULL_BYTES)}"}`));
    // A chunked body: no length declared.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${base}/api/sync/push`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: COOKIE },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{');
      req.end('}');
    });
    expect(chunked).toBe(LEFT);
    // Signed out (the hooks forget every remembered session): left to SvelteKit's lookup.
    cache.clear();
    await left(post('/api/sync/push', body));
  });
});
