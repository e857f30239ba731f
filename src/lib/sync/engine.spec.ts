// The sync engine on its own: a scripted transport, the real device stores. What it does
// with answers and failures, its triggers, backoff, lock and status. End-to-end behaviour
// against the real server is in src/lib/server/sync/faults.spec.ts.
import { Dexie } from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import { DexieDeviceStore } from '$lib/db/dexie-store';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { uuidv7 } from '$lib/domain/ids';
import type { Product } from '$lib/domain/types';
import { createSyncLock, type LockManagerLike } from './lock';
import {
  MAX_PULL_LIMIT,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushRequestOut,
  type PushResponse,
} from './protocol';
import { backoffDelay } from './status';
import { TestDevice, NO_LOCK } from './testing/device';
import { manualTimers } from './testing/manual-timers';
import { TransportError, type SyncTransport } from './transport';

/** A transport that acknowledges whatever it is sent, unless told otherwise. */
function scripted(
  overrides: {
    push?: (request: PushRequestOut) => Promise<PushResponse> | PushResponse;
    pull?: () => Promise<PullResponse> | PullResponse;
  } = {},
) {
  const pushes: PushRequestOut[] = [];
  const transport: SyncTransport = {
    async push(request) {
      pushes.push(structuredClone(request));
      if (overrides.push) return overrides.push(request);
      const last = request.mutations[request.mutations.length - 1]?.seq ?? 0;
      return {
        protocol: PROTOCOL_VERSION,
        epoch: 'e1',
        acknowledgedUpTo: last,
        results: request.mutations.map((m) => ({ seq: m.seq, status: 'applied' as const })),
      };
    },
    async pull() {
      if (overrides.pull) return overrides.pull();
      return {
        protocol: PROTOCOL_VERSION,
        epoch: 'e1',
        changes: [],
        cursor: null,
        hasMore: false,
        makerId: null,
      };
    },
  };
  return { transport, pushes };
}

/** A product of another device, as a pull page brings it. */
function pulledProduct(name: string): Product {
  return {
    id: uuidv7(),
    makerId: uuidv7(),
    name,
    priceCents: 1275,
    vatRate: 9,
    photoId: null,
    colour: 'olive',
    category: '',
    archived: false,
    createdAt: 1,
    updatedAt: 1,
  };
}

async function deviceWithSales(transport: SyncTransport, n: number, options = {}) {
  const device = await TestDevice.create({ transport, engine: options });
  const product = await device.addProduct();
  const event = await device.addEvent();
  for (let i = 0; i < n; i++) await device.sell(event.id, [{ product }]);
  return { device, product, event };
}

