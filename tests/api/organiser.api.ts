// The organiser API over HTTP against the real server (issue 4): who may change what, that
// private contact details never reach public pages or public answers, that drafts and
// unlisted makers are not public, bad input (each a clear 4xx, nothing half-saved: the state
// is read back after), and what a maker's device receives through sync.
import { expect, test, type APIRequestContext } from '@playwright/test';
import {
  call,
  EVENT_BODY,
  futureDate,
  loadOrganiserWorld,
  PRIVATE_NEED_NOTE,
  PRIVATE_PHONE,
  PRIVATE_WEBSITE,
  profileBody,
  PUBLIC_EMAIL,
  type OrganiserWorld,
} from './organiser-world';
import { ACTORS, contextFor, loadWorld, PASSWORD, type ActorName, type World } from './world';

let world: World;
let org: OrganiserWorld;
const as = {} as Record<ActorName, APIRequestContext>;

test.beforeAll(async ({ baseURL }) => {
  if (!baseURL) throw new Error('no baseURL');
  world = loadWorld(baseURL);
  org = loadOrganiserWorld(baseURL);
  for (const actor of ACTORS) {
    const info = world.actors[actor];
    as[actor] = await contextFor(baseURL, info.address, info.storageState);
  }
});

test.afterAll(async () => {
  for (const actor of ACTORS) await as[actor]?.dispose();
});

interface Plan {
  stalls: { id: string; label: string; x: number; y: number; width: number; height: number }[];
  assignments: { id: string; stallId: string; makerId: string }[];
  landmarks: { id: string }[];
  map: { width: number; height: number };
}

const planOf = (eventId: string) =>
  call<Plan>(as.organiser, 'GET', `/api/organiser/events/${eventId}`, 200);

/** The parts of a plan a refused request must not have touched. */
const shape = (plan: Plan) => ({
  map: plan.map,
  stalls: plan.stalls.map((s) => [s.id, s.label, s.x, s.y, s.width, s.height]),
  assignments: plan.assignments.map((a) => [a.id, a.stallId, a.makerId]),
  landmarks: plan.landmarks.map((l) => l.id),
});

interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; code?: string }[] };
}

/** A fresh draft event of organisation A with one stall A1 (x 0, y 0) on a 6 x 4 map. */
async function freshEvent(): Promise<{ eventId: string; stallId: string }> {
  const { event } = await call<{ event: { id: string } }>(
    as.organiser,
    'POST',
    '/api/organiser/events',
    201,
    { ...EVENT_BODY, date: futureDate(50), mapWidth: 6, mapHeight: 4 },
  );
  const { stall } = await call<{ stall: { id: string } }>(
    as.organiser,
    'POST',
    `/api/organiser/events/${event.id}/stalls`,
    201,
    { label: 'A1', x: 0, y: 0, width: 2, height: 1 },
  );
  return { eventId: event.id, stallId: stall.id };
}

test('makers cannot change maps, stalls or assignments: 403, and the plan is unchanged', async () => {
  // An event of this test's own: the matrix changes the world's published event meanwhile.
  const { eventId, stallId } = await freshEvent();
  const E = `/api/organiser/events/${eventId}`;
  const { assignment } = await call<{ assignment: { id: string } }>(
    as.organiser,
    'POST',
    `${E}/assignments`,
    201,
    { stallId, makerId: org.makerAId },
  );
  const { landmark } = await call<{ landmark: { id: string } }>(
    as.organiser,
    'POST',
    `${E}/landmarks`,
    201,
    { kind: 'entrance', x: 0, y: 3 },
  );
  await call(as.organiser, 'POST', `${E}/status`, 200, { to: 'published' });
  const before = shape(await planOf(eventId));
  const attempts: [string, string, unknown][] = [
    ['PUT', `${E}/map`, { width: 3, height: 3 }],
    ['POST', `${E}/stalls`, { label: 'X1' }],
    ['PATCH', `${E}/stalls/${stallId}`, { x: 3 }],
    ['DELETE', `${E}/stalls/${stallId}`, undefined],
    ['POST', `${E}/assignments`, { stallId, makerId: org.makerBId }],
    ['PATCH', `${E}/assignments/${assignment.id}`, { arrivalTime: '08:00' }],
    ['DELETE', `${E}/assignments/${assignment.id}`, undefined],
    ['DELETE', `${E}/landmarks/${landmark.id}`, undefined],
    ['POST', `${E}/status`, { to: 'draft' }],
  ];
  for (const actor of ['makerA', 'makerB', 'helper'] as const) {
    for (const [method, path, data] of attempts) {
      const body = await call<ErrorBody>(as[actor], method as 'PUT', path, 403, data);
      expect(body.error.code).toBe('forbidden');
      expect(body.error.message).toMatch(/organiser/);
    }
  }
  expect(shape(await planOf(eventId))).toEqual(before);
});

