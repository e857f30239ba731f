// The web edge over HTTP against the real server: security headers on every kind of answer,
// cross-origin writes refused on every state-changing endpoint (found from src/routes, so a
// new endpoint is covered without editing this file), the per-account sign-in limit, common
// passwords refused, and auth bodies bounded by the bytes actually read.
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join, relative, sep } from 'node:path';
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { actorContext, loadWorld, PASSWORD, strangers, uniqueEmail, type World } from './world';

let world: World;
let organiser: APIRequestContext;
const { next: stranger, keep, disposeAll } = strangers('10.70');

function email(name: string): string {
  return uniqueEmail(world.runId, name);
}

async function invite(): Promise<string> {
  const response = await organiser.post('/api/invitations', { data: { role: 'maker' } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

/** A new maker with an account, signed in on a client of its own. */
async function newMaker(baseURL: string) {
  const client = await stranger(baseURL);
  const address = email('maker');
  const response = await client.post('/api/auth/sign-up/email', {
    data: { email: address, password: PASSWORD, name: 'Maker', invitationToken: await invite() },
  });
  expect(response.status(), await response.text()).toBe(200);
  return { client, email: address };
}

test.beforeAll(async ({ baseURL }) => {
  if (!baseURL) throw new Error('no baseURL');
  world = loadWorld(baseURL);
  organiser = await actorContext(world, 'organiser');
  keep(organiser);
});

test.afterAll(async () => {
  await disposeAll();
});

// ---------------------------------------------------------------------------------------
// Security headers

function expectSecurityHeaders(response: APIResponse, what: string) {
  const headers = response.headers();
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['referrer-policy'], what).toBe('same-origin');
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(headers['content-security-policy'], what).toContain("frame-ancestors 'none'");
}

test('every kind of answer carries the security headers: pages, API, errors, 404s, static files', async ({
  baseURL,
}) => {
  const client = await stranger(baseURL!);
  const html = await client.get('/');
  const script =
    /src="(\/_app\/immutable\/[^"]+\.js)"|import\("(\/_app\/immutable\/[^"]+\.js)"\)/.exec(
      await html.text(),
    );
  const asset = script?.[1] ?? script?.[2];
  expect(asset, 'the shell names its start script').toBeTruthy();
  const answers: [string, APIResponse][] = [
    ['prerendered device shell /', html],
    ['prerendered /till', await client.get('/till')],
    ['client-rendered /organise', await client.get('/organise')],
    ['public page (unknown maker, 404)', await client.get('/m/no-such-maker-here')],
    ['unknown page (404)', await client.get('/no-such-page-anywhere')],
    ['API answer (401)', await client.get('/api/me')],
    [
      'API answer (404)',
      await client.get('/api/public/events/00000000-0000-0000-0000-000000000000'),
    ],
    ['auth answer', await client.get('/api/auth/get-session')],
    ['API error', await organiser.post('/api/organisations/current', { data: 'x' })],
    ['static file', await client.get('/favicon.png')],
    ['web manifest', await client.get('/manifest.webmanifest')],
    ['service worker', await client.get('/sw.js')],
    ['built script', await client.get(asset!)],
  ];
  for (const [what, response] of answers) expectSecurityHeaders(response, what);
});

test('pages have a Content-Security-Policy without unsafe-inline scripts: nonce on rendered pages, hashes on prerendered ones', async ({
  baseURL,
}) => {
  const client = await stranger(baseURL!);
  // Rendered on request: a header; with a nonce where the page has a start script (the
  // public directory ships no JavaScript at all).
  for (const path of ['/organise', '/m/no-such-maker-here']) {
    const policy = (await client.get(path)).headers()['content-security-policy'] ?? '';
    expect(policy, path).toMatch(/script-src 'self'/);
    // Stripe.js (Embedded Checkout) and nothing broader: its one host per directive.
    expect(policy, path).toMatch(/script-src 'self' https:\/\/js\.stripe\.com( 'nonce-|;|$)/);
    expect(policy, path).toMatch(/frame-src https:\/\/js\.stripe\.com(;|$)/);
    expect(policy, path).toMatch(/connect-src 'self' https:\/\/api\.stripe\.com(;|$)/);
    expect(policy, path).toContain("object-src 'none'");
    expect(policy, path).toContain("img-src 'self' data: blob:");
    expect(policy, path).not.toMatch(/script-src[^;]*unsafe-inline/);
  }
  const organise = (await client.get('/organise')).headers()['content-security-policy'];
  expect(organise).toMatch(/script-src 'self' https:\/\/js\.stripe\.com 'nonce-[A-Za-z0-9+/=]+'/);
  // Prerendered device shells: a <meta> policy with the hash of the inline start script.
  for (const path of ['/', '/till']) {
    const body = await (await client.get(path)).text();
    const meta = /<meta http-equiv="content-security-policy" content="([^"]+)"/i.exec(body);
    expect(meta?.[1], path).toMatch(
      /script-src 'self' https:\/\/js\.stripe\.com 'sha256-[A-Za-z0-9+/=]+'/,
    );
    expect(meta?.[1], path).not.toMatch(/script-src[^;]*unsafe-inline/);
  }
});

// ---------------------------------------------------------------------------------------
// Cross-origin writes

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Every state-changing endpoint of src/routes, as [method, path with dummy ids]. */
function stateChangingEndpoints(): [string, string][] {
  const root = join(process.cwd(), 'src', 'routes');
  const found: [string, string][] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      const isEndpoint = entry.name === '+server.ts';
      const isPageServer = entry.name === '+page.server.ts';
      if (!isEndpoint && !isPageServer) continue;
      const route =
        '/' +
        relative(root, dir)
          .split(sep)
          .filter((segment) => segment && !/^\(.*\)$/.test(segment))
          .map((segment) => segment.replace(/\[[^\]]+\]/g, 'x0'))
          .join('/');
      const source = readFileSync(path, 'utf8');
      if (isPageServer) {
        if (/export const actions\b/.test(source)) found.push(['POST', route]);
        continue;
      }
      for (const method of WRITE_METHODS) {
        if (new RegExp(`export (const|async function|function) ${method}\\b`).test(source)) {
          found.push([method, route]);
        }
      }
    }
  };
  walk(root);
  return found;
}

