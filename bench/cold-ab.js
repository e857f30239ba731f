// Two builds' cold offline starts, interleaved run by run so that the machine's load (shared
// by other processes) weighs on both alike (issue 11; docs/benchmarks.md "Speed (issue 11),
// the cold start: its floor and where it goes"):
//
//   KRAAM_OUT=a npx vite build; KRAAM_OUT=b npx vite build
//   node bench/cold-ab.js a b [runs]
//
// Each build is served by its own server (build-a, build-b; `BENCH_APP_PORT` and the next
// port), each with a profile prepared as `coldStart` does (bench/cold-start.js); then one run
// of a, one of b, and so on. Printed: per build the median and max of the polled figure and
// the medians of the in-page moments, with the load average.
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { openOffline, prepareProfile, tile } from './cold-start.js';
import { clearTillCart, setUpStall, startApp } from './device.js';

const [a, b, runsArg] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node bench/cold-ab.js <KRAAM_OUT a> <KRAAM_OUT b> [runs]');
  process.exit(2);
}
const runs = Number(runsArg ?? 9);
const port = Number(process.env.BENCH_APP_PORT ?? 4191);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

// `BENCH_TAP=1`: a real tap as soon as Playwright can make it (bench/cold-start.js), the
// figure then being navigation start to the cart showing the product.
const tap = process.env.BENCH_TAP === '1';

async function once(build) {
  const { context, page } = await openOffline(build.profile, build.app.url, '/till', {
    waitUntil: tap ? 'commit' : undefined,
  });
  if (tap) {
    await tile(page).click();
    await page.waitForFunction(() => window.__kraamCartShown !== undefined);
    const r = await page.evaluate(() => ({
      polled: window.__kraamCartShown,
      inDom: window.__kraamTileInDom,
      free: window.__kraamTapInput,
      load: performance.getEntriesByType('navigation')[0]?.loadEventEnd,
    }));
    await clearTillCart(page);
    await context.close();
    return r;
  }
  await tile(page).waitFor({ state: 'visible' });
  await page.waitForFunction(() => {
    const t = [...document.querySelectorAll('button')].find((x) =>
      x.textContent?.includes('Brood'),
    );
    return t && !t.disabled;
  });
  const r = await page.evaluate(() => ({
    polled: performance.now(),
    inDom: window.__kraamTileInDom,
    free: window.__kraamTileFree,
    load: performance.getEntriesByType('navigation')[0]?.loadEventEnd,
  }));
  await context.close();
  return r;
}

const builds = [];
try {
  for (const [i, name] of [a, b].entries()) {
    const app = await startApp(port + i, { KRAAM_OUT: name });
    builds.push({
      name,
      app,
      profile: await prepareProfile(app.url, '/till', setUpStall),
      rows: [],
    });
  }
  console.log(`start: load ${load()}`);
  for (let run = 0; run < runs; run++) {
    for (const build of run % 2 ? [...builds].reverse() : builds)
      build.rows.push(await once(build));
  }
  const med = (v) => Math.round([...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]);
  for (const { name, rows } of builds) {
    const polled = rows.map((r) => r.polled);
    console.log(
      `${name}: ${tap ? 'tap to cart shown' : 'polled'} median ${med(polled)} ms, max ${Math.round(Math.max(...polled))} ms` +
        ` (${polled
          .map(Math.round)
          .sort((x, y) => x - y)
          .join(', ')}); medians: tile in the document ${med(rows.map((r) => r.inDom))},` +
        ` ${tap ? 'tap input' : 'first task after it'} ${med(rows.map((r) => r.free))}, load event ${med(rows.map((r) => r.load))}`,
    );
  }
  console.log(`end: load ${load()}`);
} finally {
  for (const build of builds) {
    await build.app.stop();
    rmSync(build.profile, { recursive: true, force: true });
  }
}
