import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { events, organisedEvents } from '$lib/server/db/schema';
import {
  changeEventStatus,
  createEvent,
  deleteEvent,
  listOrganiserEvents,
  updateEvent,
} from './events';
import { createStall } from './stall-map';
import { assign } from './assignments';
import {
  DETAILS,
  draftEvent,
  feedFor,
  futureDate,
  organisationWithMakers,
  type TestOrganisation,
} from './testing';
import { issueCodes, refusal } from './spec-helpers';

const HOUR = 3_600_000;

describe.each(testDbKinds())('organised events on %s', (kind) => {
  let t: TestDb;
  let org: TestOrganisation;
  let other: TestOrganisation;

  beforeAll(async () => {
    t = await createTestDb(kind);
    org = await organisationWithMakers(t.db, 2);
    other = await organisationWithMakers(t.db, 0, 'Other');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('[EV1] refuses invalid details with the domain codes per field, and saves nothing', async () => {
    const before = (await listOrganiserEvents(t.db, org.organisationId)).length;
    const error = await refusal(
      createEvent(t.db, org.organisationId, {
        name: ' ',
        date: '2020-01-01',
        opensAt: '17:00',
        closesAt: '11:00',
      }),
    );
    expect(error.status).toBe(422);
    expect(error.code).toBe('event_details_invalid');
    expect(error.issues?.map((i) => i.path)).toEqual(['name', 'date', 'closesAt']);
    expect(issueCodes(error)).toEqual(['required', 'date-in-past', 'closes-before-opens']);
    expect(await listOrganiserEvents(t.db, org.organisationId)).toHaveLength(before);
  });

  it('[EV6] a new event is a draft and nothing of it reaches devices', async () => {
    const event = await draftEvent(t.db, org.organisationId);
    expect(event).toMatchObject({ status: 'draft', allowedTransitions: ['published'] });
    await createStall(t.db, org.organisationId, event.id, {});
    const feed = await feedFor(t.db, { organisationIds: [org.organisationId] });
    expect(JSON.stringify(feed)).not.toContain(event.id);
  });

  it('[EV5] publishing needs a place and opening hours (422, still a draft)', async () => {
    const event = await createEvent(t.db, org.organisationId, {
      name: 'Zonder plaats',
      date: futureDate(),
    });
    const error = await refusal(changeEventStatus(t.db, org.organisationId, event.id, 'published'));
    expect(error.status).toBe(422);
    expect(error.code).toBe('publish_incomplete');
    expect(error.issues?.map((i) => i.path)).toEqual(['place', 'opensAt', 'closesAt']);
    const [row] = await t.db.select().from(events).where(eq(events.id, event.id));
    expect(row?.status).toBe('draft');
  });

  it('[EV2][A6] publishing sends the whole plan; back to draft sends the deletion', async () => {
    const event = await draftEvent(t.db, org.organisationId);
    const stall = await createStall(t.db, org.organisationId, event.id, { label: 'A1' });
    const maker = org.makers[0];
    if (!maker) throw new Error('no maker');
    await assign(t.db, org.organisationId, event.id, {
      stallId: stall.id,
      makerId: maker.makerId,
      arrivalTime: '10:00',
      instructions: 'Ingang achter',
    });
    await changeEventStatus(t.db, org.organisationId, event.id, 'published');
    const orgFeed = await feedFor(t.db, { organisationIds: [org.organisationId] });
    const kinds = orgFeed
      .filter((c) => JSON.stringify(c.data).includes(event.id))
      .map((c) => c.entity);
    expect(kinds).toEqual(['event', 'event_map', 'stall']);
    const makerFeed = await feedFor(t.db, { makerIds: [maker.makerId] });
    expect(makerFeed).toContainEqual({
      entity: 'stall_assignment',
      op: 'upsert',
      data: expect.objectContaining({ stallId: stall.id, arrivalTime: '10:00' }),
    });
    await changeEventStatus(t.db, org.organisationId, event.id, 'draft');
    const after = await feedFor(t.db, { organisationIds: [org.organisationId] });
    expect(after.at(-1)).toEqual({
      entity: 'deleted',
      op: 'delete',
      data: { entity: 'event', id: event.id },
    });
  });

  it('[EV2] refuses transitions the lifecycle does not allow, with a 409', async () => {
    const event = await draftEvent(t.db, org.organisationId);
    const error = await refusal(changeEventStatus(t.db, org.organisationId, event.id, 'open'));
    expect([error.status, error.code]).toEqual([409, 'transition_not_allowed']);
    const same = await refusal(changeEventStatus(t.db, org.organisationId, event.id, 'draft'));
    expect([same.status, same.code]).toEqual([409, 'same_status']);
  });

  it('[EV3][EV4] closing records closedAt; reopening only within 24 hours', async () => {
    const event = await draftEvent(t.db, org.organisationId);
    const now = Date.now();
    await changeEventStatus(t.db, org.organisationId, event.id, 'published', now);
    await changeEventStatus(t.db, org.organisationId, event.id, 'open', now);
    const closed = await changeEventStatus(t.db, org.organisationId, event.id, 'closed', now);
    expect(closed.closedAt).toBe(now);
    const reopened = await changeEventStatus(
      t.db,
      org.organisationId,
      event.id,
      'open',
      now + 23 * HOUR,
    );
    expect(reopened).toMatchObject({ status: 'open', closedAt: null });
    await changeEventStatus(t.db, org.organisationId, event.id, 'closed', now + 24 * HOUR);
    const late = await refusal(
      changeEventStatus(t.db, org.organisationId, event.id, 'open', now + 49 * HOUR),
    );
    expect([late.status, late.code]).toEqual([409, 'reopen_window_passed']);
    const [row] = await t.db
      .select()
      .from(organisedEvents)
      .where(eq(organisedEvents.eventId, event.id));
    expect(row?.closedAt).toBe(now + 24 * HOUR);
  });

  it('edits details; a published event keeps its place (422 publish_incomplete)', async () => {
    const event = await draftEvent(t.db, org.organisationId);
    const edited = await updateEvent(t.db, org.organisationId, event.id, {
      name: 'Zomerbazaar',
      allowMultipleStalls: true,
    });
    expect(edited).toMatchObject({ name: 'Zomerbazaar', allowMultipleStalls: true });
    await changeEventStatus(t.db, org.organisationId, event.id, 'published');
    const error = await refusal(updateEvent(t.db, org.organisationId, event.id, { place: '' }));
    expect([error.status, error.code]).toEqual([422, 'publish_incomplete']);
  });

  it('only drafts can be deleted; another organisation sees nothing (404)', async () => {
    const event = await draftEvent(t.db, org.organisationId);
    const foreign = await refusal(deleteEvent(t.db, other.organisationId, event.id));
    expect(foreign.status).toBe(404);
    const foreignEdit = await refusal(
      updateEvent(t.db, other.organisationId, event.id, { name: 'Gekaapt' }),
    );
    expect(foreignEdit.status).toBe(404);
    expect(await listOrganiserEvents(t.db, other.organisationId)).toEqual([]);
    await changeEventStatus(t.db, org.organisationId, event.id, 'published');
    const published = await refusal(deleteEvent(t.db, org.organisationId, event.id));
    expect([published.status, published.code]).toEqual([409, 'event_not_draft']);
    await changeEventStatus(t.db, org.organisationId, event.id, 'draft');
    await deleteEvent(t.db, org.organisationId, event.id);
    expect(await t.db.select().from(events).where(eq(events.id, event.id))).toEqual([]);
  });

  it('a created event carries the details given', async () => {
    const event = await createEvent(t.db, org.organisationId, {
      ...DETAILS,
      date: futureDate(3),
      stallFeeDefaultCents: 1500,
    });
    expect(event).toMatchObject({
      ...DETAILS,
      stallFeeDefaultCents: 1500,
      editionNumber: null,
      publishMissing: [],
    });
  });
});
