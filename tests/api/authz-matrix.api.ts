// Authorization matrix: every endpoint as anonymous, maker A1 (makerA), maker A2 (makerB),
// a helper who sells for nobody, maker A1's own helper (helperA), organiser A, and organisation
// B's organiser. Each cell asserts the status, the error shape for refusals, and that no other
// party's data appears in the answer. Ids in paths vary with the rows; ids in bodies, queries
// and sync mutations vary in the id matrix (id-matrix.ts) and the sync rows below, and a later
// pull is checked for foreign data. Every endpoint of src/routes/api must have rows here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import {
  anyone,
  deviceOf,
  GET,
  members,
  organisers,
  ownOrganisationName,
  POST,
  PUT,
  resolvePath,
  type EndpointCase,
} from './matrix';
import { CARRIED_IDS, CHECKOUT_BODY, ID_CASES, routeKey, type IdCase } from './id-matrix';
import { ORGANISER_ENDPOINTS } from './organiser-matrix';
import { loadOrganiserWorld, type OrganiserWorld } from './organiser-world';
import { ACTORS, contextFor, forbiddenFor, loadWorld, type ActorName, type World } from './world';
import { RawDevice, type SaleRecord } from '../../src/lib/sync/testing/factories';

// One line per endpoint. Sync endpoints are added here too.
const ENDPOINTS: EndpointCase[] = [
  GET('/api/me', members(200)),
  // "Download all my data": everyone signed in gets their own (docs/my-data.md).
  GET('/api/me/data', members(200)),
  // "Delete my account": only ever one's own (no id in it). The matrix's actors must stay, so
  // it sends no confirmation: signed in 400 (which field), anonymous 401. The deletion itself
  // is tested in src/lib/server/accounts/delete-account.spec.ts and tests/e2e/my-data.e2e.ts.
  POST('/api/me/delete', members(400), { body: () => ({}) }),
  // Product photos (SPEC.md "Product photos"): a photo nobody has is 404 for everyone; an
  // upload that is not an image 415. Who may upload and fetch: product-photos.spec.ts.
  GET('/api/sync/photos/:nobodysId', members(404)),
  PUT('/api/sync/photos/:nobodysId', members(415), { body: () => ({ not: 'an image' }) }),
  GET('/api/organisations/current', members(200)),
  POST('/api/organisations/current', organisers(200), {
    body: (w, a) => ({ name: ownOrganisationName(w, a) }),
  }),
  GET('/api/organisations/current/members', organisers(200)),
  GET('/api/invitations', organisers(200)),
  // Makers may invite a helper for their own stall (the invitation names them).
  POST('/api/invitations', organisers(201), {
    body: () => ({ role: 'helper' }),
    override: { makerA: 201, makerB: 201 },
  }),
  GET('/api/invitations/:spareInvitationToken', anyone(200), { reveals: (w) => [w.orgA.name] }),
  // Makers see the QR only of invitations they made themselves.
  GET('/api/invitations/:spareInvitationId/qr.svg?token=:spareInvitationToken', organisers(200), {
    override: { otherOrganiser: 404, makerA: 404, makerB: 404 },
  }),
  POST('/api/invitations/:unknownToken/accept', members(404)),
  // Revoking: organisers of the link's own organisation only (another's: 404, no leak).
  POST('/api/invitations/:otherOrgInvitationId/revoke', organisers(404), {
    override: { otherOrganiser: 200 },
  }),
  POST('/api/invitations/:nobodysId/revoke', organisers(404)),
  POST('/api/invitations/:doomedInvitationId/revoke', organisers(200), {
    override: { otherOrganiser: 404 },
  }),
  // Sync (src/lib/sync/SPEC.md): each actor pushes and pulls for a device of its own.
  POST('/api/sync/push', members(200), {
    body: (w, a) => ({ protocol: 1, deviceId: deviceOf(w, a), epoch: null, mutations: [] }),
  }),
  POST('/api/sync/pull', members(200), {
    body: (w, a) => ({ protocol: 1, deviceId: deviceOf(w, a), cursor: null }),
  }),
  GET('/api/sync/pull?deviceId=:ownDeviceId', members(200)),
  // Payments (src/lib/payments/contract.ts). The API servers run without Stripe keys, so
  // every payment action answers "cash only" (409) after sign-in; who may do what with Stripe
  // set up is proven against the fake Stripe in src/lib/server/payments/payments.spec.ts.
  GET('/api/payments', anyone(200)),
  POST('/api/payments/connect', members(409)),
  POST('/api/payments/connect/refresh', members(409)),
  POST('/api/payments/checkout', members(409), { body: () => CHECKOUT_BODY }),
  GET('/api/payments/checkout/:nobodysId', members(404)),
  POST('/api/payments/checkout/:nobodysId/cancel', members(409)),
  POST('/api/payments/link', members(409), { body: () => ({ stallName: 'Kraam' }) }),
  // Stall fees paid online: whose fee is checked in src/lib/server/payments/fees.spec.ts.
  GET('/api/payments/fees/:publishedEventId', members(409)),
  POST('/api/payments/fees/:publishedEventId', members(409)),
  GET('/api/payments/fees/:nobodysId', members(409)),
  // Stripe's webhook: no session, only a signature; without keys there is nothing to receive.
  POST('/api/stripe/webhook', anyone(404), { body: () => ({ id: 'evt_1', type: 'x' }) }),
  // The maker's books export (src/lib/exports/contract.ts): their own data only; a helper
  // sells for someone else, an organiser who does not sell has none: 404.
  GET('/api/books/export?kind=journal&format=csv-intl&period=year&year=2026', members(200), {
    override: { helper: 404, helperA: 404, organiser: 404, otherOrganiser: 404 },
  }),
  // Organisers, makers and the public directory (src/lib/server/organiser/API.md).
  ...ORGANISER_ENDPOINTS,
];