describe('SyncEngine', () => {
  it('[G2] reads the outbox in one transaction, sends with no transaction open, acknowledges in a second', async () => {
    const store = await new DexieDeviceStore(`engine-${uuidv7()}`).open();
    const calls: string[] = [];
    const { transport } = scripted({
      push: (request) => {
        calls.push(`push:${Dexie.currentTransaction ? 'in-transaction' : 'no-transaction'}`);
        const last = request.mutations[request.mutations.length - 1]?.seq ?? 0;
        return {
          protocol: PROTOCOL_VERSION,
          epoch: 'e1',
          acknowledgedUpTo: last,
          results: request.mutations.map((m) => ({ seq: m.seq, status: 'applied' as const })),
        };
      },
    });
    const read = store.readOutbox.bind(store);
    const ack = store.acknowledge.bind(store);
    store.readOutbox = async (limit) => {
      calls.push('readOutbox');
      return read(limit);
    };
    store.acknowledge = async (upTo) => {
      calls.push(`acknowledge:${upTo}`);
      return ack(upTo);
    };
    const own = await TestDevice.create({ transport, store });
    const product = await own.addProduct();
    const event = await own.addEvent();
    await own.sell(event.id, [{ product }]);
    await own.engine.syncNow();
    expect(calls.slice(0, 3)).toEqual(['readOutbox', 'push:no-transaction', 'acknowledge:3']);
    expect(await store.pendingCount()).toBe(0);
    await store.close();
  });

  it('[G2] nothing leaves the outbox when a push fails, whatever the failure', async () => {
    for (const failure of ['offline', 'unauthorized', 'forbidden', 'server', 'rejected'] as const) {
      const { transport } = scripted({
        push: () => {
          throw new TransportError(failure, failure);
        },
      });
      const { device } = await deviceWithSales(transport, 5);
      const result = await device.engine.syncNow();
      expect(result.ok).toBe(false);
      expect(await device.store.pendingCount()).toBe(7);
    }
  });

  it('[G2] a 413 halves the batch until the server takes it; a mutation refused alone goes as a too-large marker and stays on the device', async () => {
    // A proxy in front of the server takes only 16 KB, far less than the engine's estimate.
    const limit = 16 * 1024;
    const acknowledged: number[] = [];
    const { transport, pushes } = scripted({
      push: (request) => {
        if (JSON.stringify(request).length > limit) {
          throw new TransportError('rejected', 'too large', 413);
        }
        const last = request.mutations[request.mutations.length - 1]?.seq ?? 0;
        acknowledged.push(...request.mutations.map((m) => m.seq));
        return {
          protocol: PROTOCOL_VERSION,
          epoch: 'e1',
          acknowledgedUpTo: last,
          results: request.mutations.map((m) => ({
            seq: m.seq,
            status: m.mutation.type === 'too-large' ? ('rejected' as const) : ('applied' as const),
          })),
        };
      },
    });
    const { device, product, event } = await deviceWithSales(transport, 0, { batchSize: 200 });
    const many = [product];
    for (let i = 1; i < 60; i++) many.push(await device.addProduct({ name: `Koek ${i}` }));
    for (let i = 0; i < 40; i++) await device.sell(event.id, [{ product }]);
    const big = await device.sell(
      event.id,
      many.map((p) => ({ product: p })),
    );
    for (let i = 0; i < 5; i++) await device.sell(event.id, [{ product }]);
    const queued = await device.store.readOutbox(1000);
    const bigSeq = queued.find(
      (e) => e.mutation.type === 'sale.record' && e.mutation.sale.id === big.id,
    )?.seq;
    const result = await device.engine.syncNow();
    expect(result.ok).toBe(true);
    expect(await device.store.pendingCount()).toBe(0);
    expect(acknowledged).toEqual(queued.map((e) => e.seq));
    // Halved: the first try was refused, smaller batches went through.
    expect(JSON.stringify(pushes[0]).length).toBeGreaterThan(limit);
    expect(pushes.filter((p) => JSON.stringify(p).length <= limit).length).toBeGreaterThan(3);
    const marker = pushes.find((p) => p.mutations[0]?.mutation.type === 'too-large');
    expect(marker?.mutations).toEqual([
      {
        seq: bigSeq,
        mutation: { type: 'too-large', of: 'sale.record', bytes: expect.any(Number) },
      },
    ]);
    expect(device.engine.status.unsendable).toBe(1);
    const [kept] = await device.engine.unsendable();
    expect(kept).toMatchObject({
      seq: bigSeq,
      mutation: { type: 'sale.record', sale: { id: big.id } },
    });
  });

  it('[G3] acknowledges only numbers the server answered for, never its last number alone', async () => {
    const { transport } = scripted({
      // A server whose record of this device is ahead (its numbering restarted): a gap
      // reported at the first entry, with a higher last number.
      push: () => ({
        protocol: PROTOCOL_VERSION,
        epoch: 'e1',
        acknowledgedUpTo: 40,
        results: [],
        gap: { expected: 41, received: 1 },
      }),
    });
    const { device } = await deviceWithSales(transport, 3, { batchSize: 10 });
    const rebase = vi.spyOn(device.store, 'rebaseOutbox');
    await device.engine.syncNow();
    // Nothing acknowledged; the outbox renumbered after the server's 40, still complete.
    expect(rebase).toHaveBeenCalledWith(41, 'e1');
    const outbox = await device.store.readOutbox(100);
    expect(outbox.map((e) => e.seq)).toEqual([41, 42, 43, 44, 45]);
    expect(device.engine.status.lastGap).toMatchObject({ expected: 41, received: 1 });
    expect(device.engine.status.lastFailure?.reason).toBe('gap-detected');
  });

  it('names the last failure in plain words: offline, signed out, server unavailable', async () => {
    const cases = [
      ['offline', 'offline', /Offline/],
      ['unauthorized', 'signed-out', /Signed out/],
      ['server', 'server-unavailable', /not available/],
    ] as const;
    for (const [kind, reason, words] of cases) {
      const { transport } = scripted({
        push: () => {
          throw new TransportError(kind, 'x');
        },
      });
      const { device } = await deviceWithSales(transport, 1);
      await device.engine.syncNow();
      expect(device.engine.status.lastFailure).toMatchObject({
        reason,
        message: expect.stringMatching(words),
      });
      expect(device.engine.status.pendingCount).toBe(3);
    }
  });

  it('backs off exponentially with jitter after failures, and returns to the normal interval after a success', async () => {
    let down = true;
    const { transport } = scripted({
      push: (request) => {
        if (down) throw new TransportError('offline', 'x');
        const last = request.mutations[request.mutations.length - 1]?.seq ?? 0;
        return {
          protocol: PROTOCOL_VERSION,
          epoch: 'e1',
          acknowledgedUpTo: last,
          results: request.mutations.map((m) => ({ seq: m.seq, status: 'applied' as const })),
        };
      },
    });
    const clock = manualTimers();
    let tick = 0;
    const { device } = await deviceWithSales(transport, 1, {
      timers: clock.timers,
      now: () => ++tick,
      random: () => 0.5,
      backoff: { baseMs: 1000, maxMs: 60_000 },
      intervalMs: 300_000,
    });
    device.engine.start();
    await vi.waitFor(() => expect(clock.delays()).toHaveLength(1));
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      seen.push(...clock.delays());
      const before = device.engine.status.lastFailure?.at;
      clock.runAll();
      await vi.waitFor(() => {
        expect(clock.delays()).toHaveLength(1);
        expect(device.engine.status.lastFailure?.at).not.toBe(before);
      });
    }
    expect(seen).toEqual([750, 1500, 3000, 6000, 12_000, 24_000, 45_000, 45_000]);
    down = false;
    clock.runAll();
    await vi.waitFor(() => expect(device.engine.status.lastFailure).toBeNull());
    expect(clock.delays()).toEqual([300_000]);
    device.engine.stop();
    // Jitter spreads devices between half and all of the ceiling.
    for (const r of [0, 0.25, 0.999]) {
      const delay = backoffDelay(3, { baseMs: 1000, maxMs: 60_000 }, () => r);
      expect(delay).toBeGreaterThanOrEqual(2000);
      expect(delay).toBeLessThanOrEqual(4000);
    }
  });

  it('[device codes] a device without its code asks for it before it pulls, even with nothing to send, and keeps what the server gives', async () => {
    const order: string[] = [];
    const { transport, pushes } = scripted({
      push: (request) => {
        order.push('push');
        return {
          protocol: PROTOCOL_VERSION,
          epoch: 'e1',
          acknowledgedUpTo: 0,
          results: [],
          ...(request.mutations.length === 0 ? { deviceCode: 'B' } : {}),
        };
      },
    });
    const pull = transport.pull.bind(transport);
    transport.pull = (request) => {
      order.push('pull');
      return pull(request);
    };
    const device = await TestDevice.create({ transport });
    await device.engine.syncNow();
    expect(order).toEqual(['push', 'pull']);
    expect(pushes[0]?.mutations).toEqual([]);
    const codes = await device.store.getDeviceCodes();
    expect(codes[await device.store.deviceId()]).toBe('B');
    // Known now: an empty outbox sends nothing any more.
    await device.engine.syncNow();
    expect(order).toEqual(['push', 'pull', 'pull']);
  });

  it('asks for the largest page the protocol allows (MAX_PULL_LIMIT) unless told otherwise', async () => {
    const { transport } = scripted();
    const limits: number[] = [];
    const pull = transport.pull.bind(transport);
    transport.pull = (request) => {
      limits.push(request.limit ?? 0);
      return pull(request);
    };
    const device = await TestDevice.create({ transport });
    await device.engine.syncNow();
    const told = await TestDevice.create({ transport, engine: { pullLimit: 25 } });
    await told.engine.syncNow();
    expect(limits).toEqual([MAX_PULL_LIMIT, 25]);
  });

  it('[fault 20] asks for the next page while the page before is applied; applies pages in order, each with its own cursor; a page that fails to apply drops the page asked for after it', async () => {
    const products = [pulledProduct('Taart 1'), pulledProduct('Taart 2'), pulledProduct('Taart 3')];
    const asked: (string | null)[] = [];
    const { transport } = scripted({
      pull: () => {
        const n = asked.length;
        return {
          protocol: PROTOCOL_VERSION,
          epoch: 'e1',
          changes: [{ entity: 'product', op: 'upsert', data: products[(n - 1) % 3]! }],
          cursor: `1.${n}`,
          hasMore: n % 3 !== 0,
          makerId: null,
        };
      },
    });
    const pull = transport.pull.bind(transport);
    transport.pull = (request) => {
      asked.push(request.cursor);
      return pull(request);
    };
    /** Each apply waits until the test lets it finish; the cursor stored then is read. */
    class GatedStore extends MemoryDeviceStore {
      gates: (() => void)[] = [];
      failing = false;
      override async applyPull(page: Parameters<MemoryDeviceStore['applyPull']>[0]) {
        await new Promise<void>((resolve) => this.gates.push(resolve));
        if (this.failing) throw new Error('the disk is full');
        return super.applyPull(page);
      }
    }
    const store = new GatedStore();
    const device = await TestDevice.create({ transport, store });
    const round = device.engine.syncNow();
    // Page 1 arrived and is being applied: page 2 is already asked for, from page 1's cursor,
    // while the device's stored cursor is still where it was.
    await vi.waitFor(() => expect(store.gates).toHaveLength(1));
    await vi.waitFor(() => expect(asked).toEqual([null, '1.1']));
    expect((await store.getSyncState()).cursor).toBeNull();
    expect(await store.getProduct(products[0]!.id)).toBeUndefined();
    store.gates[0]!();
    // Page 2 is applied only after page 1, with its own cursor.
    await vi.waitFor(() => expect(store.gates).toHaveLength(2));
    expect((await store.getSyncState()).cursor).toBe('1.1');
    expect(await store.getProduct(products[0]!.id)).toMatchObject({ name: 'Taart 1' });
    expect(asked).toEqual([null, '1.1', '1.2']);
    // Page 2 fails to apply: page 3, already asked for, is dropped with it.
    store.failing = true;
    store.gates[1]!();
    expect((await round).ok).toBe(false);
    expect((await store.getSyncState()).cursor).toBe('1.1');
    expect(await store.getProduct(products[1]!.id)).toBeUndefined();
    expect(await store.getProduct(products[2]!.id)).toBeUndefined();
    // The next round starts from the last cursor applied.
    store.failing = false;
    const next = device.engine.syncNow();
    await vi.waitFor(() => expect(asked).toHaveLength(5));
    expect(asked[3]).toBe('1.1');
    for (let i = 2; i < 5; i++) {
      await vi.waitFor(() => expect(store.gates.length).toBeGreaterThan(i));
      store.gates[i]!();
    }
    expect((await next).ok).toBe(true);
    device.engine.stop();
  });

  it('[fault 20] the page asked for ahead fails to arrive: the page before it is applied with its cursor, nothing after it, and the next round asks again from there', async () => {
    const product = (n: number) => ({
      id: uuidv7(),
      makerId: uuidv7(),
      name: `Koek ${n}`,
      priceCents: 250,
      vatRate: 9 as const,
      photoId: null,
      colour: 'olive' as const,
      category: '',
      archived: false,
      createdAt: 1,
      updatedAt: 1,
    });
    const products = [product(1), product(2)];
    const asked: (string | null)[] = [];
    let broken = true;
    const { transport } = scripted({
      pull: () => {
        const n = asked.length;
        const from = asked[n - 1] ?? null;
        // The second page's request fails once (the network went, the server answered 503).
        if (from === '1.1' && broken) {
          broken = false;
          throw new TransportError('offline', 'the network went away');
        }
        const page = from === null ? 0 : 1;
        return {
          protocol: PROTOCOL_VERSION,
          epoch: 'e1',
          changes: [{ entity: 'product', op: 'upsert', data: products[page]! }],
          cursor: `1.${page + 1}`,
          hasMore: page === 0,
          makerId: null,
        };
      },
    });
    const pull = transport.pull.bind(transport);
    transport.pull = (request) => {
      asked.push(request.cursor);
      return pull(request);
    };
    class CountingStore extends MemoryDeviceStore {
      applied: (string | null)[] = [];
      override async applyPull(page: Parameters<MemoryDeviceStore['applyPull']>[0]) {
        this.applied.push(page.cursor);
        return super.applyPull(page);
      }
    }
    const store = new CountingStore();
    const device = await TestDevice.create({ transport, store });
    expect((await device.engine.syncNow()).ok).toBe(false);
    expect(store.applied).toEqual(['1.1']);
    expect((await store.getSyncState()).cursor).toBe('1.1');
    expect(await store.getProduct(products[0]!.id)).toMatchObject({ name: 'Koek 1' });
    expect(await store.getProduct(products[1]!.id)).toBeUndefined();
    expect((await device.engine.syncNow()).ok).toBe(true);
    expect(asked).toEqual([null, '1.1', '1.1']);
    expect(store.applied).toEqual(['1.1', '1.2']);
    expect((await store.getSyncState()).cursor).toBe('1.2');
    expect(await store.getProduct(products[1]!.id)).toMatchObject({ name: 'Koek 2' });
    device.engine.stop();
  });

  it('[fault 20] a restore between two pages (the page asked for ahead comes from a new epoch): it is not applied, the cursor stays with the page before, and the device rebases and pulls from the start', async () => {
    let epoch = 'e1';
    const asked: (string | null)[] = [];
    const product = {
      id: uuidv7(),
      makerId: uuidv7(),
      name: 'Taart',
      priceCents: 1275,
      vatRate: 9 as const,
      photoId: null,
      colour: 'olive' as const,
      category: '',
      archived: false,
      createdAt: 1,
      updatedAt: 1,
    };
    const { transport, pushes } = scripted({
      push: (request) => {
        if (request.epoch !== null && request.epoch !== epoch) {
          return {
            protocol: PROTOCOL_VERSION,
            epoch,
            acknowledgedUpTo: 0,
            results: [],
            epochChanged: true,
          };
        }
        const last = request.mutations[request.mutations.length - 1]?.seq ?? 0;
        return {
          protocol: PROTOCOL_VERSION,
          epoch,
          acknowledgedUpTo: last,
          results: request.mutations.map((m) => ({ seq: m.seq, status: 'applied' as const })),
        };
      },
      pull: () => {
        const from = asked[asked.length - 1] ?? null;
        if (from === null && epoch === 'e1') {
          // Page 1 of the old epoch; the server is restored while it is applied.
          epoch = 'e2';
          return {
            protocol: PROTOCOL_VERSION,
            epoch: 'e1',
            changes: [{ entity: 'product', op: 'upsert', data: product }],
            cursor: '9.1',
            hasMore: true,
            makerId: null,
          };
        }
        return {
          protocol: PROTOCOL_VERSION,
          epoch,
          changes: [],
          cursor: from === null ? '2.1' : '2.9',
          hasMore: false,
          makerId: null,
        };
      },
    });
    const pull = transport.pull.bind(transport);
    transport.pull = (request) => {
      asked.push(request.cursor);
      return pull(request);
    };
    class CountingStore extends MemoryDeviceStore {
      applied: { cursor: string | null; epoch: string }[] = [];
      override async applyPull(page: Parameters<MemoryDeviceStore['applyPull']>[0]) {
        this.applied.push({ cursor: page.cursor, epoch: page.epoch });
        return super.applyPull(page);
      }
    }
    const store = new CountingStore();
    const device = await TestDevice.create({ transport, store });
    expect((await device.engine.syncNow()).ok).toBe(true);
    // Page 1 (old epoch) applied; page 2, asked for ahead from its cursor, came from the new
    // epoch: never applied. Then an empty push rebases and the pull starts over.
    expect(asked).toEqual([null, '9.1', null]);
    expect(store.applied).toEqual([
      { cursor: '9.1', epoch: 'e1' },
      { cursor: '2.1', epoch: 'e2' },
    ]);
    expect(await store.getSyncState()).toMatchObject({ epoch: 'e2', cursor: '2.1' });
    // The empty push that learnt of the new epoch carried the old one.
    expect(pushes.some((p) => p.epoch === 'e1' && p.mutations.length === 0)).toBe(true);
    device.engine.stop();
  });

  it('[clock ahead] sends its clock with every push; an answer saying it is ahead shows in the status until an answer without it', async () => {
    let ahead: number | undefined = 2 * 86_400_000;
    const { transport, pushes } = scripted({
      push: () => ({
        protocol: PROTOCOL_VERSION,
        epoch: 'e1',
        acknowledgedUpTo: 0,
        results: [],
        ...(ahead !== undefined ? { clockAheadMs: ahead } : {}),
      }),
    });
    const device = await TestDevice.create({ transport, engine: { now: () => 1_000_000 } });
    expect(device.engine.status.clockAheadMs).toBeNull();
    await device.engine.syncNow();
    expect(pushes[0]?.sentAt).toBe(1_000_000);
    expect(device.engine.status.clockAheadMs).toBe(2 * 86_400_000);
    // The maker fixed the clock; the next push (a new product) is answered without it.
    ahead = undefined;
    await device.addProduct();
    await device.engine.syncNow();
    expect(device.engine.status.clockAheadMs).toBeNull();
  });

  it('syncs on start, when the browser comes online, shortly after a burst of sales (once), and periodically', async () => {
    const { transport, pushes } = scripted();
    const clock = manualTimers();
    const events = new EventTarget();
    const { device, product, event } = await deviceWithSales(transport, 1, {
      timers: clock.timers,
      events,
      debounceMs: 2000,
      intervalMs: 300_000,
    });
    device.engine.start();
    await vi.waitFor(() => expect(pushes).toHaveLength(1));
    await vi.waitFor(() => expect(clock.delays()).toEqual([300_000]));
    for (let i = 0; i < 5; i++) {
      await device.sell(event.id, [{ product }]);
      device.engine.notifyChange();
    }
    expect(clock.delays().sort()).toEqual([2000, 300_000]);
    clock.runAll();
    await vi.waitFor(() => expect(pushes).toHaveLength(2));
    expect(pushes[1]?.mutations).toHaveLength(5);
    await device.sell(event.id, [{ product }]);
    events.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(pushes).toHaveLength(3));
    await device.sell(event.id, [{ product }]);
    await vi.waitFor(() => expect(clock.delays()).toEqual([300_000]));
    clock.runAll();
    await vi.waitFor(() => expect(pushes).toHaveLength(4));
    device.engine.stop();
    events.dispatchEvent(new Event('online'));
    await device.sell(event.id, [{ product }]);
    expect(pushes).toHaveLength(4);
  });

  it('runs one tab at a time: skips a round while another tab holds the Web Lock', async () => {
    let held = true;
    const requests: string[] = [];
    const manager: LockManagerLike = {
      request: async (name, options, callback) => {
        requests.push(`${name}:${options.ifAvailable}`);
        return callback(held ? null : {});
      },
    };
    const { transport, pushes } = scripted();
    const { device } = await deviceWithSales(transport, 2, { lock: createSyncLock(manager) });
    const skipped = await device.engine.syncNow();
    expect(skipped).toMatchObject({ ran: false, ok: true });
    expect(pushes).toHaveLength(0);
    expect(device.engine.status.pendingCount).toBe(4);
    held = false;
    await device.engine.syncNow();
    expect(pushes).toHaveLength(1);
    expect(requests).toEqual(['kraam-sync:true', 'kraam-sync:true']);
  });

  it('[fault 17] a round skipped because another tab holds the lock tries again soon while sales wait, not at the next period', async () => {
    // Tab B's round started before tab A's sale was written: B pushes without it, and A's
    // sale must not wait five minutes for A's next periodic round.
    let held = true;
    const manager: LockManagerLike = {
      request: async (_name, _options, callback) => callback(held ? null : {}),
    };
    const { transport, pushes } = scripted();
    const clock = manualTimers();
    const { device } = await deviceWithSales(transport, 1, {
      lock: createSyncLock(manager),
      timers: clock.timers,
      debounceMs: 2000,
      intervalMs: 300_000,
    });
    device.engine.start();
    await vi.waitFor(() => expect(clock.delays()).toHaveLength(1));
    expect(clock.delays()).toEqual([2000]);
    expect(pushes).toHaveLength(0);
    held = false;
    clock.runAll();
    await vi.waitFor(() => expect(pushes).toHaveLength(1));
    // Nothing left to send: the next round is the periodic one.
    await vi.waitFor(() => expect(clock.delays()).toEqual([300_000]));
    held = true;
    clock.runAll();
    await vi.waitFor(() => expect(clock.delays()).toEqual([300_000]));
    expect(pushes).toHaveLength(1);
  });

  it('without Web Locks, an in-page mutex still runs rounds one after the other', async () => {
    const lock = createSyncLock(null);
    const order: string[] = [];
    const slow = (name: string) => async () => {
      order.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, 5));
      order.push(`${name}:end`);
      return name;
    };
    const results = await Promise.all([lock.run(slow('a')), lock.run(slow('b'))]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
    expect(results).toEqual([
      { ran: true, value: 'a' },
      { ran: true, value: 'b' },
    ]);
  });

  it('a sync asked for while one runs joins it and runs once more after, never twice at once', async () => {
    let concurrent = 0;
    let most = 0;
    let release = () => {};
    const firstPushHeld = new Promise<void>((resolve) => (release = resolve));
    const { transport, pushes } = scripted({
      push: async (request) => {
        concurrent += 1;
        most = Math.max(most, concurrent);
        if (pushes.length === 1) await firstPushHeld;
        concurrent -= 1;
        const last = request.mutations[request.mutations.length - 1]?.seq ?? 0;
        return {
          protocol: PROTOCOL_VERSION,
          epoch: 'e1',
          acknowledgedUpTo: last,
          results: request.mutations.map((m) => ({ seq: m.seq, status: 'applied' as const })),
        };
      },
    });
    const { device, product, event } = await deviceWithSales(transport, 1);
    const first = device.engine.syncNow();
    await vi.waitFor(() => expect(pushes).toHaveLength(1));
    await device.sell(event.id, [{ product }]);
    const second = device.engine.syncNow();
    expect(second).toBe(first);
    release();
    await first;
    expect(most).toBe(1);
    expect(pushes).toHaveLength(2);
    expect(await device.store.pendingCount()).toBe(0);
  });

  it('a new server epoch seen on pull: checks in with an empty push, rebuilds the outbox and pulls from the start', async () => {
    let epoch = 'e1';
    const { transport, pushes } = scripted({
      push: (request) => {
        if (request.epoch !== null && request.epoch !== epoch) {
          return {
            protocol: PROTOCOL_VERSION,
            epoch,
            acknowledgedUpTo: 0,
            results: [],
            epochChanged: true,
          };
        }
        const last = request.mutations[request.mutations.length - 1]?.seq ?? 0;
        return {
          protocol: PROTOCOL_VERSION,
          epoch,
          acknowledgedUpTo: last,
          results: request.mutations.map((m) => ({ seq: m.seq, status: 'applied' as const })),
        };
      },
      pull: () => ({
        protocol: PROTOCOL_VERSION,
        epoch,
        changes: [],
        cursor: '5.5',
        hasMore: false,
        makerId: null,
      }),
    });
    const { device } = await deviceWithSales(transport, 3);
    await device.settle();
    expect(await device.store.getSyncState()).toMatchObject({ epoch: 'e1', cursor: '5.5' });
    epoch = 'e2';
    await device.settle();
    const [hello, ...rest] = pushes.slice(1);
    expect(hello?.mutations).toEqual([]);
    // Everything the device knows went again: event, product, three sales.
    expect(rest.flatMap((p) => p.mutations.map((m) => m.mutation.type))).toEqual([
      'event.upsert',
      'product.upsert',
      'sale.record',
      'sale.record',
      'sale.record',
    ]);
    expect(rest[0]?.mutations[0]?.seq).toBe(1);
    expect(await device.store.getSyncState()).toMatchObject({ epoch: 'e2', cursor: '5.5' });
  });

  it('keeps a pending count, the last sync time and rejected/flagged counts for the status line', async () => {
    const { transport } = scripted({
      push: (request) => ({
        protocol: PROTOCOL_VERSION,
        epoch: 'e1',
        acknowledgedUpTo: request.mutations[request.mutations.length - 1]?.seq ?? 0,
        results: request.mutations.map((m, i) =>
          i === 0
            ? { seq: m.seq, status: 'rejected' as const, reason: 'x' }
            : { seq: m.seq, status: 'applied' as const, flags: ['oversell' as const] },
        ),
      }),
    });
    let now = 1_000;
    const { device } = await deviceWithSales(transport, 2, { now: () => now });
    const seen: number[] = [];
    device.engine.subscribe((status) => seen.push(status.pendingCount));
    now = 5_000;
    await device.engine.syncNow();
    expect(device.engine.status).toMatchObject({
      pendingCount: 0,
      lastSyncAt: 5_000,
      rejectedCount: 1,
      flaggedCount: 3,
      state: 'idle',
    });
    expect(seen[0]).toBe(0);
    expect(seen).toContain(0);
  });
});

