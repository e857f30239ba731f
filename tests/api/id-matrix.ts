// The authorization matrix for ids a request carries OUTSIDE its URL path: JSON body fields,
// query parameters, and (in authz-matrix.api.ts) the ids inside sync mutations. Ids in paths
// are varied by the endpoint rows themselves (matrix.ts, organiser-matrix.ts).
//
// CARRIED_IDS declares, for every endpoint of src/routes/api, which such ids it takes ([] for
// none). The matrix fails for an endpoint that is not declared here, and for a declared id
// without rows in ID_CASES (or, for sync, in SYNC_ID_FIELDS): a new endpoint or a new body id
// cannot slip in unchecked. Each row names whose id it sends, per actor.
import type { EndpointCase, Expectation } from './matrix';
import { EVENT_BODY, futureDate, loadOrganiserWorld, profileBody } from './organiser-world';
import type { ActorName, World } from './world';

/** "METHOD /api/route/[param]" -> the ids it carries outside the path. */
export const CARRIED_IDS: Record<string, string[]> = {
  'GET /api/me': [],
  'GET /api/me/data': [],
  'POST /api/me/delete': [],
  'GET /api/sync/photos/[photoId]': [],
  'PUT /api/sync/photos/[photoId]': [],
  'GET /api/organisations/current': [],
  'POST /api/organisations/current': [],
  'GET /api/organisations/current/members': [],
  'GET /api/invitations': [],
  'POST /api/invitations': ['makerId'],
  'GET /api/invitations/[token]': [],
  'GET /api/invitations/[id]/qr.svg': ['token'],
  'POST /api/invitations/[token]/accept': [],
  'POST /api/invitations/[id]/revoke': [],
  'GET /api/organiser/series': [],
  'POST /api/organiser/series': [],
  'PATCH /api/organiser/series/[seriesId]': [],
  'DELETE /api/organiser/series/[seriesId]': [],
  'POST /api/organiser/series/[seriesId]/editions': [],
  'GET /api/organiser/events': [],
  'POST /api/organiser/events': ['seriesId'],
  'GET /api/organiser/events/[eventId]': [],
  'PATCH /api/organiser/events/[eventId]': ['seriesId'],
  'DELETE /api/organiser/events/[eventId]': [],
  'POST /api/organiser/events/[eventId]/status': [],
  'PUT /api/organiser/events/[eventId]/map': [],
  'POST /api/organiser/events/[eventId]/stalls': [],
  'PATCH /api/organiser/events/[eventId]/stalls/[stallId]': [],
  'DELETE /api/organiser/events/[eventId]/stalls/[stallId]': [],
  'POST /api/organiser/events/[eventId]/landmarks': [],
  'PATCH /api/organiser/events/[eventId]/landmarks/[landmarkId]': [],
  'DELETE /api/organiser/events/[eventId]/landmarks/[landmarkId]': [],
  'POST /api/organiser/events/[eventId]/makers': ['makerId'],
  'DELETE /api/organiser/events/[eventId]/makers/[makerId]': [],
  'POST /api/organiser/events/[eventId]/assignments': ['stallId', 'makerId'],
  'PATCH /api/organiser/events/[eventId]/assignments/[assignmentId]': ['stallId'],
  'DELETE /api/organiser/events/[eventId]/assignments/[assignmentId]': [],
  'PUT /api/organiser/events/[eventId]/fees/[makerId]': [],
  'GET /api/organiser/events/[eventId]/announcements': [],
  'POST /api/organiser/events/[eventId]/announcements': [],
  'GET /api/organiser/events/[eventId]/results': [],
  'GET /api/organiser/events/[eventId]/dashboard': [],
  'GET /api/organiser/events/[eventId]/dashboard.csv': [],
  'GET /api/organiser/impact': [],
  'GET /api/organiser/makers': [],
  'GET /api/organiser/profile': [],
  'PUT /api/organiser/profile': ['photoIds'],
  'POST /api/organiser/profile/photos': [],
  'GET /api/organiser/profile/photos/[photoId]': [],
  'DELETE /api/organiser/profile/photos/[photoId]': [],
  'GET /api/organiser/sharing': [],
  'PUT /api/organiser/sharing': [],
  'GET /api/public/makers/[slug]': [],
  'GET /api/public/events/[eventId]': [],
  'GET /api/public/photos/[photoId]': [],
  'POST /api/public/events/[eventId]/applications': [],
  'GET /api/organiser/events/[eventId]/applications': [],
  'POST /api/organiser/events/[eventId]/applications/[applicationId]': [],
  'GET /api/organiser/events/[eventId]/applications/[applicationId]/photos/[photoId]': [],
  'GET /api/books/export': ['eventId'],
  // Sync: the ids in the envelope and in each mutation (authz-matrix.api.ts, "sync ids").
  'POST /api/sync/push': [
    'deviceId',
    'sale.makerId',
    'sale.eventId',
    'sale.lines.productId',
    'sale.void.saleId',
    'refund.saleId',
  ],
  'GET /api/payments': [],
  'POST /api/payments/connect': [],
  'POST /api/payments/connect/refresh': [],
  'POST /api/payments/checkout': ['saleId', 'eventId', 'lines.productId'],
  'GET /api/payments/checkout/[saleId]': [],
  'POST /api/payments/checkout/[saleId]/cancel': [],
  // The stall's payment link: the maker is the account's own (a helper's: the maker they
  // sell for); the body carries no id (payment-link.spec.ts proves who gets whose link).
  'POST /api/payments/link': [],
  'GET /api/payments/fees/[eventId]': [],
  'POST /api/payments/fees/[eventId]': [],
  'POST /api/stripe/webhook': [],
  'GET /api/sync/pull': ['deviceId'],
  'POST /api/sync/pull': ['deviceId'],
};

