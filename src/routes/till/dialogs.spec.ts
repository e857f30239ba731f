import { describe, expect, it } from 'vitest';
import { loadOnce, preloadTillDialogs } from './dialogs';

describe('loadOnce: a dialog loaded on first use', () => {
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
    arrive('DiscountDialog');
    expect(await first).toBe('DiscountDialog');
    expect(await second).toBe('DiscountDialog');
    expect(calls).toBe(1);
  });
});

describe('preloadTillDialogs', () => {
  it('asks every loader at once, and a failed one neither throws nor stops the others', async () => {
    const asked: string[] = [];
    const loader =
      (name: string, fails = false) =>
      () => {
        asked.push(name);
        return fails ? Promise.reject(new Error('offline')) : Promise.resolve(name);
      };
    preloadTillDialogs({ void: loader('void', true), discount: loader('discount') });
    expect(asked).toEqual(['void', 'discount']);
    // A rejection left unhandled would fail the run.
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});
