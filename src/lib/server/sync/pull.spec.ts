// The change feed: who sees what, paging, and the cursor rule under concurrent writers.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { queryRows, type Db } from '$lib/server/db';
import { events } from '$lib/server/db/schema';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { ApiError } from '$lib/server/http';
import { PROTOCOL_VERSION, PULL_FEATURES, type Change } from '$lib/sync/protocol';
import {
  assignmentChange,
  eventChange,
  parseCursor,
  readChanges,
  recordChanges,
  stallChange,
} from './change-feed';
import { pullEndpoint } from './endpoints';
import { handlePull } from './pull';
import {
  addMember,
  createOrganisation,
  createUser,
  gate,
  makerWithSales as pushedMakerWithSales,
  orgEvent,
  pullAll,
} from './testing';

function ids(changes: Change[]): string[] {
  return changes.map((c) =>
    c.entity === 'sale'
      ? c.data.sale.id
      : c.entity === 'refund'
        ? c.data.refund.id
        : c.entity === 'refund_status'
          ? c.data.refundId
          : c.data.id,
  );
}

describe.each(testDbKinds())('pull on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const makerWithSales = (n: number) => pushedMakerWithSales(t.db, n);

  it('[G5] a device sees its maker’s products, events and sales, and nobody else’s', async () => {
    const a = await makerWithSales(3);
    const b = await makerWithSales(2);
    const seenByA = await pullAll(t.db, a.userId, a.device.deviceId);
    expect(new Set(ids(seenByA.changes))).toEqual(
      new Set([a.product.id, a.event.id, ...a.saleIds]),
    );
    const seenByB = await pullAll(t.db, b.userId, b.device.deviceId);
    expect(ids(seenByB.changes)).not.toContain(a.saleIds[0]);
    expect(seenByA.last.makerId).toBe(a.device.makerId);
  });

  it('organisation events and stalls reach every member; an assignment only its maker', async () => {
    const a = await makerWithSales(1);
    const b = await makerWithSales(1);
    const outsider = await makerWithSales(1);
    const organiser = await createUser(t.db, 'Organiser');
    const orgId = await createOrganisation(t.db);
    await addMember(t.db, { userId: organiser, organisationId: orgId, role: 'organiser' });
    await addMember(t.db, {
      userId: a.userId,
      organisationId: orgId,
      role: 'maker',
      makerId: a.device.makerId,
    });
    await addMember(t.db, {
      userId: b.userId,
      organisationId: orgId,
      role: 'maker',
      makerId: b.device.makerId,
    });
    const event = orgEvent(orgId);
    const stall = {
      id: uuidv7(),
      eventId: event.id,
      label: 'A1',
      x: 0,
      y: 0,
      width: 2,
      height: 1,
      notes: '',
      power: true,
      table: true,
      foodHygiene: false,
    };
    const assignment = {
      id: uuidv7(),
      eventId: event.id,
      stallId: stall.id,
      makerId: a.device.makerId,
      arrivalTime: '09:00',
      instructions: 'Ingang B',
    };
    await t.db.transaction(async (tx) => {
      await tx.insert(events).values({ ...event });
      await recordChanges(tx, [
        eventChange(event, null),
        stallChange(stall, orgId),
        assignmentChange(assignment),
      ]);
    });
    const seen = async (userId: string) => ids((await pullAll(t.db, userId, uuidv7())).changes);
    expect(await seen(a.userId)).toEqual(
      expect.arrayContaining([event.id, stall.id, assignment.id]),
    );
    const forB = await seen(b.userId);
    expect(forB).toEqual(expect.arrayContaining([event.id, stall.id]));
    expect(forB).not.toContain(assignment.id);
    expect(await seen(organiser)).toEqual([event.id, stall.id]);
    expect(await seen(outsider.userId)).not.toContain(event.id);
  });

  it('pages through the feed in order; the last cursor has nothing more', async () => {
    const a = await makerWithSales(10);
    const all = await pullAll(t.db, a.userId, a.device.deviceId);
    const paged = await pullAll(t.db, a.userId, a.device.deviceId, null, 3);
    expect(ids(paged.changes)).toEqual(ids(all.changes));
    const after = await handlePull(t.db, a.userId, {
      protocol: PROTOCOL_VERSION,
      deviceId: a.device.deviceId,
      cursor: paged.cursor,
      limit: 3,
    });
    expect(after).toMatchObject({ changes: [], hasMore: false, cursor: paged.cursor });
  });

  it('the pull endpoint writes each change as the database’s stored JSON text, same answer as the objects', async () => {
    const a = await makerWithSales(3);
    const body = {
      protocol: PROTOCOL_VERSION,
      deviceId: a.device.deviceId,
      cursor: null,
      features: [...PULL_FEATURES],
    };
    const response = await pullEndpoint(
      t.db,
      a.userId,
      new Request('http://kraam.test/api/sync/pull', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    // The stored text itself, not parsed and written again by JavaScript (the column is
    // `json` since issue 11's ingest pass: the text the push wrote; it was jsonb's own).
    const stored = await queryRows<{ data: string }>(
      t.db,
      sql`select data::text as data from sync_changes where maker_id = ${a.device.makerId} order by txid, id`,
    );
    expect(stored.length).toBe(5);
    for (const row of stored) expect(text).toContain(`"data":${row.data}`);
    expect(JSON.parse(text)).toEqual(await handlePull(t.db, a.userId, body));
  });

  it('refuses anonymous (401), another account’s device (403) and cursors it never handed out (400)', async () => {
    const a = await makerWithSales(1);
    const b = await createUser(t.db);
    const status = async (userId: string | null, body: unknown) => {
      try {
        await handlePull(t.db, userId, body);
        return 200;
      } catch (error) {
        if (error instanceof ApiError) return error.status;
        throw error;
      }
    };
    const body = { protocol: PROTOCOL_VERSION, deviceId: a.device.deviceId, cursor: null };
    expect(await status(null, body)).toBe(401);
    expect(await status(b, body)).toBe(403);
    for (const cursor of [
      '1',
      'x.y',
      '99999999999999999999.1',
      '1.99999999999999999999',
      '-1.2',
      7,
    ]) {
      expect(await status(a.userId, { ...body, cursor }), String(cursor)).toBe(400);
    }
    expect(await status(a.userId, { ...body, limit: 100_000 })).toBe(400);
  });

  it('[G5] a cursor written with leading zeros reads as the same position, never as octal: the same changes from there, none sent again (fault 33)', async () => {
    const a = await makerWithSales(6);
    // A first page of at most 3 (asked again while a transaction open elsewhere on the
    // cluster holds everything back: then it has no cursor yet).
    let cursor: string | null = null;
    for (let attempt = 0; attempt < 1_000 && cursor === null; attempt++) {
      const first = await handlePull(t.db, a.userId, {
        protocol: PROTOCOL_VERSION,
        deviceId: a.device.deviceId,
        cursor: null,
        limit: 3,
      });
      cursor = first.cursor;
      if (cursor === null) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (cursor === null) throw new Error('the feed held everything back');
    // The same position, its txid and id written with leading zeros (the shape CursorSchema
    // lets through: up to 20 and 19 digits).
    const [position = '', ...rest] = cursor.split('~');
    const [txid = '', id = ''] = position.split('.');
    const padded = [`${txid.padStart(20, '0')}.${id.padStart(19, '0')}`, ...rest].join('~');
    expect(padded).not.toBe(cursor);
    const plain = await pullAll(t.db, a.userId, a.device.deviceId, cursor);
    expect(plain.changes.length).toBeGreaterThan(0);
    // Read as the same position: not as octal (PostgreSQL's xid8 reads '0757' as 495, and the
    // device was sent its product and event again).
    const fromPadded = await pullAll(t.db, a.userId, a.device.deviceId, padded);
    expect(ids(fromPadded.changes)).toEqual(ids(plain.changes));
    expect(fromPadded.cursor).toBe(plain.cursor);
  });
});

/** The naive feed reader the cursor rule exists to avoid: `id > cursor`. */
async function naiveRead(db: Db, makerId: string, after: number): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`select id::int as id from sync_changes where maker_id = ${makerId} and id > ${after} order by id`,
  );
  return rows.map((r) => r.id);
}

