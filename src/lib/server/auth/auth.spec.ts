// Accounts through better-auth's real handler on a real database (PGlite, and PostgreSQL
// when TEST_DATABASE_URL is set): who may sign up, invitations, rate limits, sessions.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acceptInvitation, createInvitation, listMemberships, lookupInvitation } from '../accounts';
import { invitations, memberships, organisations, user } from '../db/schema';
import { createTestDb, testDbKinds, type TestDb } from '../db/testing';
import { CLIENT_ADDRESS_HEADER, SIGN_IN_RATE_LIMIT, type Auth } from './config';
import { loadRequestAuth } from './session';
import { createTestAuth, ORIGIN, PASSWORD } from './testing';

interface Call {
  status: number;
  body: Record<string, unknown>;
  cookie: string;
}

async function post(
  auth: Auth,
  path: string,
  body: unknown,
  address = '192.0.2.1',
  sessionCookie?: string,
): Promise<Call> {
  const response = await auth.handler(
    new Request(`${ORIGIN}/api/auth${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: ORIGIN,
        [CLIENT_ADDRESS_HEADER]: address,
        ...(sessionCookie ? { cookie: sessionCookie } : {}),
      },
      body: JSON.stringify(body),
    }),
  );
  const text = await response.text();
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { status: response.status, body: text ? JSON.parse(text) : {}, cookie };
}

function signUp(auth: Auth, email: string, extras: Record<string, unknown> = {}, address?: string) {
  return post(
    auth,
    '/sign-up/email',
    { email, password: PASSWORD, name: email, ...extras },
    address,
  );
}

describe.each(testDbKinds())('accounts on %s', (kind) => {
  let testDb: TestDb;
  let auth: Auth;
  beforeEach(async () => {
    testDb = await createTestDb(kind);
    auth = createTestAuth(testDb.db);
  }, 60_000);
  afterEach(async () => {
    await testDb?.close();
  });

  async function usersNamed(email: string) {
    return testDb.db.select().from(user).where(eq(user.email, email));
  }

  async function founder() {
    const call = await signUp(auth, 'founder@example.org', { organisationName: 'Pop-up Bazaar' });
    expect(call.status).toBe(200);
    const userId = (call.body.user as { id: string }).id;
    const [membership] = await listMemberships(testDb.db, userId);
    if (!membership) throw new Error('founder has no membership');
    return { userId, membership, cookie: call.cookie };
  }

  it('the first sign-up founds the organisation and becomes its organiser', async () => {
    const { membership } = await founder();
    expect(membership).toMatchObject({ role: 'organiser', organisationName: 'Pop-up Bazaar' });
    expect(await testDb.db.select().from(organisations)).toHaveLength(1);
  });

  it('names the organisation "My organisation" when no name is given', async () => {
    const call = await signUp(auth, 'solo@example.org');
    const [membership] = await listMemberships(testDb.db, (call.body.user as { id: string }).id);
    expect(membership?.organisationName).toBe('My organisation');
  });

  it('a later sign-up without an invitation gets 403 and creates nothing', async () => {
    await founder();
    const call = await signUp(auth, 'stranger@example.org');
    expect(call.status).toBe(403);
    expect(call.body).toMatchObject({ code: 'invitation_required' });
    expect(String(call.body.message)).toMatch(/invitation link/);
    expect(await usersNamed('stranger@example.org')).toEqual([]);
  });

  it('a sign-up with a valid invitation joins with the invited role; the link then reads "used"', async () => {
    const { userId, membership } = await founder();
    const { token } = await createInvitation(testDb.db, {
      organisationId: membership.organisationId,
      role: 'maker',
      createdBy: userId,
    });
    expect(await lookupInvitation(testDb.db, token)).toMatchObject({
      organisationName: 'Pop-up Bazaar',
      role: 'maker',
      status: 'valid',
    });
    const call = await signUp(auth, 'baker@example.org', { invitationToken: token });
    expect(call.status).toBe(200);
    const [joined] = await listMemberships(testDb.db, (call.body.user as { id: string }).id);
    expect(joined).toMatchObject({ role: 'maker', organisationId: membership.organisationId });
    expect((await lookupInvitation(testDb.db, token))?.status).toBe('used');
  });

  it('an invitation works once: reusing it is a 410 and creates nothing', async () => {
    const { userId, membership } = await founder();
    const { token } = await createInvitation(testDb.db, {
      organisationId: membership.organisationId,
      role: 'helper',
      createdBy: userId,
    });
    expect((await signUp(auth, 'first@example.org', { invitationToken: token })).status).toBe(200);
    const again = await signUp(auth, 'second@example.org', { invitationToken: token });
    expect(again.status).toBe(410);
    expect(again.body).toMatchObject({ code: 'invitation_used' });
    expect(await usersNamed('second@example.org')).toEqual([]);
  });

  it('an expired invitation is a 410 and changes nothing', async () => {
    const { userId, membership } = await founder();
    const { token } = await createInvitation(testDb.db, {
      organisationId: membership.organisationId,
      role: 'maker',
      createdBy: userId,
      expiresInHours: 1,
      now: new Date(Date.now() - 2 * 3_600_000),
    });
    const call = await signUp(auth, 'late@example.org', { invitationToken: token });
    expect(call.status).toBe(410);
    expect(call.body).toMatchObject({ code: 'invitation_expired' });
    expect(await usersNamed('late@example.org')).toEqual([]);
    const [row] = await testDb.db.select().from(invitations);
    expect(row?.usedAt).toBeNull();
  });

  it('an unknown or malformed token is refused with a message, nothing created', async () => {
    await founder();
    const unknown = await signUp(auth, 'x@example.org', { invitationToken: 'A'.repeat(43) });
    expect(unknown.status).toBe(404);
    const malformed = await signUp(auth, 'y@example.org', { invitationToken: 'short' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'validation_failed' });
    expect(await testDb.db.select().from(user)).toHaveLength(1);
  });

  it('two people racing for one invitation: exactly one gets in', async () => {
    const { userId, membership } = await founder();
    const { token } = await createInvitation(testDb.db, {
      organisationId: membership.organisationId,
      role: 'maker',
      createdBy: userId,
    });
    const calls = await Promise.all([
      signUp(auth, 'racer1@example.org', { invitationToken: token }, '192.0.2.11'),
      signUp(auth, 'racer2@example.org', { invitationToken: token }, '192.0.2.12'),
    ]);
    expect(calls.map((c) => c.status).sort()).toEqual([200, 410]);
    expect(await testDb.db.select().from(user)).toHaveLength(2);
    expect(await testDb.db.select().from(memberships)).toHaveLength(2);
  });

  it('two racing first sign-ups found exactly one organisation', async () => {
    const calls = await Promise.all([
      signUp(auth, 'a@example.org', {}, '192.0.2.21'),
      signUp(auth, 'b@example.org', {}, '192.0.2.22'),
    ]);
    expect(calls.map((c) => c.status).sort()).toEqual([200, 403]);
    expect(await testDb.db.select().from(organisations)).toHaveLength(1);
    expect(await testDb.db.select().from(user)).toHaveLength(1);
  });

  it('a signed-in user accepts an invitation; accepting into their own organisation is a 409 that leaves it unused', async () => {
    const { userId, membership } = await founder();
    const own = await createInvitation(testDb.db, {
      organisationId: membership.organisationId,
      role: 'maker',
      createdBy: userId,
    });
    await expect(acceptInvitation(testDb.db, own.token, userId)).rejects.toMatchObject({
      status: 409,
      code: 'already_member',
    });
    expect((await lookupInvitation(testDb.db, own.token))?.status).toBe('valid');

    const founding = await createInvitation(testDb.db, {
      organisationId: membership.organisationId,
      role: 'organiser',
      newOrganisation: true,
      createdBy: userId,
    });
    const other = await signUp(auth, 'other-org@example.org', {
      invitationToken: founding.token,
      organisationName: 'Another Bazaar',
    });
    expect(other.status).toBe(200);
    const theirs = await listMemberships(testDb.db, (other.body.user as { id: string }).id);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({ role: 'organiser', organisationName: 'Another Bazaar' });
    expect(theirs[0]?.organisationId).not.toBe(membership.organisationId);
  });

  it('a session cookie from sign-in resolves to the user and their membership', async () => {
    const { userId } = await founder();
    const signIn = await post(auth, '/sign-in/email', {
      email: 'founder@example.org',
      password: PASSWORD,
    });
    expect(signIn.status).toBe(200);
    const loaded = await loadRequestAuth(auth, testDb.db, new Headers({ cookie: signIn.cookie }));
    expect(loaded.auth.user?.id).toBe(userId);
    expect(loaded.auth.membership?.role).toBe('organiser');
    const anonymous = await loadRequestAuth(auth, testDb.db, new Headers());
    expect(anonymous.auth.user).toBeNull();
  });

  it(`sign-in is rate-limited: after ${SIGN_IN_RATE_LIMIT.max} rapid failures from one address, 429`, async () => {
    await founder();
    const attempt = (address: string) =>
      post(
        auth,
        '/sign-in/email',
        { email: 'founder@example.org', password: 'wrong password' },
        address,
      );
    for (let i = 0; i < SIGN_IN_RATE_LIMIT.max; i++) {
      expect((await attempt('198.51.100.7')).status).toBe(401);
    }
    const blocked = await attempt('198.51.100.7');
    expect(blocked.status).toBe(429);
    // Another address is not affected.
    expect((await attempt('198.51.100.8')).status).toBe(401);
  });

  it('NUL or a lone surrogate anywhere in a better-auth body is 422 naming the field, never a 500 or a silently changed value', async () => {
    const { userId, cookie } = await founder();
    const attempts: [string, Record<string, unknown>, string][] = [
      ['/update-user', { name: 'Ann\u0000ie' }, 'name'],
      ['/update-user', { image: 'x\u0000' }, 'image'],
      ['/update-user', { name: 'Ann\ud800ie' }, 'name'],
      ['/revoke-session', { token: 'a\u0000' }, 'token'],
      ['/reset-password', { newPassword: PASSWORD, token: 'a\u0000' }, 'token'],
      ['/sign-in/email', { email: 'founder\u0000@example.org', password: PASSWORD }, 'email'],
      [
        '/sign-in/email',
        { email: 'founder@example.org', password: PASSWORD, ['x\u0000']: 1 },
        'x\u0000',
      ],
    ];
    for (const [path, body, field] of attempts) {
      const call = await post(auth, path, body, '192.0.2.77', cookie);
      expect(call.status, `${path} ${JSON.stringify(body)}`).toBe(422);
      expect(call.body).toMatchObject({
        code: 'invalid_value',
        issues: [{ path: field, code: 'unsafe-text' }],
      });
    }
    const [row] = await testDb.db.select().from(user).where(eq(user.id, userId));
    expect(row?.name).toBe('founder@example.org');
    expect(row?.image).toBeNull();
  });
});