describe('SyncEngine onRound (how the app learns what a round changed)', () => {
  it('[G5] reports every round, whatever its trigger, with the changes it applied, also when it failed half-way', async () => {
    const product = pulledProduct('Taart');
    let pulls = 0;
    const { transport } = scripted({
      pull: () => {
        pulls += 1;
        if (pulls === 3) throw new TransportError('offline', 'dropped');
        return {
          protocol: PROTOCOL_VERSION,
          epoch: 'e1',
          changes: pulls === 1 ? [] : [{ entity: 'product', op: 'upsert', data: product }],
          cursor: pulls === 1 ? null : `1.${pulls}`,
          // The second round's first page says "more", then its next page fails.
          hasMore: pulls === 2,
          makerId: null,
        };
      },
    });
    const rounds: { ok: boolean; pulled: number }[] = [];
    const clock = manualTimers();
    const device = await TestDevice.create({
      transport,
      engine: {
        timers: clock.timers,
        onRound: (result) => rounds.push({ ok: result.ok, pulled: result.pulled }),
      },
    });
    // Round 1 starts with the engine; round 2 is asked for.
    device.engine.start();
    await vi.waitFor(() => expect(rounds).toHaveLength(1));
    await device.engine.syncNow();
    expect(rounds).toEqual([
      { ok: true, pulled: 0 },
      { ok: false, pulled: 1 },
    ]);
    expect(await device.store.getProduct(product.id)).toMatchObject({ name: 'Taart' });

    // A round the engine starts by itself (its retry timer) is reported too.
    clock.runAll();
    await vi.waitFor(() => expect(rounds).toHaveLength(3));
    expect(rounds[2]).toEqual({ ok: true, pulled: 1 });
    device.engine.stop();
  });

  it('a listener that throws never stops syncing', async () => {
    const { transport } = scripted();
    const device = await TestDevice.create({
      transport,
      engine: {
        onRound: () => {
          throw new Error('screen gone');
        },
      },
    });
    await device.addProduct();
    const result = await device.engine.syncNow();
    expect(result.ok).toBe(true);
    expect(await device.store.pendingCount()).toBe(0);
  });
});

describe('MemoryDeviceStore with the engine', () => {
  it('works with the in-memory twin as with Dexie (the engine only needs SyncStore)', async () => {
    const store = new MemoryDeviceStore();
    const { transport } = scripted();
    const device = await TestDevice.create({ transport, store, engine: { lock: NO_LOCK } });
    const product = await device.addProduct();
    const event = await device.addEvent();
    await device.sell(event.id, [{ product }]);
    await device.settle();
    expect(await store.pendingCount()).toBe(0);
  });
});