// PGlite runs one transaction at a time, so concurrent writers exist only on PostgreSQL.
describe.each(testDbKinds().filter((k) => k === 'postgres'))(
  'change feed with concurrent writers on %s',
  (kind) => {
    let t: TestDb;
    beforeAll(async () => {
      t = await createTestDb(kind);
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    const change = (makerId: string, id = uuidv7()) => ({
      change: {
        entity: 'stock_movement' as const,
        op: 'upsert' as const,
        data: {
          id,
          eventId: uuidv7(),
          productId: uuidv7(),
          deviceId: uuidv7(),
          kind: 'restock' as const,
          delta: 1,
          saleId: null,
          hlc: '000000000000001-0000-x',
          createdAt: 1,
        },
      },
      makerId,
      organisationId: null,
    });

    it('[G5] the cursor never passes a change that commits later; a naive id > cursor skips it', async () => {
      const makerId = uuidv7();
      const scope = { makerIds: [makerId], organisationIds: [] };
      const slow = gate();
      const inserted = gate();
      // Writer 1 takes the lower id, then stays open; writer 2 takes a higher id and commits.
      const first = t.db.transaction(async (tx) => {
        await recordChanges(tx, [change(makerId)]);
        inserted.open();
        await slow.wait;
      });
      await inserted.wait;
      await t.db.transaction((tx) => recordChanges(tx, [change(makerId)]));

      const naiveFirst = await naiveRead(t.db, makerId, 0);
      expect(naiveFirst).toHaveLength(1);
      const ours = await readChanges(t.db, scope, parseCursor(null), 100);
      expect(ours.changes).toHaveLength(0);
      expect(ours.hasMore).toBe(true);

      slow.open();
      await first;
      const naiveAfter = await naiveRead(t.db, makerId, Math.max(...naiveFirst));
      const oursAfter = await readChanges(t.db, scope, ours.next, 100);
      // The naive reader lost writer 1's change for ever; ours delivers both, in order.
      expect(naiveFirst.length + naiveAfter.length).toBe(1);
      expect(oursAfter.changes).toHaveLength(2);
      expect(oursAfter.hasMore).toBe(false);
    });

    it('[G5] many concurrent writers, one reader polling: every change read exactly once', async () => {
      const makerId = uuidv7();
      const scope = { makerIds: [makerId], organisationIds: [] };
      const written: string[] = [];
      const writers = Array.from({ length: 40 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, (i * 7) % 23));
        await t.db.transaction(async (tx) => {
          const batch = [change(makerId), change(makerId)];
          await recordChanges(tx, batch);
          // Hold some transactions open while later ones commit.
          await new Promise((r) => setTimeout(r, (i * 13) % 31));
          written.push(...batch.map((b) => b.change.data.id));
        });
      });
      const read: string[] = [];
      let position = parseCursor(null);
      let done = false;
      const all = Promise.all(writers).then(() => (done = true));
      // Bounded by time, not by a number of polls: under CPU load the writers take longer,
      // and a poll budget would end the reading before they finished (a false failure).
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline) {
        const page = await readChanges(t.db, scope, position, 7);
        read.push(...page.changes.map((c) => (c.entity === 'stock_movement' ? c.data.id : '')));
        position = page.next;
        if (done && !page.hasMore) break;
        if (page.changes.length === 0) await new Promise((r) => setTimeout(r, 2));
      }
      await all;
      expect(read.length).toBe(80);
      expect(new Set(read)).toEqual(new Set(written));
    }, 60_000);
  },
);
