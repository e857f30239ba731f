import { describe, expect, it, vi } from 'vitest';
import {
  PERSISTENCE_SETTING,
  openDeviceStore,
  persistenceState,
  requestPersistence,
} from './index';
import { MemoryDeviceStore } from './memory-store';

describe('openDeviceStore', () => {
  it('opens one store per database name and hands every caller the same one', async () => {
    const name = `kraam-index-${Math.random().toString(36).slice(2)}`;
    const [a, b] = await Promise.all([openDeviceStore(name), openDeviceStore(name)]);
    expect(a).toBe(b);
    expect(await openDeviceStore(name)).toBe(a);
    expect(await openDeviceStore(`${name}-other`)).not.toBe(a);
    expect(await a.pendingCount()).toBe(0);
  });
});

describe('requestPersistence', () => {
  it('asks the browser once and remembers the answer for settings', async () => {
    const store = new MemoryDeviceStore();
    const persist = vi.fn(async () => true);
    const persisted = vi.fn(async () => false);
    const storage = { persist, persisted };
    expect(await persistenceState({ store, storage })).toBe('unknown');
    expect(await requestPersistence({ store, storage })).toBe('granted');
    expect(await requestPersistence({ store, storage })).toBe('granted');
    expect(persist).toHaveBeenCalledTimes(1);
    expect(await store.getSetting(PERSISTENCE_SETTING)).toBe('granted');
    expect(await persistenceState({ store, storage })).toBe('granted');
  });

  it('remembers a refusal without asking again; a later grant by the browser shows in the state', async () => {
    const store = new MemoryDeviceStore();
    const persist = vi.fn(async () => false);
    let persistedNow = false;
    const storage = { persist, persisted: async () => persistedNow };
    expect(await requestPersistence({ store, storage })).toBe('denied');
    expect(await requestPersistence({ store, storage })).toBe('denied');
    expect(persist).toHaveBeenCalledTimes(1);
    expect(await persistenceState({ store, storage })).toBe('denied');
    persistedNow = true;
    expect(await persistenceState({ store, storage })).toBe('granted');
  });

  it('is "unsupported" without navigator.storage.persist, and "denied" when it throws', async () => {
    const store = new MemoryDeviceStore();
    expect(await requestPersistence({ store, storage: undefined })).toBe('unsupported');
    const other = new MemoryDeviceStore();
    const storage = {
      persist: async (): Promise<boolean> => {
        throw new Error('not in a private window');
      },
    };
    expect(await requestPersistence({ store: other, storage })).toBe('denied');
  });
});
