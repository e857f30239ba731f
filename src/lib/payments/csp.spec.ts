import { describe, expect, it } from 'vitest';
import config from '../../../svelte.config.js';

describe('Content-Security-Policy for Stripe.js (Embedded Checkout)', () => {
  it('allows exactly Stripe’s hosts: js.stripe.com for scripts and frames, api.stripe.com for connections, nothing broader', () => {
    const directives = config.kit?.csp?.directives ?? {};
    expect(directives['script-src']).toEqual(['self', 'https://js.stripe.com']);
    expect(directives['frame-src']).toEqual(['https://js.stripe.com']);
    expect(directives['connect-src']).toEqual(['self', 'https://api.stripe.com']);
    const all = Object.values(directives).flat().map(String);
    expect(all.filter((source) => /stripe/.test(source)).sort()).toEqual([
      'https://api.stripe.com',
      'https://js.stripe.com',
      'https://js.stripe.com',
    ]);
    for (const source of all) expect(source).not.toMatch(/\*|^https:$|^http:$/);
    expect(directives['default-src']).toEqual(['self']);
  });
});
