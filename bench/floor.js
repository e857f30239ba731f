// The cold offline start's floor (issue 11; docs/benchmarks.md "Speed (issue 11), the cold
// start: its floor and where it goes"): the same measurement as the till's
// (`coldStart` in bench/cold-start.js: a fresh persistent Chromium profile, one online visit,
// the browser closed and started again offline, the page served by its service worker from
// the precache) on the least a page can be.
//
// One small server on loopback, two pages, each under its own path with its own worker:
// - `/one/`: an HTML file with one enabled button "Brood" in a region "Producten" and a cart
//   list; a tap on the button adds "1 × Brood" to the cart (no script file: a few lines inline);
// - `/scripts/`: the same page drawn by `count` tiny module files (as many as the till's first
//   load), each listed as `<link rel="modulepreload">` as SvelteKit lists the till's, the entry
//   importing all the others and the last of them drawing the button.
// Each worker precaches its page and files on install and answers every request of its scope
// with `caches.match` (the most direct service worker; the till's is Workbox's precache).
import { createServer } from 'node:http';

/** The page's HTML: the button in the document at once (`scripts` 0) or drawn by modules. */
function pageHtml(base, scripts) {
  const tap = `document.addEventListener('click', (e) => {
  if (!(e.target instanceof HTMLButtonElement)) return;
  const li = document.createElement('li');
  li.textContent = '1 × Brood';
  document.querySelector('#cart-lines').append(li);
});`;
  const cart = `<section aria-labelledby="floor-cart"><h2 id="floor-cart">Bon</h2><ul id="cart-lines"></ul></section>`;
  const head = [
    '<!doctype html><html lang="nl"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Kassa · floor</title>',
    ...Array.from(
      { length: scripts },
      (_, i) => `<link rel="modulepreload" href="${base}m${i}.js">`,
    ),
  ];
  const body =
    scripts === 0
      ? `<main><section aria-label="Producten"><button type="button">Brood</button></section>${cart}</main><script>${tap}</script>`
      : `<main><section aria-label="Producten" id="grid"></section>${cart}</main><script type="module" src="${base}m0.js"></script><script>${tap}</script>`;
  const register = `<script>navigator.serviceWorker?.register('${base}sw.js', { scope: '${base}' });</script>`;
  return `${head.join('\n')}\n</head><body>${body}${register}</body></html>\n`;
}

/** Module i of `count`: the entry (0) imports every other; the last draws the button. */
function moduleCode(base, i, count) {
  if (i === 0) {
    const imports = Array.from(
      { length: count - 1 },
      (_, j) => `import { v${j + 1} } from './m${j + 1}.js';`,
    );
    return `${imports.join('\n')}\nexport const v0 = ${count - 1 > 0 ? `[${Array.from({ length: count - 1 }, (_, j) => `v${j + 1}`).join(', ')}].length` : 0};\n`;
  }
  const draw =
    i === count - 1
      ? `\nconst b = document.createElement('button');\nb.type = 'button';\nb.textContent = 'Brood';\ndocument.querySelector('#grid').append(b);`
      : '';
  return `export const v${i} = ${i};${draw}\n`;
}

/** The worker: precache on install, `caches.match` for every request of its scope. */
function workerCode(base, files) {
  return `const CACHE = 'floor';
const FILES = ${JSON.stringify(files)};
self.addEventListener('install', (e) => e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES))));
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (!url.pathname.startsWith('${base}')) return;
  e.respondWith(caches.match(e.request, { ignoreSearch: true }).then((r) => r ?? fetch(e.request)));
});
`;
}

/**
 * Starts the floor's server on `port` (127.0.0.1). `count`: how many module files the
 * `/scripts/` page has (the till's first load: bench/route-js.js). Returns its origin.
 */
export function startFloor(port, count) {
  const pages = {
    '/one/': { scripts: 0 },
    '/scripts/': { scripts: count },
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const base = Object.keys(pages).find((b) => path.startsWith(b));
    if (!base) return res.writeHead(404).end();
    const { scripts } = pages[base];
    const rest = path.slice(base.length);
    const send = (type, body) => res.writeHead(200, { 'content-type': type }).end(body);
    if (rest === '') return send('text/html', pageHtml(base, scripts));
    if (rest === 'sw.js') {
      const files = [base, ...Array.from({ length: scripts }, (_, i) => `${base}m${i}.js`)];
      return send('text/javascript', workerCode(base, files));
    }
    const module = /^m(\d+)\.js$/.exec(rest);
    if (module && Number(module[1]) < scripts) {
      return send('text/javascript', moduleCode(base, Number(module[1]), scripts));
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () => new Promise((r) => server.close(r)),
      }),
    ),
  );
}