/** better-auth's routes that change state, which src/routes does not list. */
const AUTH_WRITES: [string, string][] = [
  ['POST', '/api/auth/sign-in/email'],
  ['POST', '/api/auth/sign-up/email'],
  ['POST', '/api/auth/sign-out'],
  ['POST', '/api/auth/change-password'],
  ['POST', '/api/auth/update-user'],
];

test('a write from another origin is refused (403 cross_origin) on every state-changing endpoint, even signed in', async ({
  baseURL,
}) => {
  // A session of the organiser's own, used by a page on another site.
  const signIn = await (
    await stranger(baseURL!)
  ).post('/api/auth/sign-in/email', {
    data: { email: world.actors.organiser.email, password: PASSWORD },
  });
  expect(signIn.status()).toBe(200);
  const cookie = signIn
    .headersArray()
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => h.value.split(';')[0])
    .join('; ');
  const endpoints = stateChangingEndpoints();
  // The route list finds the known ones (so it does not pass by finding nothing).
  const names = endpoints.map(([method, path]) => `${method} ${path}`);
  for (const known of [
    'POST /api/invitations',
    'POST /api/invitations/x0/accept',
    'POST /api/organisations/current',
    'POST /api/sync/push',
  ]) {
    expect(names).toContain(known);
  }
  expect(endpoints.length).toBeGreaterThan(15);
  const evil = await stranger(baseURL!, 'https://evil.example');
  const refusedWrongly: string[] = [];
  for (const [method, path] of [...endpoints, ...AUTH_WRITES]) {
    const response = await evil.fetch(path, {
      method,
      headers: { cookie, 'content-type': 'application/json' },
      data: {},
    });
    const body = (await response.json().catch(() => null)) as { error?: { code?: string } };
    if (response.status() !== 403 || body?.error?.code !== 'cross_origin') {
      refusedWrongly.push(`${method} ${path}: ${response.status()}`);
    }
  }
  expect(refusedWrongly).toEqual([]);
});

