import { describe, expect, it } from 'vitest';
import { loadOnce } from '$lib/load-once';
import { Downloads } from './downloads.svelte';

/** A server check the test answers by hand, one answer per question, in order. */
function serverCheck() {
  const waiting: ((answers: boolean) => void)[] = [];
  return {
    ask: () => new Promise<boolean>((resolve) => waiting.push(resolve)),
    asked: () => waiting.length,
    answer: async (answers: boolean) => {
      waiting.shift()?.(answers);
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

const failing = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));

describe('Downloads: a page that needs a reload to get code it loads on first use', () => {
  it('is stuck when a download that failed before fails again while the server answers, and not before', async () => {
    const server = serverCheck();
    const downloads = new Downloads(server.ask);
    const load = loadOnce(failing, downloads);

    // The first failure is the network's (a phone offline): nothing is asked, nothing shown.
    await expect(load()).rejects.toThrow();
    expect(server.asked()).toBe(0);
    expect(downloads.stuck).toBe(false);

    // Again, and the server answers: the browser keeps the failure; only a reload helps.
    await expect(load()).rejects.toThrow();
    expect(server.asked()).toBe(1);
    await server.answer(true);
    expect(downloads.stuck).toBe(true);
  });

  it('is not stuck when the server does not answer either (still offline, or the server down)', async () => {
    const server = serverCheck();
    const downloads = new Downloads(server.ask);
    const load = loadOnce(failing, downloads);
    await expect(load()).rejects.toThrow();
    await expect(load()).rejects.toThrow();
    await server.answer(false);
    expect(downloads.stuck).toBe(false);
  });

  it('is no longer stuck once that download arrived, also when it arrives while the server is being asked', async () => {
    const server = serverCheck();
    const downloads = new Downloads(server.ask);
    let arrives = false;
    const load = loadOnce(() => (arrives ? Promise.resolve('VoidDialog') : failing()), downloads);

    await expect(load()).rejects.toThrow();
    await expect(load()).rejects.toThrow();
    await server.answer(true);
    expect(downloads.stuck).toBe(true);
    arrives = true;
    await expect(load()).resolves.toBe('VoidDialog');
    expect(downloads.stuck).toBe(false);

    // A second loader fails twice; it arrives before the server's answer comes: not stuck.
    let second = false;
    const other = loadOnce(() => (second ? Promise.resolve('SyncEngine') : failing()), downloads);
    await expect(other()).rejects.toThrow();
    await expect(other()).rejects.toThrow();
    second = true;
    await expect(other()).resolves.toBe('SyncEngine');
    await server.answer(true);
    expect(downloads.stuck).toBe(false);
  });

  it('stays stuck while any one of its loads is stuck', async () => {
    const server = serverCheck();
    const downloads = new Downloads(server.ask);
    let firstArrives = false;
    const first = loadOnce(() => (firstArrives ? Promise.resolve(1) : failing()), downloads);
    const second = loadOnce(failing, downloads);
    for (const load of [first, second]) {
      await expect(load()).rejects.toThrow();
      await expect(load()).rejects.toThrow();
      await server.answer(true);
    }
    expect(downloads.stuck).toBe(true);
    firstArrives = true;
    await first();
    expect(downloads.stuck).toBe(true);
  });
});
