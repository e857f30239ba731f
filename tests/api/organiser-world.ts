// The organiser part of the API tests' world, built through the public API by world.setup.ts
// after the accounts world: organisation A plans a published event (stalls, a landmark,
// maker A on a stall, an announcement), a draft event, a closed event, and a few things the
// authorization matrix may delete; maker A has a listed profile with private and public
// contact details, maker B an unlisted one; organisation B has a draft of its own.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, type APIRequestContext } from '@playwright/test';
import { contextFor, type ActorName, type World } from './world';

export interface OrganiserWorld {
  seriesId: string;
  publishedEventId: string;
  draftEventId: string;
  closedEventId: string;
  /** A draft the matrix deletes (organiser: 204). */
  doomedEventId: string;
  otherOrgEventId: string;
  stallA1Id: string;
  stallA2Id: string;
  /** A stall and an assignment the matrix deletes. */
  doomedStallId: string;
  doomedAssignmentId: string;
  landmarkId: string;
  assignmentId: string;
  makerAId: string;
  makerBId: string;
  makerASlug: string;
  makerBSlug: string;
  /** A new maker's application to the published event, with one photo. */
  applicationId: string;
  applicationPhotoId: string;
}

/** The smallest PNG signature a photo check accepts (the bytes say PNG). */
export const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

/** A valid application form (multipart fields), for the public application endpoint. */
export function applicationForm(extra: Record<string, string> = {}) {
  return {
    name: 'Amira Haddad',
    craft: 'Honey cakes',
    contact: '+31 6 1111 2222',
    language: 'ar',
    consent: 'yes',
    ...extra,
  };
}

/** Contact details that must never be public (maker A switched them off). */
export const PRIVATE_PHONE = '+31612345678';
export const PRIVATE_WEBSITE = 'private-amal.example.org';
export const PRIVATE_NEED_NOTE = 'needs-a-quiet-corner-private';
/** Maker A's public e-mail (deliberately not their account's address). */
export const PUBLIC_EMAIL = 'hello-amal@example.net';

/** Each maker's profile as the world saved it (the matrix saves the same again). */
export function profileBody(actor: ActorName): Record<string, unknown> {
  const makerA = actor === 'makerA';
  return {
    displayName: makerA ? 'Amal Bakery' : 'Berhane Weaving',
    craft: makerA ? 'Baker' : 'Weaver',
    story: makerA ? 'Syrian bread, baked in Leidschendam.' : 'Eritrean baskets.',
    languages: makerA ? ['ar', 'nl'] : ['ti', 'en'],
    photoIds: [],
    contact: {
      phone: { value: makerA ? PRIVATE_PHONE : '+31687654321', public: false },
      email: { value: makerA ? PUBLIC_EMAIL : 'berhane@example.net', public: makerA },
      website: { value: makerA ? PRIVATE_WEBSITE : '', public: false },
      instagram: { value: makerA ? 'amal.bakes' : '', public: makerA },
    },
    listed: makerA,
    needs: { power: true, table: true, foodHygiene: makerA, notes: PRIVATE_NEED_NOTE },
  };
}

export function futureDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export const EVENT_BODY = {
  name: 'Pop-up Bazaar Leidschendam',
  opensAt: '11:00',
  closesAt: '17:00',
  place: 'Damplein 1, Leidschendam',
  description: 'Makers from the neighbourhood.',
};

export function organiserWorldFile(baseURL: string): string {
  return `tmp/api-orgworld-${new URL(baseURL).port}.json`;
}

let cached: { file: string; world: OrganiserWorld } | null = null;

export function loadOrganiserWorld(baseURL: string): OrganiserWorld {
  const file = organiserWorldFile(baseURL);
  if (cached?.file !== file) {
    cached = { file, world: JSON.parse(readFileSync(file, 'utf8')) as OrganiserWorld };
  }
  return cached.world;
}

/** Sends a request and expects `status`; answers the JSON body. */
export async function call<T = Record<string, unknown>>(
  context: APIRequestContext,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  status: number,
  data?: unknown,
): Promise<T> {
  const response = await context.fetch(path, { method, ...(data === undefined ? {} : { data }) });
  const text = await response.text();
  expect(response.status(), `${method} ${path}: ${text}`).toBe(status);
  return (text ? JSON.parse(text) : {}) as T;
}

type Id = { id: string };

