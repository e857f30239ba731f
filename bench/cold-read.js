// When a cold offline start of the till asks IndexedDB for its first paint's read, when the
// database is open, when the till's page is mounted and when the tile is in the document, for
// two builds interleaved run by run (issue 11; docs/benchmarks.md "the cold start, third look"):
//
//   node bench/cold-read.js <KRAAM_OUT a> <KRAAM_OUT b> [runs]   (ports BENCH_APP_PORT, +1)
//
// Prints the medians (ms from navigation start) with the load average.
import { loadavg } from 'node:os';
import { openOffline, prepareProfile, tile } from './cold-start.js';
import { setUpStall, startApp } from './device.js';
const [a, b, n] = process.argv.slice(2);
const port = Number(process.env.BENCH_APP_PORT ?? 4191);
const builds = [];
for (const [i, name] of [a, b].entries()) {
  const app = await startApp(port + i, { KRAAM_OUT: name });
  builds.push({ name, app, profile: await prepareProfile(app.url, '/till', setUpStall), rows: [] });
}
function probe() {
  const w = window;
  w.__r = {};
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (name, version) {
    const req = version === undefined ? open.call(this, name) : open.call(this, name, version);
    if (name === 'kraam' && version === undefined && w.__r.openAt === undefined) {
      w.__r.openAt = performance.now();
      w.__r.mountedAtOpen = document.querySelector('main h1') !== null;
      req.addEventListener('success', () => (w.__r.openedAt = performance.now()));
    }
    return req;
  };
  new MutationObserver(() => {
    if (w.__r.mounted === undefined && document.querySelector('main h1'))
      w.__r.mounted = performance.now();
  }).observe(document, { childList: true, subtree: true });
}
for (let run = 0; run < Number(n ?? 7); run++) {
  for (const build of run % 2 ? [...builds].reverse() : builds) {
    const { context, page } = await openOffline(build.profile, build.app.url, '/till', {
      onPage: (p) => p.addInitScript(probe),
    });
    await tile(page).waitFor({ state: 'visible' });
    const r = await page.evaluate(() => ({ ...window.__r, inDom: window.__kraamTileInDom }));
    build.rows.push(r);
    await context.close();
  }
}
const med = (v) => {
  const s = v.filter((x) => x !== undefined).sort((x, y) => x - y);
  return Math.round(s[Math.floor(s.length / 2)]);
};
for (const b of builds) {
  console.log(
    `${b.name}: medians read asked ${med(b.rows.map((r) => r.openAt))}, database open ${med(b.rows.map((r) => r.openedAt))}, till mounted ${med(b.rows.map((r) => r.mounted))}, tile in the document ${med(b.rows.map((r) => r.inDom))}; tile - mounted ${med(b.rows.map((r) => r.inDom - r.mounted))}; load ${loadavg()[0].toFixed(1)}`,
  );
  await b.app.stop();
}
