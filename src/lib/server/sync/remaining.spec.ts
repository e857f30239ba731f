// `remaining` on a pull (SPEC.md "Progress"): about how many changes are left after a page,
// for the device's "received X of about Y"; only when the pull asks for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import {
  PROTOCOL_VERSION,
  PULL_FEATURES,
  PullResponseSchema,
  REMAINING_FEATURE,
} from '$lib/sync/protocol';
import { RawDevice } from '$lib/sync/testing/factories';
import { loadAccount } from './account';
import { handlePull } from './pull';
import { eventChange, recordChanges } from './change-feed';
import { addMember, createOrganisation, createUser, orgEvent, push } from './testing';

describe.each(testDbKinds())('pull remaining on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  async function makerWithSales(n: number) {
    const userId = await createUser(t.db);
    const device = new RawDevice();
    const product = device.product();
    const event = device.event();
    const sales = Array.from({ length: n }, () => device.sale(event.id, [{ product }]));
    await push(
      t.db,
      userId,
      device.request(
        device.queue(device.eventUpsert(event), device.productUpsert(product), ...sales),
      ),
    );
    return { userId, device };
  }

  const pull = (
    userId: string,
    deviceId: string,
    cursor: string | null,
    features: string[] = [...PULL_FEATURES, REMAINING_FEATURE],
  ) =>
    handlePull(t.db, userId, { protocol: PROTOCOL_VERSION, deviceId, cursor, limit: 25, features });

  it('[progress] each page says how many changes are left; it counts down to 0 on the last page', async () => {
    const { userId } = await makerWithSales(100);
    const fresh = new RawDevice();
    let cursor: string | null = null;
    let received = 0;
    const said: number[] = [];
    let total: number | null = null;
    for (let page = 0; page < 100; page++) {
      const answer = PullResponseSchema.parse(await pull(userId, fresh.deviceId, cursor));
      received += answer.changes.length;
      cursor = answer.cursor;
      expect(answer.remaining).toBeTypeOf('number');
      said.push(answer.remaining ?? -1);
      total ??= received + (answer.remaining ?? 0);
      // What came plus what is left is what there was in all (nothing new arrived meanwhile).
      expect(received + (answer.remaining ?? 0)).toBe(total);
      if (!answer.hasMore) break;
    }
    // 100 sales, the event and the product (each sale a change of its own).
    expect(received).toBeGreaterThanOrEqual(102);
    expect(said.at(-1)).toBe(0);
    expect(said).toEqual([...said].sort((a, b) => b - a));
  });

  it('[progress] an app that does not ask gets no remaining field (older apps, and pulls in between)', async () => {
    const { userId } = await makerWithSales(30);
    const answer = await pull(userId, new RawDevice().deviceId, null, [...PULL_FEATURES]);
    expect(answer.hasMore).toBe(true);
    expect('remaining' in answer).toBe(false);
  });

  it('[progress] a device catching up after its access grew is told what the catch-up still holds', async () => {
    // A maker whose device is up to date with its own sales ...
    const { userId, device } = await makerWithSales(5);
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const answer = await pull(userId, device.deviceId, cursor);
      cursor = answer.cursor;
      if (!answer.hasMore) break;
    }
    // ... joins an organisation that has 60 events already: those are caught up from the start.
    const organisationId = await createOrganisation(t.db, 'Markt Twee');
    await recordChanges(
      t.db,
      Array.from({ length: 60 }, () => eventChange(orgEvent(organisationId), null)),
    );
    const makerId = (await loadAccount(t.db, userId)).sellingMakerId;
    await addMember(t.db, { userId, organisationId, role: 'maker', makerId });
    const first = await pull(userId, device.deviceId, cursor);
    expect(first.changes.length).toBe(25);
    expect(first.remaining).toBe(60 - 25);
    const second = await pull(userId, device.deviceId, first.cursor);
    expect(second.remaining).toBe(60 - 50);
  });
});
