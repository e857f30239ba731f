// The session cache (session-cache.ts): bounded, short-lived, and never serving a session
// that was ended on this process, even by a lookup racing the sign-out.
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memberships, session } from '../db/schema';
import { createTestDb, testDbKinds, type TestDb } from '../db/testing';
import { CLIENT_ADDRESS_HEADER, type Auth } from './config';
import { deLocalizeUrl } from '$lib/paraglide/runtime';
import { loadRequestAuth, readsMemberships } from './session';
import {
  changesSessions,
  SessionCache,
  sessionCacheOptions,
  type CachedSession,
} from './session-cache';
import { createTestAuth, ORIGIN, PASSWORD } from './testing';

const HOUR = 3_600_000;

function found(userId: string, expiresAt = Date.now() + 24 * HOUR): CachedSession {
  return {
    user: { id: userId, name: 'Maker', email: `${userId}@example.org` },
    session: { id: `session-${userId}`, expiresAt: new Date(expiresAt).toISOString() },
  };
}

describe('SessionCache', () => {
  let clock = 1_000_000;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('answers what was stored until its TTL, then forgets it', () => {
    const cache = new SessionCache({ ttlMs: 30_000, maxEntries: 10, now });
    cache.set('a=1', found('u1', clock + HOUR), cache.begin());
    expect(cache.get('a=1')?.user.id).toBe('u1');
    clock += 29_999;
    expect(cache.get('a=1')?.user.id).toBe('u1');
    clock += 1;
    expect(cache.get('a=1')).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('never answers a session past its own expiry, even inside the TTL', () => {
    const cache = new SessionCache({ ttlMs: 30_000, maxEntries: 10, now });
    cache.set('a=1', found('u1', clock + 1_000), cache.begin());
    clock += 1_000;
    expect(cache.get('a=1')).toBeNull();
    cache.set('a=2', found('u2', clock - 1), cache.begin());
    expect(cache.get('a=2')).toBeNull();
  });

  it('holds at most maxEntries, dropping the oldest first', () => {
    const cache = new SessionCache({ ttlMs: 30_000, maxEntries: 3, now });
    for (const n of [1, 2, 3, 4]) cache.set(`a=${n}`, found(`u${n}`, clock + HOUR), cache.begin());
    expect(cache.size).toBe(3);
    expect(cache.get('a=1')).toBeNull();
    expect(cache.get('a=4')?.user.id).toBe('u4');
  });

  it('does not store what a lookup found when a clear happened while it ran', () => {
    const cache = new SessionCache({ ttlMs: 30_000, maxEntries: 10, now });
    const began = cache.begin();
    cache.clear(); // a sign-out finished while the lookup was under way
    cache.set('a=1', found('u1', clock + HOUR), began);
    expect(cache.get('a=1')).toBeNull();
  });

  it('forgets everything before and after a request that changes sessions, even one that fails', async () => {
    const cache = new SessionCache({ ttlMs: 30_000, maxEntries: 10, now });
    cache.set('a=1', found('u1', clock + HOUR), cache.begin());
    let seenInside: CachedSession | null = found('x');
    let racing = 0;
    await cache.around(async () => {
      seenInside = cache.get('a=1');
      racing = cache.begin();
    });
    expect(seenInside).toBeNull();
    cache.set('a=1', found('u1', clock + HOUR), racing); // began inside: refused
    expect(cache.get('a=1')).toBeNull();
    cache.set('a=1', found('u1', clock + HOUR), cache.begin());
    await expect(
      cache.around(() => Promise.reject(new Error('database went away'))),
    ).rejects.toThrow('database went away');
    expect(cache.get('a=1')).toBeNull();
  });

  it('with a TTL of 0 stores nothing; a huge Cookie header is not stored', () => {
    const off = new SessionCache({ ttlMs: 0, maxEntries: 10, now });
    off.set('a=1', found('u1', clock + HOUR), off.begin());
    expect(off.get('a=1')).toBeNull();
    const cache = new SessionCache({ ttlMs: 30_000, maxEntries: 10, now });
    const huge = `a=${'x'.repeat(5000)}`;
    cache.set(huge, found('u1', clock + HOUR), cache.begin());
    expect(cache.size).toBe(0);
  });

  it('changesSessions: every non-GET under /api/auth, nothing else', () => {
    expect(changesSessions('POST', '/api/auth/sign-out')).toBe(true);
    expect(changesSessions('POST', '/api/auth/revoke-sessions')).toBe(true);
    expect(changesSessions('POST', '/api/auth/change-password')).toBe(true);
    expect(changesSessions('DELETE', '/api/auth')).toBe(true);
    expect(changesSessions('GET', '/api/auth/get-session')).toBe(false);
    expect(changesSessions('POST', '/api/sync/push')).toBe(false);
    expect(changesSessions('POST', '/api/authority')).toBe(false);
  });

  it('SESSION_CACHE_SECONDS: default 30, 0 turns it off, nonsense is refused by name', () => {
    expect(sessionCacheOptions({}).ttlMs).toBe(30_000);
    expect(sessionCacheOptions({ SESSION_CACHE_SECONDS: '0' }).ttlMs).toBe(0);
    expect(sessionCacheOptions({ SESSION_CACHE_SECONDS: '5' }).ttlMs).toBe(5_000);
    for (const bad of ['-1', 'soon', '1e9', 'NaN']) {
      expect(() => sessionCacheOptions({ SESSION_CACHE_SECONDS: bad })).toThrow(
        /SESSION_CACHE_SECONDS/,
      );
    }
  });
});

describe.each(testDbKinds())('loadRequestAuth with the session cache on %s', (kind) => {
  let testDb: TestDb;
  let auth: Auth;
  beforeEach(async () => {
    testDb = await createTestDb(kind);
    auth = createTestAuth(testDb.db);
  }, 60_000);
  afterEach(async () => {
    await testDb?.close();
  });

  async function post(path: string, body: unknown, cookie?: string) {
    return auth.handler(
      new Request(`${ORIGIN}/api/auth${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: ORIGIN,
          [CLIENT_ADDRESS_HEADER]: '192.0.2.7',
          ...(cookie ? { cookie } : {}),
        },
        body: JSON.stringify(body),
      }),
    );
  }

  async function signedUp() {
    const response = await post('/sign-up/email', {
      email: 'founder@example.org',
      password: PASSWORD,
      name: 'Founder',
      organisationName: 'Pop-up Bazaar',
    });
    expect(response.status).toBe(200);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const userId = ((await response.json()) as { user: { id: string } }).user.id;
    return { cookie, userId };
  }

  it('answers a repeated Cookie header from memory, but reads the memberships every time', async () => {
    const { cookie, userId } = await signedUp();
    const cache = new SessionCache({ ttlMs: 30_000, maxEntries: 100 });
    const headers = new Headers({ cookie });
    const first = await loadRequestAuth(auth, testDb.db, headers, cache);
    expect(first.auth.user?.id).toBe(userId);
    expect(first.auth.membership?.role).toBe('organiser');
    // Ended behind this process's back (as another server process would): still served
    // from memory within the TTL, which is what the cache is for (and what it costs).
    await testDb.db.delete(session).where(eq(session.userId, userId));
    await testDb.db.delete(memberships).where(eq(memberships.userId, userId));
    const again = await loadRequestAuth(auth, testDb.db, headers, cache);
    expect(again.auth.user?.id).toBe(userId);
    // The memberships are never remembered: the removed one counts at once.
    expect(again.auth.membership).toBeNull();
    // Without the cache, the database's answer: no session.
    expect((await loadRequestAuth(auth, testDb.db, headers)).auth.user).toBeNull();
  });

  it('a device’s push and pull read no memberships: with the Cookie header remembered they send no statement', async () => {
    const { cookie, userId } = await signedUp();
    const cache = new SessionCache({ ttlMs: 30_000, maxEntries: 100 });
    const headers = new Headers({ cookie });
    expect((await loadRequestAuth(auth, testDb.db, headers, cache)).auth.memberships).toHaveLength(
      1,
    );
    expect(readsMemberships('POST', '/api/sync/push')).toBe(false);
    expect(readsMemberships('POST', '/api/sync/pull')).toBe(false);
    expect(readsMemberships('GET', '/api/sync/pull')).toBe(false);
    for (const [method, path] of [
      ['GET', '/api/sync/push'],
      ['GET', '/api/sync/pulls'],
      ['POST', '/api/sync/push/x'],
      ['POST', '/api/organiser/events'],
      ['GET', '/till'],
    ] as const) {
      expect(readsMemberships(method, path)).toBe(true);
    }
    // The memberships table gone: a lookup that read it would fail.
    await testDb.db.execute(sql`alter table memberships rename to memberships_away`);
    try {
      const pushing = await loadRequestAuth(auth, testDb.db, headers, cache, false);
      expect(pushing.auth.user?.id).toBe(userId);
      expect(pushing.auth.memberships).toEqual([]);
      expect(pushing.auth.membership).toBeNull();
    } finally {
      await testDb.db.execute(sql`alter table memberships_away rename to memberships`);
    }
  });

  it('skips the memberships only for the push and pull routes themselves: every other spelling of their paths (encoded, trailing slash, other case, dot segments, a locale prefix) reads them, and the router sends the two exempt paths to those routes', () => {
    // As the server sees a request line: the WHATWG URL (dot segments resolved, nothing decoded).
    const pathOf = (line: string) => new URL(line, 'http://kraam.test').pathname;
    for (const line of [
      '/api/sync/push/',
      '/API/sync/push',
      '/api/sync/%70ush',
      '/api/sync/push%2F',
      '/api/sync%2Fpush',
      '/api/sync//push',
      '/api//sync/push',
      '/api/sync/pull/../photos/x',
      '/api/sync/push/../../organiser/events',
      '/nl/api/sync/push',
      '/en/api/sync/pull',
      '/api/sync/push;x',
      '/api/sync/push%00',
    ]) {
      const path = pathOf(line);
      if (path === '/api/sync/push' || path === '/api/sync/pull') continue;
      expect(readsMemberships('POST', path), line).toBe(true);
      expect(readsMemberships('GET', path), line).toBe(true);
    }
    // Dot segments that end on the routes are the routes themselves (nothing else is served).
    expect(pathOf('/api/sync/photos/../push')).toBe('/api/sync/push');
    // The paths the hooks exempt are routed to those very routes (src/hooks.ts reroute).
    for (const path of ['/api/sync/push', '/api/sync/pull']) {
      expect(deLocalizeUrl(new URL(path, 'http://kraam.test')).pathname).toBe(path);
    }
  });

  it('a sign-out on this process ends the remembered session at once', async () => {
    const { cookie } = await signedUp();
    const cache = new SessionCache({ ttlMs: 30_000, maxEntries: 100 });
    const headers = new Headers({ cookie });
    expect((await loadRequestAuth(auth, testDb.db, headers, cache)).auth.user).not.toBeNull();
    const signedOut = await cache.around(() => post('/sign-out', {}, cookie));
    expect(signedOut.status).toBe(200);
    expect((await loadRequestAuth(auth, testDb.db, headers, cache)).auth.user).toBeNull();
  });
});
