/**
 * An organiser's event from draft to closed, its details form, and recurring series.
 *
 * Status transitions (anything else is 'not-allowed'):
 *   draft -> published   the event becomes public and its makers see it. Needs valid details
 *                        AND a place and opening hours: the field report found that makers
 *                        learnt "what is expected of me" too late, so an event without where
 *                        and when is not published.
 *   published -> draft   withdraw, e.g. to correct it, as long as it has not opened.
 *   published -> open    the bazaar day starts (organisers may open early or late: device
 *                        clocks at markets are often wrong, so the date is not enforced).
 *   open -> closed       records `closedAt`; results go to every maker.
 *   closed -> open       reopen, ONLY within REOPEN_WINDOW_MS of closing (a close tapped by
 *                        mistake or too early). Later, makers have long had their results, so
 *                        a closed event stays closed. Reopening clears `closedAt`; closing again
 *                        records a new one, and results are computed again from the data.
 *   draft -> open is not allowed: makers must have seen a published event (and their stall)
 *   before it opens. open -> published is not allowed: once sales happen, the day happened.
 *
 * Series: a series holds its editions; an edition's number is its place in the series when
 * editions are ordered by date (then creation time, then id). It is derived, never stored,
 * so deleting a draft edition renumbers the later ones: numbers always run 1, 2, 3 ... with
 * no gaps. `nextEdition` copies the last edition's map, stalls, landmarks and invited makers
 * into a new draft; stall assignments are NOT copied unless `copyAssignments` is set, because
 * last month's maker has not yet said they come this month, and an assignment is pushed to
 * their device as "your stall".
 */
import type { EventStatus, Id, MarketEvent, Stall, StallAssignment } from '../types';
import { isIsoDate, MAX_EVENT_NAME_LENGTH, MAX_PLACE_LENGTH } from '../validation';
import { normalizeDigits } from '../money';
import { minutesOfDay, parseTimeOfDay, textLength } from './common';
import type { Landmark, StallMap } from './stall-map';

export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_SERIES_NAME_LENGTH = 80;
/** How long after closing an organiser may still reopen an event. */
export const REOPEN_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A recurring event, e.g. "Pop-up Bazaar Leidschendam". */
export interface EventSeries {
  id: Id;
  organisationId: Id;
  name: string;
  createdAt: number;
}

/** An event as the organiser manages it: the shared MarketEvent plus what only they edit. */
export interface OrganisedEvent extends MarketEvent {
  description: string;
  /** When it was closed (epoch ms); null unless status is 'closed'. */
  closedAt: number | null;
}

// ---------------------------------------------------------------------------------------
// Details form

export interface EventDetailsInput {
  name: string;
  /** YYYY-MM-DD as <input type="date"> gives it. */
  date: string;
  /** HH:MM or empty. */
  opensAt: string | null;
  closesAt: string | null;
  place: string;
  description: string;
}

export interface EventDetails {
  name: string;
  date: string;
  opensAt: string | null;
  closesAt: string | null;
  place: string;
  description: string;
}

export type EventDetailsField = keyof EventDetailsInput;
export type EventDetailsErrorCode =
  | 'required'
  | 'too-long'
  | 'invalid-date'
  | 'date-in-past'
  | 'invalid-time'
  | 'closes-before-opens';

export type EventDetailsValidation =
  | { ok: true; value: EventDetails }
  | { ok: false; errors: Partial<Record<EventDetailsField, EventDetailsErrorCode>> };

export interface EventDetailsOptions {
  /**
   * Today's date (YYYY-MM-DD) when creating or moving an event: a date before it is
   * 'date-in-past'. Leave out when editing an event that already happened.
   */
  today?: string;
}

/**
 * Checks the event form. Name 1..80 characters; date a real YYYY-MM-DD; opening and closing
 * times HH:MM or empty; when both are given, closing must be strictly after opening (a
 * bazaar does not run past midnight); place up to 120 and description up to 2000
 * characters, both optional here (publishing needs a place, see `transitionEvent`).
 */
export function validateEventDetails(
  input: EventDetailsInput,
  options: EventDetailsOptions = {},
): EventDetailsValidation {
  const errors: Partial<Record<EventDetailsField, EventDetailsErrorCode>> = {};

  const name = input.name.trim();
  if (name === '') errors.name = 'required';
  else if (textLength(name) > MAX_EVENT_NAME_LENGTH) errors.name = 'too-long';

  const date = normalizeDigits(input.date).trim();
  if (date === '') errors.date = 'required';
  else if (!isIsoDate(date)) errors.date = 'invalid-date';
  else if (options.today !== undefined && date < options.today) errors.date = 'date-in-past';

  const opensAt = optionalTime(input.opensAt);
  if (opensAt === undefined) errors.opensAt = 'invalid-time';
  const closesAt = optionalTime(input.closesAt);
  if (closesAt === undefined) errors.closesAt = 'invalid-time';
  if (opensAt && closesAt && minutesOfDay(closesAt) <= minutesOfDay(opensAt)) {
    errors.closesAt = 'closes-before-opens';
  }

  const place = input.place.trim();
  if (textLength(place) > MAX_PLACE_LENGTH) errors.place = 'too-long';
  const description = input.description.trim();
  if (textLength(description) > MAX_DESCRIPTION_LENGTH) errors.description = 'too-long';

  if (Object.keys(errors).length > 0 || opensAt === undefined || closesAt === undefined) {
    return { ok: false, errors };
  }
  return { ok: true, value: { name, date, opensAt, closesAt, place, description } };
}

