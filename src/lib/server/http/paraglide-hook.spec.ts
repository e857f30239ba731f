import type { RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { handleParaglide, needsLanguage } from './paraglide-hook';

function eventFor(path: string, init: RequestInit = {}): RequestEvent {
  const url = new URL(`http://kraam.test${path}`);
  return { url, request: new Request(url, init) } as unknown as RequestEvent;
}

/** Runs the hook; returns the request the route would see and the page options it got. */
async function through(event: RequestEvent) {
  let seen: { request: Request; options?: ResolveOptions } | null = null;
  await handleParaglide({
    event,
    resolve: (e, options) => {
      seen = { request: e.request, options };
      return Promise.resolve(new Response('<html lang="%paraglide.lang%">'));
    },
  });
  if (!seen) throw new Error('the hook did not resolve the request');
  return seen as { request: Request; options?: ResolveOptions };
}

describe('the language hook (paraglide)', () => {
  it('passes a device’s sync request on as it came: the same Request, its body unread, no language work', async () => {
    for (const path of ['/api/sync/push', '/api/sync/pull', '/api/sync/photos/abc']) {
      const body = JSON.stringify({ protocol: 1, mutations: [] });
      const event = eventFor(path, {
        method: 'POST',
        body,
        headers: { cookie: 'PARAGLIDE_LOCALE=ar', 'content-type': 'application/json' },
      });
      const original = event.request;
      const { request, options } = await through(event);
      expect(request).toBe(original);
      expect(request.bodyUsed).toBe(false);
      expect(await request.text()).toBe(body);
      expect(options?.transformPageChunk).toBeUndefined();
    }
  });

  it('still gives pages and every other API the request’s language', async () => {
    expect(needsLanguage('/till')).toBe(true);
    expect(needsLanguage('/api/organiser/events')).toBe(true);
    expect(needsLanguage('/api/syncing')).toBe(true);
    const { options } = await through(
      eventFor('/till', { headers: { cookie: 'PARAGLIDE_LOCALE=ar' } }),
    );
    const html = await options?.transformPageChunk?.({
      html: '<html lang="%paraglide.lang%" dir="%paraglide.dir%">',
      done: true,
    });
    expect(html).toBe('<html lang="ar" dir="rtl">');
  });

  it('gives its language to a page answered under /api/sync/ that no sync route serves (a 404 page: lang and dir filled, not left as placeholders)', async () => {
    for (const path of [
      '/api/sync/nope',
      '/api/sync/photos/',
      '/api/sync/photos/abc/more',
      '/api/sync/..%2Forganiser',
      '/api/sync/push/extra',
      '/api/sync/pushx',
    ]) {
      expect(needsLanguage(path), path).toBe(true);
      const { options } = await through(
        eventFor(path, { headers: { cookie: 'PARAGLIDE_LOCALE=ar', accept: 'text/html' } }),
      );
      const html = await options?.transformPageChunk?.({
        html: '<html lang="%paraglide.lang%" dir="%paraglide.dir%">',
        done: true,
      });
      expect(html, path).toBe('<html lang="ar" dir="rtl">');
    }
  });
});
