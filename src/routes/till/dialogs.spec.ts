import { describe, expect, it } from 'vitest';
import { preloadTillDialogs } from './dialogs';

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
