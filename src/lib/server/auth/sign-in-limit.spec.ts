import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInAttempts } from '../db/schema';
import { createTestDb, testDbKinds, type TestDb } from '../db/testing';
import {
  accountKey,
  beginAttempt,
  clearFailures,
  emailOfSignInBody,
  minutesOf,
  pauseSeconds,
  recordFailure,
  refundAttempt,
  remainingPause,
  SIGN_IN_ACCOUNT_LIMIT,
} from './sign-in-limit';

describe('pauseSeconds', () => {
  it('costs nothing for the first five failures, then doubles from one minute', () => {
    expect([0, 1, 4].map((n) => pauseSeconds(n))).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8].map((n) => pauseSeconds(n))).toEqual([60, 120, 240, 480]);
  });

  it('never pauses an account for more than 15 minutes, however many failures', () => {
    for (const n of [9, 10, 40, 1_000, 2 ** 31, 2 ** 53, Number.MAX_VALUE]) {
      expect(pauseSeconds(n)).toBe(SIGN_IN_ACCOUNT_LIMIT.maxPauseSeconds);
    }
    expect(pauseSeconds(Number.NaN)).toBe(0);
    expect(pauseSeconds(-1)).toBe(0);
  });
});

describe('accountKey and emailOfSignInBody', () => {
  it('keys an account like better-auth does (lower case), and ignores what is not an e-mail', () => {
    expect(accountKey(' Maker@Example.ORG ')).toBe('maker@example.org');
    expect(accountKey('')).toBeNull();
    expect(accountKey(42)).toBeNull();
    expect(accountKey('a'.repeat(321))).toBeNull();
    expect(emailOfSignInBody('{"email":"A@b.nl","password":"x"}')).toBe('a@b.nl');
    expect(emailOfSignInBody('not json')).toBeNull();
    expect(emailOfSignInBody('null')).toBeNull();
    expect(emailOfSignInBody('{"email":["a@b.nl"]}')).toBeNull();
  });

  it('reads the e-mail of a form-encoded sign-in too (better-auth accepts both), the last one as better-auth does', () => {
    const form = 'application/x-www-form-urlencoded';
    expect(emailOfSignInBody('email=Maker%40Example.org&password=x', form)).toBe(
      'maker@example.org',
    );
    expect(
      emailOfSignInBody('email=a%40b.nl&email=C%40d.nl&password=x', `${form}; charset=UTF-8`),
    ).toBe('c@d.nl');
    expect(emailOfSignInBody('password=x', form)).toBeNull();
    expect(emailOfSignInBody('{"email":"A@b.nl"}', 'application/json; charset=utf-8')).toBe(
      'a@b.nl',
    );
  });

  it('keys no account for an e-mail with NUL or a lone surrogate (no such account; the database cannot store it)', () => {
    expect(accountKey('a\u0000@b.nl')).toBeNull();
    expect(accountKey('a@b.nl\u0000')).toBeNull();
    expect(accountKey('a\ud800@b.nl')).toBeNull();
    expect(emailOfSignInBody('{"email":"a\\u0000@b.nl","password":"x"}')).toBeNull();
    expect(emailOfSignInBody('email=a%00%40b.nl', 'application/x-www-form-urlencoded')).toBeNull();
  });

  it('rounds the wait up to whole minutes, at least one', () => {
    expect([1, 60, 61, 900].map(minutesOf)).toEqual([1, 1, 2, 15]);
  });
});

describe.each(testDbKinds())('the per-account sign-in limit on %s', (kind) => {
  let testDb: TestDb;
  beforeEach(async () => {
    testDb = await createTestDb(kind);
  }, 60_000);
  afterEach(async () => {
    await testDb?.close();
  });

  const KEY = 'maker@example.org';
  const t0 = new Date('2026-12-06T10:00:00Z');
  const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  it('pauses after the fifth failure, for one minute, then longer', async () => {
    const pauses: number[] = [];
    for (let i = 0; i < 5; i++) pauses.push(await recordFailure(testDb.db, KEY, later(i)));
    expect(pauses).toEqual([0, 0, 0, 0, 60]);
    expect(await remainingPause(testDb.db, KEY, later(4))).toBe(60);
    expect(await remainingPause(testDb.db, KEY, later(34))).toBe(30);
    expect(await remainingPause(testDb.db, KEY, later(64))).toBe(0);
    expect(await recordFailure(testDb.db, KEY, later(70))).toBe(120);
    // Another account is not affected.
    expect(await remainingPause(testDb.db, 'other@example.org', later(70))).toBe(0);
  });

  it('a success clears the count; a quiet quarter hour forgets it', async () => {
    for (let i = 0; i < 4; i++) await recordFailure(testDb.db, KEY, later(i));
    await clearFailures(testDb.db, KEY);
    expect(await recordFailure(testDb.db, KEY, later(10))).toBe(0);
    for (let i = 0; i < 3; i++) await recordFailure(testDb.db, KEY, later(11 + i));
    // Four failures so far; the fifth comes after 15 quiet minutes and counts as the first.
    expect(await recordFailure(testDb.db, KEY, later(13 + 15 * 60 + 1))).toBe(0);
    const rows = await testDb.db.select().from(signInAttempts);
    expect(rows).toMatchObject([{ email: KEY, failures: 1 }]);
  });

  it('failures from many server processes at once are all counted', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => recordFailure(testDb.db, KEY, later(i % 3))),
    );
    const [row] = await testDb.db.select().from(signInAttempts);
    expect(row?.failures).toBe(8);
    expect(await remainingPause(testDb.db, KEY, later(3))).toBeGreaterThan(0);
  });

  it('attempts are counted before the password is checked: of 20 at once exactly 5 go on, the rest wait', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () => beginAttempt(testDb.db, KEY, later(0))),
    );
    expect(attempts.filter((a) => a.wait === 0)).toHaveLength(5);
    expect(attempts.filter((a) => a.wait > 0).every((a) => a.wait <= 60)).toBe(true);
    expect(await remainingPause(testDb.db, KEY, later(1))).toBe(59);
    // After the pause one more attempt goes on, and the next pause is longer.
    expect((await beginAttempt(testDb.db, KEY, later(61))).wait).toBe(0);
    expect((await beginAttempt(testDb.db, KEY, later(62))).wait).toBe(119);
  });

  it('an attempt answered neither "wrong password" nor "signed in" is given back; a success clears all', async () => {
    for (let i = 0; i < 4; i++) await beginAttempt(testDb.db, KEY, later(i));
    const fifth = await beginAttempt(testDb.db, KEY, later(4));
    expect(fifth.wait).toBe(0);
    expect(await remainingPause(testDb.db, KEY, later(5))).toBe(59);
    // The fifth was refused for its body (400), not for its password: the pause it started goes.
    await refundAttempt(testDb.db, KEY, fifth);
    expect(await remainingPause(testDb.db, KEY, later(5))).toBe(0);
    const [row] = await testDb.db.select().from(signInAttempts);
    expect(row?.failures).toBe(4);
    await beginAttempt(testDb.db, KEY, later(6));
    await clearFailures(testDb.db, KEY);
    expect(await testDb.db.select().from(signInAttempts)).toEqual([]);
  });
});
