// The organiser's invitation management (issue 12): a note per link, who joined with it and
// when, every open link shown again, and revoking (refused by the invite page and sign-up).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { refusal } from '$lib/server/organiser/spec-helpers';
import { organisationWithMakers, type TestOrganisation } from '$lib/server/organiser/testing';
import { createUser } from '$lib/server/sync/testing';
import {
  acceptInvitation,
  createInvitation,
  listInvitations,
  lookupInvitation,
  revokeInvitation,
} from '.';
import { checkSignUpAllowed, completeSignUp } from './signup';
import { createInvitationBody } from './schemas';

const KEY = 'a-test-link-key-of-at-least-32-characters';

describe('invitation notes (input)', () => {
  it('a note is bounded (200) and safe text; it is trimmed', () => {
    const ok = createInvitationBody.safeParse({
      role: 'maker',
      note: '  for Amira, honey cakes ',
    });
    expect(ok.success && ok.data.note).toBe('for Amira, honey cakes');
    for (const note of ['x'.repeat(201), 'a\u0000b', 'lone \ud800']) {
      const bad = createInvitationBody.safeParse({ role: 'maker', note });
      expect(bad.success, note.slice(0, 10)).toBe(false);
      expect(bad.error?.issues.map((i) => i.path.join('.'))).toContain('note');
    }
  });
});

describe.each(testDbKinds())('invitation management on %s', (kind) => {
  let t: TestDb;
  let orgA: TestOrganisation;
  let orgB: TestOrganisation;

  beforeAll(async () => {
    t = await createTestDb(kind);
    orgA = await organisationWithMakers(t.db, 0, 'Bazaar A');
    orgB = await organisationWithMakers(t.db, 0, 'Bazaar B');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const invite = (note?: string, organisation = orgA) =>
    createInvitation(t.db, {
      organisationId: organisation.organisationId,
      role: 'maker',
      createdBy: organisation.organiser.userId,
      ...(note === undefined ? {} : { note }),
      linkKey: KEY,
    });

  it('every open link is listed with its note and its token again; used ones say who joined', async () => {
    const amira = await invite('for Amira, honey cakes');
    const chen = await invite('for Chen, ceramics');
    const joinerId = await createUser(t.db, 'Amira Haddad');
    await acceptInvitation(t.db, amira.token, joinerId);

    const listed = await listInvitations(t.db, orgA.organisationId, new Date(), KEY);
    const byId = new Map(listed.map((i) => [i.id, i]));
    const usedOne = byId.get(amira.invitation.id);
    expect(usedOne?.status).toBe('used');
    expect(usedOne?.note).toBe('for Amira, honey cakes');
    expect(usedOne?.usedBy).toEqual({ name: 'Amira Haddad', email: `${joinerId}@example.test` });
    expect(usedOne?.usedAt).not.toBeNull();
    expect(usedOne?.token).toBeNull();
    const open = byId.get(chen.invitation.id);
    expect(open?.status).toBe('valid');
    expect(open?.token).toBe(chen.token);
    // Without the key (or with another) nothing can be shown again.
    const otherKey = await listInvitations(t.db, orgA.organisationId, new Date(), 'x'.repeat(40));
    expect(otherKey.find((i) => i.id === chen.invitation.id)?.token).toBeNull();
  });

  it('a revoked link is refused by the invite page, by sign-up and by accepting', async () => {
    const made = await invite('for Dana');
    const revoked = await revokeInvitation(
      t.db,
      orgA.organisationId,
      made.invitation.id,
      orgA.organiser.userId,
    );
    expect(revoked.status).toBe('revoked');
    expect((await lookupInvitation(t.db, made.token))?.status).toBe('revoked');
    expect(await refusal(checkSignUpAllowed(t.db, { invitationToken: made.token }))).toMatchObject({
      status: 410,
      code: 'invitation_revoked',
    });
    const userId = await createUser(t.db, 'Dana');
    expect(
      await refusal(completeSignUp(t.db, userId, { invitationToken: made.token })),
    ).toMatchObject({ status: 410, code: 'invitation_revoked' });
    expect(await refusal(acceptInvitation(t.db, made.token, userId))).toMatchObject({
      status: 410,
      code: 'invitation_revoked',
    });
    const listed = await listInvitations(t.db, orgA.organisationId, new Date(), KEY);
    expect(listed.find((i) => i.id === made.invitation.id)).toMatchObject({
      status: 'revoked',
      token: null,
    });
  });

  it("[authz] only the link's own organisation revokes it; used or revoked twice is 409", async () => {
    const made = await invite();
    expect(
      await refusal(
        revokeInvitation(t.db, orgB.organisationId, made.invitation.id, orgB.organiser.userId),
      ),
    ).toMatchObject({ status: 404 });
    expect((await lookupInvitation(t.db, made.token))?.status).toBe('valid');
    await revokeInvitation(t.db, orgA.organisationId, made.invitation.id, orgA.organiser.userId);
    expect(
      await refusal(
        revokeInvitation(t.db, orgA.organisationId, made.invitation.id, orgA.organiser.userId),
      ),
    ).toMatchObject({ status: 409, code: 'invitation_revoked' });
    const used = await invite();
    await acceptInvitation(t.db, used.token, await createUser(t.db, 'Eli'));
    expect(
      await refusal(
        revokeInvitation(t.db, orgA.organisationId, used.invitation.id, orgA.organiser.userId),
      ),
    ).toMatchObject({ status: 409, code: 'invitation_used' });
    // B's list never shows A's links.
    const listedB = await listInvitations(t.db, orgB.organisationId, new Date(), KEY);
    expect(listedB.map((i) => i.id)).not.toContain(made.invitation.id);
  });
});
