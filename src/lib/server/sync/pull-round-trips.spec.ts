// How many statements a small pull sends (issue 11): half of the sync requests are pulls, and
// a pull of one new change once sent 6 statements (the device, the account, the epoch, the
// horizon, the page, the held-back check), plus the memberships read by the hooks, each built
// by Drizzle and on PostgreSQL two round trips (docs/benchmarks.md, "the pull per request").
// Now: the device, its epoch, the account and the horizon in one statement, the page with
// the held-back check in another, both texts built once and prepared once per connection.
// This keeps it so.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { PROTOCOL_VERSION, PULL_FEATURES, type PullResponse } from '$lib/sync/protocol';
import { parseCursor, readChanges, recordChanges, type ChangeInput } from './change-feed';
import { pullEndpoint } from './endpoints';
import { createUser, gate, pullAll, push, stallWithStockedSale } from './testing';
import { builtOf, socketWritesOf, statementsOf } from './wire-spies';

/**
 * A maker whose device pulled to the end, then pushed one sale: `pull()` is the app's pull
 * (its features, as the engine sends them) from the cursor before the sale, through the
 * endpoint the route calls.
 */
async function deviceBehindOneSale(testDb: TestDb) {
  const { db } = testDb;
  const userId = await createUser(db);
  const { device, setup, sale } = await stallWithStockedSale(db, userId);
  const { cursor } = await pullAll(db, userId, device.deviceId);
  const pushed = await push(db, userId, device.request(device.queue(sale), setup.epoch));
  expect(pushed.results).toEqual([expect.objectContaining({ status: 'applied' })]);
  const pull = async (): Promise<PullResponse> => {
    const response = await pullEndpoint(
      db,
      userId,
      new Request('http://kraam.test/api/sync/pull', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          protocol: PROTOCOL_VERSION,
          deviceId: device.deviceId,
          cursor,
          features: [...PULL_FEATURES],
        }),
      }),
    );
    expect(response.status).toBe(200);
    return (await response.json()) as PullResponse;
  };
  return { pull, saleId: sale.sale.id };
}

function saleIdsOf(answer: PullResponse): string[] {
  return answer.changes.flatMap((c) => (c.entity === 'sale' ? [c.data.sale.id] : []));
}

describe.each(testDbKinds())('statements per pull on %s', (kind) => {
  let testDb: TestDb;
  beforeEach(async () => {
    testDb = await createTestDb(kind);
  }, 60_000);
  afterEach(async () => {
    await testDb?.close();
  });

  it('a pull of one new sale sends 2 statements, both built once when the server starts: the device, the epoch, the account and the horizon; the page and the held-back check', async () => {
    const { pull, saleId } = await deviceBehindOneSale(testDb);
    let answer: PullResponse | null = null;
    let sent: string[] = [];
    const built = await builtOf(async () => {
      sent = await statementsOf(async () => {
        answer = await pull();
      });
    });
    expect(saleIdsOf(answer!)).toEqual([saleId]);
    expect(answer!.hasMore).toBe(false);
    expect(sent).toHaveLength(2);
    const [head, page] = sent;
    expect(head).toMatch(/from sync_devices/);
    expect(head).toMatch(/from server_meta/);
    expect(head).toMatch(/from memberships/);
    expect(head).toMatch(/pg_current_snapshot/);
    expect(page).toMatch(/from sync_changes/);
    expect(page).toMatch(/union all/);
    // No statement text is built for it: Drizzle builds nothing per pull.
    expect(built).toEqual([]);
  });
});

// On the wire (PostgreSQL): a statement postgres.js sends unnamed costs two writes and two
// round trips (its text with a Describe, then its values); a prepared one, once the
// connection knows it, one (Bind, Execute, Sync).
describe.each(testDbKinds().filter((kind) => kind === 'postgres'))(
  'round trips of a pull on %s',
  (kind) => {
    let testDb: TestDb;
    beforeEach(async () => {
      testDb = await createTestDb(kind);
    }, 60_000);
    afterEach(async () => {
      await testDb?.close();
    });

    it('a page that found changes still says when a newer change is held back behind a running transaction, and hands it out once that one ends', async () => {
      const { db } = testDb;
      const makerId = uuidv7();
      const scope = { makerIds: [makerId], organisationIds: [] };
      const change = (): ChangeInput => ({
        change: {
          entity: 'stock_movement',
          op: 'upsert',
          data: {
            id: uuidv7(),
            eventId: uuidv7(),
            productId: uuidv7(),
            deviceId: uuidv7(),
            kind: 'restock',
            delta: 1,
            saleId: null,
            hlc: '000000000000001-0000-x',
            createdAt: 1,
          },
        },
        makerId,
        organisationId: null,
      });
      const idOf = (c: { data: unknown }) => (c.data as { id: string }).id;
      const before = change();
      await db.transaction((tx) => recordChanges(tx, [before]));
      // A transaction of another maker stays open: everything after it is held back (PGlite
      // has one connection: an open transaction there holds every other statement).
      const slow = gate();
      const opened = gate();
      const running = db.transaction(async (tx) => {
        await recordChanges(tx, [{ ...change(), makerId: uuidv7() }]);
        opened.open();
        await slow.wait;
      });
      await opened.wait;
      const later = change();
      await db.transaction((tx) => recordChanges(tx, [later]));

      const first = await readChanges(db, scope, parseCursor(null), 100);
      expect(first.changes.map(idOf)).toEqual([idOf(before.change)]);
      expect(first.hasMore).toBe(true);

      slow.open();
      await running;
      const second = await readChanges(db, scope, first.next, 100);
      expect(second.changes.map(idOf)).toEqual([idOf(later.change)]);
      expect(second.hasMore).toBe(false);
    });

    it('a pull the connection has seen sends no statement text: its 2 statements by name, one write each', async () => {
      const { pull, saleId } = await deviceBehindOneSale(testDb);
      expect(saleIdsOf(await pull())).toEqual([saleId]);
      let answer: PullResponse | null = null;
      const writes = await socketWritesOf(async () => {
        answer = await pull();
      });
      expect(saleIdsOf(answer!)).toEqual([saleId]);
      // No Parse: both statements were prepared by the first pull and are sent by name.
      expect(writes.filter((letters) => letters.includes('P'))).toEqual([]);
      expect(writes).toEqual(['BES', 'BES']);
    });
  },
);
