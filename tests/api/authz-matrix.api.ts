// Authorization matrix: every endpoint as anonymous, vendor A, vendor B, a helper, the
// organiser, and another organisation's organiser. Each cell asserts the status, the error
// shape for refusals, and that no other party's data appears in the answer.
import { createHash } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import {
  anyone,
  GET,
  members,
  organisers,
  ownOrganisationName,
  POST,
  resolvePath,
  type EndpointCase,
} from './matrix';
import { ORGANISER_ENDPOINTS } from './organiser-matrix';
import { ACTORS, contextFor, forbiddenFor, loadWorld, type ActorName, type World } from './world';

// One line per endpoint. Sync endpoints are added here too.
const ENDPOINTS: EndpointCase[] = [
  GET('/api/me', members(200)),
  GET('/api/organisations/current', members(200)),
  POST('/api/organisations/current', organisers(200), {
    body: (w, a) => ({ name: ownOrganisationName(w, a) }),
  }),
  GET('/api/organisations/current/members', organisers(200)),
  GET('/api/invitations', organisers(200)),
  POST('/api/invitations', organisers(201), { body: () => ({ role: 'helper' }) }),
  GET('/api/invitations/:spareInvitationToken', anyone(200), { reveals: (w) => [w.orgA.name] }),
  GET('/api/invitations/:spareInvitationId/qr.svg?token=:spareInvitationToken', organisers(200), {
    override: { otherOrganiser: 404 },
  }),
  POST('/api/invitations/:unknownToken/accept', members(404)),
  // Sync (src/lib/sync/SPEC.md): each actor pushes and pulls for a device of its own.
  POST('/api/sync/push', members(200), {
    body: (w, a) => ({ protocol: 1, deviceId: deviceOf(w, a), epoch: null, mutations: [] }),
  }),
  POST('/api/sync/pull', members(200), {
    body: (w, a) => ({ protocol: 1, deviceId: deviceOf(w, a), cursor: null }),
  }),
  // Organisers, makers and the public directory (src/lib/server/organiser/API.md).
  ...ORGANISER_ENDPOINTS,
];

/** A device id (UUID-shaped) of the actor's own, stable within one run of the world. */
function deviceOf(world: World, actor: ActorName): string {
  const hex = createHash('sha256').update(`${world.runId}:${actor}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

let world: World;
const contexts = {} as Record<ActorName, APIRequestContext>;

test.beforeAll(async ({ baseURL }) => {
  if (!baseURL) throw new Error('no baseURL');
  world = loadWorld(baseURL);
  for (const actor of ACTORS) {
    const info = world.actors[actor];
    contexts[actor] = await contextFor(baseURL, info.address, info.storageState);
  }
});

test.afterAll(async () => {
  for (const actor of ACTORS) await contexts[actor]?.dispose();
});

for (const endpoint of ENDPOINTS) {
  for (const actor of ACTORS) {
    const status = endpoint.expect[actor];
    test(`${endpoint.method} ${endpoint.path} as ${actor} -> ${status}`, async () => {
      const path = resolvePath(endpoint.path, world, actor);
      const response = await contexts[actor].fetch(path, {
        method: endpoint.method,
        ...(endpoint.body ? { data: endpoint.body(world, actor) } : {}),
      });
      const text = await response.text();
      expect(response.status(), text).toBe(status);
      if (status >= 400) {
        const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
        expect(typeof body.error?.code, text).toBe('string');
        expect(typeof body.error?.message, text).toBe('string');
      }
      const allowed = new Set(endpoint.reveals?.(world) ?? []);
      const leaks = forbiddenFor(world, actor).filter((s) => !allowed.has(s) && text.includes(s));
      expect(leaks, `${actor} must not see ${leaks.join(', ')}`).toEqual([]);
    });
  }
}
