// How many statements a push sends (issue 11): every statement is a round trip to the
// database, and a one-sale push once sent 21 of them (docs/benchmarks.md), then 7. The
// device, its epoch and the account go as one statement; the products' locks and the reads
// that lock nothing as one; the stock rows as one; the bulk writes with the device's new
// state as one. This keeps it so.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { createUser, push, stallWithStockedSale } from './testing';
import { builtOf, socketWritesOf, statementsOf } from './wire-spies';

describe.each(testDbKinds())('statements per push on %s', (kind) => {
  let testDb: TestDb;
  beforeEach(async () => {
    testDb = await createTestDb(kind);
  }, 60_000);
  afterEach(async () => {
    await testDb?.close();
  });

  it('a push of one sale at a maker’s own event sends at most 4 statements: device and account, products and reads, stock rows, writes and the device’s new state', async () => {
    const { db } = testDb;
    const userId = await createUser(db);
    const { device, setup, sale } = await stallWithStockedSale(db, userId);
    let answer: Awaited<ReturnType<typeof push>> | null = null;
    const sent = await statementsOf(async () => {
      answer = await push(db, userId, device.request(device.queue(sale), setup.epoch));
    });
    expect(answer!.results).toEqual([expect.objectContaining({ status: 'applied' })]);
    expect(sent.length).toBeLessThanOrEqual(4);
    // The device bound and locked, the epoch and the account: one statement.
    const bind = sent.filter((text) => /insert into sync_devices/.test(text));
    expect(bind).toHaveLength(1);
    expect(bind[0]).toMatch(/from memberships/);
    expect(bind[0]).toMatch(/from makers/);
    expect(sent.filter((text) => /from memberships/.test(text))).toHaveLength(1);
    // Its event, the stall assignments, the sale (known?) and the line and movement ids
    // (known?): one statement.
    const reads = sent.filter((text) =>
      /from events e\b|from stall_assignments|from sales s\b/.test(text),
    );
    expect(reads).toHaveLength(1);
    // Its products are locked by the same statement.
    expect(reads[0]).toMatch(/from products\s+where .* for update/s);
    expect(sent.filter((text) => /from "?products"?/.test(text))).toHaveLength(1);
    // Sales, lines, movements, stock levels, the log and the feed: one statement.
    const writes = sent.filter((text) =>
      /insert into "(sales|sale_lines|sync_changes)"/.test(text),
    );
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/"sync_mutations"/);
    // The device's new state and the other devices waiting: in the write statement.
    expect(writes[0]).toMatch(/update sync_devices set last_applied_seq/);
    expect(sent.filter((text) => /update "?sync_devices"?/.test(text))).toHaveLength(1);
  });

  it('a one-sale push asks Drizzle to build no statement: the first and the stock rows’ texts are built when the server starts, the reads’ once per combination of parts, the writes’ from text and plain values alone', async () => {
    const { db } = testDb;
    const userId = await createUser(db);
    const { device, event, products, setup, sale } = await stallWithStockedSale(db, userId);
    // The first sale of the server: a statement of a new shape is built once.
    const first = await push(db, userId, device.request(device.queue(sale), setup.epoch));
    expect(first.results).toEqual([expect.objectContaining({ status: 'applied' })]);
    const next = device.sale(
      event.id,
      products.map((product) => ({ product, quantity: 1 })),
    );
    let answer: Awaited<ReturnType<typeof push>> | null = null;
    const built = await builtOf(async () => {
      answer = await push(db, userId, device.request(device.queue(next), setup.epoch));
    });
    expect(answer!.results).toEqual([expect.objectContaining({ status: 'applied' })]);
    expect(built).toEqual([]);
  });
});

// On the wire (PostgreSQL): a statement postgres.js sends unnamed costs two writes and two
// round trips (its text with a Describe, then its values once the parameter types are
// known); a prepared one, once the connection knows it, one (Bind, Execute, Sync).
describe.each(testDbKinds().filter((kind) => kind === 'postgres'))(
  'round trips of a push on %s',
  (kind) => {
    let testDb: TestDb;
    beforeEach(async () => {
      testDb = await createTestDb(kind);
    }, 60_000);
    afterEach(async () => {
      await testDb?.close();
    });

    it('a one-sale push of a shape the connection has seen sends no statement text: BEGIN, its 4 statements by name and COMMIT, one write each', async () => {
      const { db } = testDb;
      const userId = await createUser(db);
      const { device, event, products, setup, sale } = await stallWithStockedSale(db, userId);
      const first = await push(db, userId, device.request(device.queue(sale), setup.epoch));
      expect(first.results).toEqual([expect.objectContaining({ status: 'applied' })]);
      const next = device.sale(
        event.id,
        products.map((product) => ({ product, quantity: 1 })),
      );
      let answer: Awaited<ReturnType<typeof push>> | null = null;
      const writes = await socketWritesOf(async () => {
        answer = await push(db, userId, device.request(device.queue(next), setup.epoch));
      });
      expect(answer!.results).toEqual([expect.objectContaining({ status: 'applied' })]);
      // No Parse: every statement was prepared by the first push and is sent by name.
      expect(writes.filter((letters) => letters.includes('P'))).toEqual([]);
      expect(writes.length).toBeLessThanOrEqual(6);
    });
  },
);
