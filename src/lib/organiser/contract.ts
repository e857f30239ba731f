/**
 * The organiser API's contract, shared by the server (src/lib/server/organiser, the routes in
 * src/routes/api/organiser) and the organiser screens (./api.ts): the request bodies as zod
 * schemas with their inferred types, and the shapes of the answers. The prose version with
 * every route is src/lib/server/organiser/API.md; a change is made here and there together.
 *
 * The bodies check types and generous bounds only; the domain's rules
 * (src/lib/domain/organiser) then decide what is valid and answer with their own codes
 * (422), so the same rules hold on the device and the server. Every free-text field is a
 * `safeText` (no NUL, no unpaired surrogate): the server answers bad text, and numbers or
 * lengths out of bounds, with 422 naming the field (src/lib/server/http/input.ts).
 *
 * Bundle: screens import only TYPES from here (`import type`), so the device app never
 * loads these schemas; only the server (and tests) run them.
 */
import { z } from 'zod';
import { MAX_MONEY_CENTS } from '$lib/domain/money';
import { CONTACT_CHANNELS } from '$lib/domain/organiser/maker-profile';
import type { MakerProfile as DomainMakerProfile } from '$lib/domain/organiser/maker-profile';
import { LANDMARK_KINDS, type Landmark, type MapConflict } from '$lib/domain/organiser/stall-map';
import type {
  AssignmentConflict,
  FeeStatus,
  MakerFeeLine,
  MakerStallView,
} from '$lib/domain/organiser/assignments';
import type { BazaarHourFigure, EventTotals, MakerResults } from '$lib/domain/organiser/results';
import type { EditionImpact, ImpactSummary } from '$lib/domain/organiser/impact';
import type { PaymentSplit } from '$lib/domain/summary';
import type { EditionFigures } from '$lib/domain/organiser/editions';
import {
  APPLICATION_STATUSES,
  APPLICATION_TEXT_MAX,
  type ApplicationStatus,
} from '$lib/domain/organiser/applications';
import type { PublishRequirement } from '$lib/domain/organiser/event-lifecycle';
import type { EventStatus, Id, Stall, StallAssignment } from '$lib/domain/types';
import { SAFE_TEXT, safeText } from '$lib/safe-text';
import { IdSchema } from '$lib/sync/protocol';

export { IdSchema, safeText };

// ---------------------------------------------------------------------------------------
// Bounds. Map cells and sizes are stored as integer columns, money as bigint cents: every
// bound here fits its column, so a number the schema lets through can always be stored, and
// one it refuses gets 422 naming the field (never a database error).

/**
 * Positions and sizes of stalls and landmarks and the map's size, in whole cells (integer
 * columns); the domain then keeps them on the map (1..100 cells each way).
 */
export const MAX_CELL = 1000;
/** Fees in cents: the largest amount a person can enter (domain/money.ts). */
export const MAX_FEE_CENTS = MAX_MONEY_CENTS;

export const TEXT_MAX = {
  eventName: 500,
  date: 20,
  timeOfDay: 10,
  place: 1000,
  description: 10_000,
  seriesName: 500,
  stallLabel: 100,
  stallNotes: 5000,
  landmarkLabel: 500,
  instructions: 5000,
  displayName: 500,
  craft: 500,
  story: 5000,
  language: 20,
  contact: 1000,
  needsNotes: 3000,
  announcement: 1000,
} as const;

export const MAX_ANNOUNCEMENT_LENGTH = TEXT_MAX.announcement;

const timeOfDay = safeText(TEXT_MAX.timeOfDay).nullable().optional();
const cell = z.number().int().min(-MAX_CELL).max(MAX_CELL);
const size = z.number().int().min(-MAX_CELL).max(MAX_CELL);
const feeCents = z.number().int().min(0).max(MAX_FEE_CENTS);

// ---------------------------------------------------------------------------------------
// Events and series