/** null for empty, the normalised time when valid, undefined when invalid. */
function optionalTime(raw: string | null): string | null | undefined {
  if (raw === null || raw.trim() === '') return null;
  return parseTimeOfDay(raw) ?? undefined;
}

export type SeriesNameErrorCode = 'required' | 'too-long';

export function validateSeriesName(
  raw: string,
): { ok: true; value: string } | { ok: false; error: SeriesNameErrorCode } {
  const value = raw.trim();
  if (value === '') return { ok: false, error: 'required' };
  if (textLength(value) > MAX_SERIES_NAME_LENGTH) return { ok: false, error: 'too-long' };
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------
// Status

const TRANSITIONS: Readonly<Record<EventStatus, readonly EventStatus[]>> = {
  draft: ['published'],
  published: ['draft', 'open'],
  open: ['closed'],
  closed: ['open'],
};

/**
 * The statuses an event can move to now (for the organiser's buttons). A closed event offers
 * 'open' only inside the reopen window.
 */
export function allowedTransitions(
  event: Pick<OrganisedEvent, 'status' | 'closedAt'>,
  now: number,
): EventStatus[] {
  return TRANSITIONS[event.status].filter(
    (to) => !(event.status === 'closed' && to === 'open' && !withinReopenWindow(event, now)),
  );
}

function withinReopenWindow(event: Pick<OrganisedEvent, 'closedAt'>, now: number): boolean {
  return event.closedAt !== null && now - event.closedAt <= REOPEN_WINDOW_MS;
}

/** What publishing needs beyond valid details. */
export type PublishRequirement = 'place' | 'opensAt' | 'closesAt';

export type TransitionError =
  | { code: 'same-status'; status: EventStatus }
  | { code: 'not-allowed'; from: EventStatus; to: EventStatus }
  | { code: 'reopen-window-passed'; closedAt: number | null }
  | {
      code: 'invalid-details';
      errors: Partial<Record<EventDetailsField, EventDetailsErrorCode>>;
    }
  | { code: 'incomplete-details'; missing: PublishRequirement[] };

export type TransitionResult<T> = { ok: true; event: T } | { ok: false; error: TransitionError };

/**
 * Moves an event to another status, or says why not. Pure: returns a new event with
 * `status`, `updatedAt = now` and, on closing, `closedAt = now` (cleared on reopening).
 */
export function transitionEvent<T extends OrganisedEvent>(
  event: T,
  to: EventStatus,
  now: number,
): TransitionResult<T> {
  const from = event.status;
  if (from === to) return { ok: false, error: { code: 'same-status', status: from } };
  if (!TRANSITIONS[from].includes(to)) {
    return { ok: false, error: { code: 'not-allowed', from, to } };
  }
  if (from === 'closed' && !withinReopenWindow(event, now)) {
    return { ok: false, error: { code: 'reopen-window-passed', closedAt: event.closedAt } };
  }
  if (to === 'published') {
    const details = validateEventDetails(event);
    if (!details.ok)
      return { ok: false, error: { code: 'invalid-details', errors: details.errors } };
    const missing = publishRequirementsMissing(details.value);
    if (missing.length > 0) return { ok: false, error: { code: 'incomplete-details', missing } };
  }
  return {
    ok: true,
    event: { ...event, status: to, updatedAt: now, closedAt: to === 'closed' ? now : null },
  };
}

/** What an event still lacks before it can be published (empty when nothing). */
export function publishRequirementsMissing(
  details: Pick<EventDetails, 'place' | 'opensAt' | 'closesAt'>,
): PublishRequirement[] {
  const missing: PublishRequirement[] = [];
  if (details.place.trim() === '') missing.push('place');
  if (!details.opensAt) missing.push('opensAt');
  if (!details.closesAt) missing.push('closesAt');
  return missing;
}

/** Only published, open and closed events appear on public pages; a draft never does. */
export function isPublicStatus(status: EventStatus): boolean {
  return status !== 'draft';
}

// ---------------------------------------------------------------------------------------
// Series and editions

export type EditionLike = Pick<MarketEvent, 'id' | 'seriesId' | 'date' | 'createdAt'>;

function compareEditions(a: EditionLike, b: EditionLike): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The series' editions in order, each with its number (1, 2, 3 ... no gaps). */
export function seriesEditions<T extends EditionLike>(
  events: readonly T[],
  seriesId: Id,
): { event: T; editionNumber: number }[] {
  return events
    .filter((event) => event.seriesId === seriesId)
    .sort(compareEditions)
    .map((event, index) => ({ event, editionNumber: index + 1 }));
}

/** The edition number of one event in its series; null when it belongs to no series. */
export function editionNumber<T extends EditionLike>(
  events: readonly T[],
  eventId: Id,
): number | null {
  const event = events.find((e) => e.id === eventId);
  if (!event || event.seriesId === null) return null;
  return (
    seriesEditions(events, event.seriesId).find((e) => e.event.id === eventId)?.editionNumber ??
    null
  );
}

/** The latest edition of a series (by date), the one a new edition is copied from. */
export function latestEdition<T extends EditionLike>(events: readonly T[], seriesId: Id): T | null {
  const editions = seriesEditions(events, seriesId);
  return editions[editions.length - 1]?.event ?? null;
}

/**
 * The edition of the same series just before `current` in which a maker took part
 * (`makerEventIds`): what "compared with the last one" compares against. Null when none.
 */
export function previousEditionFor<T extends EditionLike>(
  events: readonly T[],
  current: T,
  makerEventIds: ReadonlySet<Id>,
): T | null {
  if (current.seriesId === null) return null;
  const earlier = seriesEditions(events, current.seriesId)
    .map((e) => e.event)
    .filter((e) => compareEditions(e, current) < 0 && makerEventIds.has(e.id));
  return earlier[earlier.length - 1] ?? null;
}

export interface NextEditionInput {
  series: EventSeries;
  /** The edition to copy, usually `latestEdition(...)`. */
  lastEvent: OrganisedEvent;
  map: StallMap;
  stalls: readonly Stall[];
  landmarks: readonly Landmark[];
  assignments: readonly StallAssignment[];
  invitedMakerIds: readonly Id[];
  /** The new edition's date, YYYY-MM-DD, after the last edition's. */
  date: string;
  /** Makes a fresh id (UUIDv7 in the app); called for the event and every copied row. */
  newId: () => Id;
  now: number;
  /** Copy stall assignments too (default false, see the module comment). */
  copyAssignments?: boolean;
  /** The new edition's name; default the last edition's name. */
  name?: string;
}

export interface NextEdition {
  event: OrganisedEvent;
  map: StallMap;
  stalls: Stall[];
  landmarks: Landmark[];
  assignments: StallAssignment[];
  invitedMakerIds: Id[];
}

export type NextEditionErrorCode = 'not-in-series' | 'invalid-date' | 'date-not-after-last';

/**
 * A new draft edition copied from the last one: same name (unless given), place, hours and
 * description; the map with every stall and landmark under new ids; the invited makers
 * (duplicates removed). Only rows that belong to `lastEvent` are copied. With
 * `copyAssignments`, each assignment follows its stall to the stall's copy (arrival time and
 * instructions kept) and its maker is invited too.
 */
export function nextEdition(
  input: NextEditionInput,
): { ok: true; value: NextEdition } | { ok: false; error: NextEditionErrorCode } {
  const { series, lastEvent, newId, now } = input;
  if (lastEvent.seriesId !== series.id) return { ok: false, error: 'not-in-series' };
  const date = normalizeDigits(input.date).trim();
  if (!isIsoDate(date)) return { ok: false, error: 'invalid-date' };
  if (date <= lastEvent.date) return { ok: false, error: 'date-not-after-last' };

  const eventId = newId();
  const event: OrganisedEvent = {
    id: eventId,
    organisationId: series.organisationId,
    seriesId: series.id,
    name: input.name?.trim() || lastEvent.name,
    date,
    place: lastEvent.place,
    opensAt: lastEvent.opensAt,
    closesAt: lastEvent.closesAt,
    description: lastEvent.description,
    status: 'draft',
    origin: 'server',
    closedAt: null,
    createdAt: now,
    updatedAt: now,
  };

  const stallIdMap = new Map<Id, Id>();
  const stalls = input.stalls
    .filter((stall) => stall.eventId === lastEvent.id)
    .map((stall) => {
      const id = newId();
      stallIdMap.set(stall.id, id);
      return { ...stall, id, eventId };
    });
  const landmarks = input.landmarks
    .filter((landmark) => landmark.eventId === lastEvent.id)
    .map((landmark) => ({ ...landmark, id: newId(), eventId }));

  const assignments: StallAssignment[] = [];
  if (input.copyAssignments) {
    for (const assignment of input.assignments) {
      const stallId = stallIdMap.get(assignment.stallId);
      if (assignment.eventId !== lastEvent.id || stallId === undefined) continue;
      assignments.push({ ...assignment, id: newId(), eventId, stallId });
    }
  }

  const invitedMakerIds = [
    ...new Set([...input.invitedMakerIds, ...assignments.map((a) => a.makerId)]),
  ];
  return {
    ok: true,
    value: {
      event,
      map: { ...input.map, eventId },
      stalls,
      landmarks,
      assignments,
      invitedMakerIds,
    },
  };
}