test('a maker edits only their own profile; naming another maker is refused (400)', async () => {
  const publicBefore = await call(as.anonymous, 'GET', `/api/public/makers/${org.makerASlug}`, 200);
  const sneaky = await call<ErrorBody>(as.makerB, 'PUT', '/api/organiser/profile', 400, {
    ...profileBody('makerB'),
    makerId: org.makerAId,
  });
  expect(sneaky.error.code).toBe('validation_failed');
  expect(sneaky.error.issues?.map((i) => i.path)).toContain('');
  // Saving their own profile changes theirs only.
  const { profile } = await call<{ profile: { makerId: string } }>(
    as.makerB,
    'PUT',
    '/api/organiser/profile',
    200,
    { ...profileBody('makerB'), displayName: 'Amal Bakery' },
  );
  expect(profile.makerId).toBe(org.makerBId);
  expect(await call(as.anonymous, 'GET', `/api/public/makers/${org.makerASlug}`, 200)).toEqual(
    publicBefore,
  );
  await call(as.makerB, 'PUT', '/api/organiser/profile', 200, profileBody('makerB'));
  // Organisers have no maker profile to edit.
  await call(as.organiser, 'PUT', '/api/organiser/profile', 403, profileBody('makerA'));
});

test('private contact details never appear on public pages or in public answers', async ({
  baseURL,
}) => {
  const secrets = [
    PRIVATE_PHONE,
    PRIVATE_WEBSITE,
    PRIVATE_NEED_NOTE,
    '87654321',
    'berhane@example.net',
    world.orgA.id,
    ...ACTORS.map((a) => world.actors[a].email).filter((e): e is string => e !== null),
  ];
  const pages = [
    `/m/${org.makerASlug}`,
    `/m/${org.makerASlug}/card`,
    `/e/${org.publishedEventId}`,
    `/api/public/makers/${org.makerASlug}`,
    `/api/public/events/${org.publishedEventId}`,
  ];
  for (const path of pages) {
    const response = await as.anonymous.get(path);
    const text = await response.text();
    expect(response.status(), `${path}: ${text.slice(0, 200)}`).toBe(200);
    const leaked = secrets.filter((secret) => text.includes(secret));
    expect(leaked, `${path} leaks ${leaked.join(', ')}`).toEqual([]);
  }
  const maker = await (await as.anonymous.get(`/m/${org.makerASlug}`)).text();
  expect(maker).toContain('Amal Bakery');
  expect(maker).toContain(`mailto:${PUBLIC_EMAIL}`);
  expect(maker).toContain('https://www.instagram.com/amal.bakes/');
  // Server-rendered, no device app: no scripts, not the offline shell.
  expect(maker).not.toMatch(/<script/i);
  const event = await (await as.anonymous.get(`/e/${org.publishedEventId}`)).text();
  expect(event).toContain(`href="/m/${org.makerASlug}"`);
  expect(event).toMatch(/<svg[^>]*role="img"/);
  const card = await (await as.anonymous.get(`/m/${org.makerASlug}/card`)).text();
  expect(card).toContain(`${baseURL}/m/${org.makerASlug}`);
  expect(card).toMatch(/<svg[^>]*viewBox/);
});

