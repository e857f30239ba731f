// What a benchmark that syncs many devices against the real built server over HTTP needs
// (server-devices.js, server-multi.js): the HTTP client, the
// accounts (an organiser and the makers it invites, each from its own client address), each
// maker's devices with their untimed warm-up, and the latency figures.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
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

/**
 * POSTs to `origin` as a client at `address`; every request bounded by `timeoutMs`.
 * Through `node:http` with a keep-alive agent: each device in flight holds one connection
 * and uses it again for its next request, as a phone's browser does (and at a fraction of
 * `fetch`'s CPU, which shares the cores with the server under test). `call.close()` ends the
 * connections kept open.
 */
export function httpClient(origin, timeoutMs) {
  // An idle connection is closed by the client after 4 s, before the server's keep-alive
  // timeout (Node's 5 s) closes it: a request sent on it as the server closes it would
  // fail (ECONNRESET). Node's agent heeds the server's `Keep-Alive: timeout=5` only when it
  // has a timeout of its own; on a connection in use the timeout closes nothing.
  const agent = new http.Agent({ keepAlive: true, timeout: 4000 });
  const { hostname, port } = new URL(origin);
  const call = (path, { body, cookie, address }) =>
    new Promise((resolve) => {
      const started = performance.now();
      let timer;
      const done = (status, text, cookies) => {
        clearTimeout(timer);
        resolve({ status, ms: performance.now() - started, text, cookies });
      };
      // The code says what happened (e.g. ECONNRESET), the message the rest.
      const fail = (error) =>
        done(0, `${error?.message ?? error}${error?.code ? ` (${error.code})` : ''}`, []);
      const request = http.request(
        {
          agent,
          hostname,
          port,
          path,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            origin,
            'x-forwarded-for': address,
            ...(cookie ? { cookie } : {}),
          },
        },
        (response) => {
          const chunks = [];
          response.setEncoding('utf8');
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () =>
            done(response.statusCode ?? 0, chunks.join(''), response.headers['set-cookie'] ?? []),
          );
          response.on('error', fail);
          response.on('close', () => {
            if (!response.complete) fail(new Error('the answer was cut off'));
          });
        },
      );
      timer = setTimeout(
        () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      request.on('error', fail);
      request.end(body);
    });
  call.close = () => agent.destroy();
  return call;
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
      // As the app asks (src/lib/sync/engine.ts): without them the server answers an app from
      // before the feed's renames, through a slower path no current device takes.
      features: [...app.PULL_FEATURES],
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

/** Whole milliseconds, but a tenth under 100 ms (a one-at-a-time request is a few ms). */
const roundMs = (value) => round(value, value < 100 ? 1 : 0);

/** Count, p50, p99 and max of a list of milliseconds. */
export function stats(values) {
  return {
    count: values.length,
    p50: roundMs(percentile(values, 50)),
    p99: roundMs(percentile(values, 99)),
    max: roundMs(percentile(values, 100)),
  };
}
