// 1,000 fuzzed push payloads (fast-check, fixed seed) through the push endpoint exactly as
// the route calls it: never a 5xx. A bad envelope is a 4xx and changes nothing at all; a
// valid envelope carrying broken mutations is answered 200 with every one of them
// rejected, and only the device's rejection log and sequence move [G7] — no sale, product,
// stock or feed row appears. Plus garbage pull requests.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { PROTOCOL_VERSION, type PushResponse } from '$lib/sync/protocol';
import { RawDevice } from '$lib/sync/testing/factories';
import { pullEndpoint, pushEndpoint } from './endpoints';
import { count, createUser, push, stateHash } from './testing';

const SEED = 20_261_128;

function request(path: string, body: string, type = 'application/json'): Request {
  return new Request(`http://kraam.test${path}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  });
}

/** Ways to break a valid sale mutation that make it invalid whatever else it holds. */
const saleBreakers: fc.Arbitrary<(m: Record<string, unknown>) => unknown> = fc.oneof(
  fc.double({ noInteger: true, noNaN: true }).map((x) => (m: Record<string, unknown>) => ({
    ...m,
    sale: { ...(m.sale as object), totalCents: x },
  })),
  fc.integer({ max: 0 }).map((q) => (m: Record<string, unknown>) => ({
    ...m,
    lines: (m.lines as object[]).map((l) => ({ ...l, quantity: q })),
  })),
  fc.integer({ min: 1, max: 1000 }).map((d) => (m: Record<string, unknown>) => ({
    ...m,
    sale: {
      ...(m.sale as { paidCents: number }),
      paidCents: (m.sale as { paidCents: number }).paidCents + d,
    },
  })),
  fc.string().map((s) => (m: Record<string, unknown>) => ({ ...m, type: `x${s}` })),
  fc.constantFrom('\u0000', '\ud800', '\udfff').map((bad) => (m: Record<string, unknown>) => ({
    ...m,
    lines: (m.lines as object[]).map((l) => ({ ...l, name: `Brood${bad}` })),
  })),
  fc.anything().map((junk) => (m: Record<string, unknown>) => ({ ...m, lines: [junk, junk] })),
  // (JSON cannot carry `undefined`: a missing mutation is an envelope error, tested above.)
  fc
    .anything()
    .filter((junk) => junk !== undefined)
    .map((junk) => () => junk),
  fc
    .constantFrom(1e300, -1, 2 ** 53, Number.MAX_VALUE)
    .map((n) => (m: Record<string, unknown>) => ({
      ...m,
      sale: { ...(m.sale as object), receiptNumber: n, subtotalCents: n },
    })),
  fc.constant((m: Record<string, unknown>) => ({ ...m, lines: [] })),
);

describe.each(testDbKinds())('fuzzed sync payloads on %s', (kind) => {
  let t: TestDb;
  let userId: string;
  let device: RawDevice;
  let epoch: string;
  let valid: () => Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestDb(kind);
    userId = await createUser(t.db);
    device = new RawDevice();
    const product = device.product();
    const event = device.event();
    const first = await push(
      t.db,
      userId,
      device.request(
        device.queue(
          device.eventUpsert(event),
          device.productUpsert(product),
          device.sale(event.id, [{ product }]),
        ),
      ),
    );
    epoch = first.epoch;
    valid = () => JSON.parse(JSON.stringify(device.sale(event.id, [{ product, quantity: 2 }])));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('[G7] 1,000 fuzzed push payloads: never a 5xx; bad envelopes change nothing; broken mutations are only logged as rejected', async () => {
    const envelope = () => ({
      protocol: PROTOCOL_VERSION,
      deviceId: device.deviceId,
      epoch,
      mutations: [{ seq: device.seq + 1, mutation: valid() }],
    });
    const envelopeBreakers = fc.oneof(
      fc.string().map((text) => ({ text })),
      fc.jsonValue().map((value) => ({ text: JSON.stringify(value) })),
      fc
        .constantFrom('', 'null', '[]', '{', '{"protocol":1}', '\u0000', '"\ud800"')
        .map((text) => ({ text })),
      // One field replaced by anything. The base carries no mutation, so the rare variant
      // that is still a valid envelope (an unknown epoch, a null epoch) changes nothing either.
      fc
        .record({
          key: fc.constantFrom(
            'protocol',
            'deviceId',
            'epoch',
            'mutations',
            'highestSeq',
            'vendorId',
          ),
          value: fc.anything(),
        })
        .map(({ key, value }) => ({
          text: JSON.stringify({ ...envelope(), mutations: [], [key]: value }),
        })),
      fc.constantFrom(0, -1, 1.5, '2', null).map((seq) => ({
        text: JSON.stringify({ ...envelope(), mutations: [{ seq, mutation: valid() }] }),
      })),
      fc.constant({
        text: JSON.stringify({
          ...envelope(),
          mutations: Array.from({ length: 501 }, (_, i) => ({ seq: i + 1, mutation: {} })),
        }),
      }),
      fc.constant({ text: 'x'.repeat(2 * 1024 * 1024 + 1) }),
      fc.constant({ text: JSON.stringify(envelope()), type: 'text/plain' }),
    );
    const before = await stateHash(t.db);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(envelopeBreakers, async (broken: { text: string; type?: string }) => {
        const response = await pushEndpoint(
          t.db,
          userId,
          request('/api/sync/push', broken.text, broken.type),
        );
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: 700 },
    );
    expect(await stateHash(t.db)).toBe(before);
    expect([...statuses.keys()].every((s) => s >= 200 && s < 500)).toBe(true);
    expect(statuses.get(400)).toBeGreaterThan(300);

    // Valid envelopes, broken mutations: 300 more.
    const business = [
      'sales',
      'sale_lines',
      'stock_movements',
      'event_stock',
      'products',
      'events',
      'sync_changes',
    ];
    const counts = async () => Promise.all(business.map((table) => count(t.db, table)));
    const beforeCounts = await counts();
    const rejectedBefore = await count(t.db, 'sync_mutations', `status = 'rejected'`);
    await fc.assert(
      fc.asyncProperty(fc.array(saleBreakers, { minLength: 1, maxLength: 5 }), async (breakers) => {
        const mutations = breakers.map((breaker) => ({
          seq: ++device.seq,
          mutation: breaker(valid()),
        }));
        const response = await pushEndpoint(
          t.db,
          userId,
          request(
            '/api/sync/push',
            JSON.stringify({
              protocol: PROTOCOL_VERSION,
              deviceId: device.deviceId,
              epoch,
              mutations,
            }),
          ),
        );
        expect(response.status).toBe(200);
        const body = (await response.json()) as PushResponse;
        expect(body.results.map((r) => r.status)).toEqual(mutations.map(() => 'rejected'));
        expect(body.acknowledgedUpTo).toBe(device.seq);
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(await counts()).toEqual(beforeCounts);
    expect(await count(t.db, 'sync_mutations', `status = 'rejected'`)).toBeGreaterThan(
      rejectedBefore + 300,
    );
  });

  it('200 fuzzed pull requests: never a 5xx, always 4xx unless well formed', async () => {
    const bodies = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({
          cursor: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
          limit: fc.anything(),
          protocol: fc.anything(),
        })
        .map((r) => JSON.stringify({ ...r, deviceId: device.deviceId })),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const response = await pullEndpoint(t.db, userId, request('/api/sync/pull', body));
        expect(response.status).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