export const eventFields = {
  name: safeText(TEXT_MAX.eventName),
  date: safeText(TEXT_MAX.date),
  opensAt: timeOfDay,
  closesAt: timeOfDay,
  place: safeText(TEXT_MAX.place).optional(),
  description: safeText(TEXT_MAX.description).optional(),
  seriesId: IdSchema.nullable().optional(),
  allowMultipleStalls: z.boolean().optional(),
  stallFeeDefaultCents: feeCents.optional(),
  mapWidth: size.optional(),
  mapHeight: size.optional(),
};

export const createEventBody = z.strictObject(eventFields);
export type CreateEventBody = z.infer<typeof createEventBody>;
/** What a screen sends to create an event (defaults applied by the server). */
export type EventInput = z.input<typeof createEventBody>;

/** As creating, without the map size (PUT .../map changes it, with its own checks). */
export const updateEventBody = z.strictObject({
  name: eventFields.name.optional(),
  date: eventFields.date.optional(),
  opensAt: eventFields.opensAt,
  closesAt: eventFields.closesAt,
  place: eventFields.place,
  description: eventFields.description,
  seriesId: eventFields.seriesId,
  allowMultipleStalls: eventFields.allowMultipleStalls,
  stallFeeDefaultCents: eventFields.stallFeeDefaultCents,
});
export type UpdateEventBody = z.infer<typeof updateEventBody>;

export const EVENT_STATUSES = ['draft', 'published', 'open', 'closed'] as const;
export const transitionBody = z.strictObject({ to: z.enum(EVENT_STATUSES) });

export const seriesBody = z.strictObject({ name: safeText(TEXT_MAX.seriesName) });

export const nextEditionBody = z.strictObject({
  date: safeText(TEXT_MAX.date),
  name: safeText(TEXT_MAX.eventName).optional(),
  copyAssignments: z.boolean().optional(),
});
export type NextEditionBody = z.infer<typeof nextEditionBody>;

// ---------------------------------------------------------------------------------------
// The stall map

export const mapBody = z.strictObject({ width: size, height: size });

export const stallFields = {
  label: safeText(TEXT_MAX.stallLabel).optional(),
  x: cell.optional(),
  y: cell.optional(),
  width: size.optional(),
  height: size.optional(),
  notes: safeText(TEXT_MAX.stallNotes).optional(),
  power: z.boolean().optional(),
  table: z.boolean().optional(),
  foodHygiene: z.boolean().optional(),
  feeCents: feeCents.nullable().optional(),
};
export const stallBody = z.strictObject(stallFields);
export type StallBody = z.infer<typeof stallBody>;

export const createLandmarkBody = z.strictObject({
  kind: z.enum(LANDMARK_KINDS),
  label: safeText(TEXT_MAX.landmarkLabel).optional(),
  x: cell,
  y: cell,
  width: size.optional(),
  height: size.optional(),
});
export type CreateLandmarkBody = z.infer<typeof createLandmarkBody>;
export const updateLandmarkBody = z.strictObject({
  kind: z.enum(LANDMARK_KINDS).optional(),
  label: safeText(TEXT_MAX.landmarkLabel).optional(),
  x: cell.optional(),
  y: cell.optional(),
  width: size.optional(),
  height: size.optional(),
});
export type UpdateLandmarkBody = z.infer<typeof updateLandmarkBody>;

// ---------------------------------------------------------------------------------------
// Makers, assignments, fees

export const eventMakerBody = z.strictObject({ makerId: IdSchema });

export const assignBody = z.strictObject({
  stallId: IdSchema,
  makerId: IdSchema,
  arrivalTime: timeOfDay,
  instructions: safeText(TEXT_MAX.instructions).optional(),
});
export type AssignBody = z.infer<typeof assignBody>;
export const updateAssignmentBody = z.strictObject({
  stallId: IdSchema.optional(),
  arrivalTime: timeOfDay,
  instructions: safeText(TEXT_MAX.instructions).optional(),
});
export type UpdateAssignmentBody = z.infer<typeof updateAssignmentBody>;

