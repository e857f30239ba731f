// The public application form over HTTP (issue 12): a new maker applies to a published event
// with no account; every kind of bad input is refused with its status and field and stores
// nothing; the form is rate limited per address (in the database); the organiser accepts
// into an invitation the maker can join with, or declines with a message the applicant reads
// on their status page.
import { expect, test, type APIRequestContext } from '@playwright/test';
import {
  applicationForm,
  call,
  loadOrganiserWorld,
  PNG_BYTES,
  type OrganiserWorld,
} from './organiser-world';
import { actorContext, loadWorld, PASSWORD, strangers, uniqueEmail, type World } from './world';

let world: World;
let org: OrganiserWorld;
let organiser: APIRequestContext;
const { next: stranger, keep, disposeAll } = strangers('10.81');

test.beforeAll(async ({ baseURL }) => {
  if (!baseURL) throw new Error('no baseURL');
  world = loadWorld(baseURL);
  org = loadOrganiserWorld(baseURL);
  organiser = await actorContext(world, 'organiser');
  keep(organiser);
});
test.afterAll(async () => {
  await disposeAll();
});

const MARKER = 'Qz7applicant';
const applyPath = (eventId = org.publishedEventId) => `/api/public/events/${eventId}/applications`;
type Multipart = Record<string, string | { name: string; mimeType: string; buffer: Buffer }>;

interface Answer {
  status: number;
  text: string;
  issues: string[];
  headers: Record<string, string>;
}

async function apply(
  baseURL: string,
  multipart: Multipart | null,
  options: { path?: string; raw?: { body: string | Buffer; type: string } } = {},
): Promise<Answer> {
  const client = await stranger(baseURL);
  const response = await client.post(options.path ?? applyPath(), {
    ...(multipart ? { multipart } : {}),
    ...(options.raw
      ? { data: options.raw.body, headers: { 'content-type': options.raw.type } }
      : {}),
  });
  const text = await response.text();
  let issues: string[] = [];
  try {
    const body = JSON.parse(text) as { error?: { issues?: { path: string }[] } };
    issues = (body.error?.issues ?? []).map((i) => i.path);
  } catch {
    // not JSON
  }
  return { status: response.status(), text, issues, headers: response.headers() };
}

async function organiserSees(): Promise<string> {
  return JSON.stringify(
    await call(organiser, 'GET', `/api/organiser/events/${org.publishedEventId}/applications`, 200),
  );
}

test('a new maker applies with no account and gets a status page', async ({ baseURL }) => {
  const answer = await apply(baseURL ?? '', {
    ...applicationForm({ name: `${MARKER} ok` }),
    photos: { name: 'work.png', mimeType: 'image/png', buffer: PNG_BYTES },
  });
  expect(answer.status, answer.text).toBe(201);
  const { statusPath } = JSON.parse(answer.text) as { statusPath: string };
  expect(statusPath).toMatch(/^\/application\/[A-Za-z0-9_-]{43}$/);
  const page = await (await stranger(baseURL ?? '')).get(statusPath);
  expect(page.status()).toBe(200);
  expect(await page.text()).toContain(`${MARKER} ok`);
  expect(await organiserSees()).toContain(`${MARKER} ok`);
  const unknown = await (await stranger(baseURL ?? '')).get(`/application/${'A'.repeat(43)}`);
  expect(unknown.status()).toBe(404);
});

test('bad input of every kind is refused with its status and field, and nothing is stored', async ({
  baseURL,
}) => {
  const base = baseURL ?? '';
  // Every refused request carries a numbered marker; none of them may be stored.
  let counter = 0;
  const bad = (_what: string) => `${MARKER}-${++counter}`;
  const photo = (buffer: Buffer, mimeType = 'image/png') => ({
    name: 'p.png',
    mimeType,
    buffer,
  });
  const big = Buffer.concat([PNG_BYTES, Buffer.alloc(2 * 1024 * 1024)]);
  const cases: [string, Multipart | null, number, string | null, Parameters<typeof apply>[2]?][] = [
    ['empty name', applicationForm({ name: '' }), 422, 'name'],
    ['blank craft', applicationForm({ name: bad('blank'), craft: '   ' }), 422, 'craft'],
    ['long name', applicationForm({ name: `${bad('long')}${'x'.repeat(100)}` }), 422, 'name'],
    ['long contact', applicationForm({ name: bad('c'), contact: 'x'.repeat(201) }), 422, 'contact'],
    ['NUL', applicationForm({ name: `${bad('nul')}\u0000` }), 422, 'name'],
    ['no consent', applicationForm({ name: bad('consent'), consent: 'no' }), 422, 'consent'],
    [
      'consent left out',
      (({ consent: _c, ...rest }) => rest)(applicationForm({ name: bad('left') })),
      422,
      'consent',
    ],
    ['unknown language', applicationForm({ name: bad('lang'), language: 'xx' }), 400, 'language'],
    [
      'missing field',
      (({ craft: _c, ...rest }) => rest)(applicationForm({ name: bad('missing') })),
      400,
      'craft',
    ],
    // An unknown key is the body's issue (path ""), named in the message.
    ['unknown field', applicationForm({ name: bad('extra'), makerId: 'x' }), 400, ''],
    [
      'a photo that is not an image',
      { ...applicationForm({ name: bad('svg') }), photos: photo(Buffer.from('<svg/>')) },
      415,
      'photos.0',
    ],
    [
      'a photo of the wrong field',
      { ...applicationForm({ name: bad('field') }), name2: photo(PNG_BYTES) },
      400,
      'name2',
    ],
    [
      'a photo too large',
      { ...applicationForm({ name: bad('big') }), photos: photo(big) },
      413,
      null,
    ],
    [
      'JSON',
      null,
      415,
      null,
      { raw: { body: JSON.stringify(applicationForm()), type: 'application/json' } },
    ],
    [
      'malformed multipart',
      null,
      400,
      null,
      { raw: { body: `--x\r\nbroken ${bad('broken')}`, type: 'multipart/form-data; boundary=x' } },
    ],
    [
      'not an id',
      applicationForm({ name: bad('id') }),
      400,
      null,
      { path: applyPath('not-an-id') },
    ],
    [
      'nobody’s event',
      applicationForm({ name: bad('nobody') }),
      404,
      null,
      { path: applyPath('00000000-0000-4000-8000-000000000000') },
    ],
    [
      'a draft event',
      applicationForm({ name: bad('draft') }),
      404,
      null,
      { path: applyPath(org.draftEventId) },
    ],
    [
      'a closed event',
      applicationForm({ name: bad('closed') }),
      409,
      null,
      { path: applyPath(org.closedEventId) },
    ],
  ];
  for (const [what, multipart, status, field, options] of cases) {
    const answer = await apply(base, multipart, options);
    expect(answer.status, `${what}: ${answer.text}`).toBe(status);
    if (field !== null) expect(answer.issues, `${what}: ${answer.text}`).toContain(field);
    if (field === '') expect(answer.text).toContain('makerId');
    JSON.parse(answer.text);
  }
  // Three photos, one too many (a FormData: one field name, three files).
  const client = await stranger(base);
  const form = new FormData();
  for (const [key, value] of Object.entries(applicationForm({ name: bad('three photos') }))) {
    form.append(key, value);
  }
  for (let i = 0; i < 3; i++)
    form.append('photos', new Blob([PNG_BYTES], { type: 'image/png' }), `${i}.png`);
  const tooMany = await client.fetch(applyPath(), { method: 'POST', multipart: form });
  expect(tooMany.status(), await tooMany.text()).toBe(422);
  expect(await organiserSees()).not.toContain(`${MARKER}-`);
});

