// The accounts flow over HTTP against the real server: sign-up rules, invitations, input
// validation at the edge (4xx with a usable message, nothing changed), body limits, cookie
// attributes and the sign-in rate limit.
import { expect, test, type APIRequestContext } from '@playwright/test';
import {
  actorContext,
  contextFor,
  loadWorld,
  PASSWORD,
  strangers,
  uniqueEmail,
  type World,
} from './world';

let world: World;
let organiser: APIRequestContext;
let otherOrganiser: APIRequestContext;
const { next: stranger, keep, disposeAll } = strangers('10.30');

function email(name: string): string {
  return uniqueEmail(world.runId, name);
}

async function invite(context: APIRequestContext, data: Record<string, unknown>) {
  const response = await context.post('/api/invitations', { data });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as {
    invitation: { id: string };
    token: string;
    url: string;
    qrSvgPath: string;
  };
}

test.beforeAll(async ({ baseURL }) => {
  if (!baseURL) throw new Error('no baseURL');
  world = loadWorld(baseURL);
  organiser = await actorContext(world, 'organiser');
  otherOrganiser = await actorContext(world, 'otherOrganiser');
  keep(organiser, otherOrganiser);
});

test.afterAll(async () => {
  await disposeAll();
});

test('a sign-up without an invitation on a server that has an organisation: 403, nothing created', async ({
  baseURL,
}) => {
  const client = await stranger(baseURL!);
  const address = email('uninvited');
  const response = await client.post('/api/auth/sign-up/email', {
    data: { email: address, password: PASSWORD, name: 'Uninvited' },
  });
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({ code: 'invitation_required' });
  const signIn = await client.post('/api/auth/sign-in/email', {
    data: { email: address, password: PASSWORD },
  });
  expect(signIn.status()).toBe(401);
});

test('invitation link: public lookup, sign-up joins as maker, the link is then used up (410)', async ({
  baseURL,
}) => {
  const { token, url } = await invite(organiser, { role: 'maker' });
  expect(url).toBe(`${baseURL}/invite/${token}`);
  const maker = await stranger(baseURL!);
  const lookup = await maker.get(`/api/invitations/${token}`);
  expect(lookup.status()).toBe(200);
  expect(await lookup.json()).toMatchObject({
    invitation: {
      organisationName: world.orgA.name,
      role: 'maker',
      status: 'valid',
      newOrganisation: false,
    },
  });

  const signUp = await maker.post('/api/auth/sign-up/email', {
    data: { email: email('maker'), password: PASSWORD, name: 'Maker', invitationToken: token },
  });
  expect(signUp.status(), await signUp.text()).toBe(200);
  const me = await (await maker.get('/api/me')).json();
  expect(me.membership).toMatchObject({ role: 'maker', organisationId: world.orgA.id });
  expect((await (await maker.get(`/api/invitations/${token}`)).json()).invitation.status).toBe(
    'used',
  );

  const late = await stranger(baseURL!);
  const again = await late.post('/api/auth/sign-up/email', {
    data: { email: email('late'), password: PASSWORD, name: 'Late', invitationToken: token },
  });
  expect(again.status()).toBe(410);
  expect(await again.json()).toMatchObject({ code: 'invitation_used' });
});

test('a signed-in user accepts an invitation from another organisation; a used one is 410', async ({
  baseURL,
}) => {
  const { token } = await invite(organiser, { role: 'maker' });
  const maker = await stranger(baseURL!);
  await maker.post('/api/auth/sign-up/email', {
    data: { email: email('two-orgs'), password: PASSWORD, name: 'Two', invitationToken: token },
  });
  const fromB = await invite(otherOrganiser, { role: 'helper' });
  const accepted = await maker.post(`/api/invitations/${fromB.token}/accept`);
  expect(accepted.status(), await accepted.text()).toBe(201);
  expect((await accepted.json()).membership).toMatchObject({
    role: 'helper',
    organisationId: world.orgB.id,
  });
  const me = await (await maker.get('/api/me')).json();
  expect(me.memberships).toHaveLength(2);
  const reused = await maker.post(`/api/invitations/${fromB.token}/accept`);
  expect(reused.status()).toBe(410);
  expect((await reused.json()).error.code).toBe('invitation_used');
});