/** A row of the id matrix: an endpoint case that says which carried id it varies, and how. */
export interface IdCase extends EndpointCase {
  /** The carried id this row varies (a CARRIED_IDS entry). */
  field: string;
  /** Whose id it sends, for the test title. */
  label: string;
}

const org = (w: World) => loadOrganiserWorld(w.baseURL);

/** The actor's own organisation's event (organiser B: theirs; everyone else: A's published). */
export const ownEventParam = (actor: ActorName) =>
  actor === 'otherOrganiser' ? ':otherOrgEventId' : ':publishedEventId';

function expecting(overrides: Partial<Expectation>, base: number = 403): Expectation {
  return {
    anonymous: 401,
    makerA: base,
    makerB: base,
    helper: base,
    helperA: base,
    organiser: base,
    otherOrganiser: base,
    ...overrides,
  };
}

function idCase(
  method: EndpointCase['method'],
  path: string,
  field: string,
  label: string,
  body: EndpointCase['body'],
  expect: Expectation,
): IdCase {
  return { method, path, field, label, body, expect };
}

const NOT_A_UUID = 'not-a-uuid-at-all';
/** A well-formed id nobody has. */
const NOBODYS_ID = '00000000-0000-4000-8000-000000000000';

/** A well-formed checkout request (src/lib/payments/contract.ts) with nobody's ids. */
export const CHECKOUT_BODY = {
  saleId: '00000000-0000-4000-8000-0000000000a1',
  eventId: '00000000-0000-4000-8000-0000000000a2',
  stallName: 'Bakkerij',
  lines: [
    {
      productId: '00000000-0000-4000-8000-0000000000a3',
      name: 'Brood',
      unitPriceCents: 350,
      vatRate: 9,
      quantity: 1,
      discount: { kind: 'none' },
    },
  ],
  cartDiscount: { kind: 'none' },
  totalCents: 350,
};

