import { StoreError, type DeviceStore } from '$lib/db/device-store';
import { uuidv7 } from '$lib/domain/ids';
import type { Hlc, Id, MarketEvent } from '$lib/domain/types';
import { CURRENT_EVENT_SETTING, todayIsoDate } from './current-event';

export { CURRENT_EVENT_SETTING, todayIsoDate };
import {
  validateEventInput,
  type EventField,
  type ValidationErrorCode,
} from '$lib/domain/validation';

/**
 * The events a maker sells at: create one on the phone, or pick the one the till sells into.
 * The choice is the device setting 'currentEventId' (the app state reads the same key).
 */

export interface EventFormInput {
  name: string;
  /** YYYY-MM-DD as <input type="date"> gives it. */
  date: string;
  place: string;
  /** HH:MM or empty. */
  opensAt: string;
  closesAt: string;
}

export type EventFormField = EventField | 'opensAt' | 'closesAt';
export type EventFormError = ValidationErrorCode | 'invalid-time' | 'before-opening';
export type EventFormErrors = Partial<Record<EventFormField, EventFormError>>;

export type CreateEventResult =
  { ok: true; event: MarketEvent; selected: boolean } | { ok: false; errors: EventFormErrors };

const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Name, date and place by the domain rules; opening hours are optional, each HH:MM, and
 * when both are given the closing time comes after the opening time (a market does not run
 * past midnight).
 */
export function checkEventForm(input: EventFormInput): EventFormErrors {
  const validation = validateEventInput(input);
  const errors: EventFormErrors = validation.ok ? {} : { ...validation.errors };
  const opens = input.opensAt.trim();
  const closes = input.closesAt.trim();
  if (opens !== '' && !TIME_PATTERN.test(opens)) errors.opensAt = 'invalid-time';
  if (closes !== '' && !TIME_PATTERN.test(closes)) errors.closesAt = 'invalid-time';
  if (!errors.opensAt && !errors.closesAt && opens !== '' && closes !== '' && closes <= opens) {
    errors.closesAt = 'before-opening';
  }
  return errors;
}

/**
 * Creates an event made on this device. When no event is current yet (or the current one
 * is gone), the new one becomes current: a maker who just made their market wants to sell there.
 */
export async function createEvent(
  store: DeviceStore,
  input: EventFormInput,
  options: { nextHlc: () => Hlc; now?: () => number },
): Promise<CreateEventResult> {
  const errors = checkEventForm(input);
  const validation = validateEventInput(input);
  if (!validation.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  const now = (options.now ?? Date.now)();
  const event: MarketEvent = {
    id: uuidv7(),
    organisationId: null,
    seriesId: null,
    name: validation.value.name,
    date: validation.value.date,
    place: validation.value.place,
    opensAt: input.opensAt.trim() || null,
    closesAt: input.closesAt.trim() || null,
    status: 'open',
    origin: 'device',
    createdAt: now,
    updatedAt: now,
  };
  await store.saveEvent(event, options.nextHlc());
  const currentId = await store.getSetting<Id>(CURRENT_EVENT_SETTING);
  const current = currentId ? await store.getEvent(currentId) : undefined;
  if (!current) await store.setSetting(CURRENT_EVENT_SETTING, event.id);
  return { ok: true, event, selected: !current };
}

/** Makes an event the one the till sells into. */
export async function selectEvent(store: DeviceStore, id: Id): Promise<MarketEvent> {
  const event = await store.getEvent(id);
  if (!event) throw new StoreError('not-found', 'This event is not on this device.');
  await store.setSetting(CURRENT_EVENT_SETTING, id);
  return event;
}

/** The event the till sells into, if it is (still) on this device. */
export async function currentEvent(store: DeviceStore): Promise<MarketEvent | undefined> {
  const id = await store.getSetting<Id>(CURRENT_EVENT_SETTING);
  return id ? store.getEvent(id) : undefined;
}
