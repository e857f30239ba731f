// Lighthouse (performance and accessibility, mobile emulation, headless Chromium) on the
// till and on a public maker page of the built app. `npm run bench:lighthouse`, or
// `node bench/run.js lighthouse`.
//
// The till is a device screen: it needs a stall on the device, so the stall is set up
// through the screens first (as bench/device.js does) in the same browser profile, and
// Lighthouse runs with the storage kept (`disableStorageReset`), after one visit (the
// service worker installed, as on a phone that has used Kraam before). The maker page is
// server-rendered: a maker signs up through the public API (invited by the organiser who
// founded the bazaar) and saves a listed profile, whose slug gives `/m/<slug>`.
import lighthouse from 'lighthouse';
import { chromiumArgs, launchPersistent } from './chromium.js';
import { setUpStall } from './device.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PASSWORD = 'bench-lighthouse-password-1';

async function post(url, path, { body, cookie, address, method = 'POST' }) {
  const response = await fetch(url + path, {
    method,
    headers: {
      'content-type': 'application/json',
      origin: url,
      'x-forwarded-for': address,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
  return { json: text ? JSON.parse(text) : {}, cookie: cookies.join('; ') };
}

/** A listed maker with a public page; answers its slug. */
export async function seedMakerPage(url) {
  const founder = await post(url, '/api/auth/sign-up/email', {
    address: '10.91.0.1',
    body: {
      email: 'organiser-lh@example.org',
      password: PASSWORD,
      name: 'Organiser',
      organisationName: 'Lighthouse Bazaar',
    },
  });
  const invited = await post(url, '/api/invitations', {
    address: '10.91.0.1',
    cookie: founder.cookie,
    body: { role: 'maker' },
  });
  const maker = await post(url, '/api/auth/sign-up/email', {
    address: '10.91.0.2',
    body: {
      email: 'maker-lh@example.org',
      password: PASSWORD,
      name: 'Amal',
      invitationToken: invited.json.token,
    },
  });
  const saved = await post(url, '/api/organiser/profile', {
    method: 'PUT',
    address: '10.91.0.2',
    cookie: maker.cookie,
    body: {
      displayName: 'Amal Bakery',
      craft: 'Baker',
      story: 'Syrian bread, baked in Leidschendam.',
      languages: ['ar', 'nl'],
      photoIds: [],
      contact: {
        phone: { value: '', public: false },
        email: { value: 'amal@example.org', public: true },
        website: { value: '', public: false },
        instagram: { value: 'amal.bakes', public: true },
      },
      listed: true,
      needs: { power: true, table: true, foodHygiene: true, notes: '' },
    },
  });
  return saved.json.profile.slug;
}

function summary(result) {
  const { categories, audits } = result.lhr;
  const failing = Object.values(audits)
    .filter((a) => a.scoreDisplayMode === 'binary' && a.score === 0)
    .map((a) => a.id);
  const ms = (id) => Math.round(audits[id]?.numericValue ?? NaN);
  return {
    performance: Math.round(categories.performance.score * 100),
    accessibility: Math.round(categories.accessibility.score * 100),
    fcpMs: ms('first-contentful-paint'),
    lcpMs: ms('largest-contentful-paint'),
    tbtMs: ms('total-blocking-time'),
    cls: audits['cumulative-layout-shift']?.numericValue,
    failing,
  };
}

/** Lighthouse scores for `/till` and `/m/<slug>` of the app at `url`. */
export async function lighthouseScores(url, debuggingPort) {
  const slug = await seedMakerPage(url);
  const profile = mkdtempSync(join(tmpdir(), 'kraam-bench-lh-'));
  const context = await launchPersistent(profile, {
    viewport: { width: 360, height: 740 },
    args: [...chromiumArgs, `--remote-debugging-port=${debuggingPort}`],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await setUpStall(page, url);
    await page.goto(`${url}/till`);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const flags = {
      port: debuggingPort,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      disableStorageReset: true,
    };
    const results = {};
    for (const [name, path] of [
      ['till', '/till'],
      ['makerPage', `/m/${slug}`],
    ]) {
      results[name] = { path, ...summary(await lighthouse(`${url}${path}`, flags)) };
    }
    return results;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
