import { storeErrorMessage } from '$lib/components/store-error';
import { m } from '$lib/paraglide/messages';
import type { TillFailure } from '$lib/state/till.svelte';

/** Why the till could not do what was asked, in the maker's language. */
export function tillFailureMessage(failure: TillFailure): string {
  switch (failure) {
    case 'insufficient-tender':
      return m.till_error_short();
    case 'no-event':
      return m.till_no_event();
    case 'no-profile':
      return m.till_no_profile();
    case 'changed':
      return m.till_error_changed();
    default:
      return storeErrorMessage(failure);
  }
}