test('the public pages speak the visitor’s language; Arabic is right-to-left', async ({
  baseURL,
}) => {
  const arabic = await contextFor(baseURL!, '10.40.0.1');
  try {
    const response = await arabic.get(`/e/${org.publishedEventId}`, {
      headers: { 'accept-language': 'ar' },
    });
    const html = await response.text();
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(html).toContain('الصانعون في هذا البازار');
    const dutch = await (
      await arabic.get(`/m/${org.makerASlug}`, { headers: { 'accept-language': 'nl' } })
    ).text();
    expect(dutch).toMatch(/<html lang="nl" dir="ltr">/);
    expect(dutch).toContain('Op deze bazaars');
  } finally {
    await arabic.dispose();
  }
});

test('the public pages speak Persian (right-to-left), Tigrinya, Ukrainian and Turkish too', async ({
  baseURL,
}) => {
  const visitor = await contextFor(baseURL!, '10.40.0.2');
  try {
    const cases = [
      {
        header: 'fa-IR,fa;q=0.9,en;q=0.5',
        html: '<html lang="fa" dir="rtl">',
        text: 'سازندگان این بازارچه',
      },
      { header: 'ti-ER,ti;q=0.9', html: '<html lang="ti" dir="ltr">', text: 'ሰራሕቲ ኣብዚ ባዛር' },
      {
        header: 'uk-UA,uk;q=0.9,ru;q=0.5',
        html: '<html lang="uk" dir="ltr">',
        text: 'Майстри на цьому ярмарку',
      },
      {
        header: 'tr-TR,tr;q=0.9',
        html: '<html lang="tr" dir="ltr">',
        text: 'Bu pazardaki üreticiler',
      },
    ];
    for (const { header, html, text } of cases) {
      const page = await (
        await visitor.get(`/e/${org.publishedEventId}`, { headers: { 'accept-language': header } })
      ).text();
      expect(page, header).toContain(html);
      expect(page, header).toContain(text);
      // The date is the Gregorian one with Western digits (plain 'fa' would be Solar Hijri).
      expect(page, header).not.toMatch(/[\u06f0-\u06f9]/);
    }
  } finally {
    await visitor.dispose();
  }
});

test('an unpublished event and an unlisted maker are not public (404)', async () => {
  for (const path of [
    `/e/${org.draftEventId}`,
    `/e/${org.otherOrgEventId}`,
    '/e/not-an-id',
    `/m/${org.makerBSlug}`,
    `/m/${org.makerBSlug}/card`,
    '/m/nobody-here',
  ]) {
    const response = await as.anonymous.get(path);
    expect(response.status(), path).toBe(404);
    expect(await response.text()).not.toContain('Berhane');
  }
  // Published, then taken back to draft: public only in between.
  const { eventId } = await freshEvent();
  await call(as.organiser, 'POST', `/api/organiser/events/${eventId}/status`, 200, {
    to: 'published',
  });
  await call(as.anonymous, 'GET', `/api/public/events/${eventId}`, 200);
  await call(as.organiser, 'POST', `/api/organiser/events/${eventId}/status`, 200, {
    to: 'draft',
  });
  await call(as.anonymous, 'GET', `/api/public/events/${eventId}`, 404);
  expect((await as.anonymous.get(`/e/${eventId}`)).status()).toBe(404);
});

test('another organisation’s organiser sees nothing of organisation A', async () => {
  const other = as.otherOrganiser;
  const { events } = await call<{ events: { id: string }[] }>(
    other,
    'GET',
    '/api/organiser/events',
    200,
  );
  // Its own events only (the matrix may add more of B's own while this runs).
  const ids = events.map((e) => e.id);
  expect(ids).toContain(org.otherOrgEventId);
  for (const id of [org.publishedEventId, org.draftEventId, org.closedEventId]) {
    expect(ids).not.toContain(id);
  }
  const { makers } = await call<{ makers: { makerId: string }[] }>(
    other,
    'GET',
    '/api/organiser/makers',
    200,
  );
  expect(makers.map((m) => m.makerId)).not.toContain(org.makerAId);
  const E = `/api/organiser/events/${org.publishedEventId}`;
  for (const path of [E, `${E}/dashboard`, `${E}/announcements`, `${E}/dashboard.csv`]) {
    const body = await call<ErrorBody>(other, 'GET', path, 404);
    expect(body.error.message).not.toContain(world.orgA.name);
  }
  await call(other, 'PATCH', `${E}/stalls/${org.stallA1Id}`, 404, { x: 5 });
  await call(other, 'POST', `/api/organiser/events/${org.otherOrgEventId}/assignments`, 404, {
    stallId: org.stallA1Id,
    makerId: org.makerAId,
  });
  const impact = JSON.stringify(await call(other, 'GET', '/api/organiser/impact', 200));
  expect(impact).not.toContain('Pop-up Bazaar Leidschendam');
});

