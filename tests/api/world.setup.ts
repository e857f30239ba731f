// Builds the API tests' world on a fresh server, through the public API only, and proves the
// first steps of the accounts flow on the way.
import { expect, test, type APIRequestContext } from '@playwright/test';
import {
  ACTORS,
  contextFor,
  loadWorld,
  PASSWORD,
  saveWorld,
  type ActorInfo,
  type ActorName,
  type World,
} from './world';
import { buildOrganiserWorld } from './organiser-world';

const ADDRESSES: Record<ActorName, string> = {
  anonymous: '10.20.0.1',
  makerA: '10.20.0.2',
  makerB: '10.20.0.3',
  helper: '10.20.0.4',
  helperA: '10.20.0.7',
  organiser: '10.20.0.5',
  otherOrganiser: '10.20.0.6',
};

interface Me {
  user: { id: string; email: string };
  membership: { id: string; organisationId: string; organisationName: string; role: string };
}

async function signUp(
  context: APIRequestContext,
  email: string,
  extras: Record<string, unknown>,
): Promise<Me> {
  const response = await context.post('/api/auth/sign-up/email', {
    data: { email, password: PASSWORD, name: email.split('@')[0], ...extras },
  });
  expect(response.status(), await response.text()).toBe(200);
  const me = await context.get('/api/me');
  expect(me.status()).toBe(200);
  return (await me.json()) as Me;
}

async function invite(organiser: APIRequestContext, data: Record<string, unknown>) {
  const response = await organiser.post('/api/invitations', { data });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { invitation: { id: string }; token: string };
}

test('set up: the first sign-up founds organisation A; everyone else joins by invitation', async ({
  baseURL,
}) => {
  if (!baseURL) throw new Error('no baseURL');
  const runId = Date.now().toString(36);
  // A prefix so no address contains another (organiser vs otherorganiser).
  const emailOf = (name: ActorName) => `u-${name.toLowerCase()}-${runId}@example.org`;
  const orgAName = `Bazaar A ${runId}`;
  const orgBName = `Bazaar B ${runId}`;
  const contexts = {} as Record<ActorName, APIRequestContext>;
  for (const name of ACTORS) contexts[name] = await contextFor(baseURL, ADDRESSES[name]);

  const organiser = await signUp(contexts.organiser, emailOf('organiser'), {
    organisationName: orgAName,
  });
  expect(organiser.membership).toMatchObject({ role: 'organiser', organisationName: orgAName });

  const joined: Partial<Record<ActorName, Me>> = { organiser };
  for (const [name, role] of [
    ['makerA', 'maker'],
    ['makerB', 'maker'],
    ['helper', 'helper'],
  ] as const) {
    const { token } = await invite(contexts.organiser, { role });
    joined[name] = await signUp(contexts[name], emailOf(name), { invitationToken: token });
    expect(joined[name]?.membership).toMatchObject({
      role,
      organisationId: organiser.membership.organisationId,
    });
  }
  // Maker A1 invites their own helper (the invitation names them by default).
  const byMaker = await invite(contexts.makerA, { role: 'helper' });
  joined.helperA = await signUp(contexts.helperA, emailOf('helperA'), {
    invitationToken: byMaker.token,
  });
  expect(joined.helperA.membership).toMatchObject({
    role: 'helper',
    organisationId: organiser.membership.organisationId,
  });
  const founding = await invite(contexts.organiser, { role: 'organiser', newOrganisation: true });
  const other = await signUp(contexts.otherOrganiser, emailOf('otherOrganiser'), {
    invitationToken: founding.token,
    organisationName: orgBName,
  });
  expect(other.membership).toMatchObject({ role: 'organiser', organisationName: orgBName });
  expect(other.membership.organisationId).not.toBe(organiser.membership.organisationId);
  joined.otherOrganiser = other;

  const spare = await invite(contexts.organiser, { role: 'maker' });
  // One the matrix revokes (the organiser's call), and one of organisation B's.
  const doomed = await invite(contexts.organiser, { role: 'maker', note: 'for the matrix' });
  const otherOrgs = await invite(contexts.otherOrganiser, { role: 'maker' });

  const actors = {} as Record<ActorName, ActorInfo>;
  for (const name of ACTORS) {
    const me = joined[name];
    actors[name] = {
      address: ADDRESSES[name],
      email: me?.user.email ?? null,
      userId: me?.user.id ?? null,
      organisationId: me?.membership.organisationId ?? null,
      membershipId: me?.membership.id ?? null,
      storageState: await contexts[name].storageState(),
    };
    await contexts[name].dispose();
  }
  const world: World = {
    baseURL,
    runId,
    actors,
    orgA: { id: organiser.membership.organisationId, name: orgAName },
    orgB: { id: other.membership.organisationId, name: orgBName },
    spareInvitation: { id: spare.invitation.id, token: spare.token },
    doomedInvitationId: doomed.invitation.id,
    otherOrgInvitationId: otherOrgs.invitation.id,
  };
  saveWorld(world);
});

// The organiser tests' part of the world (tests/api/organiser-world.ts), after the accounts.
test('set up: organisation A plans events, stalls and makers through the organiser API', async ({
  baseURL,
}) => {
  if (!baseURL) throw new Error('no baseURL');
  await buildOrganiserWorld(loadWorld(baseURL));
});
