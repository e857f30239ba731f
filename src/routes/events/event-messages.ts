import { MAX_EVENT_NAME_LENGTH, MAX_PLACE_LENGTH } from '$lib/domain/validation';
import { m } from '$lib/paraglide/messages';
import type { EventFormErrors, EventFormField } from '$lib/services/events';

/** The message shown beside an event form field; undefined when the field is fine. */
export function eventFieldError(
  errors: EventFormErrors,
  field: EventFormField,
): string | undefined {
  const code = errors[field];
  if (!code) return undefined;
  switch (field) {
    case 'name':
      return code === 'too-long'
        ? m.catalog_error_event_name_too_long({ maxCount: MAX_EVENT_NAME_LENGTH })
        : m.catalog_error_event_name_required();
    case 'date':
      return m.catalog_error_event_date_invalid();
    case 'place':
      return m.catalog_error_event_place_too_long({ maxCount: MAX_PLACE_LENGTH });
    case 'opensAt':
    case 'closesAt':
      return code === 'before-opening'
        ? m.catalog_error_event_hours_order()
        : m.catalog_error_event_time_invalid();
  }
}
