// The authorization matrix's vocabulary: one EndpointCase per endpoint, with the status each
// actor must get. Adding an endpoint to the matrix is one line in authz-matrix.api.ts.
import { createHash } from 'node:crypto';
import { idPathParams } from './id-matrix';
import { organiserPathParams } from './organiser-world';
import type { ActorName, World } from './world';

export type Expectation = Record<ActorName, number>;

export interface EndpointCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path; `:name` segments are filled from pathParams (ids, tokens of the world). */
  path: string;
  /** A valid JSON body (so the status reflects authorization, not validation). */
  body?: (world: World, actor: ActorName) => unknown;
  expect: Expectation;
  /** Strings this endpoint may show to anyone it answers (e.g. a public invitation's organisation name). */
  reveals?: (world: World) => string[];
}

/** Public: everyone gets `status`. */
export const anyone = (status: number): Expectation => ({
  anonymous: status,
  makerA: status,
  makerB: status,
  helper: status,
  helperA: status,
  organiser: status,
  otherOrganiser: status,
});

/** Any signed-in member: `status`; anonymous 401. */
export const members = (status: number): Expectation => ({ ...anyone(status), anonymous: 401 });

/** Organisers only: makers and helpers 403, anonymous 401. */
export const organisers = (status: number): Expectation => ({
  anonymous: 401,
  makerA: 403,
  makerB: 403,
  helper: 403,
  helperA: 403,
  organiser: status,
  otherOrganiser: status,
});

type Extra = Partial<Pick<EndpointCase, 'body' | 'reveals'>> & { override?: Partial<Expectation> };

function make(method: EndpointCase['method']) {
  return (path: EndpointCase['path'], expect: Expectation, extra: Extra = {}): EndpointCase => ({
    method,
    path,
    expect: { ...expect, ...extra.override },
    ...(extra.body ? { body: extra.body } : {}),
    ...(extra.reveals ? { reveals: extra.reveals } : {}),
  });
}

export const GET = make('GET');
export const POST = make('POST');
export const PUT = make('PUT');
export const PATCH = make('PATCH');
export const DELETE = make('DELETE');

/** Values for `:name` in paths. Add what a new endpoint needs. */
export function pathParams(world: World, actor: ActorName): Record<string, string> {
  return {
    spareInvitationId: world.spareInvitation.id,
    spareInvitationToken: world.spareInvitation.token,
    doomedInvitationId: world.doomedInvitationId,
    otherOrgInvitationId: world.otherOrgInvitationId,
    unknownToken: 'A'.repeat(43),
    orgAId: world.orgA.id,
    orgBId: world.orgB.id,
    ownOrganisationId: actor === 'otherOrganiser' ? world.orgB.id : world.orgA.id,
    nobodysId: '00000000-0000-4000-8000-000000000000',
    ownDeviceId: deviceOf(world, actor),
    ...organiserPathParams(world.baseURL),
    ...idPathParams(world, actor),
  };
}

/** A device id (UUID-shaped) of the actor's own, stable within one run of the world. */
export function deviceOf(world: World, actor: ActorName, salt = ''): string {
  const hex = createHash('sha256').update(`${world.runId}:${actor}${salt}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function resolvePath(path: string, world: World, actor: ActorName): string {
  const params = pathParams(world, actor);
  return path.replace(/:([A-Za-z]+)/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no path parameter "${name}" in ${path}`);
    return encodeURIComponent(value);
  });
}

/** The actor's own organisation's name (for bodies that must stay valid for everyone). */
export function ownOrganisationName(world: World, actor: ActorName): string {
  return actor === 'otherOrganiser' ? world.orgB.name : world.orgA.name;
}