export const feePaidBody = z.strictObject({ paidCents: feeCents });

// ---------------------------------------------------------------------------------------
// The maker's own profile and sharing

const contactDetail = z.strictObject({ value: safeText(TEXT_MAX.contact), public: z.boolean() });
export const profileBody = z.strictObject({
  displayName: safeText(TEXT_MAX.displayName),
  craft: safeText(TEXT_MAX.craft).default(''),
  story: safeText(TEXT_MAX.story).default(''),
  languages: z.array(safeText(TEXT_MAX.language)).max(50).default([]),
  photoIds: z.array(IdSchema).max(50).default([]),
  contact: z.strictObject(
    Object.fromEntries(CONTACT_CHANNELS.map((channel) => [channel, contactDetail])) as Record<
      (typeof CONTACT_CHANNELS)[number],
      typeof contactDetail
    >,
  ),
  listed: z.boolean().default(false),
  needs: z
    .strictObject({
      power: z.boolean(),
      table: z.boolean(),
      foodHygiene: z.boolean(),
      notes: safeText(TEXT_MAX.needsNotes).default(''),
    })
    .default({ power: false, table: false, foodHygiene: false, notes: '' }),
});
export type ProfileBody = z.infer<typeof profileBody>;
/** What the profile screen sends (every field; the server fills defaults for older clients). */
export type MakerProfileInput = Omit<DomainMakerProfile, 'makerId'>;

export const sharingBody = z.strictObject({ sharesFigures: z.boolean() });

export const announcementBody = z.strictObject({
  body: safeText(MAX_ANNOUNCEMENT_LENGTH).trim().min(1),
});

// ---------------------------------------------------------------------------------------
// Query and path parameters

export const csvQuery = z.strictObject({
  lang: z.enum(['nl', 'en']).default('nl'),
  decimal: z.enum(['dot', 'comma']).default('dot'),
  bom: z.enum(['0', '1']).default('0'),
});

export const slugParam = z.string().regex(/^[a-z0-9-]{1,80}$/, 'a maker slug: a-z, 0-9 and -');

// ---------------------------------------------------------------------------------------
// Applications: new makers apply to a published event (public form, no account), the
// organiser accepts (an invitation is made), puts them on a waiting list or declines.

export { APPLICATION_TEXT_MAX, APPLICATION_STATUSES, type ApplicationStatus };
export const APPLICATION_DECISIONS = ['accept', 'wait', 'decline'] as const;
export type ApplicationDecision = (typeof APPLICATION_DECISIONS)[number];

const required = (max: number) => z.string().trim().min(1).max(max).check(SAFE_TEXT);

/**
 * The public form's text fields (multipart/form-data; photos are the `photos` parts).
 * `language` is one of the app's languages (given as a list, so new languages count);
 * `consent` must be "yes": the applicant agrees to be contacted about the application.
 */
export function applicationFormSchema(languages: readonly [string, ...string[]]) {
  return z.strictObject({
    name: required(APPLICATION_TEXT_MAX.name),
    craft: required(APPLICATION_TEXT_MAX.craft),
    contact: required(APPLICATION_TEXT_MAX.contact),
    language: z.enum(languages),
    /** A checkbox: a browser leaves it out when not ticked (read as ""). */
    consent: z.string().refine((value) => value === 'yes', {
      message: 'consent to be contacted is required ("yes")',
      params: { code: 'required' },
    }),
  });
}

export const applicationDecisionBody = z
  .strictObject({
    decision: z.enum(APPLICATION_DECISIONS),
    /** To the applicant, in their language (required to decline; shown on their status page). */
    message: z.string().trim().max(APPLICATION_TEXT_MAX.message).check(SAFE_TEXT).optional(),
  })
  .refine((body) => body.decision !== 'decline' || (body.message ?? '').length > 0, {
    message: 'a decline needs a message to the maker',
    path: ['message'],
    params: { code: 'required' },
  });
