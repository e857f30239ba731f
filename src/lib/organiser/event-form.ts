/**
 * The organiser's event form checked by the domain (validateEventDetails, EV1) before it is
 * sent; the server checks the same rules, and its answer is shown the same way.
 */
import { validateEventDetails } from '$lib/domain/organiser/event-lifecycle';
import type { EventInput, OrganiserEvent } from './api';
import { issueText } from './failure-text';

export interface EventFormValues {
  name: string;
  date: string;
  opensAt: string;
  closesAt: string;
  place: string;
  description: string;
  seriesId: string;
}

export type EventFormErrors = Partial<Record<keyof EventFormValues, string>>;

export function emptyEventForm(date: string): EventFormValues {
  return { name: '', date, opensAt: '', closesAt: '', place: '', description: '', seriesId: '' };
}

export function eventFormOf(event: OrganiserEvent): EventFormValues {
  return {
    name: event.name,
    date: event.date,
    opensAt: event.opensAt ?? '',
    closesAt: event.closesAt ?? '',
    place: event.place,
    description: event.description,
    seriesId: event.seriesId ?? '',
  };
}

/** `today` only for a new event (a date in the past is then refused). */
export function checkEventForm(
  values: EventFormValues,
  options: { today?: string } = {},
): { ok: true; value: EventInput } | { ok: false; errors: EventFormErrors } {
  const result = validateEventDetails(
    {
      name: values.name,
      date: values.date,
      opensAt: values.opensAt,
      closesAt: values.closesAt,
      place: values.place,
      description: values.description,
    },
    options,
  );
  if (!result.ok) {
    const errors: EventFormErrors = {};
    for (const [field, code] of Object.entries(result.errors)) {
      errors[field as keyof EventFormValues] = issueText(code);
    }
    return { ok: false, errors };
  }
  return { ok: true, value: { ...result.value, seriesId: values.seriesId || null } };
}
