// "Delete my account" (docs/my-data.md), on PGlite and (with TEST_DATABASE_URL) PostgreSQL:
// the person and their profile go in one transaction; the books stay without their name and
// the organiser's figures still add up; the last organiser is refused; the address can sign
// up again as a new person.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTACT_CHANNELS } from '$lib/domain/organiser/maker-profile';
import { createTestAuth, ORIGIN, PASSWORD } from '$lib/server/auth/testing';
import type { Auth } from '$lib/server/auth/config';
import {
  account,
  invitations,
  makerPhotos,
  makerProfiles,
  refunds,
  sales,
  session,
  stockMovements,
  user,
  makers,
} from '$lib/server/db/schema';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { loadEvent } from '$lib/server/organiser/event-rows';
import { changeEventStatus } from '$lib/server/organiser/events';
import { setSharesFigures } from '$lib/server/organiser/makers';
import { impactReport } from '$lib/server/organiser/impact';
import { addPhoto } from '$lib/server/organiser/photos';
import { saveOwnProfile } from '$lib/server/organiser/profiles';
import { dashboard } from '$lib/server/organiser/results';
import { refusal } from '$lib/server/organiser/spec-helpers';
import {
  organisationWithMakers,
  publishedEvent,
  type TestMaker,
  type TestOrganisation,
} from '$lib/server/organiser/testing';
import { addMember, count, createUser, push } from '$lib/server/sync/testing';
import { RawDevice } from '$lib/sync/testing/factories';
import { uuidv7 } from '$lib/domain/ids';
import { putProductPhoto } from '$lib/server/sync/product-photos';
import { createInvitation } from './invitations';
import { DELETED_MAKER_NAME, deleteAccount } from './delete-account';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]);

