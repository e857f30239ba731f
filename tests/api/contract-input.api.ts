// Bad values in every field of every JSON body, over HTTP on the real server (PGlite and
// PostgreSQL): NUL and lone surrogates in each text field, and numbers beyond their columns,
// answer 422 naming the field; never a 500, and nothing changes. Table-driven from the
// contract (src/lib/organiser/contract.ts and the accounts schemas): a new endpoint or field
// is covered without touching this file.
import { expect, test, type APIRequestContext } from '@playwright/test';
import type { z } from 'zod';
import { ORGANISER_BODY_ENDPOINTS } from '$lib/organiser/contract';
import {
  ENDPOINT_SAMPLES,
  UNSAFE_MARKER,
  UNSAFE_TEXTS,
  withValue,
  type EndpointName,
} from '$lib/organiser/contract.testing';
import { leafFields, textFieldPaths } from '$lib/safe-text';
import {
  acceptInvitationBody,
  createInvitationBody,
  renameOrganisationBody,
} from '$lib/server/accounts/schemas';
import { signUpBodySchema } from '$lib/server/accounts/signup';
import { call, futureDate, loadOrganiserWorld, type OrganiserWorld } from './organiser-world';
import { contextFor, loadWorld, PASSWORD, type World } from './world';

let world: World;
let org: OrganiserWorld;
let organiser: APIRequestContext;
let maker: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  if (!baseURL) throw new Error('no baseURL');
  world = loadWorld(baseURL);
  org = loadOrganiserWorld(baseURL);
  const info = (name: 'organiser' | 'makerA') => world.actors[name];
  organiser = await contextFor(baseURL, info('organiser').address, info('organiser').storageState);
  maker = await contextFor(baseURL, info('makerA').address, info('makerA').storageState);
});

test.afterAll(async () => {
  await organiser?.dispose();
  await maker?.dispose();
});

type Path = readonly (string | number)[];
const pathOf = (path: Path) => path.join('.');

interface Answer {
  status: number;
  text: string;
  issues: { path: string; code?: string }[];
}

async function send(
  context: APIRequestContext,
  method: string,
  url: string,
  body: string,
): Promise<Answer> {
  const response = await context.fetch(url, {
    method,
    data: body,
    headers: { 'content-type': 'application/json' },
  });
  const text = await response.text();
  let issues: Answer['issues'] = [];
  try {
    const parsed = JSON.parse(text) as { error?: { issues?: Answer['issues'] } };
    issues = parsed.error?.issues ?? (parsed as { issues?: Answer['issues'] }).issues ?? [];
  } catch {
    // not JSON: the status says what happened
  }
  return { status: response.status(), text, issues };
}

function expectRefused(answer: Answer, field: string, code: string | undefined, what: string) {
  expect(answer.status, `${what}: ${answer.text}`).toBe(422);
  expect(answer.issues, `${what}: ${answer.text}`).toContainEqual(
    expect.objectContaining(code ? { path: field, code } : { path: field }),
  );
}

/** The route with the world's ids in place of :params. */
function urlOf(path: string): string {
  const ids: Record<string, string> = {
    eventId: org.publishedEventId,
    seriesId: org.seriesId,
    stallId: org.stallA1Id,
    landmarkId: org.landmarkId,
    assignmentId: org.assignmentId,
    makerId: org.makerAId,
    applicationId: org.applicationId,
  };
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const id = ids[name];
    if (!id) throw new Error(`no id for :${name} in ${path}`);
    return id;
  });
}

const ids = () => ({ makerId: org.makerAId, stallId: org.stallA1Id, date: futureDate(40) });

/**
 * Everything a refused request could have written to (other test files change the world at
 * the same time, so this checks that none of OUR values arrived rather than comparing all).
 */
async function stored(): Promise<string> {
  const plan = await call(organiser, 'GET', `/api/organiser/events/${org.publishedEventId}`, 200);
  const series = await call(organiser, 'GET', '/api/organiser/series', 200);
  const profile = await call(maker, 'GET', '/api/organiser/profile', 200);
  const announcements = await call(
    organiser,
    'GET',
    `/api/organiser/events/${org.publishedEventId}/announcements`,
    200,
  );
  const events = await call(organiser, 'GET', '/api/organiser/events', 200);
  const organisation = await call(organiser, 'GET', '/api/organisations/current', 200);
  const invitations = await call(organiser, 'GET', '/api/invitations', 200);
  return JSON.stringify({
    plan,
    series,
    profile,
    announcements,
    events,
    organisation,
    invitations,
  });
}

const OUT_OF_RANGE = [2 ** 31, 2 ** 53, -(2 ** 31) - 1, 0.5];

function expectNothingStored(answers: string) {
  expect(answers).not.toContain(UNSAFE_MARKER);
  for (const value of OUT_OF_RANGE.slice(0, 3)) expect(answers).not.toContain(String(value));
}

