// Sign-up through an invitation link must not become an oracle for "which e-mails have an
// account here": an "e-mail already taken" answer is counted per link, and after
// SIGN_UP_PROBES_MAX of them the link refuses every sign-up with one generic answer; the
// taken answer also pays a password hash, so its timing does not give it away either.
// Through better-auth's real handler, on PGlite and (with TEST_DATABASE_URL) PostgreSQL.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acceptInvitation,
  createInvitation,
  hashInvitationToken,
  listMemberships,
  lookupInvitation,
} from '../accounts';
import { SIGN_UP_PROBES_MAX } from '../accounts/signup';
import { invitations, user } from '../db/schema';
import { createTestDb, testDbKinds, type TestDb } from '../db/testing';
import { CLIENT_ADDRESS_HEADER, type Auth } from './config';
import { createTestAuth, ORIGIN, PASSWORD } from './testing';

interface Call {
  status: number;
  body: Record<string, unknown>;
  ms: number;
}

let addressCounter = 0;

/** Each call from its own address: the per-address sign-up limit is not what is tested here. */
async function signUp(auth: Auth, email: string, extras: Record<string, unknown> = {}) {
  addressCounter += 1;
  const started = performance.now();
  const response = await auth.handler(
    new Request(`${ORIGIN}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: ORIGIN,
        [CLIENT_ADDRESS_HEADER]: `198.51.${Math.floor(addressCounter / 250)}.${addressCounter % 250}`,
      },
      body: JSON.stringify({ email, password: PASSWORD, name: email, ...extras }),
    }),
  );
  const text = await response.text();
  const ms = performance.now() - started;
  return { status: response.status, body: text ? JSON.parse(text) : {}, ms } satisfies Call;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

describe.each(testDbKinds())('sign-up probes through an invitation on %s', (kind) => {
  let testDb: TestDb;
  let auth: Auth;
  let founderId: string;
  let organisationId: string;

  beforeEach(async () => {
    testDb = await createTestDb(kind);
    auth = createTestAuth(testDb.db);
    const founded = await signUp(auth, 'founder@example.org', { organisationName: 'Bazaar' });
    expect(founded.status).toBe(200);
    founderId = (founded.body.user as { id: string }).id;
    const [membership] = await listMemberships(testDb.db, founderId);
    organisationId = membership!.organisationId;
  }, 60_000);
  afterEach(async () => {
    await testDb?.close();
  });

  async function link(role: 'maker' | 'helper' = 'maker') {
    const { token } = await createInvitation(testDb.db, {
      organisationId,
      role,
      createdBy: founderId,
    });
    return token;
  }

  async function probesOf(token: string) {
    const [row] = await testDb.db
      .select({ probes: invitations.signUpProbes })
      .from(invitations)
      .where(eq(invitations.tokenHash, hashInvitationToken(token)));
    return row?.probes;
  }

  it('[authz] sign-up through one invitation link can probe at most 3 e-mails: after that taken and new e-mails get the same answer', async () => {
    const token = await link();
    const taken = ['founder@example.org', 'FOUNDER@example.org', 'Founder@Example.Org'];
    for (const email of taken) {
      const call = await signUp(auth, email, { invitationToken: token });
      expect(call.status).toBe(422);
      expect(call.body).toMatchObject({ code: 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL' });
    }
    expect(SIGN_UP_PROBES_MAX).toBe(3);
    const afterTaken = await signUp(auth, 'founder@example.org', { invitationToken: token });
    const afterNew = await signUp(auth, 'new-maker@example.org', { invitationToken: token });
    expect(afterTaken.status).toBe(409);
    expect(afterNew.status).toBe(afterTaken.status);
    expect(afterNew.body).toEqual(afterTaken.body);
    expect(afterNew.body).toMatchObject({ code: 'invitation_locked' });
    expect(String(afterNew.body.message)).toContain('sign in and open the link again');
    // Nothing was created and the link is not used up; the count stays at the maximum.
    expect(
      await testDb.db.select().from(user).where(eq(user.email, 'new-maker@example.org')),
    ).toEqual([]);
    expect((await lookupInvitation(testDb.db, token))?.status).toBe('valid');
    expect(await probesOf(token)).toBe(3);
  });

  it('probes sent at the same time still get at most 3 "taken" answers from one link', async () => {
    const token = await link();
    const calls = await Promise.all(
      Array.from({ length: 8 }, () =>
        signUp(auth, 'founder@example.org', { invitationToken: token }),
      ),
    );
    const statuses = calls.map((c) => c.status).sort();
    expect(statuses).toEqual([409, 409, 409, 409, 409, 422, 422, 422]);
    expect(await probesOf(token)).toBe(3);
  });

  it('only "taken" answers are counted: after 2 probes the link still signs up a new e-mail', async () => {
    const token = await link();
    for (let i = 0; i < 2; i += 1) {
      expect((await signUp(auth, 'founder@example.org', { invitationToken: token })).status).toBe(
        422,
      );
    }
    // A refused password is no probe: the e-mail was not looked at.
    const short = await signUp(auth, 'founder@example.org', {
      invitationToken: token,
      password: 'short',
    });
    expect(short.status).toBe(400);
    expect(await probesOf(token)).toBe(2);
    const joined = await signUp(auth, 'baker@example.org', { invitationToken: token });
    expect(joined.status).toBe(200);
    expect((await lookupInvitation(testDb.db, token))?.status).toBe('used');
  });

  it('a signed-in account can still accept a link that is locked for sign-up', async () => {
    // An account of another organisation (founded through a new-organisation invitation).
    const { token: foundingToken } = await createInvitation(testDb.db, {
      organisationId,
      role: 'organiser',
      newOrganisation: true,
      createdBy: founderId,
    });
    const other = await signUp(auth, 'other@example.org', {
      invitationToken: foundingToken,
      organisationName: 'Other bazaar',
    });
    expect(other.status).toBe(200);
    const otherId = (other.body.user as { id: string }).id;

    const token = await link('helper');
    for (let i = 0; i < 3; i += 1) {
      expect((await signUp(auth, 'other@example.org', { invitationToken: token })).status).toBe(
        422,
      );
    }
    const locked = await signUp(auth, 'other@example.org', { invitationToken: token });
    expect(locked.body).toMatchObject({ code: 'invitation_locked' });

    const membership = await acceptInvitation(testDb.db, token, otherId);
    expect(membership).toMatchObject({ organisationId, role: 'helper', userId: otherId });
    expect((await lookupInvitation(testDb.db, token))?.status).toBe('used');
  });

  it('a taken e-mail answers in about the time of a new account (it pays a password hash too)', async () => {
    const runs = 10;
    const taken: number[] = [];
    const created: number[] = [];
    let token = await link();
    for (let i = 0; i < runs; i += 1) {
      if (i % SIGN_UP_PROBES_MAX === 0) token = await link();
      const call = await signUp(auth, 'founder@example.org', { invitationToken: token });
      expect(call.status).toBe(422);
      taken.push(call.ms);
      const fresh = await signUp(auth, `maker-${i}@example.org`, { invitationToken: await link() });
      expect(fresh.status).toBe(200);
      created.push(fresh.ms);
    }
    const figures = { taken: median(taken), created: median(created) };
    console.info(`sign-up medians on ${kind} (ms):`, figures);
    expect(figures.taken).toBeGreaterThanOrEqual(figures.created / 3);
  }, 120_000);
});