test('bad input to an endpoint: a 4xx naming the problem, and nothing changes', async ({
  baseURL,
}) => {
  // An organisation of its own: other tests create invitations for the shared organisations
  // at the same time, so "nothing changed" is only measurable where nobody else writes.
  const founding = await invite(organiser, { role: 'organiser', newOrganisation: true });
  const founder = await stranger(baseURL!);
  const signUp = await founder.post('/api/auth/sign-up/email', {
    data: {
      email: email('bad-input'),
      password: PASSWORD,
      name: 'Bad Input',
      invitationToken: founding.token,
      organisationName: 'Bad input test',
    },
  });
  expect(signUp.status(), await signUp.text()).toBe(200);
  const before = (await (await founder.get('/api/invitations')).json()).invitations.length;
  const cases: [Parameters<APIRequestContext['post']>[1], number, string][] = [
    [{ data: { role: 'boss' } }, 400, 'validation_failed'],
    [{ data: { role: 'maker', colour: 'red' } }, 400, 'validation_failed'],
    [{ data: { role: 'maker', newOrganisation: true } }, 400, 'validation_failed'],
    // The right shape with a refused value: 422 naming the field (src/lib/server/http/input.ts).
    [{ data: { role: 'maker', expiresInHours: 0 } }, 422, 'invalid_value'],
    [
      { data: Buffer.from('{"role": '), headers: { 'content-type': 'application/json' } },
      400,
      'invalid_json',
    ],
    [
      { data: 'role=maker', headers: { 'content-type': 'text/plain' } },
      415,
      'unsupported_media_type',
    ],
    [{ data: { role: 'maker', makerId: 'x'.repeat(5000) } }, 413, 'payload_too_large'],
  ];
  for (const [options, status, code] of cases) {
    const response = await founder.post('/api/invitations', options);
    const body = await response.json();
    expect(response.status(), JSON.stringify(body)).toBe(status);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
  }
  const roleIssue = await (
    await founder.post('/api/invitations', { data: { role: 'boss' } })
  ).json();
  expect(roleIssue.error.issues[0].path).toBe('role');
  const after = (await (await founder.get('/api/invitations')).json()).invitations.length;
  expect(after).toBe(before);

  for (const name of ['', ' ', 'x'.repeat(121)]) {
    const rename = await founder.post('/api/organisations/current', { data: { name } });
    expect(rename.status()).toBe(422);
    expect((await rename.json()).error.issues[0].path).toBe('name');
  }
  const current = await (await founder.get('/api/organisations/current')).json();
  expect(current.organisation.name).toBe('Bad input test');
});

test('the invitation QR is an SVG of the link; a token of another invitation is refused', async () => {
  const { invitation, qrSvgPath } = await invite(organiser, { role: 'maker' });
  const qr = await organiser.get(qrSvgPath);
  expect(qr.status()).toBe(200);
  expect(qr.headers()['content-type']).toContain('image/svg+xml');
  expect(await qr.text()).toContain('<svg');
  const wrong = await organiser.get(
    `/api/invitations/${invitation.id}/qr.svg?token=${world.spareInvitation.token}`,
  );
  expect(wrong.status()).toBe(400);
  expect((await wrong.json()).error.code).toBe('token_mismatch');
});

test('session cookies are HttpOnly and SameSite=Lax', async ({ baseURL }) => {
  const client = await stranger(baseURL!);
  const response = await client.post('/api/auth/sign-in/email', {
    data: { email: world.actors.makerA.email, password: PASSWORD },
  });
  expect(response.status()).toBe(200);
  const cookies = response.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie');
  const session = cookies.find((c) => c.value.includes('session_token='));
  expect(session?.value).toMatch(/HttpOnly/i);
  expect(session?.value).toMatch(/SameSite=Lax/i);
});

test('sign-in is rate-limited per client address: 429 after 10 rapid failures', async ({
  baseURL,
}) => {
  const client = await stranger(baseURL!);
  // Ten different accounts, so that no account's own limit (5 failures, web-edge.api.ts)
  // is what answers.
  let n = 0;
  const attempt = () =>
    client.post('/api/auth/sign-in/email', {
      data: { email: email(`guess${(n += 1)}`), password: 'not the password' },
    });
  for (let i = 0; i < 10; i++) expect((await attempt()).status()).toBe(401);
  const blocked = await attempt();
  expect(blocked.status()).toBe(429);
  // Maker A signing in from their own address is not affected.
  const maker = await contextFor(baseURL!, '10.40.0.1');
  keep(maker);
  const ok = await maker.post('/api/auth/sign-in/email', {
    data: { email: world.actors.makerA.email, password: PASSWORD },
  });
  expect(ok.status()).toBe(200);
});

test('auth request bodies are bounded: 413 beyond 64 KB', async ({ baseURL }) => {
  const client = await stranger(baseURL!);
  const response = await client.post('/api/auth/sign-in/email', {
    data: { email: 'x@example.org', password: 'p'.repeat(70 * 1024) },
  });
  expect(response.status()).toBe(413);
});