test('bad stall input: overlap, off the map, taken label, not a number — clear 4xx, nothing saved', async () => {
  const { eventId } = await freshEvent();
  const before = shape(await planOf(eventId));
  const stalls = `/api/organiser/events/${eventId}/stalls`;
  const overlap = await call<ErrorBody>(as.organiser, 'POST', stalls, 422, {
    label: 'A2',
    x: 1,
    y: 0,
  });
  expect(overlap.error.code).toBe('stall_invalid');
  expect(overlap.error.issues?.map((i) => i.code)).toEqual(['overlaps']);
  expect(overlap.error.message).toContain('overlap stall A1');
  const offMap = await call<ErrorBody>(as.organiser, 'POST', stalls, 422, {
    label: 'A3',
    x: 5,
    y: 3,
    width: 2,
  });
  expect(offMap.error.issues?.map((i) => i.code)).toEqual(['off-map']);
  const taken = await call<ErrorBody>(as.organiser, 'POST', stalls, 422, {
    label: 'a1',
    x: 4,
    y: 0,
  });
  expect(taken.error.issues?.map((i) => [i.path, i.code])).toEqual([['label', 'label-taken']]);
  const notNumber = await call<ErrorBody>(as.organiser, 'POST', stalls, 400, { x: 'left' });
  expect(notNumber.error.code).toBe('validation_failed');
  expect(notNumber.error.message).toContain('x');
  const shrink = await call<ErrorBody>(
    as.organiser,
    'PUT',
    `/api/organiser/events/${eventId}/map`,
    422,
    { width: 1, height: 4 },
  );
  expect(shrink.error.issues?.map((i) => i.code)).toEqual(['stall-off-map']);
  expect(shape(await planOf(eventId))).toEqual(before);
});

test('a maker on two stalls or a taken stall: 409 with a clear message, nothing saved', async () => {
  const { eventId, stallId } = await freshEvent();
  const { stall: second } = await call<{ stall: { id: string; label: string } }>(
    as.organiser,
    'POST',
    `/api/organiser/events/${eventId}/stalls`,
    201,
    { label: 'B1', x: 4, y: 0 },
  );
  const assignments = `/api/organiser/events/${eventId}/assignments`;
  await call(as.organiser, 'POST', assignments, 201, { stallId, makerId: org.makerAId });
  const before = shape(await planOf(eventId));
  const twice = await call<ErrorBody>(as.organiser, 'POST', assignments, 409, {
    stallId: second.id,
    makerId: org.makerAId,
  });
  expect(twice.error.code).toBe('maker_has_stall');
  expect(twice.error.message).toContain('A1');
  const taken = await call<ErrorBody>(as.organiser, 'POST', assignments, 409, {
    stallId,
    makerId: org.makerBId,
  });
  expect(taken.error.code).toBe('stall_taken');
  const late = await call<ErrorBody>(as.organiser, 'POST', assignments, 422, {
    stallId: second.id,
    makerId: org.makerBId,
    arrivalTime: '18:00',
  });
  expect(late.error.issues?.map((i) => [i.path, i.code])).toEqual([
    ['arrivalTime', 'arrives-after-closing'],
  ]);
  expect(shape(await planOf(eventId))).toEqual(before);
});

