import { describe, expect, it, vi } from 'vitest';
import { UpdateState, type RegisterServiceWorker } from './update.svelte';

/** A fake vite-plugin-pwa registration: the test plays the service worker's events. */
function fakeServiceWorker() {
  const activate = vi.fn(async (_reloadPage?: boolean) => undefined);
  let needRefresh: () => void = () => undefined;
  let needReload: () => void = () => undefined;
  const register: RegisterServiceWorker = (options) => {
    needRefresh = options.onNeedRefresh;
    needReload = options.onNeedReload;
    return { updateServiceWorker: activate };
  };
  return {
    register,
    activate,
    newVersionWaiting: () => needRefresh(),
    otherTabActivated: () => needReload(),
  };
}

async function started() {
  const sw = fakeServiceWorker();
  const reload = vi.fn();
  const state = new UpdateState(reload);
  await state.start(sw.register);
  return { state, sw, reload };
}

describe('UpdateState (docs/sync-faults.md fault 17)', () => {
  it('[fault 17] a requested update waits while sales are unsent, and activates once the outbox is empty', async () => {
    const { state, sw } = await started();
    sw.newVersionWaiting();
    expect(state.waiting).toBe(true);
    state.request();

    expect(state.settle({ saleInProgress: false, pendingCount: 3 })).toBe('wait-for-outbox');
    expect(state.step).toBe('wait-for-outbox');
    expect(sw.activate).not.toHaveBeenCalled();
    expect(state.settle({ saleInProgress: false, pendingCount: 1 })).toBe('wait-for-outbox');
    expect(sw.activate).not.toHaveBeenCalled();

    expect(state.settle({ saleInProgress: false, pendingCount: 0 })).toBe('activate');
    expect(sw.activate).toHaveBeenCalledOnce();
    expect(sw.activate).toHaveBeenCalledWith(true);
    expect(state.requested).toBe(false);
  });

  it('[fault 17] never activates under a sale, even with an empty outbox; goes right after it', async () => {
    const { state, sw } = await started();
    sw.newVersionWaiting();
    state.request();
    expect(state.settle({ saleInProgress: true, pendingCount: 0 })).toBe('wait-for-sale');
    expect(sw.activate).not.toHaveBeenCalled();
    // The sale completes: its outbox entry waits first, then it is sent.
    expect(state.settle({ saleInProgress: false, pendingCount: 1 })).toBe('wait-for-outbox');
    expect(state.settle({ saleInProgress: false, pendingCount: 0 })).toBe('activate');
    expect(sw.activate).toHaveBeenCalledOnce();
  });

  it('does nothing until the maker asks, even when idle with an empty outbox', async () => {
    const { state, sw, reload } = await started();
    sw.newVersionWaiting();
    expect(state.settle({ saleInProgress: false, pendingCount: 0 })).toBe('none');
    expect(sw.activate).not.toHaveBeenCalled();
    expect(reload).not.toHaveBeenCalled();
  });

  it('another tab activated the new version: this page reloads once it is idle, not under a sale', async () => {
    const { state, sw, reload } = await started();
    sw.otherTabActivated();
    expect(state.settle({ saleInProgress: true, pendingCount: 2 })).toBe('wait-for-sale');
    expect(reload).not.toHaveBeenCalled();
    expect(state.settle({ saleInProgress: false, pendingCount: 2 })).toBe('reload');
    expect(reload).toHaveBeenCalledOnce();
    expect(state.reloadWanted).toBe(false);
    expect(sw.activate).not.toHaveBeenCalled();
  });

  it('registers the service worker once, however often start is called', async () => {
    const sw = fakeServiceWorker();
    const register = vi.fn(sw.register);
    const state = new UpdateState(vi.fn());
    await Promise.all([state.start(register), state.start(register)]);
    await state.start(register);
    expect(register).toHaveBeenCalledOnce();
  });
});
