// Per-account sign-in limit. better-auth limits sign-ins per client address only, so many
// addresses could guess one account's password forever. Here failed sign-ins are counted
// per e-mail address (whether or not it has an account: the answer never tells which) in the
// database, so that it holds across restarts and several server processes:
//  - the first FREE_FAILURES failures within WINDOW_SECONDS of each other cost nothing;
//  - after that each failure pauses the account's sign-in: 1, 2, 4, 8 minutes, then at most
//    MAX_PAUSE_SECONDS (15 minutes). During a pause every attempt is answered 429 with
//    Retry-After, without checking the password, and does not lengthen the pause;
//  - a successful sign-in clears the count; a quiet WINDOW_SECONDS clears it too.
// A stranger can thus hold one account's sign-in for at most 15 minutes at a time, and only
// by failing again after each pause. Devices that are signed in already are not affected
// (their sessions stay valid), so a maker keeps selling and syncing during a pause.
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { isSafeText } from '../../domain/text';
import type { Db } from '../db/types';
import { signInAttempts } from '../db/schema';

export const SIGN_IN_ACCOUNT_LIMIT = {
  freeFailures: 5,
  windowSeconds: 15 * 60,
  firstPauseSeconds: 60,
  maxPauseSeconds: 15 * 60,
} as const;

/** E-mail addresses longer than this are not valid anyway (better-auth refuses them). */
const EMAIL_MAX = 320;

/** Seconds of pause after the given number of failures in a row (0: none). Pure. */
export function pauseSeconds(failures: number, limit = SIGN_IN_ACCOUNT_LIMIT): number {
  if (!Number.isFinite(failures) || failures < limit.freeFailures) return 0;
  const doublings = Math.min(failures - limit.freeFailures, 30);
  return Math.min(limit.firstPauseSeconds * 2 ** doublings, limit.maxPauseSeconds);
}

/**
 * The key of an account: better-auth's own normalisation (lower case), trimmed. Text with NUL
 * or a lone surrogate is no account's e-mail (better-auth refuses it, 400) and could not be
 * stored as a key anyway: none.
 */
export function accountKey(email: unknown): string | null {
  if (typeof email !== 'string' || !isSafeText(email)) return null;
  const key = email.trim().toLowerCase();
  if (key.length === 0 || key.length > EMAIL_MAX) return null;
  return key;
}

/**
 * The e-mail of a sign-in body, or null when there is none to limit. better-auth's sign-in
 * takes JSON and form-encoded bodies alike (and refuses every other content type with 415
 * before checking a password), so both are read here, each as better-auth reads it: a
 * repeated field counts by its last value.
 */
export function emailOfSignInBody(text: string, contentType: string | null = null): string | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return accountKey(new URLSearchParams(text).getAll('email').at(-1));
  }
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null) return null;
    return accountKey((body as { email?: unknown }).email);
  } catch {
    return null;
  }
}

/** Whole minutes (at least 1) for the message; Retry-After takes the seconds. */
export function minutesOf(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/** Seconds the account must still wait before it may try again (0: it may try now). */
export async function remainingPause(db: Db, key: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ lockedUntil: signInAttempts.lockedUntil })
    .from(signInAttempts)
    .where(eq(signInAttempts.email, key));
  if (!row?.lockedUntil) return 0;
  return Math.max(0, Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000));
}

/** Counts a failed sign-in and answers the pause it starts (seconds; 0 for none). */
export async function recordFailure(
  db: Db,
  key: string,
  now: Date,
  limit = SIGN_IN_ACCOUNT_LIMIT,
): Promise<number> {
  const quietSince = new Date(now.getTime() - limit.windowSeconds * 1000);
  const [row] = await db
    .insert(signInAttempts)
    .values({ email: key, failures: 1, lastFailureAt: now, lockedUntil: null })
    .onConflictDoUpdate({
      target: signInAttempts.email,
      set: {
        // Atomic across server processes: each failure adds exactly one.
        failures: sql`case when ${signInAttempts.lastFailureAt} < ${at(quietSince)} then 1
          else ${signInAttempts.failures} + 1 end`,
        lastFailureAt: now,
      },
    })
    .returning({ failures: signInAttempts.failures });
  const pause = pauseSeconds(row?.failures ?? 1, limit);
  if (pause > 0) {
    const until = new Date(now.getTime() + pause * 1000);
    await db
      .update(signInAttempts)
      .set({ lockedUntil: sql`greatest(${signInAttempts.lockedUntil}, ${at(until)})` })
      .where(eq(signInAttempts.email, key));
  }
  await forgetQuiet(db, now, limit);
  return pause;
}

