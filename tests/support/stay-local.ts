import type { BrowserContext } from '@playwright/test';

/**
 * Aborts and records every request to a host other than this machine (routes a page adds,
 * e.g. Stripe.js's stand-in, come first), for the payments browser tests.
 */
export async function stayLocal(context: BrowserContext): Promise<string[]> {
  const offsite: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.protocol === 'data:') {
      return route.continue();
    }
    offsite.push(url.href);
    return route.abort();
  });
  return offsite;
}
