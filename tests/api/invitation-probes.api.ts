// Sign-up through an invitation link is not an oracle for "which e-mails have an account":
// at most 3 "e-mail taken" answers per link, then one generic answer for every e-mail; the
// taken answer costs about what a new account costs; signing in and accepting still works.
// Each test makes its own links and accounts: the shared world (tests/api/world.ts) is left as is.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { actorContext, loadWorld, PASSWORD, strangers, uniqueEmail, type World } from './world';

let world: World;
let organiser: APIRequestContext;
const { next: stranger, keep, disposeAll } = strangers('10.47');

function newEmail(name: string): string {
  return uniqueEmail(world.runId, name);
}

function takenEmail(): string {
  const email = world.actors.makerA.email;
  if (!email) throw new Error('the world has no makerA e-mail');
  return email;
}

async function link(): Promise<string> {
  const response = await organiser.post('/api/invitations', { data: { role: 'maker' } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

async function signUp(baseURL: string, email: string, token: string) {
  const client = await stranger(baseURL);
  const started = performance.now();
  const response = await client.post('/api/auth/sign-up/email', {
    data: { email, password: PASSWORD, name: 'Probe', invitationToken: token },
  });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status(), body, ms: performance.now() - started };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
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

test('[authz] sign-up through one invitation link can probe at most 3 e-mails: after that taken and new e-mails get the same answer', async ({
  baseURL,
}) => {
  const token = await link();
  const taken = takenEmail();
  for (const email of [taken, taken.toUpperCase(), taken]) {
    const call = await signUp(baseURL!, email, token);
    expect(call.status).toBe(422);
    expect(call.body).toMatchObject({ code: 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL' });
  }
  const fresh = newEmail('never-probed');
  const afterTaken = await signUp(baseURL!, taken, token);
  const afterNew = await signUp(baseURL!, fresh, token);
  expect(afterTaken.status).toBe(409);
  expect([afterNew.status, afterNew.body]).toEqual([afterTaken.status, afterTaken.body]);
  expect(afterNew.body).toMatchObject({ code: 'invitation_locked' });
  expect(String(afterNew.body.message)).toMatch(/sign in and open the link again/);

  // The new e-mail got no account, and the link itself is still unused.
  const client = await stranger(baseURL!);
  const signIn = await client.post('/api/auth/sign-in/email', {
    data: { email: fresh, password: PASSWORD },
  });
  expect(signIn.status()).toBe(401);
  const lookup = await client.get(`/api/invitations/${token}`);
  expect((await lookup.json()).invitation.status).toBe('valid');
});

test('a taken e-mail answers in about the time of a new account: medians of 10 each, within a factor 3', async ({
  baseURL,
}) => {
  test.setTimeout(120_000);
  const runs = 10;
  const taken: number[] = [];
  const created: number[] = [];
  let probeLink = '';
  for (let i = 0; i < runs; i += 1) {
    if (i % 3 === 0) probeLink = await link();
    const probe = await signUp(baseURL!, takenEmail(), probeLink);
    expect(probe.status).toBe(422);
    taken.push(probe.ms);
    const joined = await signUp(baseURL!, newEmail('timed'), await link());
    expect(joined.status).toBe(200);
    created.push(joined.ms);
  }
  const figures = { taken: median(taken), created: median(created) };
  console.info(`sign-up medians over HTTP at ${baseURL} (ms):`, figures);
  expect(figures.taken).toBeGreaterThanOrEqual(figures.created / 3);
});

test('a signed-in account can still accept a link that is locked for sign-up', async ({
  baseURL,
}) => {
  // Someone with an account of their own (they founded an organisation of their own here).
  const founding = await organiser.post('/api/invitations', {
    data: { role: 'organiser', newOrganisation: true },
  });
  expect(founding.status(), await founding.text()).toBe(201);
  const maker = await stranger(baseURL!);
  const makerEmail = newEmail('has-an-account');
  const founded = await maker.post('/api/auth/sign-up/email', {
    data: {
      email: makerEmail,
      password: PASSWORD,
      name: 'Has an account',
      invitationToken: ((await founding.json()) as { token: string }).token,
      organisationName: 'Their own bazaar',
    },
  });
  expect(founded.status(), await founded.text()).toBe(200);

  // They tried to sign up again with their own e-mail until the link locked.
  const token = await link();
  for (let i = 0; i < 3; i += 1) {
    expect((await signUp(baseURL!, makerEmail, token)).status).toBe(422);
  }
  const locked = await signUp(baseURL!, makerEmail, token);
  expect(locked.body).toMatchObject({ code: 'invitation_locked' });

  // Signed in, they accept it and join organisation A.
  const accepted = await maker.post(`/api/invitations/${token}/accept`);
  expect(accepted.status(), await accepted.text()).toBe(201);
  expect((await accepted.json()).membership).toMatchObject({
    role: 'maker',
    organisationId: world.orgA.id,
  });
  const me = (await (await maker.get('/api/me')).json()) as { memberships: unknown[] };
  expect(me.memberships).toHaveLength(2);
});