async function authCall(auth: Auth, path: string, body: unknown) {
  const response = await auth.handler(
    new Request(`${ORIGIN}/api/auth${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify(body),
    }),
  );
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : {}) as { user?: { id?: string } },
  };
}

describe.each(testDbKinds())('delete my account on %s', (kind) => {
  let t: TestDb;
  let org: TestOrganisation;
  let a: TestMaker;
  let b: TestMaker;
  let eventId: string;
  beforeEach(async () => {
    t = await createTestDb(kind);
    org = await organisationWithMakers(t.db, 2);
    [a, b] = org.makers as [TestMaker, TestMaker];
    const { event } = await publishedEvent(t.db, org.organisationId, 1);
    eventId = event.id;
    await changeEventStatus(t.db, org.organisationId, eventId, 'open');
    for (const maker of [a, b]) {
      await setSharesFigures(t.db, maker.makerId, org.organisationId, true);
      const device = new RawDevice({ makerId: maker.makerId });
      const product = device.product({ priceCents: maker === a ? 450 : 1200 });
      const sold = [1, 2, 3].map(() => device.sale(eventId, [{ product, quantity: 2 }]));
      const refund = device.refundOf(sold[0]!, [{ position: 0, quantity: 1 }]);
      const answer = await push(
        t.db,
        maker.userId,
        device.request(device.queue(device.productUpsert(product), ...sold, refund)),
      );
      expect(answer.results.every((r) => r.status === 'applied')).toBe(true);
      await putProductPhoto(t.db, maker.userId, uuidv7(), { type: 'image/png', bytes: PNG });
      const { photoId } = await addPhoto(t.db, maker.makerId, { type: 'image/png', bytes: PNG });
      await saveOwnProfile(t.db, maker.makerId, {
        displayName: maker === a ? 'Amira Bakt' : 'Bertus',
        craft: 'bakker',
        story: 'Sinds 2019',
        languages: [],
        photoIds: [photoId],
        contact: {
          ...(Object.fromEntries(
            CONTACT_CHANNELS.map((c) => [c, { value: '', public: false }]),
          ) as Record<(typeof CONTACT_CHANNELS)[number], { value: string; public: boolean }>),
          phone: { value: '0612345678', public: true },
        },
        listed: true,
        needs: { power: false, table: false, foodHygiene: false, notes: '' },
      });
    }
  }, 120_000);
  afterEach(async () => {
    await t?.close();
  });

  async function figures() {
    await changeEventStatus(t.db, org.organisationId, eventId, 'closed').catch(() => undefined);
    const board = await dashboard(t.db, await loadEvent(t.db, org.organisationId, eventId));
    const impact = await impactReport(t.db, org.organisationId);
    return { board, impact };
  }

  it('removes the person, their profile, photos, sessions and helpers; keeps the books without a name; the organiser’s figures still add up', async () => {
    const helperId = await createUser(t.db, 'Helper van Amira');
    await addMember(t.db, {
      userId: helperId,
      organisationId: org.organisationId,
      role: 'helper',
      makerId: a.makerId,
    });
    const open = await createInvitation(t.db, {
      organisationId: org.organisationId,
      role: 'helper',
      makerId: a.makerId,
      createdBy: a.userId,
    });
    const before = await figures();
    const salesBefore = await count(t.db, 'sales', `maker_id = '${a.makerId}'`);
    expect(salesBefore).toBe(3);
    const stockBefore = await count(t.db, 'stock_movements', `maker_id = '${a.makerId}'`);
    expect(stockBefore).toBeGreaterThan(0);

    const deleted = await deleteAccount(t.db, a.userId);
    expect(deleted).toEqual({ makerIds: [a.makerId], helpersRemoved: 1 });

    expect(await t.db.select().from(user).where(eq(user.id, a.userId))).toEqual([]);
    expect(await t.db.select().from(session).where(eq(session.userId, a.userId))).toEqual([]);
    expect(await t.db.select().from(account).where(eq(account.userId, a.userId))).toEqual([]);
    expect(await count(t.db, 'memberships', `user_id = '${a.userId}'`)).toBe(0);
    expect(await count(t.db, 'memberships', `user_id = '${helperId}'`)).toBe(0);
    expect(
      await t.db.select().from(makerProfiles).where(eq(makerProfiles.makerId, a.makerId)),
    ).toEqual([]);
    expect(await t.db.select().from(makerPhotos).where(eq(makerPhotos.makerId, a.makerId))).toEqual(
      [],
    );
    expect(await count(t.db, 'product_photos', `maker_id = '${a.makerId}'`)).toBe(0);
    expect(await count(t.db, 'product_photos', `maker_id = '${b.makerId}'`)).toBe(1);
    const [inv] = await t.db
      .select()
      .from(invitations)
      .where(eq(invitations.id, open.invitation.id));
    expect(inv?.revokedAt).toBeInstanceOf(Date);
    // The books stay, under the opaque id, with no owner.
    expect(await t.db.select().from(sales).where(eq(sales.makerId, a.makerId))).toHaveLength(3);
    expect(await t.db.select().from(refunds).where(eq(refunds.makerId, a.makerId))).toHaveLength(1);
    expect(
      await t.db.select().from(stockMovements).where(eq(stockMovements.makerId, a.makerId)),
    ).toHaveLength(stockBefore);
    const [maker] = await t.db.select().from(makers).where(eq(makers.id, a.makerId));
    expect(maker).toMatchObject({ ownerUserId: null });
    expect(maker?.deletedAt).toBeInstanceOf(Date);
    // The other maker is untouched.
    expect(
      await t.db.select().from(makerProfiles).where(eq(makerProfiles.makerId, b.makerId)),
    ).toHaveLength(1);

    const after = await figures();
    expect(after.board.totals).toEqual(before.board.totals);
    expect(after.impact).toEqual(before.impact);
    const row = after.board.makers.find((v) => v.makerId === a.makerId);
    expect(row).toMatchObject({ displayName: DELETED_MAKER_NAME, salesCount: 3 });
    expect(JSON.stringify(after.board)).not.toContain('Amira');
  });

  it('the last organiser of an organisation is refused with a clear message and nothing changes; with a co-organiser it works', async () => {
    const error = await refusal(deleteAccount(t.db, org.organiser.userId));
    expect(error.status).toBe(409);
    expect(error.code).toBe('last_organiser');
    expect(error.message).toMatch(/only organiser of "Stichting Test"/);
    expect(await count(t.db, 'user', `id = '${org.organiser.userId}'`)).toBe(1);
    const second = await createUser(t.db, 'Co-organisator');
    await addMember(t.db, {
      userId: second,
      organisationId: org.organisationId,
      role: 'organiser',
    });
    await deleteAccount(t.db, org.organiser.userId);
    expect(await count(t.db, 'user', `id = '${org.organiser.userId}'`)).toBe(0);
    expect(await refusal(deleteAccount(t.db, second))).toMatchObject({ status: 409 });
  });

  it('a helper deleting their account leaves the maker’s books and helpers alone', async () => {
    const helperId = await createUser(t.db, 'Helper');
    await addMember(t.db, {
      userId: helperId,
      organisationId: org.organisationId,
      role: 'helper',
      makerId: a.makerId,
    });
    expect(await deleteAccount(t.db, helperId)).toEqual({ makerIds: [], helpersRemoved: 0 });
    expect(await count(t.db, 'sales', `maker_id = '${a.makerId}'`)).toBe(3);
    expect(
      await t.db.select().from(makerProfiles).where(eq(makerProfiles.makerId, a.makerId)),
    ).toHaveLength(1);
    const [maker] = await t.db.select().from(makers).where(eq(makers.id, a.makerId));
    expect(maker).toMatchObject({ ownerUserId: a.userId, deletedAt: null });
  });

  it('the deleted account cannot sign in; a new sign-up with the same e-mail is a new person', async () => {
    const auth = createTestAuth(t.db);
    const join = async (email: string) => {
      const { token } = await createInvitation(t.db, {
        organisationId: org.organisationId,
        role: 'maker',
        createdBy: org.organiser.userId,
      });
      return authCall(auth, '/sign-up/email', {
        email,
        password: PASSWORD,
        name: 'Amira',
        invitationToken: token,
      });
    };
    const first = await join('amira@example.org');
    expect(first.status).toBe(200);
    const firstId = String(first.body.user?.id);
    const signIn = () =>
      authCall(auth, '/sign-in/email', { email: 'amira@example.org', password: PASSWORD });
    expect((await signIn()).status).toBe(200);
    await deleteAccount(t.db, firstId);
    expect((await signIn()).status).toBe(401);
    const again = await join('amira@example.org');
    expect(again.status).toBe(200);
    expect(String(again.body.user?.id)).not.toBe(firstId);
    expect(await count(t.db, 'memberships', `user_id = '${String(again.body.user?.id)}'`)).toBe(1);
  });

  it('an account that does not exist is a 404 that changes nothing', async () => {
    const error = await refusal(deleteAccount(t.db, 'no-such-user'));
    expect(error.status).toBe(404);
    expect(await count(t.db, 'memberships')).toBeGreaterThan(0);
  });
});
