// The organiser endpoints' rows of the authorization matrix (authz-matrix.api.ts). Paths use
// the organiser world (organiser-world.ts). Writes are chosen so the organiser's answer is
// harmless to the other tests (same values again, new rows, or the world's "doomed" items),
// and rows that read come before rows that delete.
import {
  anyone,
  DELETE,
  GET,
  members,
  organisers,
  PATCH,
  POST,
  PUT,
  type EndpointCase,
  type Expectation,
} from './matrix';
import { EVENT_BODY, futureDate, loadOrganiserWorld, profileBody } from './organiser-world';
import type { World } from './world';

const E = '/api/organiser/events/:publishedEventId';
/** Another organisation's organiser gets 404 for organisation A's things (no leak). */
const inOrgA = (status: number) => ({ override: { otherOrganiser: 404 } as const, status });

/** Makers taking part in the event: makers as given, helper without a maker 403, maker A's
 * own helper as maker A. */
const makers = (makerA: number, makerB: number, organiser: number): Expectation => ({
  anonymous: 401,
  makerA,
  makerB,
  helper: 403,
  helperA: makerA,
  organiser,
  otherOrganiser: organiser === 200 ? 404 : organiser,
});

const ownProfile: Expectation = {
  anonymous: 401,
  makerA: 200,
  makerB: 200,
  helper: 403,
  helperA: 403,
  organiser: 403,
  otherOrganiser: 403,
};

const orgWorld = (w: World) => loadOrganiserWorld(w.baseURL);

function organiserOnly(
  method: typeof GET,
  path: string,
  status: number,
  body?: EndpointCase['body'],
): EndpointCase {
  return method(path, organisers(status), {
    override: inOrgA(status).override,
    ...(body ? { body } : {}),
  });
}