export const ID_CASES: IdCase[] = [
  // Payments: without Stripe keys on the API servers every id is answered "cash only" (409),
  // a malformed one 400 first; the ids' owners are checked in payments.spec.ts (fake Stripe).
  ...(['saleId', 'eventId'] as const).flatMap((field) => [
    idCase(
      'POST',
      '/api/payments/checkout',
      field,
      'nobody’s',
      () => CHECKOUT_BODY,
      expecting({}, 409),
    ),
    idCase(
      'POST',
      '/api/payments/checkout',
      field,
      'a malformed',
      () => ({ ...CHECKOUT_BODY, [field]: NOT_A_UUID }),
      expecting({}, 400),
    ),
  ]),
  idCase(
    'POST',
    '/api/payments/checkout',
    'lines.productId',
    'a malformed',
    () => ({
      ...CHECKOUT_BODY,
      lines: [{ ...CHECKOUT_BODY.lines[0], productId: NOT_A_UUID }],
    }),
    expecting({}, 400),
  ),
  // The books export reads the session maker's rows only: any event id gives that maker's
  // sales at it (none at someone else's event), never another maker's; a malformed one is 400.
  idCase(
    'GET',
    '/api/books/export?kind=journal&format=csv-intl&period=event&eventId=:publishedEventId',
    'eventId',
    "organisation A's",
    undefined,
    // Organisers who do not sell have no books: 404.
    expecting({
      makerA: 200,
      makerB: 200,
      organiser: 404,
      otherOrganiser: 404,
      helper: 404,
      helperA: 404,
    }),
  ),
  idCase(
    'GET',
    '/api/books/export?kind=journal&format=csv-intl&period=event&eventId=:otherOrgEventId',
    'eventId',
    "organisation B's",
    undefined,
    // Organisers who do not sell have no books: 404.
    expecting({
      makerA: 200,
      makerB: 200,
      organiser: 404,
      otherOrganiser: 404,
      helper: 404,
      helperA: 404,
    }),
  ),
  idCase(
    'GET',
    '/api/books/export?kind=journal&format=csv-intl&period=event&eventId=bad%00id',
    'eventId',
    'a malformed',
    undefined,
    expecting({
      makerA: 400,
      makerB: 400,
      organiser: 400,
      otherOrganiser: 400,
      helper: 400,
      helperA: 400,
    }),
  ),
  // Helper invitations: only a maker of the inviting organisation, chosen by that maker or
  // an organiser of that organisation (issue 7).
  idCase(
    'POST',
    '/api/invitations',
    'makerId',
    "maker A1's",
    (w) => ({ role: 'helper', makerId: org(w).makerAId }),
    expecting({ makerA: 201, organiser: 201, otherOrganiser: 422 }),
  ),
  idCase(
    'POST',
    '/api/invitations',
    'makerId',
    "maker A2's",
    (w) => ({ role: 'helper', makerId: org(w).makerBId }),
    expecting({ makerB: 201, organiser: 201, otherOrganiser: 422 }),
  ),
  idCase(
    'POST',
    '/api/invitations',
    'makerId',
    'nobody’s',
    () => ({ role: 'helper', makerId: NOBODYS_ID }),
    expecting({ organiser: 422, otherOrganiser: 422 }),
  ),
  idCase(
    'POST',
    '/api/invitations',
    'makerId',
    'a malformed',
    () => ({ role: 'helper', makerId: NOT_A_UUID }),
    expecting({ makerA: 400, makerB: 400, organiser: 400, otherOrganiser: 400 }),
  ),
  // The QR's ?token= must be the token of that very invitation.
  {
    ...idCase(
      'GET',
      '/api/invitations/:spareInvitationId/qr.svg?token=:unknownToken',
      'token',
      "another invitation's",
      undefined,
      expecting({ makerA: 404, makerB: 404, organiser: 400, otherOrganiser: 404 }),
    ),
  },
  // A series of organisation A named by organiser B for a new event of B's.
  idCase(
    'POST',
    '/api/organiser/events',
    'seriesId',
    "organisation A's",
    (w) => ({ ...EVENT_BODY, date: futureDate(46), seriesId: org(w).seriesId }),
    expecting({ organiser: 201, otherOrganiser: 404 }),
  ),
  idCase(
    'POST',
    '/api/organiser/events',
    'seriesId',
    'a malformed',
    () => ({ ...EVENT_BODY, date: futureDate(46), seriesId: NOT_A_UUID }),
    expecting({ organiser: 400, otherOrganiser: 400 }),
  ),
  // Moving one's own event into organisation A's series: only organisation A.
  idCase(
    'PATCH',
    '/api/organiser/events/:ownDraftEventId',
    'seriesId',
    "organisation A's",
    (w) => ({ seriesId: org(w).seriesId }),
    expecting({ organiser: 200, otherOrganiser: 404 }),
  ),
  // Makers and stalls named in an organiser's body must be their organisation's.
  idCase(
    'POST',
    '/api/organiser/events/:ownEventId/makers',
    'makerId',
    "maker A2's",
    (w) => ({ makerId: org(w).makerBId }),
    expecting({ organiser: 200, otherOrganiser: 404 }),
  ),
  idCase(
    'POST',
    '/api/organiser/events/:ownEventId/makers',
    'makerId',
    'nobody’s',
    () => ({ makerId: NOBODYS_ID }),
    expecting({ organiser: 404, otherOrganiser: 404 }),
  ),
  idCase(
    'POST',
    '/api/organiser/events/:ownEventId/assignments',
    'makerId',
    "maker A1's",
    (w) => ({ stallId: org(w).stallA1Id, makerId: org(w).makerAId }),
    expecting({ organiser: 200, otherOrganiser: 404 }),
  ),
  idCase(
    'POST',
    '/api/organiser/events/:draftEventId/assignments',
    'stallId',
    "another event's",
    (w) => ({ stallId: org(w).stallA2Id, makerId: org(w).makerBId }),
    expecting({ organiser: 404, otherOrganiser: 404 }),
  ),
  idCase(
    'PATCH',
    '/api/organiser/events/:publishedEventId/assignments/:assignmentId',
    'stallId',
    'nobody’s',
    () => ({ stallId: NOBODYS_ID }),
    expecting({ organiser: 404, otherOrganiser: 404 }),
  ),
  // A profile may show only the maker's own photos.
  idCase(
    'PUT',
    '/api/organiser/profile',
    'photoIds',
    'nobody’s',
    (_w, actor) => ({ ...profileBody(actor), photoIds: [NOBODYS_ID] }),
    expecting({ makerA: 422, makerB: 422 }),
  ),
  idCase(
    'PUT',
    '/api/organiser/profile',
    'photoIds',
    'a malformed',
    (_w, actor) => ({ ...profileBody(actor), photoIds: [NOT_A_UUID] }),
    expecting({ makerA: 400, makerB: 400 }),
  ),
];

/** Path parameters of the id matrix that depend on the actor. */
export function idPathParams(world: World, actor: ActorName): Record<string, string> {
  const w = org(world);
  const theirs = actor === 'otherOrganiser';
  return {
    ownEventId: theirs ? w.otherOrgEventId : w.publishedEventId,
    ownDraftEventId: theirs ? w.otherOrgEventId : w.draftEventId,
  };
}

/** `/api/x/:id/y?q=:t` -> `/api/x/[*]/y`; `src/routes/api/x/[id]/y` -> the same. */
export function routeKey(pathOrRoute: string): string {
  const [method, ...rest] = pathOrRoute.includes(' ') ? pathOrRoute.split(' ') : ['', pathOrRoute];
  if (method) return `${method} ${routeKey(rest.join(' '))}`;
  const path = pathOrRoute.split('?')[0] ?? '';
  return path
    .split('/')
    .map((segment) => (segment.startsWith(':') || /^\[.+\]$/.test(segment) ? '[*]' : segment))
    .join('/');
}
