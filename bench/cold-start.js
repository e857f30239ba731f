// A cold offline start, measured the same way for the till and for its floor (bench/floor.js):
// a fresh persistent Chromium profile visits the page once online (its service worker
// installs and controls it), the browser is closed, started again with the same profile and
// no network, and the page is opened; it is served by its service worker from the precache.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchPersistent } from './chromium.js';

const viewport = { width: 360, height: 740 };

/** The "Brood" tile (the till's first product; the floor's one button). */
export function tile(page) {
  return page.getByRole('region', { name: 'Producten' }).getByRole('button', { name: /^Brood/ });
}

// In the page itself, before its own code: the moment the tile is in the document and enabled
// (the DOM change's own microtask) and the first task after it (a tap could run no earlier);
// the moment the cart first lists "Brood" (after a tap) and when the tap's click reached the
// page. The polling of `coldStart` sees the tile only when the page's main thread lets it.
function observeInPage() {
  const tileFound = () =>
    [...document.querySelectorAll('button')].some(
      (b) => b.textContent?.includes('Brood') && !b.disabled,
    );
  const cartFound = () =>
    [...document.querySelectorAll('[aria-labelledby$="-cart"] li')].some((li) =>
      li.textContent?.includes('Brood'),
    );
  const observer = new MutationObserver(() => {
    if (window.__kraamTileInDom === undefined && tileFound()) {
      window.__kraamTileInDom = performance.now();
      // How much the first paint draws: the elements in the document with the tile.
      window.__kraamNodesAtTile = document.getElementsByTagName('*').length;
      setTimeout(() => (window.__kraamTileFree = performance.now()), 0);
    }
    if (window.__kraamCartShown === undefined && cartFound()) {
      window.__kraamCartShown = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  document.addEventListener(
    'pointerdown',
    (e) => {
      // When the browser took the input, and when the page's main thread ran it.
      window.__kraamTapInput = e.timeStamp;
      window.__kraamTapRun = performance.now();
    },
    { capture: true, once: true },
  );
}

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
};

/**
 * Installs the page's service worker in a fresh profile: `setup(page)` (online), then `path`
 * is opened until its worker controls it. Returns the profile's folder.
 */
export async function prepareProfile(url, path, setup) {
  const profile = mkdtempSync(join(tmpdir(), 'kraam-bench-profile-'));
  const context = await launchPersistent(profile, { viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  if (setup) await setup(page, url);
  await page.goto(`${url}${path}`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  for (let i = 0; i < 20; i++) {
    await page.reload();
    if (await page.evaluate(() => navigator.serviceWorker.controller !== null)) break;
  }
  await context.close();
  return profile;
}

/**
 * Opens `path` offline in the prepared profile and returns the page (and its context) once
 * `until(page)` resolved; `onPage(page)` runs before the navigation (e.g. a CDP trace).
 */
export async function openOffline(profile, url, path, { onPage, waitUntil } = {}) {
  const context = await launchPersistent(profile, { viewport });
  await context.setOffline(true);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript(observeInPage);
  if (onPage) await onPage(page);
  await page.goto(`${url}${path}`, { waitUntil });
  return { context, page };
}

async function phasesOf(page) {
  return page.evaluate(() => {
    const now = performance.now();
    const nav = performance.getEntriesByType('navigation')[0];
    const scripts = performance
      .getEntriesByType('resource')
      .filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'));
    return {
      now,
      // The page's HTML from the service worker's precache (worker start included).
      html: nav?.responseEnd ?? 0,
      // The document's load event (what Playwright's goto waits for before polling).
      load: nav?.loadEventEnd || now,
      // The last script in memory (fetched through the worker), whenever it was asked for.
      scripts: Math.max(0, ...scripts.map((r) => r.responseEnd)),
      inDom: window.__kraamTileInDom ?? now,
      free: window.__kraamTileFree ?? now,
      tapInput: window.__kraamTapInput ?? NaN,
      tapRun: window.__kraamTapRun ?? NaN,
      cart: window.__kraamCartShown ?? NaN,
    };
  });
}

/**
 * `runs` cold offline starts of `url + path` (its service worker installed by
 * `prepareProfile` first). Each run: the tile "Brood" visible and enabled as Playwright's
 * polling sees it (the figure the aim is about), with the in-page moments of `observeInPage`.
 * With `tap`, a second set of `runs`: Playwright clicks the tile as soon as it can (visible,
 * enabled, stable: its `click`), and the figure is navigation start to the cart showing
 * "Brood" (in the page), with the tap's own wait (input to cart); `clearCart(page)` empties
 * the cart again after each (the till keeps its cart on the device).
 */
export async function coldStart(url, path, { runs = 7, setup, tap = false, clearCart } = {}) {
  const profile = await prepareProfile(url, path, setup);
  try {
    const polled = [];
    for (let run = 0; run < runs; run++) {
      const { context, page } = await openOffline(profile, url, path);
      await tile(page).waitFor({ state: 'visible' });
      await page.waitForFunction(() => {
        const t = [...document.querySelectorAll('button')].find((b) =>
          b.textContent?.includes('Brood'),
        );
        return t && !t.disabled;
      });
      const phases = await phasesOf(page);
      polled.push({ ...phases, interactive: phases.now });
      await context.close();
    }
    const taps = [];
    if (tap) {
      for (let run = 0; run < runs; run++) {
        // The click as soon as Playwright can make it: not after the `load` event.
        const { context, page } = await openOffline(profile, url, path, { waitUntil: 'commit' });
        await tile(page).click();
        await page.waitForFunction(() => window.__kraamCartShown !== undefined);
        taps.push(await phasesOf(page));
        if (clearCart) await clearCart(page);
        await context.close();
      }
    }
    const times = polled.map((p) => p.interactive).sort((a, b) => a - b);
    const phase = (rows, key) => Math.round(median(rows.map((r) => r[key])));
    return {
      runs: times.length,
      medianMs: times[Math.floor(times.length / 2)],
      maxMs: times[times.length - 1],
      allMs: times.map((t) => Math.round(t)),
      // Medians of each phase's end (ms from navigation start).
      phasesMs: Object.fromEntries(
        ['html', 'scripts', 'inDom', 'free', 'load', 'interactive'].map((k) => [
          k,
          phase(polled, k),
        ]),
      ),
      ...(tap && {
        tap: {
          // Navigation start to the cart showing the item, a real click as early as it can.
          medianMs: phase(taps, 'cart'),
          maxMs: Math.round(Math.max(...taps.map((t) => t.cart))),
          allMs: taps.map((t) => Math.round(t.cart)).sort((a, b) => a - b),
          // The click's input (its event time) and the cart showing it, medians.
          inputMs: phase(taps, 'tapInput'),
          inputToCartMs: Math.round(median(taps.map((t) => t.cart - t.tapInput))),
        },
      }),
    };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