export const ORGANISER_ENDPOINTS: EndpointCase[] = [
  // Series and events
  GET('/api/organiser/series', organisers(200)),
  POST('/api/organiser/series', organisers(201), { body: () => ({ name: 'Matrix series' }) }),
  organiserOnly(PATCH, '/api/organiser/series/:seriesId', 200, () => ({
    name: 'Pop-up Bazaar Leidschendam',
  })),
  organiserOnly(POST, '/api/organiser/series/:seriesId/editions', 201, () => ({
    date: futureDate(90),
  })),
  GET('/api/organiser/events', members(200), { override: { helper: 403 } }),
  POST('/api/organiser/events', organisers(201), {
    body: () => ({ ...EVENT_BODY, date: futureDate(45) }),
  }),
  GET(E, makers(200, 200, 200)),
  GET('/api/organiser/events/:draftEventId', makers(404, 404, 200)),
  organiserOnly(PATCH, E, 200, () => ({ description: EVENT_BODY.description })),
  organiserOnly(POST, `${E}/status`, 409, () => ({ to: 'published' })),
  // Stall map
  organiserOnly(PUT, `${E}/map`, 200, () => ({ width: 12, height: 8 })),
  organiserOnly(POST, `${E}/stalls`, 201, () => ({})),
  organiserOnly(PATCH, `${E}/stalls/:freeStallId`, 200, () => ({ notes: 'Near the door' })),
  organiserOnly(POST, `${E}/landmarks`, 201, () => ({ kind: 'stage', x: 11, y: 7 })),
  organiserOnly(PATCH, `${E}/landmarks/:landmarkId`, 200, () => ({ label: 'Main door' })),
  // Makers, assignments, fees, announcements
  organiserOnly(POST, `${E}/makers`, 200, (w) => ({ makerId: orgWorld(w).makerBId })),
  organiserOnly(POST, `${E}/assignments`, 200, (w) => ({
    stallId: orgWorld(w).stallA1Id,
    makerId: orgWorld(w).makerAId,
  })),
  organiserOnly(PATCH, `${E}/assignments/:assignmentId`, 200, () => ({
    instructions: 'Side door',
  })),
  organiserOnly(PUT, `${E}/fees/:makerAId`, 200, () => ({ paidCents: 1500 })),
  GET(`${E}/announcements`, makers(200, 200, 200)),
  organiserOnly(POST, `${E}/announcements`, 201, () => ({ body: 'Matrix check' })),
  // Applications: anyone may apply (a JSON body is not a form: 415); organisers decide.
  POST('/api/public/events/:publishedEventId/applications', anyone(415), {
    body: () => ({ name: 'Not a form' }),
  }),
  POST('/api/public/events/:draftEventId/applications', anyone(415), { body: () => ({}) }),
  organiserOnly(GET, `${E}/applications`, 200),
  organiserOnly(GET, '/api/organiser/events/:draftEventId/applications', 200),
  organiserOnly(POST, `${E}/applications/:applicationId`, 200, () => ({
    decision: 'wait',
    message: 'Matrix check',
  })),
  organiserOnly(POST, `${E}/applications/:nobodysId`, 404, () => ({ decision: 'wait' })),
  // An application of event E named under another event of the organisation: 404.
  organiserOnly(
    POST,
    '/api/organiser/events/:draftEventId/applications/:applicationId',
    404,
    () => ({
      decision: 'wait',
    }),
  ),
  organiserOnly(GET, `${E}/applications/:applicationId/photos/:applicationPhotoId`, 200),
  organiserOnly(GET, `${E}/applications/:applicationId/photos/:nobodysId`, 404),
  // Results and dashboard
  GET('/api/organiser/events/:closedEventId/results', makers(200, 404, 403)),
  GET(`${E}/results`, makers(409, 409, 403)),
  organiserOnly(GET, '/api/organiser/events/:closedEventId/dashboard', 200),
  organiserOnly(GET, '/api/organiser/events/:closedEventId/dashboard.csv', 200),
  GET('/api/organiser/impact', organisers(200)),
  // Makers and profiles
  GET('/api/organiser/makers', organisers(200)),
  GET('/api/organiser/profile', ownProfile),
  PUT('/api/organiser/profile', ownProfile, { body: (_w, actor) => profileBody(actor) }),
  // A helper the maker invited reads the maker's choice (only the maker changes it).
  GET('/api/organiser/sharing', { ...ownProfile, helperA: 200 }),
  PUT('/api/organiser/sharing', ownProfile, {
    body: (_w, actor) => ({ sharesFigures: actor === 'makerA' }),
  }),
  // Photos: a maker's own only (a well-formed id nobody has: 404 for makers).
  POST(
    '/api/organiser/profile/photos',
    { ...ownProfile, makerA: 415, makerB: 415 },
    {
      body: () => ({ not: 'an image' }),
    },
  ),
  GET('/api/organiser/profile/photos/:nobodysId', { ...ownProfile, makerA: 404, makerB: 404 }),
  DELETE('/api/organiser/profile/photos/:nobodysId', {
    ...ownProfile,
    makerA: 404,
    makerB: 404,
  }),
  GET('/api/public/photos/:nobodysId', anyone(404)),
  // Deletions that change nothing: a series with editions (409), unknown landmark or maker.
  organiserOnly(DELETE, '/api/organiser/series/:seriesId', 409),
  organiserOnly(DELETE, `${E}/landmarks/:nobodysId`, 404),
  organiserOnly(DELETE, `${E}/makers/:nobodysId`, 404),
  // Deletions last: the organiser's call removes the world's "doomed" items.
  organiserOnly(DELETE, `${E}/assignments/:doomedAssignmentId`, 204),
  organiserOnly(DELETE, `${E}/stalls/:doomedStallId`, 204),
  organiserOnly(DELETE, '/api/organiser/events/:doomedEventId', 204),
  // Public directory: no sign-in; only listed makers and non-draft events.
  GET('/api/public/makers/:makerASlug', anyone(200)),
  GET('/api/public/makers/:makerBSlug', anyone(404)),
  GET('/api/public/events/:publishedEventId', anyone(200)),
  GET('/api/public/events/:draftEventId', anyone(404)),
  GET('/api/public/events/:otherOrgEventId', anyone(404)),
];
