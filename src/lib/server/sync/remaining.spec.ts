// `remaining` on a pull (SPEC.md "Progress"): about how many changes are left after a page,
// for the device's "received X of about Y"; only when the pull asks for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import {
  PROTOCOL_VERSION,
  PULL_FEATURES,
  PullResponseSchema,
  REMAINING_EVERY_PAGES,
  REMAINING_FEATURE,
} from '$lib/sync/protocol';
import type { PullProgress } from '$lib/sync/status';
import { TestDevice } from '$lib/sync/testing/device';
import type { SyncTransport } from '$lib/sync/transport';
import { createInProcessTransport } from './in-process-transport';
import { RawDevice } from '$lib/sync/testing/factories';
import { loadAccount } from './account';
import { handlePull } from './pull';
import { eventChange, recordChanges } from './change-feed';
import {
  addMember,
  createOrganisation,
  makerWithSales as pushedMakerWithSales,
  orgEvent,
} from './testing';

describe.each(testDbKinds())('pull remaining on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const makerWithSales = (n: number) => pushedMakerWithSales(t.db, n);

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

  it("[progress] the engine of a fresh device shows received X of about Y while it pulls, counted down between the server's answers", async () => {
    const { userId, device: seller } = await makerWithSales(120);
    const transport = createInProcessTransport({ db: t.db, userId: () => userId });
    const seen: (PullProgress | null)[] = [];
    const asked: boolean[] = [];
    const counting: SyncTransport = {
      push: (request) => transport.push(request),
      pull: (request) => {
        asked.push(request.features?.includes(REMAINING_FEATURE) ?? false);
        return transport.pull(request);
      },
    };
    const device = await TestDevice.create({
      transport: counting,
      makerId: seller.makerId,
      engine: { pullLimit: 10 },
    });
    device.engine.subscribe((status) => seen.push(status.pullProgress));
    await device.settle();
    const during = seen.filter((p): p is PullProgress => p !== null && p.received > 0);
    // 120 sales, the event and the product, 10 a page.
    expect(during.length).toBeGreaterThanOrEqual(12);
    const total = during[0]!.received + (during[0]!.remaining ?? 0);
    expect(total).toBeGreaterThanOrEqual(122);
    for (const p of during) expect(p.received + (p.remaining ?? Number.NaN)).toBe(total);
    expect(during.at(-1)?.remaining).toBe(0);
    // Asked on the first page and every REMAINING_EVERY_PAGES pages, not on every page.
    expect(asked[0]).toBe(true);
    expect(asked.filter(Boolean).length).toBe(Math.ceil(asked.length / REMAINING_EVERY_PAGES));
    // Cleared when the pull ends.
    expect(device.engine.status.pullProgress).toBeNull();
  });
});
