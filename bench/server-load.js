// What a benchmark that syncs many devices against the real built server over HTTP needs
// (server-multi.js; server-devices.js still has its own copy): the HTTP client, the
// accounts (an organiser and the makers it invites, each from its own client address), each
// maker's devices with their untimed warm-up, and the latency figures.
import { randomBytes } from 'node:crypto';
import { shopSetup } from './server-fixtures.js';
import { percentile, round } from './server-stats.js';

const MAX_PULL_PAGES = 50;
/** The engine's own held-back handling (engine.ts): up to 5 retries, 50 ms x n apart. */
const HELD_BACK_RETRIES = 5;
const PASSWORD = 'correct horse battery staple';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** POSTs to `origin` as a client at `address`; every request bounded by `timeoutMs`. */
export function httpClient(origin, timeoutMs) {
  return async function call(path, { body, cookie, address }) {
    const started = performance.now();
    try {
      const response = await fetch(origin + path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin,
          'x-forwarded-for': address,
          ...(cookie ? { cookie } : {}),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      return { status: response.status, ms, text, cookies: response.headers.getSetCookie() };
    } catch (error) {
      const ms = performance.now() - started;
      // fetch says only "fetch failed": the cause holds what happened (e.g. ECONNRESET).
      const cause = error?.cause
        ? ` (${error.cause.code ?? error.cause.message ?? error.cause})`
        : '';
      return { status: 0, ms, text: `${error?.message ?? error}${cause}`, cookies: [] };
    }
  };
}

export function expectOk(answer, status, what) {
  if (answer.status !== status) {
    throw new Error(`${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
  }
  return JSON.parse(answer.text);
}

const cookieOf = (answer) => answer.cookies.map((c) => c.split(';')[0]).join('; ');

/**
 * The organiser and `count` makers, each with its session cookie and client address in
 * `network` (e.g. '10.90': the organiser 10.90.0.1, the makers 10.90.1.1 onwards).
 */
export async function makeAccounts(call, runId, { count, network }) {
  const organiserAddress = `${network}.0.1`;
  const founder = await call('/api/auth/sign-up/email', {
    address: organiserAddress,
    body: JSON.stringify({
      email: `organiser-${runId}@example.org`,
      password: PASSWORD,
      name: 'Organiser',
      organisationName: 'Bench Bazaar',
    }),
  });
  expectOk(founder, 200, 'organiser sign-up');
  const organiser = cookieOf(founder);
  return mapLimit(
    Array.from({ length: count }, (_, i) => i),
    4,
    async (i) => {
      const invited = await call('/api/invitations', {
        address: organiserAddress,
        cookie: organiser,
        body: JSON.stringify({ role: 'maker' }),
      });
      const { token } = expectOk(invited, 201, 'invitation');
      const address = `${network}.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
      const signedUp = await call('/api/auth/sign-up/email', {
        address,
        body: JSON.stringify({
          email: `maker-${i}-${runId}@example.org`,
          password: PASSWORD,
          name: `Maker ${i}`,
          invitationToken: token,
        }),
      });
      expectOk(signedUp, 200, `maker ${i} sign-up`);
      return { cookie: cookieOf(signedUp), address };
    },
  );
}

/**
 * The untimed set-up: the accounts, `devicesPerAccount` devices per maker sharing the maker
 * (the first device's, adopted on its first push); each maker's first device pushes the
 * event, `products` products and opening counts, then every device pulls to the end of its
 * feed. Returns the devices, the server's epoch, `pullToEnd` for the timed rounds and how
 * long the set-up took.
 */
export async function setUpDevices(
  app,
  call,
  { accounts: count, network, devicesPerAccount, products },
) {
  const setupStarted = performance.now();
  const runId = randomBytes(4).toString('hex');
  const accounts = await makeAccounts(call, runId, { count, network });
  const devices = [];
  const shops = [];
  for (const account of accounts) {
    const first = new app.RawDevice();
    const shop = { account, ...shopSetup(first, products, 100_000), first };
    shops.push(shop);
    for (let d = 0; d < devicesPerAccount; d++) {
      const raw = d === 0 ? first : new app.RawDevice({ makerId: first.makerId });
      devices.push({ raw, shop, cursor: null, pulled: 0 });
    }
  }
  let epoch = null;
  await mapLimit(shops, 8, async (shop) => {
    const request = shop.first.request(shop.first.queue(...shop.mutations), null);
    const answer = await call('/api/sync/push', {
      address: shop.account.address,
      cookie: shop.account.cookie,
      body: JSON.stringify(request),
    });
    epoch = expectOk(answer, 200, 'set-up push').epoch;
  });
  const pullBody = (device) =>
    JSON.stringify({
      protocol: app.PROTOCOL_VERSION,
      deviceId: device.raw.deviceId,
      cursor: device.cursor,
      limit: app.DEFAULT_PULL_LIMIT,
    });
  /** Pulls until the feed has nothing more; returns the pull requests' answers. */
  const pullToEnd = async (device) => {
    const answers = [];
    let heldBack = 0;
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      const { address, cookie } = device.shop.account;
      const answer = await call('/api/sync/pull', { address, cookie, body: pullBody(device) });
      answers.push(answer);
      if (answer.status !== 200) break;
      const body = JSON.parse(answer.text);
      device.cursor = body.cursor;
      device.pulled += body.changes.length;
      if (!body.hasMore) break;
      if (body.changes.length === 0) {
        if (++heldBack > HELD_BACK_RETRIES) break;
        await sleep(50 * heldBack);
      }
    }
    return answers;
  };
  await mapLimit(devices, 16, async (device) => {
    for (const answer of await pullToEnd(device)) expectOk(answer, 200, 'warm-up pull');
  });
  const setupSeconds = round((performance.now() - setupStarted) / 1000, 1);
  return { devices, epoch, pullToEnd, setupSeconds };
}

/** Count, p50, p99 and max of a list of milliseconds. */
export function stats(values) {
  return {
    count: values.length,
    p50: round(percentile(values, 50)),
    p99: round(percentile(values, 99)),
    max: round(percentile(values, 100)),
  };
}
