import { expect, type Locator, type Page } from '@playwright/test';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A path only the test's service worker answers (with its release); the server has no such page. */
const RELEASE_PATH = '/__e2e/service-worker-release';

/**
 * A deployment of the app in front of the test server: every request is passed on to the
 * server (the test server keeps serving the build), except `/sw.js`, which is the service
 * worker as built with a release marker in front. Publishing release "2" after "1" changes
 * the script's bytes exactly as deploying a new version does; the browser finds it by its
 * own update check, installs it beside the old one, and the app decides when it takes over
 * (the real vite-plugin-pwa / workbox path). A server has to answer that check: Chromium's
 * update check of a registered worker bypasses Playwright's routing (page.route and
 * context.route see the first fetch of /sw.js, not the update), so a routed script would
 * leave the browser updating to the server's unchanged one. The marker also answers RELEASE_PATH, so a page can ask
 * which release controls it. The deployment listens on a port the system picks (never one
 * another test server uses) and presents itself to the server as the server's own origin.
 */
export class Deployment {
  #release: string;
  readonly #script: string;
  readonly #server: Server;
  readonly #upstream: URL;
  /** Where the browser opens the app, e.g. http://127.0.0.1:41234 */
  readonly origin: string;

  private constructor(upstream: URL, script: string, release: string, server: Server) {
    this.#upstream = upstream;
    this.#script = script;
    this.#release = release;
    this.#server = server;
    const address = server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${address.port}`;
  }

  static async start(upstreamOrigin: string, release: string): Promise<Deployment> {
    const upstream = new URL(upstreamOrigin);
    const built = await fetch(new URL('/sw.js', upstream));
    expect(built.status, 'the build has a service worker').toBe(200);
    const script = await built.text();
    expect(script).toContain('precacheAndRoute');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const deployment = new Deployment(upstream, script, release, server);
    server.on('request', (request, response) => deployment.#handle(request, response));
    return deployment;
  }

  /** A new version is deployed: from now on /sw.js is `release`. */
  publish(release: string): void {
    this.#release = release;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    if (request.url === '/sw.js') {
      response.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'no-cache',
      });
      response.end(this.#workerScript());
      return;
    }
    // Passed on as if it came to the server's own origin (its same-origin checks hold).
    const headers = { ...request.headers, host: this.#upstream.host };
    for (const name of ['origin', 'referer'] as const) {
      const value = headers[name];
      if (typeof value === 'string')
        headers[name] = value.replace(this.origin, this.#upstream.origin);
    }
    const forwarded = httpRequest(
      {
        host: this.#upstream.hostname,
        port: this.#upstream.port,
        method: request.method,
        path: request.url,
        headers,
      },
      (answer) => {
        const location = answer.headers.location;
        if (location)
          answer.headers.location = location.replace(this.#upstream.origin, this.origin);
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(forwarded);
  }

  #workerScript(): string {
    return [
      `const KRAAM_E2E_RELEASE = ${JSON.stringify(this.#release)};`,
      `self.addEventListener('fetch', (event) => {`,
      `  if (new URL(event.request.url).pathname === ${JSON.stringify(RELEASE_PATH)}) {`,
      `    event.respondWith(new Response(KRAAM_E2E_RELEASE));`,
      `  }`,
      `});`,
      this.#script,
    ].join('\n');
  }
}

/**
 * The release of the service worker controlling `page`; null when none controls it, or while
 * the page is reloading (an update reloads it).
 */
export async function controllingRelease(page: Page): Promise<string | null> {
  try {
    return await page.evaluate(async (path) => {
      if (!navigator.serviceWorker.controller) return null;
      const response = await fetch(path, { cache: 'no-store' });
      return response.ok ? response.text() : null;
    }, RELEASE_PATH);
  } catch (error) {
    if (String(error).includes('Execution context was destroyed')) return null;
    throw error;
  }
}

/**
 * Waits until the worker is active and controls `page` (a page loaded before the first worker
 * activated is not controlled until it loads again: the app does not claim clients).
 */
export async function untilControlled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  if (await page.evaluate(() => navigator.serviceWorker.controller === null)) await page.reload();
}

/** The states of the registration's workers, as the browser reports them. */
export async function registration(
  page: Page,
): Promise<{ active: string | null; waiting: string | null; installing: string | null }> {
  return page.evaluate(async () => {
    const found = await navigator.serviceWorker.getRegistration();
    return {
      active: found?.active?.state ?? null,
      waiting: found?.waiting?.state ?? null,
      installing: found?.installing?.state ?? null,
    };
  });
}

/** The browser's update check (it also runs on navigations): fetches the worker script again. */
export async function checkForUpdate(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const found = await navigator.serviceWorker.getRegistration();
    if (!found) throw new Error('no service worker registered');
    await found.update();
  });
}

/** The app's update prompt (src/lib/components/UpdatePrompt.svelte), Dutch texts. */
export class UpdatePrompt {
  readonly prompt: Locator;
  readonly updateNow: Locator;

  constructor(readonly page: Page) {
    this.prompt = page
      .getByRole('status')
      .filter({ hasText: /^(Er is een nieuwe versie klaar\.|Wordt bijgewerkt)/ });
    this.updateNow = this.prompt.getByRole('button', { name: 'Bijwerken', exact: true });
  }
}
