// Who may name which maker in a helper invitation, and what a helper then sees (issue 7).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { memberships } from '$lib/server/db/schema';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { setSharesFigures } from '$lib/server/organiser/makers';
import { refusal } from '$lib/server/organiser/spec-helpers';
import { organisationWithMakers, type TestOrganisation } from '$lib/server/organiser/testing';
import { actingMakerId } from '$lib/server/organiser/makers-access';
import { addMember, createUser, pullAll, push } from '$lib/server/sync/testing';
import type { Change } from '$lib/sync/protocol';
import { RawDevice, type SaleRecord } from '$lib/sync/testing/factories';
import {
  acceptInvitation,
  createInvitation,
  listMemberships,
  lookupInvitation,
  revokeInvitation,
} from '.';
import { createInvitationBody } from './schemas';

describe('[authz] helper invitation bodies', () => {
  it('[authz] a helper invitation naming something that is not a uuid is refused (400)', () => {
    const parsed = createInvitationBody.safeParse({
      role: 'helper',
      makerId: 'not-a-uuid-at-all',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain('makerId');
    expect(createInvitationBody.safeParse({ role: 'helper', makerId: uuidv7() }).success).toBe(
      true,
    );
  });
});

describe.each(testDbKinds())('[authz] helper invitations on %s', (kind) => {
  let t: TestDb;
  let orgA: TestOrganisation;
  let orgB: TestOrganisation;

  beforeAll(async () => {
    t = await createTestDb(kind);
    orgA = await organisationWithMakers(t.db, 3, 'Bazaar A');
    orgB = await organisationWithMakers(t.db, 1, 'Bazaar B');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const a = (i: number) => {
    const maker = orgA.makers[i];
    if (!maker) throw new Error(`no maker ${i}`);
    return maker;
  };

  /** A maker sells once on their own phone; answers the sale as recorded. */
  async function sellOnce(i: number): Promise<SaleRecord> {
    const maker = a(i);
    const device = new RawDevice({ makerId: maker.makerId });
    const product = device.product({ priceCents: 4321 });
    const sale = device.sale(uuidv7(), [{ product }]);
    const answer = await push(
      t.db,
      maker.userId,
      device.request(device.queue(device.productUpsert(product), sale)),
    );
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    return sale;
  }

  /** A new account that accepts the invitation; answers its user id. */
  async function helperBy(token: string): Promise<string> {
    const userId = await createUser(t.db, 'Helper');
    await acceptInvitation(t.db, token, userId);
    return userId;
  }

  /** What a helper's phone pulls of the maker, and whether it may void the maker's sale. */
  async function helperView(helperId: string, makerId: string, sale: SaleRecord) {
    const device = new RawDevice({ makerId });
    const { changes } = await pullAll(t.db, helperId, device.deviceId);
    const saleIds = changes.flatMap((c) => (c.entity === 'sale' ? [c.data.sale.id] : []));
    const voided = await push(t.db, helperId, device.request(device.queue(device.voidOf(sale))));
    return { sees: saleIds.includes(sale.sale.id), void: voided.results[0]?.status };
  }

  it("a helper invitation's link names the stall it is for (the helper's till is named after it); other links name none", async () => {
    const maker = a(0);
    const forHelper = await createInvitation(t.db, {
      organisationId: orgA.organisationId,
      createdBy: maker.userId,
      role: 'helper',
      makerId: maker.makerId,
    });
    expect((await lookupInvitation(t.db, forHelper.token))?.stallName).toBe('Maker 1');
    const forMaker = await createInvitation(t.db, {
      organisationId: orgA.organisationId,
      createdBy: orgA.organiser.userId,
      role: 'maker',
    });
    expect((await lookupInvitation(t.db, forMaker.token))?.stallName).toBeNull();
  });

  it("[authz] a used or expired helper invitation's link names no stall: only a link that still works says whose stall it is", async () => {
    const maker = a(1);
    const link = await createInvitation(t.db, {
      organisationId: orgA.organisationId,
      createdBy: maker.userId,
      role: 'helper',
      makerId: maker.makerId,
    });
    const later = new Date(Date.parse(link.invitation.expiresAt) + 1);
    const expired = await lookupInvitation(t.db, link.token, later);
    expect(expired?.status).toBe('expired');
    expect(expired?.stallName).toBeNull();
    await helperBy(link.token);
    const used = await lookupInvitation(t.db, link.token);
    expect(used?.status).toBe('used');
    expect(used?.stallName).toBeNull();
  });

  it("[authz] a revoked helper invitation's link names no stall (a link withdrawn because it leaked)", async () => {
    const maker = a(2);
    const link = await createInvitation(t.db, {
      organisationId: orgA.organisationId,
      createdBy: maker.userId,
      role: 'helper',
      makerId: maker.makerId,
    });
    expect((await lookupInvitation(t.db, link.token))?.stallName).toBe('Maker 3');
    await revokeInvitation(t.db, orgA.organisationId, link.invitation.id, maker.userId);
    const revoked = await lookupInvitation(t.db, link.token);
    expect(revoked?.status).toBe('revoked');
    expect(revoked?.stallName).toBeNull();
  });

  it('[authz] a helper invitation naming a maker of another organisation is refused (403/422)', async () => {
    const otherOrganiser = orgB.organiser;
    const error = await refusal(
      createInvitation(t.db, {
        organisationId: otherOrganiser.organisationId,
        role: 'helper',
        createdBy: otherOrganiser.userId,
        makerId: a(0).makerId,
      }),
    );
    expect(error.status).toBe(422);
    expect(error.issues?.map((i) => i.path)).toEqual(['makerId']);
    // An id that is no maker at all gets the same answer (no hint that the maker exists).
    const unknown = await refusal(
      createInvitation(t.db, {
        organisationId: otherOrganiser.organisationId,
        role: 'helper',
        createdBy: otherOrganiser.userId,
        makerId: uuidv7(),
      }),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.code).toBe(error.code);
  });

  it('[authz] a helper of a maker of another organisation gets none of that maker (no sales, no void)', async () => {
    const sale = await sellOnce(0);
    // A membership as the unchecked code made it: organisation B's helper naming A's maker.
    const helperId = await createUser(t.db, 'Sneaky helper');
    await addMember(t.db, {
      userId: helperId,
      organisationId: orgB.organisationId,
      role: 'helper',
      makerId: a(0).makerId,
    });
    const view = await helperView(helperId, a(0).makerId, sale);
    expect(view).toEqual({ sees: false, void: 'rejected' });
    const [membership] = await listMemberships(t.db, helperId);
    if (!membership) throw new Error('no membership');
    expect(await actingMakerId(t.db, membership)).toBeNull();
  });

  it('[authz] only an organiser or the maker themselves may invite a helper for a maker', async () => {
    // Maker 0 invites a helper for maker 1: refused.
    const forOther = await refusal(
      createInvitation(t.db, {
        organisationId: orgA.organisationId,
        role: 'helper',
        createdBy: a(0).userId,
        makerId: a(1).makerId,
      }),
    );
    expect(forOther.status).toBe(403);
    // A maker may not invite makers or organisers.
    const makerInvite = await refusal(
      createInvitation(t.db, {
        organisationId: orgA.organisationId,
        role: 'maker',
        createdBy: a(0).userId,
      }),
    );
    expect(makerInvite.status).toBe(403);
    // Their own helper: fine.
    const own = await createInvitation(t.db, {
      organisationId: orgA.organisationId,
      role: 'helper',
      createdBy: a(0).userId,
      makerId: a(0).makerId,
    });
    expect(own.invitation.makerId).toBe(a(0).makerId);
  });

  it("[authz] a maker's choice not to share figures holds against a helper the organiser invited", async () => {
    const sale = await sellOnce(1);
    const { token } = await createInvitation(t.db, {
      organisationId: orgA.organisationId,
      role: 'helper',
      createdBy: orgA.organiser.userId,
      makerId: a(1).makerId,
    });
    const helperId = await helperBy(token);
    expect(await helperView(helperId, a(1).makerId, sale)).toEqual({
      sees: false,
      void: 'rejected',
    });
    // Once the maker shares their figures with the organisation, the organiser's helper helps.
    await setSharesFigures(t.db, a(1).makerId, orgA.organisationId, true);
    const [membership] = await listMemberships(t.db, helperId);
    if (!membership) throw new Error('no membership');
    expect(await actingMakerId(t.db, membership)).toBe(a(1).makerId);
    expect((await helperView(helperId, a(1).makerId, sale)).sees).toBe(true);

    // A helper the maker invited themselves helps without the maker sharing anything.
    const ownSale = await sellOnce(2);
    const own = await createInvitation(t.db, {
      organisationId: orgA.organisationId,
      role: 'helper',
      createdBy: a(2).userId,
      makerId: a(2).makerId,
    });
    expect(await helperView(await helperBy(own.token), a(2).makerId, ownSale)).toEqual({
      sees: true,
      void: 'applied',
    });
  });

  it("[authz] with the cursor it already has, a helper stops receiving the maker's new changes once the maker stops sharing or the helper leaves, and catches up when sharing again", async () => {
    const org = await organisationWithMakers(t.db, 1, 'Bazaar C');
    const maker = org.makers[0];
    if (!maker) throw new Error('no maker');
    await setSharesFigures(t.db, maker.makerId, org.organisationId, true);
    const { token } = await createInvitation(t.db, {
      organisationId: org.organisationId,
      role: 'helper',
      createdBy: org.organiser.userId,
      makerId: maker.makerId,
    });
    const helperId = await helperBy(token);
    const makerPhone = new RawDevice({ makerId: maker.makerId });
    const product = makerPhone.product();
    await push(
      t.db,
      maker.userId,
      makerPhone.request(makerPhone.queue(makerPhone.productUpsert(product))),
    );
    const sell = async () => {
      const sale = makerPhone.sale(uuidv7(), [{ product }]);
      const answer = await push(t.db, maker.userId, makerPhone.request(makerPhone.queue(sale)));
      expect(answer.results[0]?.status).toBe('applied');
      return sale.sale.id;
    };
    const saleIds = (changes: Change[]) =>
      changes.flatMap((c) => (c.entity === 'sale' ? [c.data.sale.id] : []));
    const ofMaker = (changes: Change[]) =>
      changes.filter((c) => c.entity === 'sale' || c.entity === 'product');

    const helperPhone = new RawDevice({ makerId: maker.makerId });
    const first = await sell();
    const seen = await pullAll(t.db, helperId, helperPhone.deviceId);
    expect(saleIds(seen.changes)).toEqual([first]);

    await setSharesFigures(t.db, maker.makerId, org.organisationId, false);
    const second = await sell();
    const hidden = await pullAll(t.db, helperId, helperPhone.deviceId, seen.cursor);
    expect(ofMaker(hidden.changes)).toEqual([]);
    expect(ofMaker((await pullAll(t.db, helperId, helperPhone.deviceId)).changes)).toEqual([]);

    await setSharesFigures(t.db, maker.makerId, org.organisationId, true);
    const back = await pullAll(t.db, helperId, helperPhone.deviceId, hidden.cursor);
    expect(saleIds(back.changes).sort()).toEqual([first, second].sort());

    await t.db.delete(memberships).where(eq(memberships.userId, helperId));
    await sell();
    const left = await pullAll(t.db, helperId, helperPhone.deviceId, back.cursor);
    expect(ofMaker(left.changes)).toEqual([]);
  });
});