let world: World;
let org: OrganiserWorld;
const contexts = {} as Record<ActorName, APIRequestContext>;

test.beforeAll(async ({ baseURL }) => {
  if (!baseURL) throw new Error('no baseURL');
  world = loadWorld(baseURL);
  org = loadOrganiserWorld(baseURL);
  for (const actor of ACTORS) {
    const info = world.actors[actor];
    contexts[actor] = await contextFor(baseURL, info.address, info.storageState);
  }
});

test.afterAll(async () => {
  for (const actor of ACTORS) await contexts[actor]?.dispose();
});

async function send(actor: ActorName, endpoint: EndpointCase) {
  const path = resolvePath(endpoint.path, world, actor);
  const response = await contexts[actor].fetch(path, {
    method: endpoint.method,
    ...(endpoint.body ? { data: endpoint.body(world, actor) } : {}),
  });
  return { status: response.status(), text: await response.text() };
}

/** Status, error shape, and no foreign data in the answer. */
async function check(endpoint: EndpointCase, actor: ActorName): Promise<void> {
  const status = endpoint.expect[actor];
  const { status: got, text } = await send(actor, endpoint);
  expect(got, text).toBe(status);
  if (status >= 400) {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, text).toBe('string');
    expect(typeof body.error?.message, text).toBe('string');
  }
  const allowed = new Set(endpoint.reveals?.(world) ?? []);
  const leaks = forbiddenFor(world, actor).filter((s) => !allowed.has(s) && text.includes(s));
  expect(leaks, `${actor} must not see ${leaks.join(', ')}`).toEqual([]);
}

for (const endpoint of ENDPOINTS) {
  for (const actor of ACTORS) {
    const status = endpoint.expect[actor];
    test(`${endpoint.method} ${endpoint.path} as ${actor} -> ${status}`, () =>
      check(endpoint, actor));
  }
}