test('the form is rate limited per address: the 11th within a quarter hour is 429', async ({
  baseURL,
}) => {
  const { next, disposeAll: done } = strangers('10.82');
  const client = await next(baseURL ?? '');
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    // Bad and good requests count alike (counted before the form is read).
    const response = await client.post(applyPath(), {
      multipart: applicationForm({ name: i % 2 ? `Rate ${i}` : '' }),
    });
    statuses.push(response.status());
    if (i === 10) {
      expect(response.headers()['retry-after']).toMatch(/^\d+$/);
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code).toBe('rate_limited');
    }
  }
  expect(statuses.slice(0, 10).every((s) => s === 201 || s === 422)).toBe(true);
  expect(statuses[10]).toBe(429);
  // Another address is not held back.
  const other = await next(baseURL ?? '');
  const fine = await other.post(applyPath(), { multipart: applicationForm({ name: 'Other' }) });
  expect(fine.status()).toBe(201);
  await done();
});

test('accepted into an invitation the maker joins with; declined with a message on the status page', async ({
  baseURL,
}) => {
  const base = baseURL ?? '';
  const applied = async (name: string, language: string) => {
    const answer = await apply(base, applicationForm({ name, language }));
    expect(answer.status, answer.text).toBe(201);
    const { application, statusPath } = JSON.parse(answer.text) as {
      application: { id: string };
      statusPath: string;
    };
    return { id: application.id, statusPath };
  };
  const decide = (id: string, body: unknown, status = 200) =>
    call<{ application: { status: string; invitationUrl: string | null } }>(
      organiser,
      'POST',
      `/api/organiser/events/${org.publishedEventId}/applications/${id}`,
      status,
      body,
    );

  const amira = await applied('Amira API', 'ar');
  const { application } = await decide(amira.id, { decision: 'accept' });
  expect(application.status).toBe('accepted');
  const token = application.invitationUrl?.split('/invite/')[1] ?? '';
  const lookup = await call<{ invitation: { status: string; role: string } }>(
    await stranger(base),
    'GET',
    `/api/invitations/${token}`,
    200,
  );
  expect(lookup.invitation).toMatchObject({ status: 'valid', role: 'maker' });
  const statusPage = await (await stranger(base)).get(amira.statusPath);
  expect(await statusPage.text()).toContain(`/invite/${token}`);
  const maker = await stranger(base);
  const signUp = await maker.post('/api/auth/sign-up/email', {
    data: {
      email: uniqueEmail(world.runId, 'amira'),
      password: PASSWORD,
      name: 'Amira API',
      invitationToken: token,
    },
  });
  expect(signUp.status(), await signUp.text()).toBe(200);
  await decide(amira.id, { decision: 'decline', message: 'Too late' }, 409);

  const chen = await applied('Chen API', 'nl');
  const refused = await call<{ error: { issues: { path: string }[] } }>(
    organiser,
    'POST',
    `/api/organiser/events/${org.publishedEventId}/applications/${chen.id}`,
    422,
    { decision: 'decline' },
  );
  expect(refused.error.issues.map((i) => i.path)).toContain('message');
  await decide(chen.id, { decision: 'decline', message: 'Helaas is de markt vol.' });
  const page = await (await stranger(base)).get(chen.statusPath);
  const html = await page.text();
  expect(html).toContain('Helaas is de markt vol.');
  expect(html).toContain('lang="nl"');
});