export async function buildOrganiserWorld(world: World): Promise<OrganiserWorld> {
  const as = (actor: ActorName) =>
    contextFor(world.baseURL, world.actors[actor].address, world.actors[actor].storageState);
  const organiser = await as('organiser');
  const other = await as('otherOrganiser');
  const makerA = await as('makerA');
  const makerB = await as('makerB');
  try {
    const { profile: a } = await call<{ profile: { makerId: string; slug: string } }>(
      makerA,
      'PUT',
      '/api/organiser/profile',
      200,
      profileBody('makerA'),
    );
    const { profile: b } = await call<{ profile: { makerId: string; slug: string } }>(
      makerB,
      'PUT',
      '/api/organiser/profile',
      200,
      profileBody('makerB'),
    );
    await call(makerA, 'PUT', '/api/organiser/sharing', 200, { sharesFigures: true });

    const { series } = await call<{ series: Id }>(organiser, 'POST', '/api/organiser/series', 201, {
      name: 'Pop-up Bazaar Leidschendam',
    });
    const newEvent = async (context: APIRequestContext, days: number, extra = {}) =>
      (
        await call<{ event: Id }>(context, 'POST', '/api/organiser/events', 201, {
          ...EVENT_BODY,
          date: futureDate(days),
          ...extra,
        })
      ).event.id;
    const stall = async (eventId: string, data: Record<string, unknown>) =>
      (
        await call<{ stall: Id }>(
          organiser,
          'POST',
          `/api/organiser/events/${eventId}/stalls`,
          201,
          data,
        )
      ).stall.id;
    const assign = async (eventId: string, stallId: string, makerId: string) =>
      (
        await call<{ assignment: Id }>(
          organiser,
          'POST',
          `/api/organiser/events/${eventId}/assignments`,
          201,
          { stallId, makerId, arrivalTime: '10:00', instructions: 'Side door' },
        )
      ).assignment.id;
    const status = (eventId: string, to: string) =>
      call(organiser, 'POST', `/api/organiser/events/${eventId}/status`, 200, { to });

    const published = await newEvent(organiser, 30, { seriesId: series.id });
    const stallA1Id = await stall(published, { label: 'A1', x: 0, y: 0, power: true, table: true });
    const stallA2Id = await stall(published, { label: 'A2', x: 2, y: 0 });
    const doomedStallId = await stall(published, { label: 'A9', x: 8, y: 0 });
    const stallA3Id = await stall(published, { label: 'A3', x: 4, y: 0 });
    const { landmark } = await call<{ landmark: Id }>(
      organiser,
      'POST',
      `/api/organiser/events/${published}/landmarks`,
      201,
      { kind: 'entrance', label: 'Main door', x: 0, y: 7 },
    );
    const assignmentId = await assign(published, stallA1Id, a.makerId);
    const doomedAssignmentId = await assign(published, stallA3Id, b.makerId);
    await status(published, 'published');
    await call(organiser, 'POST', `/api/organiser/events/${published}/announcements`, 201, {
      body: 'Set-up from 9:00; bring your own extension cord.',
    });

    const draft = await newEvent(organiser, 60);
    const doomed = await newEvent(organiser, 61);
    const closed = await newEvent(organiser, 20);
    const closedStall = await stall(closed, { label: 'C1' });
    await assign(closed, closedStall, a.makerId);
    await status(closed, 'published');
    await status(closed, 'open');
    await status(closed, 'closed');

    const otherOrgEventId = await newEvent(other, 30);

    // A new maker applies (no account) with one photo; the organiser reads its photo id.
    const anonymous = await contextFor(world.baseURL, '10.9.9.1');
    const applied = await anonymous.post(`/api/public/events/${published}/applications`, {
      multipart: {
        ...applicationForm(),
        photos: { name: 'cakes.png', mimeType: 'image/png', buffer: PNG_BYTES },
      },
    });
    expect(applied.status(), await applied.text()).toBe(201);
    await anonymous.dispose();
    const { applications } = await call<{ applications: (Id & { photoIds: string[] })[] }>(
      organiser,
      'GET',
      `/api/organiser/events/${published}/applications`,
      200,
    );
    const application = applications[0];
    if (!application?.photoIds[0]) throw new Error('the application was not listed');

    const result: OrganiserWorld = {
      seriesId: series.id,
      publishedEventId: published,
      draftEventId: draft,
      closedEventId: closed,
      doomedEventId: doomed,
      otherOrgEventId,
      stallA1Id,
      stallA2Id,
      doomedStallId,
      doomedAssignmentId,
      landmarkId: landmark.id,
      assignmentId,
      makerAId: a.makerId,
      makerBId: b.makerId,
      makerASlug: a.slug,
      makerBSlug: b.slug,
      applicationId: application.id,
      applicationPhotoId: application.photoIds[0],
    };
    const file = organiserWorldFile(world.baseURL);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(result, null, 2));
    return result;
  } finally {
    for (const context of [organiser, other, makerA, makerB]) await context.dispose();
  }
}

/** `:name` values for the authorization matrix's paths (tests/api/matrix.ts; letters only). */
export function organiserPathParams(baseURL: string): Record<string, string> {
  const w = loadOrganiserWorld(baseURL);
  return {
    seriesId: w.seriesId,
    publishedEventId: w.publishedEventId,
    draftEventId: w.draftEventId,
    closedEventId: w.closedEventId,
    doomedEventId: w.doomedEventId,
    otherOrgEventId: w.otherOrgEventId,
    firstStallId: w.stallA1Id,
    freeStallId: w.stallA2Id,
    doomedStallId: w.doomedStallId,
    doomedAssignmentId: w.doomedAssignmentId,
    landmarkId: w.landmarkId,
    assignmentId: w.assignmentId,
    makerAId: w.makerAId,
    makerBId: w.makerBId,
    makerASlug: w.makerASlug,
    makerBSlug: w.makerBSlug,
    applicationId: w.applicationId,
    applicationPhotoId: w.applicationPhotoId,
  };
}
