// The cast of the API tests, made once per server by world.setup.ts and saved to a file:
// organiser A founded "Bazaar A" (the first sign-up), invited maker A (maker A1), maker B
// (maker A2) and a helper who sells for nobody yet, and invited the organiser of a second
// organisation (B); maker A invited their own helper (helperA, "helper of A1").
// Tests load it and act as anyone.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { request, type APIRequestContext } from '@playwright/test';

export const ACTORS = [
  'anonymous',
  'makerA',
  'makerB',
  'helper',
  'helperA',
  'organiser',
  'otherOrganiser',
] as const;
export type ActorName = (typeof ACTORS)[number];

export const PASSWORD = 'correct horse battery staple';

type StorageState = Awaited<ReturnType<APIRequestContext['storageState']>>;

export interface ActorInfo {
  /** The client address this actor's requests come from (x-forwarded-for). */
  address: string;
  email: string | null;
  userId: string | null;
  organisationId: string | null;
  membershipId: string | null;
  /** Playwright storage state: the session cookie. */
  storageState: StorageState;
}

export interface World {
  baseURL: string;
  runId: string;
  actors: Record<ActorName, ActorInfo>;
  orgA: { id: string; name: string };
  orgB: { id: string; name: string };
  /** A valid, unused invitation of organisation A (for lookups and the QR). */
  spareInvitation: { id: string; token: string };
  /** An open invitation of organisation A that the matrix revokes. */
  doomedInvitationId: string;
  /** An open invitation of organisation B. */
  otherOrgInvitationId: string;
}

export function worldFile(baseURL: string): string {
  return `tmp/api-world-${new URL(baseURL).port}.json`;
}

export function saveWorld(world: World): void {
  const file = worldFile(world.baseURL);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(world, null, 2));
}

export function loadWorld(baseURL: string): World {
  return JSON.parse(readFileSync(worldFile(baseURL), 'utf8')) as World;
}

/** An HTTP client that sends what a browser on that address would: its cookie, its Origin. */
export function contextFor(
  baseURL: string,
  address: string,
  storageState?: ActorInfo['storageState'],
): Promise<APIRequestContext> {
  return request.newContext({
    baseURL,
    extraHTTPHeaders: { 'x-forwarded-for': address, origin: baseURL },
    storageState,
  });
}

/** A client signed in as `actor` of the world, from that actor's own address. */
export function actorContext(world: World, actor: ActorName): Promise<APIRequestContext> {
  const { address, storageState } = world.actors[actor];
  return contextFor(world.baseURL, address, storageState);
}

/**
 * Fresh clients, each from its own address `${prefix}.x.y` (so per-address rate limits do not
 * interfere). `next` sends Origin: baseURL as the app's pages do, or `origin`, or (null) no
 * Origin at all. `keep` adds other clients to dispose of; `disposeAll` disposes of them all.
 */
export function strangers(prefix: string) {
  const opened: APIRequestContext[] = [];
  let counter = 0;
  return {
    async next(baseURL: string, origin?: string | null): Promise<APIRequestContext> {
      counter += 1;
      const address = `${prefix}.${Math.floor(counter / 250)}.${counter % 250}`;
      const context =
        origin === undefined
          ? await contextFor(baseURL, address)
          : await request.newContext({
              baseURL,
              extraHTTPHeaders: {
                'x-forwarded-for': address,
                ...(origin === null ? {} : { origin }),
              },
            });
      opened.push(context);
      return context;
    },
    keep(...contexts: APIRequestContext[]): void {
      opened.push(...contexts);
    },
    async disposeAll(): Promise<void> {
      for (const context of opened.splice(0)) await context.dispose();
    },
  };
}

/** An e-mail address no other test (or run) uses. */
export function uniqueEmail(runId: string, name: string): string {
  return `${name}-${runId}-${Math.random().toString(36).slice(2, 8)}@example.org`;
}

/** Strings that must never appear in any answer to this actor: other people's data. */
export function forbiddenFor(world: World, actor: ActorName): string[] {
  const { actors, orgA, orgB } = world;
  const emailsOf = (...names: ActorName[]) =>
    names.map((n) => actors[n].email).filter((e): e is string => e !== null);
  const orgAData = [
    orgA.id,
    orgA.name,
    ...emailsOf('organiser', 'makerA', 'makerB', 'helper', 'helperA'),
  ];
  const orgBData = [orgB.id, orgB.name, ...emailsOf('otherOrganiser')];
  switch (actor) {
    case 'anonymous':
      return [
        orgA.id,
        ...orgBData,
        ...emailsOf('organiser', 'makerA', 'makerB', 'helper', 'helperA'),
      ];
    case 'makerA':
      return [...orgBData, ...emailsOf('organiser', 'makerB', 'helper', 'helperA')];
    case 'makerB':
      return [...orgBData, ...emailsOf('organiser', 'makerA', 'helper', 'helperA')];
    case 'helper':
      return [...orgBData, ...emailsOf('organiser', 'makerA', 'makerB', 'helperA')];
    case 'helperA':
      return [...orgBData, ...emailsOf('organiser', 'makerA', 'makerB', 'helper')];
    case 'organiser':
      return orgBData;
    case 'otherOrganiser':
      return orgAData;
  }
}