test('a reused invitation is refused (410) and creates nobody', async ({ baseURL }) => {
  // Organisation B's: the accounts tests count organisation A's invitations meanwhile.
  const { token } = await call<{ token: string }>(
    as.otherOrganiser,
    'POST',
    '/api/invitations',
    201,
    {
      role: 'maker',
    },
  );
  const membersBefore = await call<{ members: unknown[] }>(
    as.otherOrganiser,
    'GET',
    '/api/organisations/current/members',
    200,
  );
  const first = await contextFor(baseURL!, '10.40.1.1');
  const second = await contextFor(baseURL!, '10.40.1.2');
  try {
    const email = (n: string) => `maker-${n}-${world.runId}@example.org`;
    const ok = await first.post('/api/auth/sign-up/email', {
      data: { email: email('first'), password: PASSWORD, name: 'First', invitationToken: token },
    });
    expect(ok.status(), await ok.text()).toBe(200);
    const reused = await second.post('/api/auth/sign-up/email', {
      data: { email: email('second'), password: PASSWORD, name: 'Second', invitationToken: token },
    });
    expect(reused.status()).toBe(410);
    const body = (await reused.json()) as { code?: string; message?: string };
    expect(body.code).toBe('invitation_used');
    expect(body.message).toMatch(/already been used/);
    const signIn = await second.post('/api/auth/sign-in/email', {
      data: { email: email('second'), password: PASSWORD },
    });
    expect(signIn.status()).toBe(401);
    const membersAfter = await call<{ members: unknown[] }>(
      as.otherOrganiser,
      'GET',
      '/api/organisations/current/members',
      200,
    );
    expect(membersAfter.members).toHaveLength(membersBefore.members.length + 1);
  } finally {
    await first.dispose();
    await second.dispose();
  }
});

test('a maker’s device receives the published plan, its stall and announcements through sync', async () => {
  const pull = async (actor: 'makerA' | 'makerB', deviceId: string) =>
    call<{ changes: { entity: string; data: Record<string, unknown> }[] }>(
      as[actor],
      'POST',
      '/api/sync/pull',
      200,
      // This app's pull: it names the current names (SPEC.md, "Names before the rename").
      { protocol: 1, deviceId, cursor: null, limit: 1000, features: ['maker-names'] },
    );
  const { changes } = await pull('makerA', '0190a000-0000-7000-8000-00000000a001');
  const about = (id: string) => changes.filter((c) => JSON.stringify(c.data).includes(id));
  const kinds = new Set(about(org.publishedEventId).map((c) => c.entity));
  for (const kind of ['event', 'event_map', 'stall', 'stall_assignment', 'announcement']) {
    expect(kinds, kind).toContain(kind);
  }
  const assignment = changes.find(
    (c) => c.entity === 'stall_assignment' && c.data.id === org.assignmentId,
  );
  expect(assignment?.data).toMatchObject({
    stallId: org.stallA1Id,
    arrivalTime: '10:00',
    instructions: 'Side door',
  });
  expect(about(org.draftEventId)).toEqual([]);
  expect(
    changes.some((c) => c.entity === 'maker_results' && c.data.eventId === org.closedEventId),
  ).toBe(true);
  const other = await pull('makerB', '0190a000-0000-7000-8000-00000000b001');
  expect(JSON.stringify(other.changes)).not.toContain(org.assignmentId);
});

/**
 * A maker of this test's own, in organisation B (the accounts tests count organisation A's
 * invitations meanwhile), signed up through an invitation.
 */
