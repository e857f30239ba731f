import { StoreError, type StoreErrorCode } from '$lib/db/device-store';
import { m } from '$lib/paraglide/messages';

/** The code of a failed store call, for state that remembers what went wrong. */
export function storeErrorCode(error: unknown): StoreErrorCode {
  return error instanceof StoreError ? error.code : 'unknown';
}

/** A storage failure in the maker's words: what happened and what to do about it. */
export function storeErrorMessage(code: StoreErrorCode): string {
  switch (code) {
    case 'quota':
      return m.common_error_quota();
    case 'closed':
      return m.common_error_closed();
    case 'not-found':
      return m.common_error_not_found();
    default:
      return m.common_error_unknown();
  }
}