/**
 * Forgets accounts that have been quiet for a whole window and are not paused: the table
 * holds only the last quarter hour's failures, however many addresses are tried.
 */
async function forgetQuiet(db: Db, now: Date, limit = SIGN_IN_ACCOUNT_LIMIT): Promise<void> {
  const quietSince = new Date(now.getTime() - limit.windowSeconds * 1000);
  await db
    .delete(signInAttempts)
    .where(
      and(
        lt(signInAttempts.lastFailureAt, quietSince),
        or(isNull(signInAttempts.lockedUntil), lt(signInAttempts.lockedUntil, now)),
      ),
    );
}

/** A sign-in attempt begun by `beginAttempt`: what `refundAttempt` needs to give it back. */
export interface SignInAttempt {
  /** Seconds the account must still wait; 0: this attempt may check its password. */
  wait: number;
  /** The attempt was counted (it may go on). */
  counted: boolean;
  /** It started a pause (and what the pause was before it). */
  paused: boolean;
  lockedBefore: Date | null;
}

/**
 * Begins a sign-in attempt: it is counted as a failure BEFORE its password is checked (a
 * success clears the count, `clearFailures`). Checking the pause first and counting after
 * would let many attempts sent at once all pass the check before the first failure is
 * written; here each takes the account's row in turn (FOR UPDATE), and the attempt that
 * reaches the limit starts the pause for every attempt after it.
 */
export async function beginAttempt(
  db: Db,
  key: string,
  now: Date,
  limit = SIGN_IN_ACCOUNT_LIMIT,
): Promise<SignInAttempt> {
  const attempt = await db.transaction(async (tx) => {
    await tx
      .insert(signInAttempts)
      .values({ email: key, failures: 0, lastFailureAt: now, lockedUntil: null })
      .onConflictDoNothing({ target: signInAttempts.email });
    const [row] = await tx
      .select()
      .from(signInAttempts)
      .where(eq(signInAttempts.email, key))
      .for('update');
    const lockedBefore = row?.lockedUntil ?? null;
    if (lockedBefore && lockedBefore.getTime() > now.getTime()) {
      const wait = Math.ceil((lockedBefore.getTime() - now.getTime()) / 1000);
      return { wait, counted: false, paused: false, lockedBefore };
    }
    const quiet = !row || row.lastFailureAt.getTime() < now.getTime() - limit.windowSeconds * 1000;
    const failures = (quiet ? 0 : row.failures) + 1;
    const pause = pauseSeconds(failures, limit);
    await tx
      .update(signInAttempts)
      .set({
        failures,
        lastFailureAt: now,
        ...(pause > 0 ? { lockedUntil: new Date(now.getTime() + pause * 1000) } : {}),
      })
      .where(eq(signInAttempts.email, key));
    return { wait: 0, counted: true, paused: pause > 0, lockedBefore };
  });
  if (attempt.counted) await forgetQuiet(db, now, limit);
  return attempt;
}

/**
 * Gives back an attempt that was answered neither "wrong password" nor "signed in" (refused
 * for its body, or by the per-address limit): its password was never checked. A pause it
 * started is lifted again: while it stood no other attempt was counted.
 */
export async function refundAttempt(db: Db, key: string, attempt: SignInAttempt): Promise<void> {
  if (!attempt.counted) return;
  await db
    .update(signInAttempts)
    .set({
      failures: sql`greatest(${signInAttempts.failures} - 1, 0)`,
      ...(attempt.paused ? { lockedUntil: attempt.lockedBefore } : {}),
    })
    .where(eq(signInAttempts.email, key));
}

/** A successful sign-in clears the account's count. */
export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(signInAttempts).where(eq(signInAttempts.email, key));
}