test('cross-origin writes are refused however they are dressed; nothing changes', async ({
  baseURL,
}) => {
  const before = await (await organiser.get('/api/organisations/current')).json();
  const cookie = (await organiser.storageState()).cookies
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
  const client = await stranger(baseURL!, null);
  const attempts: [string, Record<string, string>, string | undefined][] = [
    // A rename from a JSON fetch on another site.
    [
      '/api/organisations/current',
      { origin: 'https://evil.example', 'content-type': 'application/json' },
      '{"name":"Taken over"}',
    ],
    // Origin "null" (sandboxed frame, file: page).
    [
      '/api/organisations/current',
      { origin: 'null', 'content-type': 'application/json' },
      '{"name":"Taken over"}',
    ],
    // A look-alike host.
    [
      '/api/organisations/current',
      { origin: `${baseURL}.evil.example`, 'content-type': 'application/json' },
      '{"name":"Taken over"}',
    ],
    // No Origin, but the browser says the request comes from another site.
    [
      '/api/organisations/current',
      { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      '{"name":"Taken over"}',
    ],
    // The accept endpoint as a body-less "simple" request (a plain HTML form could send it).
    [
      `/api/invitations/${world.spareInvitation.token}/accept`,
      { origin: 'https://evil.example' },
      undefined,
    ],
    // Invitation create as a text/plain simple request.
    [
      '/api/invitations',
      { origin: 'https://evil.example', 'content-type': 'text/plain' },
      '{"role":"organiser"}',
    ],
  ];
  for (const [path, headers, data] of attempts) {
    const response = await client.post(path, {
      headers: { ...headers, cookie },
      ...(data === undefined ? {} : { data }),
    });
    expect(response.status(), `${path} ${JSON.stringify(headers)}`).toBe(403);
    // Form content types (text/plain) meet SvelteKit's own check first, which answers text.
    if (headers['content-type'] !== 'text/plain') {
      expect((await response.json()).error.code).toBe('cross_origin');
    }
  }
  expect(await (await organiser.get('/api/organisations/current')).json()).toEqual(before);
  const invitation = await client.get(`/api/invitations/${world.spareInvitation.token}`);
  expect((await invitation.json()).invitation.status).toBe('valid');
  // The same rename from the server's own pages still works.
  const own = await organiser.post('/api/organisations/current', {
    data: { name: before.organisation.name },
  });
  expect(own.status()).toBe(200);
});

// ---------------------------------------------------------------------------------------
// Sign-in: per-account limit

async function signInFrom(baseURL: string, address: string, password: string) {
  const client = await stranger(baseURL);
  return client.post('/api/auth/sign-in/email', { data: { email: address, password } });
}

test('sign-in is limited per account: after 5 failures from 5 addresses the 6th address gets 429 with Retry-After and a clear message', async ({
  baseURL,
}) => {
  const maker = await newMaker(baseURL!);
  for (let i = 0; i < 5; i++) {
    expect((await signInFrom(baseURL!, maker.email, `wrong guess ${i}`)).status()).toBe(401);
  }
  // Even the right password, from a new address, waits: nothing is checked during the pause.
  const paused = await signInFrom(baseURL!, maker.email.toUpperCase(), PASSWORD);
  expect(paused.status()).toBe(429);
  const retryAfter = Number(paused.headers()['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = (await paused.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('account_sign_in_paused');
  expect(body.error.message).toBe(
    'Too many failed sign-ins for this account: try again in 1 minute.',
  );
  // The maker's signed-in device keeps working.
  expect((await maker.client.get('/api/me')).status()).toBe(200);
  // Another account is not affected.
  const other = await signInFrom(baseURL!, world.actors.makerB.email!, PASSWORD);
  expect(other.status()).toBe(200);
});

test('the per-account limit holds for form-encoded sign-ins too (better-auth accepts them): the 6th address gets 429', async ({
  baseURL,
}) => {
  const maker = await newMaker(baseURL!);
  const formSignIn = async (address: string, password: string) => {
    const client = await stranger(baseURL!);
    return client.post('/api/auth/sign-in/email', { form: { email: address, password } });
  };
  for (let i = 0; i < 5; i++) {
    expect((await formSignIn(maker.email, `wrong guess ${i}`)).status()).toBe(401);
  }
  const paused = await formSignIn(maker.email, PASSWORD);
  expect(paused.status()).toBe(429);
  expect((await paused.json()).error.code).toBe('account_sign_in_paused');
  // Failures counted one way pause the other way too.
  expect((await signInFrom(baseURL!, maker.email, PASSWORD)).status()).toBe(429);
});

test('a sign-in whose e-mail holds NUL or a lone surrogate is refused 422 naming the field, never a 500', async ({
  baseURL,
}) => {
  const client = await stranger(baseURL!);
  for (const body of [
    '{"email":"a\\u0000@example.org","password":"wrong guess"}',
    '{"email":"a@example.org\\u0000","password":"wrong guess"}',
    '{"email":"a\\ud800@example.org","password":"wrong guess"}',
  ]) {
    const response = await client.post('/api/auth/sign-in/email', {
      headers: { 'content-type': 'application/json' },
      data: body,
    });
    expect(response.status(), body).toBe(422);
    expect((await response.json()).issues).toEqual([
      expect.objectContaining({ path: 'email', code: 'unsafe-text' }),
    ]);
  }
  const form = await client.post('/api/auth/sign-in/email', {
    form: { email: 'a\u0000@example.org', password: 'wrong guess' },
  });
  expect(form.status()).toBe(422);
});

test('the per-account limit holds against parallel guesses: of 30 sign-ins at once at most 5 passwords are checked, the rest wait (429)', async ({
  baseURL,
}) => {
  const maker = await newMaker(baseURL!);
  const clients = await Promise.all(Array.from({ length: 30 }, () => stranger(baseURL!)));
  const answers = await Promise.all(
    clients.map((client, i) =>
      client.post('/api/auth/sign-in/email', {
        data: { email: maker.email, password: `parallel guess ${i}` },
      }),
    ),
  );
  const statuses = answers.map((a) => a.status());
  expect(
    statuses.filter((s) => s !== 401 && s !== 429),
    statuses.join(' '),
  ).toEqual([]);
  expect(statuses.filter((s) => s === 401).length, statuses.join(' ')).toBeLessThanOrEqual(5);
  // Paused now, even for the right password.
  expect((await signInFrom(baseURL!, maker.email, PASSWORD)).status()).toBe(429);
});

test('the per-account limit answers the same for an e-mail without an account', async ({
  baseURL,
}) => {
  const nobody = email('nobody');
  for (let i = 0; i < 5; i++) {
    expect((await signInFrom(baseURL!, nobody, `guess ${i}`)).status()).toBe(401);
  }
  const paused = await signInFrom(baseURL!, nobody, 'guess 6');
  expect(paused.status()).toBe(429);
  expect((await paused.json()).error.code).toBe('account_sign_in_paused');
});

// ---------------------------------------------------------------------------------------
// Common passwords

test('sign-up refuses the commonest passwords with a clear message; nothing is created', async ({
  baseURL,
}) => {
  const token = await invite();
  const client = await stranger(baseURL!);
  const address = email('common');
  for (const password of ['wachtwoord123', 'Welkom01', 'password123', 'qwertyuiop']) {
    const response = await client.post('/api/auth/sign-up/email', {
      data: { email: address, password, name: 'Common', invitationToken: token },
    });
    expect(response.status(), password).toBe(400);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe('PASSWORD_TOO_COMMON');
    expect(body.message).toMatch(/most common/);
  }
  expect((await signInFrom(baseURL!, address, 'wachtwoord123')).status()).toBe(401);
  const invitation = await client.get(`/api/invitations/${token}`);
  expect((await invitation.json()).invitation.status).toBe('valid');
});

test('a password change to a common password is refused', async ({ baseURL }) => {
  const maker = await newMaker(baseURL!);
  const response = await maker.client.post('/api/auth/change-password', {
    data: { currentPassword: PASSWORD, newPassword: 'Password1234' },
  });
  expect(response.status()).toBe(400);
  expect((await response.json()).code).toBe('PASSWORD_TOO_COMMON');
  expect((await signInFrom(baseURL!, maker.email, PASSWORD)).status()).toBe(200);
});

// ---------------------------------------------------------------------------------------
// Auth bodies: the bytes actually read are limited

/** POSTs `size` bytes as a chunked body (no Content-Length); answers the status. */
function postChunked(baseURL: string, path: string, size: number): Promise<number> {
  const url = new URL(path, baseURL);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: url.origin,
          'x-forwarded-for': '10.71.0.1',
          'transfer-encoding': 'chunked',
        },
      },
      (res) => {
        answered = true;
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', (error) => {
      // The server may close the connection once it has answered 413.
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    chunk.write('{"email":"a@example.org","password":"');
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

test('a chunked 9 MB body to sign-in or sign-up is refused with 413 (the bytes read are counted)', async ({
  baseURL,
}) => {
  for (const path of ['/api/auth/sign-in/email', '/api/auth/sign-up/email']) {
    expect(await postChunked(baseURL!, path, 9 * 1024 * 1024), path).toBe(413);
  }
  // Just over the limit, chunked, is refused too; the server keeps answering.
  expect(await postChunked(baseURL!, '/api/auth/sign-in/email', 65 * 1024)).toBe(413);
  expect((await (await stranger(baseURL!)).get('/api/me')).status()).toBe(401);
});