export type ApplicationDecisionBody = z.infer<typeof applicationDecisionBody>;

export interface Application {
  id: Id;
  eventId: Id;
  name: string;
  craft: string;
  contact: string;
  language: string;
  status: ApplicationStatus;
  message: string | null;
  createdAt: string;
  decidedAt: string | null;
  photoIds: Id[];
  /** Once accepted: the invitation's link to send the maker (while it is open). */
  invitationUrl: string | null;
  invitationStatus: 'valid' | 'expired' | 'used' | 'revoked' | null;
}

// ---------------------------------------------------------------------------------------
// Every endpoint that takes a JSON body, with its schema: the server reads each body with
// it, and the API tests send bad input to every text field of every entry.

type Method = 'POST' | 'PUT' | 'PATCH';
export interface BodyEndpoint {
  method: Method;
  /** The route, with :params. */
  path: string;
  body: z.ZodType;
}

export const ORGANISER_BODY_ENDPOINTS = {
  createEvent: { method: 'POST', path: '/api/organiser/events', body: createEventBody },
  updateEvent: { method: 'PATCH', path: '/api/organiser/events/:eventId', body: updateEventBody },
  setStatus: {
    method: 'POST',
    path: '/api/organiser/events/:eventId/status',
    body: transitionBody,
  },
  createSeries: { method: 'POST', path: '/api/organiser/series', body: seriesBody },
  renameSeries: { method: 'PATCH', path: '/api/organiser/series/:seriesId', body: seriesBody },
  nextEdition: {
    method: 'POST',
    path: '/api/organiser/series/:seriesId/editions',
    body: nextEditionBody,
  },
  saveMap: { method: 'PUT', path: '/api/organiser/events/:eventId/map', body: mapBody },
  createStall: { method: 'POST', path: '/api/organiser/events/:eventId/stalls', body: stallBody },
  updateStall: {
    method: 'PATCH',
    path: '/api/organiser/events/:eventId/stalls/:stallId',
    body: stallBody,
  },
  createLandmark: {
    method: 'POST',
    path: '/api/organiser/events/:eventId/landmarks',
    body: createLandmarkBody,
  },
  updateLandmark: {
    method: 'PATCH',
    path: '/api/organiser/events/:eventId/landmarks/:landmarkId',
    body: updateLandmarkBody,
  },
  inviteToEvent: {
    method: 'POST',
    path: '/api/organiser/events/:eventId/makers',
    body: eventMakerBody,
  },
  assign: { method: 'POST', path: '/api/organiser/events/:eventId/assignments', body: assignBody },
  updateAssignment: {
    method: 'PATCH',
    path: '/api/organiser/events/:eventId/assignments/:assignmentId',
    body: updateAssignmentBody,
  },
  setFeePaid: {
    method: 'PUT',
    path: '/api/organiser/events/:eventId/fees/:makerId',
    body: feePaidBody,
  },
  postAnnouncement: {
    method: 'POST',
    path: '/api/organiser/events/:eventId/announcements',
    body: announcementBody,
  },
  saveProfile: { method: 'PUT', path: '/api/organiser/profile', body: profileBody },
  setSharing: { method: 'PUT', path: '/api/organiser/sharing', body: sharingBody },
  decideApplication: {
    method: 'POST',
    path: '/api/organiser/events/:eventId/applications/:applicationId',
    body: applicationDecisionBody,
  },
} as const satisfies Record<string, BodyEndpoint>;

// ---------------------------------------------------------------------------------------
// Answers

export interface OrganiserEvent {
  id: Id;
  organisationId: Id;
  seriesId: Id | null;
  name: string;
  date: string;
  place: string;
  opensAt: string | null;
  closesAt: string | null;
  description: string;
  status: EventStatus;
  closedAt: number | null;
  createdAt: number;
  updatedAt: number;
  allowMultipleStalls: boolean;
  stallFeeDefaultCents: number;
  /** Place in its series (1, 2, 3 …), null without series. */
  editionNumber: number | null;
  /** Buttons to show now. */
  allowedTransitions: EventStatus[];
  /** What publishing still needs. */
  publishMissing: PublishRequirement[];
}