async function newMaker(baseURL: string, name: string, address: string) {
  const { token } = await call<{ token: string }>(
    as.otherOrganiser,
    'POST',
    '/api/invitations',
    201,
    {
      role: 'maker',
    },
  );
  const context = await contextFor(baseURL, address);
  const response = await context.post('/api/auth/sign-up/email', {
    data: {
      email: `${name}-${world.runId}@example.org`,
      password: PASSWORD,
      name,
      invitationToken: token,
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  return context;
}

test('photos: real images only, bounded, public only once on a listed profile', async ({
  baseURL,
}) => {
  // A maker of this test's own: the matrix saves the world's makers' profiles meanwhile.
  const maker = await newMaker(baseURL!, 'photo-maker', '10.40.2.1');
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
  const upload = (context: APIRequestContext, type: string, data: Buffer) =>
    context.post('/api/organiser/profile/photos', { headers: { 'content-type': type }, data });
  try {
    const svg = await upload(maker, 'image/png', Buffer.from('<svg onload="x()"></svg>'));
    expect(svg.status()).toBe(415);
    expect((await upload(maker, 'image/svg+xml', png)).status()).toBe(415);
    expect((await upload(as.organiser, 'image/png', png)).status()).toBe(403);
    const created = await upload(maker, 'image/png', png);
    expect(created.status()).toBe(201);
    const { photoId } = (await created.json()) as { photoId: string };
    await call(as.anonymous, 'GET', `/api/public/photos/${photoId}`, 404);
    const stolen = await call<ErrorBody>(as.makerB, 'PUT', '/api/organiser/profile', 422, {
      ...profileBody('makerB'),
      photoIds: [photoId],
    });
    expect(stolen.error.issues?.map((i) => i.code)).toEqual(['unknown-photo']);
    await call(maker, 'PUT', '/api/organiser/profile', 200, {
      ...profileBody('makerA'),
      displayName: 'Photo Maker',
      photoIds: [photoId],
    });
    const shown = await as.anonymous.get(`/api/public/photos/${photoId}`);
    expect(shown.status()).toBe(200);
    expect(shown.headers()['content-type']).toBe('image/png');
    expect(shown.headers()['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(await shown.body()).equals(png)).toBe(true);
  } finally {
    await maker.dispose();
  }
  // Refused before the body is read, so the server drops that connection: a client of its own.
  const oversize = await contextFor(
    baseURL!,
    world.actors.makerA.address,
    world.actors.makerA.storageState,
  );
  try {
    const big = Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]);
    expect((await upload(oversize, 'image/png', big)).status()).toBe(413);
  } finally {
    await oversize.dispose();
  }
});

test('results, dashboard CSV and the printable impact page', async () => {
  const { results } = await call<{ results: { own: { salesCount: number } } }>(
    as.makerA,
    'GET',
    `/api/organiser/events/${org.closedEventId}/results`,
    200,
  );
  expect(results.own.salesCount).toBe(0);
  const csv = await as.organiser.get(
    `/api/organiser/events/${org.closedEventId}/dashboard.csv?lang=en`,
  );
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(csv.headers()['content-disposition']).toMatch(
    /^attachment; filename="kraam-\d{4}-\d{2}-\d{2}-pop-up-bazaar-leidschendam\.csv"$/,
  );
  expect((await csv.text()).split('\r\n')[0]).toBe(
    'maker,stalls,shares_figures,sales,items,revenue,average_sale,stall_fee_due,stall_fee_paid,stall_fee_outstanding,stall_fee_status',
  );
  const bad = await call<ErrorBody>(
    as.organiser,
    'GET',
    `/api/organiser/events/${org.closedEventId}/dashboard.csv?lang=fr`,
    400,
  );
  expect(bad.error.code).toBe('validation_failed');
  const page = await as.organiser.get('/print/impact', { headers: { 'accept-language': 'en' } });
  expect(page.status()).toBe(200);
  const html = await page.text();
  expect(html).toContain('Impact summary');
  expect(html).toContain(world.orgA.name);
  expect((await as.makerA.get('/print/impact')).status()).toBe(403);
  expect((await as.anonymous.get('/print/impact')).status()).toBe(401);
});

test('the public and print pages are outside the service worker’s offline fallback', async () => {
  const sw = await (await as.anonymous.get('/sw.js')).text();
  const literal = /allowlist:\[(\/.*?\/)\]/.exec(sw)?.[1];
  expect(literal, 'the navigate fallback allowlist in sw.js').toBeTruthy();
  const allowlist = new RegExp((literal ?? '').slice(1, -1));
  expect(allowlist.test('/till')).toBe(true);
  for (const path of [`/m/${org.makerASlug}`, `/e/${org.publishedEventId}`, '/print/impact']) {
    expect(allowlist.test(path), path).toBe(false);
  }
});
