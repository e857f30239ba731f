import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { landmarks, stalls } from '$lib/server/db/schema';
import { count } from '$lib/server/sync/testing';
import { changeEventStatus } from './events';
import { eventPlan } from './plan';
import {
  createLandmark,
  createStall,
  deleteStall,
  setMapSize,
  updateLandmark,
  updateStall,
} from './stall-map';
import { assign } from './assignments';
import { draftEvent, feedFor, organisationWithMakers, type TestOrganisation } from './testing';
import { refusal, issueCodes } from './spec-helpers';

describe.each(testDbKinds())('stall map on %s', (kind) => {
  let t: TestDb;
  let org: TestOrganisation;

  beforeAll(async () => {
    t = await createTestDb(kind);
    org = await organisationWithMakers(t.db, 1);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  async function stallCount(eventId: string) {
    return count(t.db, 'stalls', `event_id = '${eventId}'`);
  }

  it('[M7][M8] a stall without label or place gets the next label and the first free spot', async () => {
    const event = await draftEvent(t.db, org.organisationId, { mapWidth: 3, mapHeight: 2 });
    const a = await createStall(t.db, org.organisationId, event.id, { label: 'A1' });
    const b = await createStall(t.db, org.organisationId, event.id, { width: 2 });
    expect(a).toMatchObject({ label: 'A1', x: 0, y: 0, width: 1, height: 1, feeCents: null });
    expect(b).toMatchObject({ label: 'A2', x: 1, y: 0, width: 2 });
    const full = await refusal(
      createStall(t.db, org.organisationId, event.id, { width: 3, height: 2 }),
    );
    expect([full.status, full.code, issueCodes(full)]).toEqual([
      422,
      'stall_invalid',
      ['map-full'],
    ]);
  });

  it('[M3] an overlapping stall, one off the map, or a taken label: 422 with codes, nothing saved', async () => {
    const event = await draftEvent(t.db, org.organisationId, { mapWidth: 10, mapHeight: 5 });
    await createStall(t.db, org.organisationId, event.id, {
      label: 'B1',
      x: 0,
      y: 0,
      width: 2,
      height: 2,
    });
    const overlap = await refusal(
      createStall(t.db, org.organisationId, event.id, { label: 'B2', x: 1, y: 1 }),
    );
    expect([overlap.status, overlap.code, issueCodes(overlap)]).toEqual([
      422,
      'stall_invalid',
      ['overlaps'],
    ]);
    expect(overlap.message).toContain('B1');
    const offMap = await refusal(
      createStall(t.db, org.organisationId, event.id, { label: 'B3', x: 9, y: 4, width: 2 }),
    );
    expect(issueCodes(offMap)).toEqual(['off-map']);
    const taken = await refusal(
      createStall(t.db, org.organisationId, event.id, { label: 'b1', x: 5, y: 0 }),
    );
    expect(issueCodes(taken)).toEqual(['label-taken']);
    const fractional = await refusal(
      createStall(t.db, org.organisationId, event.id, { label: 'B4', x: 5.5, y: 0 }),
    );
    expect(issueCodes(fractional)).toEqual(['not-whole-cells']);
    expect(await stallCount(event.id)).toBe(1);
  });

  it('[M4] a move that makes things worse is refused and changes nothing; walking out is allowed', async () => {
    const event = await draftEvent(t.db, org.organisationId, { mapWidth: 6, mapHeight: 3 });
    const left = await createStall(t.db, org.organisationId, event.id, { label: 'L', x: 0, y: 0 });
    const right = await createStall(t.db, org.organisationId, event.id, { label: 'R', x: 2, y: 0 });
    const onto = await refusal(updateStall(t.db, org.organisationId, event.id, right.id, { x: 0 }));
    expect(issueCodes(onto)).toEqual(['overlaps']);
    const [still] = await t.db.select().from(stalls).where(eq(stalls.id, right.id));
    expect([still?.x, still?.y]).toEqual([2, 0]);
    // Two stalls overlapping (as after two organisers edited at once): stepping away is fine.
    await t.db.update(stalls).set({ x: 0 }).where(eq(stalls.id, right.id));
    const out = await updateStall(t.db, org.organisationId, event.id, right.id, { x: 1 });
    expect(out.x).toBe(1);
    const renamed = await updateStall(t.db, org.organisationId, event.id, left.id, {
      label: 'L1',
      power: true,
      feeCents: 2500,
    });
    expect(renamed).toMatchObject({ label: 'L1', power: true, feeCents: 2500 });
    const clash = await refusal(
      updateStall(t.db, org.organisationId, event.id, right.id, { label: 'l1' }),
    );
    expect(issueCodes(clash)).toEqual(['label-taken']);
  });

  it('[M3] two organisers drawing a stall on the same spot at once: only one is saved', async () => {
    const event = await draftEvent(t.db, org.organisationId, { mapWidth: 4, mapHeight: 4 });
    const outcomes = await Promise.allSettled(
      ['P', 'Q'].map((label) =>
        createStall(t.db, org.organisationId, event.id, { label, x: 1, y: 1, width: 2 }),
      ),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await stallCount(event.id)).toBe(1);
  });

  it('[M2] the map cannot shrink under a stall; a bad size is refused', async () => {
    const event = await draftEvent(t.db, org.organisationId, { mapWidth: 8, mapHeight: 4 });
    await createStall(t.db, org.organisationId, event.id, { label: 'E', x: 6, y: 0 });
    const cut = await refusal(
      setMapSize(t.db, org.organisationId, event.id, { width: 5, height: 4 }),
    );
    expect([cut.status, cut.code, issueCodes(cut)]).toEqual([
      422,
      'map_invalid',
      ['stall-off-map'],
    ]);
    const huge = await refusal(
      setMapSize(t.db, org.organisationId, event.id, { width: 101, height: 4 }),
    );
    expect(issueCodes(huge)).toEqual(['too-large']);
    const map = await setMapSize(t.db, org.organisationId, event.id, { width: 7, height: 3 });
    expect(map).toMatchObject({ width: 7, height: 3 });
  });

  it('[M9] landmarks follow the placement rules; the map frame reaches devices once published', async () => {
    const event = await draftEvent(t.db, org.organisationId, { mapWidth: 6, mapHeight: 3 });
    const stall = await createStall(t.db, org.organisationId, event.id, { label: 'S', x: 0, y: 0 });
    const under = await refusal(
      createLandmark(t.db, org.organisationId, event.id, { kind: 'entrance', x: 0, y: 0 }),
    );
    expect([under.code, issueCodes(under)]).toEqual(['landmark_invalid', ['covered-by-stall']]);
    expect(await count(t.db, 'landmarks', `event_id = '${event.id}'`)).toBe(0);
    const entrance = await createLandmark(t.db, org.organisationId, event.id, {
      kind: 'entrance',
      label: 'Ingang',
      x: 5,
      y: 2,
    });
    const moved = await updateLandmark(t.db, org.organisationId, event.id, entrance.id, { x: 4 });
    expect(moved.x).toBe(4);
    await changeEventStatus(t.db, org.organisationId, event.id, 'published');
    const onto = await refusal(
      updateStall(t.db, org.organisationId, event.id, stall.id, { x: 4, y: 2 }),
    );
    expect(issueCodes(onto)).toEqual(['covers-landmark']);
    await updateLandmark(t.db, org.organisationId, event.id, entrance.id, { label: 'Noord' });
    const frames = (await feedFor(t.db, { organisationIds: [org.organisationId] })).filter(
      (c) => c.entity === 'event_map' && c.data.eventId === event.id,
    );
    expect(frames.at(-1)?.data).toMatchObject({
      width: 6,
      height: 3,
      landmarks: [{ id: entrance.id, kind: 'entrance', label: 'Noord', x: 4, y: 2 }],
    });
    const [row] = await t.db.select().from(landmarks).where(eq(landmarks.id, entrance.id));
    expect(row?.label).toBe('Noord');
  });

  it('deleting a stall takes its assignment with it, and tells the maker’s device', async () => {
    const maker = org.makers[0];
    if (!maker) throw new Error('no maker');
    const event = await draftEvent(t.db, org.organisationId);
    const stall = await createStall(t.db, org.organisationId, event.id, { label: 'D' });
    const { assignment } = await assign(t.db, org.organisationId, event.id, {
      stallId: stall.id,
      makerId: maker.makerId,
    });
    await changeEventStatus(t.db, org.organisationId, event.id, 'published');
    await deleteStall(t.db, org.organisationId, event.id, stall.id);
    const plan = await eventPlan(t.db, org.organisationId, event.id);
    expect(plan.stalls).toEqual([]);
    expect(plan.assignments).toEqual([]);
    const makerFeed = await feedFor(t.db, { makerIds: [maker.makerId] });
    expect(makerFeed.at(-1)).toEqual({
      entity: 'deleted',
      op: 'delete',
      data: { entity: 'stall_assignment', id: assignment.id },
    });
  });

  it('[M9] a bazaar’s landmarks (power, water, first aid, information) are stored and fed; an older app still reads the frame', async () => {
    const event = await draftEvent(t.db, org.organisationId, { mapWidth: 8, mapHeight: 2 });
    const kinds = ['power', 'water', 'first-aid', 'information', 'toilet', 'entrance'] as const;
    for (const [x, kind] of kinds.entries()) {
      await createLandmark(t.db, org.organisationId, event.id, { kind, x, y: 0 });
    }
    const bad = await refusal(
      createLandmark(t.db, org.organisationId, event.id, {
        kind: 'fountain' as never,
        x: 7,
        y: 1,
      }),
    );
    expect([bad.code, issueCodes(bad)]).toEqual(['landmark_invalid', ['unknown-kind']]);
    // The database refuses an unknown kind by itself too (CHECK, drizzle/0006).
    await expect(
      t.db.execute(
        sql`insert into landmarks (id, event_id, kind, label, x, y, width, height) values ('x-1', ${event.id}, 'fountain', '', 7, 1, 1, 1)`,
      ),
    ).rejects.toThrow();
    await changeEventStatus(t.db, org.organisationId, event.id, 'published');
    const frame = (await feedFor(t.db, { organisationIds: [org.organisationId] }))
      .filter((c) => c.entity === 'event_map' && c.data.eventId === event.id)
      .at(-1);
    const fed = (frame?.data as { landmarks: { kind: string; exactKind?: string }[] }).landmarks;
    expect(fed.map((l) => [l.kind, l.exactKind])).toEqual([
      ['other', 'power'],
      ['other', 'water'],
      ['other', 'first-aid'],
      ['other', 'information'],
      ['toilet', 'toilet'],
      ['entrance', 'entrance'],
    ]);
    // Protocol v1 as first released: kind was one of four, and unknown fields are stripped.
    const v1Landmark = z.object({ kind: z.enum(['entrance', 'stage', 'toilet', 'other']) });
    expect(fed.every((l) => v1Landmark.safeParse(l).success)).toBe(true);
  });
});