export interface Series {
  id: Id;
  organisationId: Id;
  name: string;
  createdAt: number;
  editions: {
    eventId: Id;
    editionNumber: number;
    name: string;
    date: string;
    status: EventStatus;
    figures: EditionFigures | null;
  }[];
}

/** An edition against the series' previous one (domain editions.ts). */
export interface EditionComparison {
  current: EditionFigures;
  previous: (EditionFigures & { name: string; date: string }) | null;
}

export interface MapSize {
  width: number;
  height: number;
}

export interface ApiStall extends Stall {
  /** null: the event's default fee. */
  feeCents: number | null;
}

export type Assignment = StallAssignment;

export interface FeeOverview {
  /** `reference`: the last payment made inside Kraam (Stripe's), when the maker paid online. */
  makers: (MakerFeeLine & { reference?: string | null })[];
  dueCents: number;
  paidCents: number;
  outstandingCents: number;
  overpaidCents: number;
}

export interface EventPlan {
  event: OrganiserEvent;
  map: MapSize;
  stalls: ApiStall[];
  landmarks: Landmark[];
  assignments: Assignment[];
  /** Makers invited to this event (with or without stall). */
  invitedMakerIds: Id[];
  mapConflicts: MapConflict[];
  assignmentConflicts: AssignmentConflict[];
  fees: FeeOverview;
  makers: { makerId: Id; displayName: string }[];
}

export interface MakerEventSummary {
  id: Id;
  name: string;
  date: string;
  place: string;
  opensAt: string | null;
  closesAt: string | null;
  status: EventStatus;
  description: string;
  stallLabels: string[];
}

export interface MakerEventView {
  event: MakerEventSummary;
  stallViews: MakerStallView[];
  announcements: Announcement[];
}

export type MakerProfile = DomainMakerProfile & {
  slug: string;
  /** The public page's path, or null while the maker is not listed. */
  publicUrl: string | null;
};

export interface Maker {
  makerId: Id;
  membershipId: Id;
  userId: Id;
  name: string;
  email: string;
  profile: MakerProfile | null;
  sharesFigures: boolean;
  events: {
    eventId: Id;
    name: string;
    date: string;
    status: EventStatus;
    hasStall: boolean;
    stallLabels: string[];
  }[];
}

export interface Announcement {
  id: Id;
  eventId: Id;
  body: string;
  sentAt: number;
}

export interface DashboardMaker {
  makerId: Id;
  displayName: string;
  stallLabels: string[];
  shares: boolean;
  salesCount: number | null;
  itemCount: number | null;
  revenueCents: number | null;
  averageSaleCents: number | null;
  /** How the maker's money came in (src/lib/domain/summary.ts paymentSplitOf); null unshared. */
  split: PaymentSplit | null;
  feeDueCents: number;
  feePaidCents: number;
  feeStatus: FeeStatus;
}

export interface Dashboard {
  event: OrganiserEvent;
  totals: EventTotals;
  /** The event's payment split: the sum of the sharing makers' (null with none sharing). */
  split: PaymentSplit | null;
  editions: EditionComparison | null;
  perHour: BazaarHourFigure[];
  makers: DashboardMaker[];
  fees: FeeOverview;
}

export interface SeriesImpact {
  seriesId: Id;
  name: string;
  summary: ImpactSummary;
  editions: (EditionImpact & { name: string })[];
  years: { year: number; summary: ImpactSummary }[];
}

export interface Impact {
  series: SeriesImpact[];
  years: { year: number; summary: ImpactSummary }[];
}

export interface MakerResultsAnswer {
  eventId: Id;
  results: MakerResults;
}

/** One problem the server found: the field (`path`), words for developers, a code to translate. */
export interface ApiIssue {
  path: string;
  message: string;
  code?: string;
}