// Ids in bodies and queries (id-matrix.ts).
for (const row of ID_CASES) {
  for (const actor of ACTORS) {
    const status = row.expect[actor];
    test(`[authz] ${row.method} ${row.path} with ${row.label} ${row.field} as ${actor} -> ${status}`, () =>
      check(row, actor));
  }
}

/** Every `export const GET|POST|…` of src/routes/api, as "METHOD /api/route/[*]". */
function apiEndpoints(): string[] {
  const root = join(process.cwd(), 'src', 'routes');
  const files = readdirSync(join(root, 'api'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('+server.ts'))
    .map((f) => join(root, 'api', f));
  return files.flatMap((file) => {
    const route = `/${relative(root, file).split(/[\\/]/).slice(0, -1).join('/')}`;
    const methods = [
      ...readFileSync(file, 'utf8').matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g),
    ];
    return methods.map((m) => routeKey(`${m[1]} ${route}`));
  });
}

test('[authz] every endpoint of src/routes/api has matrix rows and declares the ids its body carries', () => {
  const endpoints = apiEndpoints();
  expect(endpoints.length).toBeGreaterThan(30);
  const rows = new Set(ENDPOINTS.map((e) => routeKey(`${e.method} ${e.path}`)));
  expect(
    endpoints.filter((e) => !rows.has(e)),
    'endpoints without matrix rows',
  ).toEqual([]);
  const declared = new Map(Object.entries(CARRIED_IDS).map(([k, v]) => [routeKey(k), v]));
  expect(
    endpoints.filter((e) => !declared.has(e)),
    'endpoints missing in CARRIED_IDS',
  ).toEqual([]);
  const varied = new Set([
    ...ID_CASES.map((c: IdCase) => `${routeKey(`${c.method} ${c.path}`)} ${c.field}`),
    ...SYNC_ID_ROWS,
  ]);
  const unvaried = [...declared].flatMap(([endpoint, fields]) =>
    fields.map((f) => `${endpoint} ${f}`).filter((key) => !varied.has(key)),
  );
  expect(unvaried, 'carried ids without rows that vary them').toEqual([]);
});

// Sync ids: the envelope's device, and the maker, event, product and sale each mutation names.
// Maker A1's phone sells once at organisation A's published event; everyone else then names
// that phone, that sale, that product and maker A1 in pushes of their own.
const SYNC_ID_ROWS = [
  'POST /api/sync/push deviceId',
  'POST /api/sync/push sale.makerId',
  'POST /api/sync/push sale.eventId',
  'POST /api/sync/push sale.lines.productId',
  'POST /api/sync/push sale.void.saleId',
  'POST /api/sync/push refund.saleId',
  'GET /api/sync/pull deviceId',
  'POST /api/sync/pull deviceId',
].map((row) => {
  const [method, path, field] = row.split(' ');
  return `${routeKey(`${method} ${path}`)} ${field}`;
});

interface PushAnswer {
  results: { seq: number; status: string; reason?: string; flags?: string[] }[];
}

let phoneA: RawDevice;
let saleA: SaleRecord;
let productA: ReturnType<RawDevice['product']>;

async function pushAs(
  actor: ActorName,
  device: RawDevice,
  ...mutations: Parameters<RawDevice['queue']>
) {
  const response = await contexts[actor].post('/api/sync/push', {
    data: device.request(device.queue(...mutations)),
  });
  return { status: response.status(), text: await response.text() };
}

/** Every change this actor's own device may pull, as text. */
async function pullText(actor: ActorName): Promise<string> {
  let cursor: string | null = null;
  let text = '';
  for (let page = 0; page < 100; page++) {
    const response = await contexts[actor].post('/api/sync/pull', {
      data: { protocol: 1, deviceId: deviceOf(world, actor, '-later'), cursor },
    });
    const body = await response.text();
    expect(response.status(), body).toBe(200);
    text += body;
    const parsed = JSON.parse(body) as { cursor: string | null; hasMore: boolean };
    cursor = parsed.cursor;
    if (!parsed.hasMore) return text;
  }
  throw new Error('the feed never ended');
}

