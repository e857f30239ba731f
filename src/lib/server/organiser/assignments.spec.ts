import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { count } from '$lib/server/sync/testing';
import { uuidv7 } from '$lib/domain/ids';
import { postAnnouncement } from './announcements';
import {
  assign,
  inviteMaker,
  removeMaker,
  setFeePaid,
  unassign,
  updateAssignment,
} from './assignments';
import { updateEvent } from './events';
import { eventPlan, listMakerEvents, makerEventView } from './plan';
import { saveOwnProfile } from './profiles';
import { createStall } from './stall-map';
import {
  draftEvent,
  feedFor,
  organisationWithMakers,
  publishedEvent,
  type TestOrganisation,
} from './testing';
import { refusal } from './spec-helpers';

describe.each(testDbKinds())('assignments, fees and announcements on %s', (kind) => {
  let t: TestDb;
  let org: TestOrganisation;
  let other: TestOrganisation;

  beforeAll(async () => {
    t = await createTestDb(kind);
    org = await organisationWithMakers(t.db, 3);
    other = await organisationWithMakers(t.db, 1, 'Other');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const maker = (i: number) => {
    const m = org.makers[i];
    if (!m) throw new Error(`no maker ${i}`);
    return m;
  };

  it('[A1] a maker on a second stall is refused (409) and nothing is saved', async () => {
    const { event, stalls } = await publishedEvent(t.db, org.organisationId, 2);
    const [s1, s2] = stalls;
    if (!s1 || !s2) throw new Error('no stalls');
    const first = await assign(t.db, org.organisationId, event.id, {
      stallId: s1.id,
      makerId: maker(0).makerId,
    });
    expect(first.changed).toBe(true);
    const second = await refusal(
      assign(t.db, org.organisationId, event.id, { stallId: s2.id, makerId: maker(0).makerId }),
    );
    expect([second.status, second.code]).toEqual([409, 'maker_has_stall']);
    expect(second.message).toContain(s1.label);
    const taken = await refusal(
      assign(t.db, org.organisationId, event.id, { stallId: s1.id, makerId: maker(1).makerId }),
    );
    expect([taken.status, taken.code]).toEqual([409, 'stall_taken']);
    expect(taken.message).toContain('Maker 1');
    expect(await count(t.db, 'stall_assignments', `event_id = '${event.id}'`)).toBe(1);
    const again = await assign(t.db, org.organisationId, event.id, {
      stallId: s1.id,
      makerId: maker(0).makerId,
    });
    expect(again).toEqual({ assignment: first.assignment, changed: false });
  });

  it('[A1] with more than one stall allowed, a maker may hold two', async () => {
    const { event, stalls } = await publishedEvent(t.db, org.organisationId, 2);
    await updateEvent(t.db, org.organisationId, event.id, { allowMultipleStalls: true });
    for (const stall of stalls) {
      await assign(t.db, org.organisationId, event.id, {
        stallId: stall.id,
        makerId: maker(0).makerId,
      });
    }
    const plan = await eventPlan(t.db, org.organisationId, event.id);
    expect(plan.assignments).toHaveLength(2);
    expect(plan.assignmentConflicts).toEqual([]);
  });

  it('[A3] moves keep arrival and instructions; arrival at or after closing is refused', async () => {
    const { event, stalls } = await publishedEvent(t.db, org.organisationId, 2);
    const [s1, s2] = stalls;
    if (!s1 || !s2) throw new Error('no stalls');
    const late = await refusal(
      assign(t.db, org.organisationId, event.id, {
        stallId: s1.id,
        makerId: maker(1).makerId,
        arrivalTime: '17:00',
      }),
    );
    expect([late.status, late.code]).toEqual([422, 'assignment_details_invalid']);
    expect(await count(t.db, 'stall_assignments', `event_id = '${event.id}'`)).toBe(0);
    const { assignment } = await assign(t.db, org.organisationId, event.id, {
      stallId: s1.id,
      makerId: maker(1).makerId,
      arrivalTime: '09:30',
      instructions: 'Achteringang',
    });
    const moved = await updateAssignment(t.db, org.organisationId, event.id, assignment.id, {
      stallId: s2.id,
    });
    expect(moved).toEqual({ ...assignment, stallId: s2.id });
    const feed = await feedFor(t.db, { makerIds: [maker(1).makerId] });
    expect(feed.at(-1)).toEqual({ entity: 'stall_assignment', op: 'upsert', data: moved });
    await unassign(t.db, org.organisationId, event.id, assignment.id);
    expect((await feedFor(t.db, { makerIds: [maker(1).makerId] })).at(-1)).toEqual({
      entity: 'deleted',
      op: 'delete',
      data: { entity: 'stall_assignment', id: assignment.id },
    });
  });

  it('[A4] the plan lists unmet needs as conflicts, not refusals', async () => {
    await saveOwnProfile(t.db, maker(2).makerId, {
      displayName: 'Bakkerij Amal',
      craft: 'Brood',
      story: '',
      languages: ['ar', 'nl'],
      photoIds: [],
      contact: {
        phone: { value: '', public: false },
        email: { value: '', public: false },
        website: { value: '', public: false },
        instagram: { value: '', public: false },
      },
      listed: false,
      needs: { power: true, table: false, foodHygiene: true, notes: '' },
    });
    const { event, stalls } = await publishedEvent(t.db, org.organisationId, 1);
    const stall = stalls[0];
    if (!stall) throw new Error('no stall');
    await assign(t.db, org.organisationId, event.id, {
      stallId: stall.id,
      makerId: maker(2).makerId,
    });
    const plan = await eventPlan(t.db, org.organisationId, event.id);
    expect(plan.assignmentConflicts.map((c) => c.code)).toEqual([
      'needs-power',
      'needs-food-hygiene',
    ]);
    expect(plan.makers).toEqual([{ makerId: maker(2).makerId, displayName: 'Bakkerij Amal' }]);
  });

  it('[A5] fees per stall with a default; payments give the status', async () => {
    const event = await draftEvent(t.db, org.organisationId, { stallFeeDefaultCents: 1500 });
    const own = await createStall(t.db, org.organisationId, event.id, { feeCents: 2500 });
    const plain = await createStall(t.db, org.organisationId, event.id, {});
    await assign(t.db, org.organisationId, event.id, {
      stallId: own.id,
      makerId: maker(0).makerId,
    });
    await assign(t.db, org.organisationId, event.id, {
      stallId: plain.id,
      makerId: maker(1).makerId,
    });
    const fees = await setFeePaid(t.db, org.organisationId, event.id, maker(0).makerId, 1000);
    expect(fees).toMatchObject({ dueCents: 4000, paidCents: 1000, outstandingCents: 3000 });
    expect(fees.makers.map((v) => [v.dueCents, v.status])).toEqual([
      [2500, 'part-paid'],
      [1500, 'unpaid'],
    ]);
    const stranger = await refusal(
      setFeePaid(t.db, org.organisationId, event.id, other.makers[0]?.makerId ?? '', 100),
    );
    expect(stranger.status).toBe(404);
  });

  it('announcements reach every maker of the event, and makers who join later', async () => {
    const { event } = await publishedEvent(t.db, org.organisationId, 0);
    await inviteMaker(t.db, org.organisationId, event.id, maker(0).makerId);
    const sent = await postAnnouncement(
      t.db,
      org.organisationId,
      event.id,
      ' Opbouw vanaf 9 uur ',
      org.organiser.userId,
      1_800_000_000_000,
    );
    expect(sent).toMatchObject({ body: 'Opbouw vanaf 9 uur', sentAt: 1_800_000_000_000 });
    const announcementOf = (makerId: string) =>
      feedFor(t.db, { makerIds: [makerId] }).then((feed) =>
        feed.filter((c) => c.entity === 'announcement' && c.data.eventId === event.id),
      );
    expect(await announcementOf(maker(0).makerId)).toEqual([
      { entity: 'announcement', op: 'upsert', data: sent },
    ]);
    expect(await announcementOf(maker(1).makerId)).toEqual([]);
    await inviteMaker(t.db, org.organisationId, event.id, maker(1).makerId);
    expect(await announcementOf(maker(1).makerId)).toHaveLength(1);
  });

  it('makers see the non-draft events they take part in, with their stall; others get 404', async () => {
    const { event, stalls } = await publishedEvent(t.db, org.organisationId, 1);
    const hidden = await draftEvent(t.db, org.organisationId);
    await inviteMaker(t.db, org.organisationId, hidden.id, maker(1).makerId);
    const stall = stalls[0];
    if (!stall) throw new Error('no stall');
    await assign(t.db, org.organisationId, event.id, {
      stallId: stall.id,
      makerId: maker(1).makerId,
      arrivalTime: '10:00',
    });
    const listed = await listMakerEvents(t.db, maker(1).membership);
    expect(listed.map((e) => e.id)).toContain(event.id);
    expect(listed.map((e) => e.id)).not.toContain(hidden.id);
    const view = await makerEventView(t.db, maker(1).membership, event.id);
    expect(view.stallViews[0]).toMatchObject({
      kind: 'assigned',
      stallLabel: stall.label,
      arrivalTime: '10:00',
    });
    const draftView = await refusal(makerEventView(t.db, maker(1).membership, hidden.id));
    expect(draftView.status).toBe(404);
    const notMine = await refusal(makerEventView(t.db, maker(0).membership, event.id));
    expect(notMine.status).toBe(404);
    await removeMaker(t.db, org.organisationId, event.id, maker(1).makerId);
    expect((await listMakerEvents(t.db, maker(1).membership)).map((e) => e.id)).not.toContain(
      event.id,
    );
  });

  it('[A2] two organisers assigning one stall at the same moment: one wins, one gets 409', async () => {
    const { event, stalls } = await publishedEvent(t.db, org.organisationId, 1);
    const stall = stalls[0];
    if (!stall) throw new Error('no stall');
    const outcomes = await Promise.allSettled(
      [maker(0), maker(1)].map((m) =>
        assign(t.db, org.organisationId, event.id, { stallId: stall.id, makerId: m.makerId }),
      ),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failed = outcomes.find((o) => o.status === 'rejected');
    expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: 'stall_taken' });
    expect(await count(t.db, 'stall_assignments', `stall_id = '${stall.id}'`)).toBe(1);
  });

  it('another organisation’s maker or stall cannot be used (404)', async () => {
    const { event, stalls } = await publishedEvent(t.db, org.organisationId, 1);
    const stranger = other.makers[0];
    const stall = stalls[0];
    if (!stranger || !stall) throw new Error('fixture');
    const foreignMaker = await refusal(
      assign(t.db, org.organisationId, event.id, {
        stallId: stall.id,
        makerId: stranger.makerId,
      }),
    );
    expect(foreignMaker.status).toBe(404);
    const unknownStall = await refusal(
      assign(t.db, org.organisationId, event.id, {
        stallId: uuidv7(),
        makerId: maker(0).makerId,
      }),
    );
    expect(unknownStall.status).toBe(404);
    const foreignEvent = await refusal(
      assign(t.db, other.organisationId, event.id, {
        stallId: stall.id,
        makerId: stranger.makerId,
      }),
    );
    expect(foreignEvent.status).toBe(404);
  });
});
