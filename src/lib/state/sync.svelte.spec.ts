// The app's sync wiring with fakes: the in-memory device store, a scripted transport and
// timers the test runs by hand. What the engine itself does is in src/lib/sync/engine.spec.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { createHlc, type HybridLogicalClock } from '$lib/domain/clock';
import { uuidv7 } from '$lib/domain/ids';
import type { MarketEvent, Mutation, Product } from '$lib/domain/types';
import { CURRENT_EVENT_SETTING } from '$lib/services/events';
import {
  PROTOCOL_VERSION,
  type Change,
  type PullResponse,
  type PushRequestOut,
  type PushResponse,
} from '$lib/sync/protocol';
import { NO_LOCK } from '$lib/sync/testing/device';
import { manualTimers } from '$lib/sync/testing/manual-timers';
import { TransportError, type SyncTransport } from '$lib/sync/transport';
import { app } from './app.svelte';
import { sync } from './sync.svelte';
import { till } from './till.svelte';

const NOW = 1_750_000_000_000;
const MAKER = uuidv7(NOW);

function product(name: string, priceCents: number): Product {
  return {
    id: uuidv7(),
    makerId: MAKER,
    name,
    priceCents,
    vatRate: 9,
    photoId: null,
    colour: 'olive',
    category: '',
    archived: false,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

function marketEvent(name: string): MarketEvent {
  return {
    id: uuidv7(),
    organisationId: null,
    seriesId: null,
    name,
    date: '2026-06-13',
    place: 'Oosterpark',
    opensAt: null,
    closesAt: null,
    status: 'open',
    origin: 'device',
    createdAt: NOW,
    updatedAt: NOW,
  };
}

/** A server stand-in: acknowledges every push, or fails as told; pulls hand out `pages`. */
function fakeServer() {
  const pushes: PushRequestOut[] = [];
  const pages: Change[][] = [];
  let failure: TransportError | null = null;
  const transport: SyncTransport = {
    async push(request): Promise<PushResponse> {
      if (failure) throw failure;
      pushes.push(structuredClone(request));
      return {
        protocol: PROTOCOL_VERSION,
        epoch: 'e1',
        acknowledgedUpTo: request.mutations.at(-1)?.seq ?? 0,
        results: request.mutations.map((m) => ({ seq: m.seq, status: 'applied' as const })),
      };
    },
    async pull(): Promise<PullResponse> {
      if (failure) throw failure;
      const changes = pages.shift() ?? [];
      return {
        protocol: PROTOCOL_VERSION,
        epoch: 'e1',
        changes,
        cursor: changes.length > 0 ? `1.${pushes.length + 1}` : null,
        hasMore: false,
        makerId: MAKER,
      };
    },
  };
  return {
    transport,
    pushes,
    pages,
    fail: (error: TransportError | null) => (failure = error),
    pushedTypes: () => pushes.flatMap((p) => p.mutations.map((m) => (m.mutation as Mutation).type)),
  };
}

let store: MemoryDeviceStore;
let clock: HybridLogicalClock;
let server: ReturnType<typeof fakeServer>;
let timers: ReturnType<typeof manualTimers>;

beforeEach(async () => {
  store = new MemoryDeviceStore({ now: () => NOW });
  clock = createHlc(await store.deviceId(), () => NOW);
  await store.saveProfile({
    id: MAKER,
    stallName: 'Bakkerij',
    organisationId: null,
    userId: null,
    cashRounding: false,
    createdAt: NOW,
  });
  await app.attach(store);
  server = fakeServer();
  timers = manualTimers();
});

afterEach(() => sync.stop());

/** Starts sync the way the layout does, with the fakes; waits for the start round. */
async function startSync(): Promise<void> {
  await sync.start(store, {
    transport: server.transport,
    engine: { events: null, lock: NO_LOCK, timers: timers.timers, debounceMs: 2_000 },
  });
  await sync.syncNow();
}

describe('sync state (the app wiring)', () => {
  it("[G2] the header's pending count follows the outbox after every round, with no drift", async () => {
    server.fail(new TransportError('offline', 'no network'));
    await startSync();
    // Written behind the app's back (another tab): the next round still shows the truth.
    await store.saveProduct(product('Brood', 350), clock.now());
    await store.saveEvent(marketEvent('Markt'), clock.now());
    expect(app.pendingCount).toBe(0);
    await sync.syncNow();
    expect(app.pendingCount).toBe(2);
    expect(sync.status.lastFailure?.reason).toBe('offline');

    server.fail(null);
    await sync.syncNow();
    expect(server.pushedTypes()).toEqual(['product.upsert', 'event.upsert']);
    expect(app.pendingCount).toBe(0);
    expect(await store.pendingCount()).toBe(0);
    expect(sync.status.lastFailure).toBeNull();
    expect(sync.status.lastSyncAt).not.toBeNull();
  });

  it('[first visit] a sync whose code could not be fetched (offline before it arrived) is not stuck: it starts once the browser is back online and the outbox goes', async () => {
    const page = new EventTarget();
    vi.stubGlobal('window', page);
    try {
      // The engine's code is fetched with the transport's: the first fetch fails as offline.
      let fetches = 0;
      const transport = {
        then(resolve: (t: SyncTransport) => void, reject: (e: unknown) => void) {
          fetches += 1;
          if (fetches === 1) reject(new TypeError('Failed to fetch dynamically imported module'));
          else resolve(server.transport);
        },
      } as unknown as SyncTransport;
      const options = {
        transport,
        engine: { events: null, lock: NO_LOCK, timers: timers.timers, debounceMs: 2_000 },
      };
      await sync.start(store, options);
      expect(sync.started).toBe(false);
      await store.saveProduct(product('Brood', 350), clock.now());

      page.dispatchEvent(new Event('online'));
      await vi.waitFor(() => expect(sync.started).toBe(true));
      await sync.syncNow();
      expect(fetches).toBe(2);
      expect(server.pushedTypes()).toEqual(['product.upsert']);
      expect(await store.pendingCount()).toBe(0);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('[first visit] two starts whose code could not be fetched, then stop() (signed out): going online starts nothing', async () => {
    const page = new EventTarget();
    vi.stubGlobal('window', page);
    try {
      let fetches = 0;
      const transport = {
        then(resolve: (t: SyncTransport) => void, reject: (e: unknown) => void) {
          fetches += 1;
          if (fetches <= 2) reject(new TypeError('Failed to fetch dynamically imported module'));
          else resolve(server.transport);
        },
      } as unknown as SyncTransport;
      const options = {
        transport,
        engine: { events: null, lock: NO_LOCK, timers: timers.timers, debounceMs: 2_000 },
      };
      // The layout starts sync, then (still offline) a sign-in starts it again: both fail.
      await sync.start(store, options);
      await sync.start(store, options);
      expect(fetches).toBe(2);
      expect(sync.started).toBe(false);
      // Signed out: sync stops, and no start waiting to try again may bring it back.
      sync.stop();
      page.dispatchEvent(new Event('online'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(sync.started).toBe(false);
      expect(fetches).toBe(2);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('signed out (401): the status says so and nothing leaves the outbox; a sync after sign-in sends it', async () => {
    await store.saveProduct(product('Brood', 350), clock.now());
    server.fail(new TransportError('unauthorized', 'Sign in to sync.', 401));
    await startSync();
    expect(sync.status.lastFailure?.reason).toBe('signed-out');
    expect(app.pendingCount).toBe(1);

    server.fail(null);
    await sync.syncNow();
    expect(app.pendingCount).toBe(0);
    expect(server.pushedTypes()).toEqual(['product.upsert']);
  });

  it('after a pull that brought changes, the app and every registered screen re-read the store; an empty pull changes nothing', async () => {
    const event = marketEvent('Zomermarkt');
    await store.setSetting(CURRENT_EVENT_SETTING, event.id);
    await app.refresh();
    expect(app.currentEvent).toBeUndefined();
    const seen: string[][] = [];
    const screen = vi.fn(async () => {
      seen.push((await store.listProducts()).map((p) => p.name));
    });
    const stop = sync.onRemoteChanges(screen);

    server.pages.push([
      { entity: 'event', op: 'upsert', data: event },
      { entity: 'product', op: 'upsert', data: product('Taart', 1275) },
    ]);
    await startSync();
    expect(screen).toHaveBeenCalledOnce();
    expect(seen).toEqual([['Taart']]);
    // The app state re-read before the screens ran: the pulled event is the current one now.
    expect(app.currentEvent?.name).toBe('Zomermarkt');

    await sync.syncNow();
    expect(screen).toHaveBeenCalledOnce();

    stop();
    server.pages.push([{ entity: 'product', op: 'upsert', data: product('Koek', 200) }]);
    await sync.syncNow();
    expect(screen).toHaveBeenCalledOnce();
  });

  it('a screen that fails to re-read does not keep the others stale', async () => {
    const other = vi.fn();
    const stopFailing = sync.onRemoteChanges(() => {
      throw new Error('screen gone');
    });
    const stopOther = sync.onRemoteChanges(other);
    server.pages.push([{ entity: 'product', op: 'upsert', data: product('Taart', 1275) }]);
    await startSync();
    expect(other).toHaveBeenCalledOnce();
    stopFailing();
    stopOther();
  });

  it('[G2] a completed sale and a void ask sync to send them shortly after the commit, once per burst', async () => {
    const event = marketEvent('Markt');
    const bread = product('Brood', 350);
    await store.saveEvent(event, clock.now());
    await store.saveProduct(bread, clock.now());
    await store.setSetting(CURRENT_EVENT_SETTING, event.id);
    await startSync();
    expect(server.pushedTypes()).toEqual(['event.upsert', 'product.upsert']);
    await app.refresh();
    await till.load(store, event.id);
    till.clear();

    till.add(bread);
    till.openPayment();
    expect(await till.completeCash(500)).toBe(true);
    expect(await till.voidLast('Verkeerd aangeslagen')).toBe(true);
    // Nothing is sent during the sale; one debounced round follows the burst.
    expect(server.pushes).toHaveLength(1);
    expect(timers.delays().filter((ms) => ms === 2_000)).toHaveLength(1);
    timers.run(2_000);
    await vi.waitFor(() =>
      expect(server.pushedTypes()).toEqual([
        'event.upsert',
        'product.upsert',
        'sale.record',
        'sale.void',
      ]),
    );
    await sync.syncNow();
    expect(app.pendingCount).toBe(0);
  });
});