test.describe.serial('[authz] sync ids', () => {
  test.beforeAll(async () => {
    phoneA = new RawDevice({
      makerId: org.makerAId,
      deviceId: deviceOf(world, 'makerA', '-phone'),
    });
    productA = phoneA.product({ priceCents: 31_337, name: 'Sourdough A1' });
    saleA = phoneA.sale(org.publishedEventId, [{ product: productA }]);
    const pushed = await pushAs('makerA', phoneA, phoneA.productUpsert(productA), saleA);
    expect(pushed.status, pushed.text).toBe(200);
  });

  const strangers = ['makerB', 'helper', 'organiser', 'otherOrganiser'] as const;
  for (const actor of strangers) {
    test(`[authz] ${actor} cannot push or pull as maker A1's phone, nor sell as, void or refund a sale of, maker A1`, async () => {
      const stolen = new RawDevice({ makerId: org.makerAId, deviceId: phoneA.deviceId });
      expect((await pushAs(actor, stolen)).status).toBe(403);
      const pull = await contexts[actor].get(`/api/sync/pull?deviceId=${phoneA.deviceId}&cursor=`);
      expect(pull.status()).toBe(403);
      const own = new RawDevice({
        makerId: org.makerAId,
        deviceId: deviceOf(world, actor, '-ids'),
      });
      const sale = own.sale(org.publishedEventId, [{ product: productA }]);
      const pushed = await pushAs(actor, own, sale, own.voidOf(saleA), own.refundOf(saleA));
      expect(pushed.status, pushed.text).toBe(200);
      const answer = JSON.parse(pushed.text) as PushAnswer;
      expect(
        answer.results.map((r) => r.status),
        pushed.text,
      ).toEqual(['rejected', 'rejected', 'rejected']);
      expect(answer.results[2]?.reason, pushed.text).toBe(`unknown sale ${saleA.sale.id}`);
    });
  }

  test("[authz] a sale organiser B's phone pushes into organisation A's event is flagged foreign-event and absent from A's dashboard", async () => {
    const phone = new RawDevice({ deviceId: deviceOf(world, 'otherOrganiser', '-till') });
    const product = phone.product({ priceCents: 86_420, name: 'Foreign bread' });
    const sale = phone.sale(org.publishedEventId, [{ product }]);
    const pushed = await pushAs('otherOrganiser', phone, phone.productUpsert(product), sale);
    expect(pushed.status, pushed.text).toBe(200);
    const answer = JSON.parse(pushed.text) as PushAnswer;
    expect(answer.results[1]?.status, pushed.text).toBe('applied');
    expect(answer.results[1]?.flags, pushed.text).toContain('foreign-event');
    const dashboard = await contexts.organiser.get(
      `/api/organiser/events/${org.publishedEventId}/dashboard`,
    );
    const text = await dashboard.text();
    expect(dashboard.status(), text).toBe(200);
    expect(text).not.toContain(phone.makerId);
    expect(text).not.toContain('86420');
    const csv = await contexts.organiser.get(
      `/api/organiser/events/${org.publishedEventId}/dashboard.csv`,
    );
    expect(await csv.text()).not.toContain('864.20');
  });

  test("[authz] a restock organiser B's phone names organisation A's event with stays B's own: never in A's figures nor in anyone else's pull", async () => {
    const phone = new RawDevice({ deviceId: deviceOf(world, 'otherOrganiser', '-stock') });
    const product = phone.product({ priceCents: 75_319, name: 'Foreign jam' });
    const restock = phone.stock(org.publishedEventId, product.id, 97_531, 'restock');
    const pushed = await pushAs('otherOrganiser', phone, phone.productUpsert(product), restock);
    expect(pushed.status, pushed.text).toBe(200);
    const answer = JSON.parse(pushed.text) as PushAnswer;
    expect(
      answer.results.map((r) => r.status),
      pushed.text,
    ).toEqual(['applied', 'applied']);
    const own = await pullText('otherOrganiser');
    expect(own).toContain(product.id);
    for (const actor of ['makerA', 'makerB', 'helperA', 'organiser'] as const) {
      const text = await pullText(actor);
      expect(text, actor).not.toContain(product.id);
      expect(text, actor).not.toContain('97531');
    }
    for (const path of ['dashboard', 'dashboard.csv']) {
      const answerA = await contexts.organiser.get(
        `/api/organiser/events/${org.publishedEventId}/${path}`,
      );
      const text = await answerA.text();
      expect(answerA.status(), text).toBe(200);
      expect(text).not.toContain('Foreign jam');
      expect(text).not.toContain('97531');
    }
  });

  test("[authz] maker A1's own helper sells for maker A1 and may void and refund their sales", async () => {
    const phone = new RawDevice({
      makerId: org.makerAId,
      deviceId: deviceOf(world, 'helperA', '-ids'),
    });
    const sale = phone.sale(org.publishedEventId, [{ product: productA }]);
    const pushed = await pushAs('helperA', phone, sale, phone.voidOf(saleA), phone.refundOf(sale));
    const answer = JSON.parse(pushed.text) as PushAnswer;
    expect(
      answer.results.map((r) => r.status),
      pushed.text,
    ).toEqual(['applied', 'applied', 'applied']);
  });

  for (const actor of ACTORS.filter((a) => a !== 'anonymous')) {
    const sees = actor === 'makerA' || actor === 'helperA';
    test(`[authz] a later pull as ${actor} shows ${sees ? "maker A1's sale" : 'nothing of maker A1'} and no foreign data`, async () => {
      const text = await pullText(actor);
      expect(text.includes(saleA.sale.id), "maker A1's sale").toBe(sees);
      expect(text.includes(productA.id), "maker A1's product").toBe(sees);
      const leaks = forbiddenFor(world, actor).filter((s) => text.includes(s));
      expect(leaks, `${actor} must not see ${leaks.join(', ')}`).toEqual([]);
      if (actor !== 'otherOrganiser') expect(text).not.toContain('Foreign bread');
    });
  }
});

