import { describe, expect, it } from 'vitest';
import { loadOnce, type DownloadWatch } from './load-once';

describe('loadOnce: a module loaded on first use', () => {
  it('tries again after a failed fetch (no network, never downloaded) and keeps what arrived', async () => {
    let calls = 0;
    let online = false;
    const load = loadOnce(async () => {
      calls++;
      if (!online) throw new TypeError('Failed to fetch dynamically imported module');
      return { default: 'VoidDialog' };
    });

    await expect(load()).rejects.toThrow('Failed to fetch');
    await expect(load()).rejects.toThrow('Failed to fetch');
    expect(calls).toBe(2);

    online = true;
    await expect(load()).resolves.toEqual({ default: 'VoidDialog' });
    await expect(load()).resolves.toEqual({ default: 'VoidDialog' });
    expect(calls).toBe(3);
  });

  it('asks once while a fetch is on its way', async () => {
    let calls = 0;
    let arrive: (value: string) => void = () => undefined;
    const load = loadOnce(() => {
      calls++;
      return new Promise<string>((resolve) => (arrive = resolve));
    });
    const first = load();
    const second = load();
    expect(second).toBe(first);
    arrive('DiscountDialog');
    expect(await first).toBe('DiscountDialog');
    expect(await second).toBe('DiscountDialog');
    expect(calls).toBe(1);
  });

  it('leaves no rejection unhandled: a failed load rejects only the promise its callers hold', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      let fail = true;
      const load = loadOnce(() =>
        fail ? Promise.reject(new Error('offline')) : Promise.resolve('RestockDialog'),
      );
      const first = load();
      const second = load();
      await expect(first).rejects.toThrow('offline');
      await expect(second).rejects.toThrow('offline');
      fail = false;
      await expect(load()).resolves.toBe('RestockDialog');
      // Unhandled rejections are reported after a turn of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('tells its watch of each failure (the second and later as "again") and of the arrival, naming itself', async () => {
    const heard: string[] = [];
    const loaders = new Set<object>();
    const watch: DownloadWatch = {
      failed: (loader, again) => {
        loaders.add(loader);
        heard.push(again ? 'failed again' : 'failed');
      },
      arrived: (loader) => {
        loaders.add(loader);
        heard.push('arrived');
      },
    };
    let online = false;
    const load = loadOnce(async () => {
      if (!online) throw new TypeError('Failed to fetch dynamically imported module');
      return 'VoidDialog';
    }, watch);
    const other = loadOnce(() => Promise.reject(new Error('offline')), watch);

    await expect(load()).rejects.toThrow('Failed to fetch');
    await expect(load()).rejects.toThrow('Failed to fetch');
    await expect(load()).rejects.toThrow('Failed to fetch');
    online = true;
    await expect(load()).resolves.toBe('VoidDialog');
    await expect(load()).resolves.toBe('VoidDialog');
    expect(heard).toEqual(['failed', 'failed again', 'failed again', 'arrived']);
    expect(loaders.size).toBe(1);

    // Another loader's first failure is its own first.
    await expect(other()).rejects.toThrow('offline');
    expect(heard.at(-1)).toBe('failed');
    expect(loaders.size).toBe(2);
  });
});
