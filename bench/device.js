// Device benchmarks in headless Chromium: recordSale vs a raw Dexie floor, summary time,
// JavaScript shipped for the till, and a cold offline start of the till.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch } from './chromium.js';
import { coldStart, tile as tillTile } from './cold-start.js';
import { serveStatic } from './serve-static.js';

const root = new URL('..', import.meta.url).pathname;

/**
 * Store-level figures from bench/browser (built with the app's own modules). `only`: one
 * benchmark of the page by name ('history', 'exports'), instead of all of them; `params`:
 * more query parameters for it (exports: { sales }).
 */
export async function storeBenchmarks(only, params = {}) {
  execFileSync('npx', ['vite', 'build', '--config', 'bench/vite.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  const { server, port } = await serveStatic(join(root, 'bench/dist'));
  const browser = await launch();
  try {
    const page = await browser.newPage();
    page.on('console', (m) => process.stdout.write(`  [page] ${m.text()}\n`));
    // The page's main thread's CPU time so far (seconds; Chromium's TaskDuration measured in
    // thread time): steadier than the wall on a loaded machine, and it leaves out the workers.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.exposeFunction('__mainThreadCpu', async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
    });
    const query = new URLSearchParams({ ...(only ? { only } : {}), ...params }).toString();
    await page.goto(`http://127.0.0.1:${port}/${query ? `?${query}` : ''}`);
    const handle = await page.waitForFunction(() => window.__benchResults, null, {
      timeout: 30 * 60_000,
      polling: 1000,
    });
    return await handle.jsonValue();
  } finally {
    await browser.close();
    server.close();
  }
}

/** Starts the built app (adapter-node) on loopback with its own data folder. */
export async function startApp(port, env = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kraam-bench-'));
  const child = spawn('node', ['scripts/start.js'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: `http://localhost:${port}`,
      DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sets up a stall through the screens, as a maker would (Dutch). */
export async function setUpStall(page, url) {
  await page.goto(`${url}/`);
  await page.waitForURL('**/welcome');
  await page.getByRole('button', { name: 'Nederlands' }).click();
  await page.getByRole('link', { name: /^Ik verkoop op een kraam/ }).click();
  await page.getByLabel('Naam van je kraam of merk').fill('Bakkerij Bench');
  await page.getByRole('button', { name: 'Beginnen' }).click();
  await page.waitForURL('**/events');
  await page.getByRole('textbox', { name: 'Naam van het evenement' }).fill('Benchmarkt');
  await page.getByRole('textbox', { name: /^Plaats/ }).fill('Amsterdam');
  await page.getByRole('button', { name: 'Evenement aanmaken' }).click();
  await page.getByRole('status').filter({ hasText: 'Je verkoopt nu op Benchmarkt.' }).waitFor();
  for (const [name, price] of [
    ['Brood', '3,50'],
    ['Baklava', '2,25'],
    ['Sjaal', '12,50'],
  ]) {
    await page.goto(`${url}/products/new`);
    await page.getByRole('textbox', { name: 'Naam', exact: true }).fill(name);
    await page.getByRole('textbox', { name: 'Prijs inclusief btw' }).fill(price);
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.waitForURL('**/products');
  }
}

/** gzip bytes of every script the till page loads (what a phone downloads for it). */
export async function tillJavaScript(url) {
  const browser = await launch();
  try {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await setUpStall(page, url);
    const scripts = new Map();
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return;
      try {
        scripts.set(response.url(), await response.body());
      } catch {
        /* redirected or aborted */
      }
    });
    await page.goto(`${url}/till`);
    await tillTile(page).waitFor();
    await page.waitForLoadState('networkidle');
    let raw = 0;
    let gzip = 0;
    for (const body of scripts.values()) {
      raw += body.length;
      gzip += gzipSync(body, { level: 9 }).length;
    }
    return { files: scripts.size, rawBytes: raw, gzipBytes: gzip };
  } finally {
    await browser.close();
  }
}

/**
 * A cold offline start of the till (bench/cold-start.js): the browser is closed after one
 * online visit, started again with the same profile and no network, and the till is opened.
 * Measured from navigation start to the till's first product tile being visible and enabled,
 * and (`tap`) to the cart showing the product after a real tap as early as it can be made.
 */
export function coldOfflineStart(url, runs = 7, { tap = false } = {}) {
  return coldStart(url, '/till', { runs, setup: setUpStall, tap, clearCart: clearTillCart });
}

/** Empties the till's cart and waits until the device stored it empty (the next start's). */
export async function clearTillCart(page) {
  await page.getByRole('button', { name: 'Bon leegmaken' }).click();
  const cartEmpty = () =>
    new Promise((resolve) => {
      const open = indexedDB.open('kraam');
      open.onsuccess = () => {
        const db = open.result;
        const read = db.transaction('carts').objectStore('carts').getAll();
        read.onsuccess = () => {
          db.close();
          resolve(read.result.every((c) => (c.cart?.lines?.length ?? 0) === 0));
        };
        read.onerror = () => resolve(false);
      };
      open.onerror = () => resolve(false);
    });
  for (let i = 0; i < 300 && !(await page.evaluate(cartEmpty)); i++) {
    await page.waitForTimeout(100);
  }
}

/**
 * Switching language at the till: from the change of the language menu (the browser's
 * `change` event) until the till's texts are in the new language (its heading and its cart's
 * heading) and the next frame is painted. Cycles Dutch -> English -> Arabic -> Dutch, `rounds`
 * times; the first switch to English and to Arabic includes loading that language's messages
 * (src/lib/i18n/locale-messages.ts).
 */
export async function languageSwitch(url, rounds = 3) {
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await setUpStall(page, url);
    await page.goto(`${url}/till`);
    await tillTile(page).waitFor();
    await page.waitForLoadState('networkidle');
    const texts = {
      nl: ['Kassa', 'Bon'],
      en: ['Till', 'Cart'],
      ar: ['الصندوق', 'السلة'],
    };
    const switches = [];
    for (let round = 0; round < rounds; round++) {
      for (const locale of ['en', 'ar', 'nl']) {
        const [title, cart] = texts[locale];
        const timing = page.evaluate(
          ([title, cart]) =>
            new Promise((resolve) => {
              document.addEventListener(
                'change',
                () => {
                  const start = performance.now();
                  const check = () => {
                    const h1 = document.querySelector('main h1')?.textContent?.trim();
                    const h2 = document.querySelector('#till-cart')?.textContent ?? '';
                    if (h1 === title && h2.includes(cart)) {
                      requestAnimationFrame(() => resolve(performance.now() - start));
                    } else {
                      requestAnimationFrame(check);
                    }
                  };
                  check();
                },
                { capture: true, once: true },
              );
            }),
          [title, cart],
        );
        await page.getByRole('combobox', { name: /^(Taal|Language|اللغة)$/ }).selectOption(locale);
        switches.push({ locale, round, ms: await timing });
      }
    }
    const repeat = switches
      .filter((s) => s.round > 0)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    return {
      first: Object.fromEntries(switches.filter((s) => s.round === 0).map((s) => [s.locale, s.ms])),
      repeatMedianMs: repeat[Math.floor(repeat.length / 2)],
      maxMs: Math.max(...switches.map((s) => s.ms)),
      allMs: switches.map((s) => `${s.locale} ${Math.round(s.ms)}`),
    };
  } finally {
    await browser.close();
  }
}