// Public pages answer with public ids only: the maker's slug, the event's own id.
test("[authz] public pages, their __data.json and the public API carry slugs, never a maker's makerId", async () => {
  const pages = [
    `/api/public/makers/${org.makerASlug}`,
    `/api/public/events/${org.publishedEventId}`,
    `/m/${org.makerASlug}`,
    `/m/${org.makerASlug}/__data.json`,
    `/m/${org.makerASlug}/card`,
    `/m/${org.makerASlug}/card/__data.json`,
    `/e/${org.publishedEventId}`,
    `/e/${org.publishedEventId}/__data.json`,
  ];
  for (const actor of ['anonymous', 'otherOrganiser'] as const) {
    for (const page of pages) {
      const response = await contexts[actor].get(page);
      const text = await response.text();
      expect(response.status(), `${page}: ${text.slice(0, 200)}`).toBe(200);
      expect(text, page).toContain(org.makerASlug);
      for (const internal of [org.makerAId, org.makerBId, world.orgA.id]) {
        expect(text.includes(internal), `${page} shows ${internal}`).toBe(false);
      }
      const leaks = forbiddenFor(world, actor).filter((s) => text.includes(s));
      expect(leaks, `${page} must not show ${leaks.join(', ')}`).toEqual([]);
    }
  }
  // The printable impact summary is for organisation A's organisers only.
  for (const actor of ['anonymous', 'makerA', 'otherOrganiser'] as const) {
    for (const page of ['/print/impact', '/print/impact/__data.json']) {
      const text = await (await contexts[actor].get(page)).text();
      expect(text.includes(world.orgA.name), `${page} as ${actor}`).toBe(false);
    }
  }
});