const endpoints = Object.entries(ORGANISER_BODY_ENDPOINTS) as [
  EndpointName,
  (typeof ORGANISER_BODY_ENDPOINTS)[EndpointName],
][];

for (const [name, endpoint] of endpoints) {
  const textPaths = textFieldPaths(endpoint.body);
  const numberPaths = leafFields(endpoint.body)
    .filter((field) => field.type === 'number')
    .map((field) => field.path);
  if (textPaths.length + numberPaths.length === 0) continue;

  test(`${endpoint.method} ${endpoint.path}: NUL, lone surrogates and out-of-range numbers in each field are 422 naming it`, async () => {
    const sample = ENDPOINT_SAMPLES[name];
    const context = sample.actor === 'maker' ? maker : organiser;
    const body = sample.body(ids());
    const url = urlOf(endpoint.path);
    for (const path of textPaths) {
      for (const text of UNSAFE_TEXTS) {
        const answer = await send(
          context,
          endpoint.method,
          url,
          JSON.stringify(withValue(body, path, text)),
        );
        expectRefused(
          answer,
          pathOf(path),
          'unsafe-text',
          `${pathOf(path)} = ${JSON.stringify(text)}`,
        );
      }
    }
    for (const path of numberPaths) {
      for (const value of OUT_OF_RANGE) {
        const answer = await send(
          context,
          endpoint.method,
          url,
          JSON.stringify(withValue(body, path, value)),
        );
        expectRefused(answer, pathOf(path), undefined, `${pathOf(path)} = ${value}`);
      }
      // 1e400 is Infinity once parsed: it cannot come from JSON.stringify.
      const marker = 424242.5;
      const raw = JSON.stringify(withValue(body, path, marker)).replace(String(marker), '1e400');
      expectRefused(
        await send(context, endpoint.method, url, raw),
        pathOf(path),
        undefined,
        '1e400',
      );
    }
    expectNothingStored(await stored());
  });
}

// The accounts endpoints take text too (organisation names). A body with no free text today
// (an invitation: its makerId is a UUID, 400 when malformed, see the authorization matrix's
// id rows) gets its test as soon as a text field is added to its schema.
const ACCOUNT_BODIES: {
  what: string;
  schema: z.ZodType;
  actor: () => APIRequestContext;
  url: () => string;
  body: Record<string, unknown>;
}[] = [
  {
    what: 'POST /api/invitations',
    schema: createInvitationBody,
    actor: () => organiser,
    url: () => '/api/invitations',
    body: { role: 'maker', note: 'for Amira' },
  },
  {
    what: 'POST /api/organisations/current',
    schema: renameOrganisationBody,
    actor: () => organiser,
    url: () => '/api/organisations/current',
    body: { name: 'Bazaar' },
  },
  {
    what: 'POST /api/invitations/:token/accept',
    schema: acceptInvitationBody,
    actor: () => maker,
    url: () => `/api/invitations/${world.spareInvitation.token}/accept`,
    body: { organisationName: 'Bazaar' },
  },
];

for (const { what, schema, actor, url, body } of ACCOUNT_BODIES) {
  const paths = textFieldPaths(schema);
  if (paths.length === 0) continue;
  test(`${what}: NUL and lone surrogates in each text field are 422 naming it`, async () => {
    for (const path of paths) {
      for (const text of UNSAFE_TEXTS) {
        const answer = await send(
          actor(),
          'POST',
          url(),
          JSON.stringify(withValue(body, path, text)),
        );
        expectRefused(
          answer,
          pathOf(path),
          'unsafe-text',
          `${pathOf(path)} = ${JSON.stringify(text)}`,
        );
      }
    }
    expectNothingStored(await stored());
  });
}

test('sign-up: NUL and lone surrogates in each text field are 422 naming it; no account is made', async ({
  baseURL,
}) => {
  const paths = textFieldPaths(signUpBodySchema);
  expect(paths.map(pathOf)).toEqual(expect.arrayContaining(['name', 'email', 'organisationName']));
  let address = 0;
  for (const path of paths) {
    for (const text of UNSAFE_TEXTS) {
      // Each attempt from its own address: the sign-up rate limit is per address.
      address += 1;
      const client = await contextFor(baseURL!, `10.20.77.${address}`);
      const email = `u-bad-${address}-${world.runId}@example.org`;
      const body = { name: 'Amal', email, password: PASSWORD, organisationName: 'Bazaar' };
      const answer = await send(
        client,
        'POST',
        '/api/auth/sign-up/email',
        JSON.stringify(withValue(body, path, text)),
      );
      expectRefused(
        answer,
        pathOf(path),
        'unsafe-text',
        `${pathOf(path)} = ${JSON.stringify(text)}`,
      );
      // Nothing was made: there is no account to sign in to.
      const signIn = await client.post('/api/auth/sign-in/email', {
        data: { email, password: PASSWORD },
      });
      expect(signIn.status()).toBe(401);
      await client.dispose();
    }
  }
});
