import { StoreError } from './device-store';

/** Names IndexedDB, DOM and Dexie use for a full disk / exceeded quota. */
const QUOTA_NAMES = new Set(['QuotaExceededError']);
/** The connection is gone: closed by us, by a version change, or the browser pulled it. */
const CLOSED_NAMES = new Set([
  'DatabaseClosedError',
  'InvalidStateError',
  'TransactionInactiveError',
]);
/** A unique key was taken twice: the same sale or entry written again. */
const CONSTRAINT_NAMES = new Set(['ConstraintError']);

function nameOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error) {
    const name = (error as { name: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

/**
 * Every name in an error's chain: Dexie wraps the browser's error as `inner`, a bulk write
 * reports each failed row in `failures`, and an aborted transaction may carry the real cause
 * in `cause`.
 */
function namesIn(error: unknown, depth = 0): string[] {
  if (depth > 5 || typeof error !== 'object' || error === null) return [];
  const e = error as { inner?: unknown; cause?: unknown; failures?: unknown };
  const names: string[] = [];
  const own = nameOf(error);
  if (own) names.push(own);
  names.push(...namesIn(e.inner, depth + 1), ...namesIn(e.cause, depth + 1));
  if (Array.isArray(e.failures)) {
    for (const failure of e.failures.slice(0, 5)) names.push(...namesIn(failure, depth + 1));
  } else if (e.failures && typeof e.failures === 'object') {
    for (const failure of Object.values(e.failures).slice(0, 5)) {
      names.push(...namesIn(failure, depth + 1));
    }
  }
  return names;
}

/**
 * Turns whatever storage threw into a StoreError with a plain-English message. The UI shows
 * its own translated text by `code`; the message is for logs and developers.
 */
export function toStoreError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const names = namesIn(error);
  if (names.some((n) => QUOTA_NAMES.has(n))) {
    return new StoreError(
      'quota',
      'The device is full: there is no room left to save this. Nothing was saved.',
      error,
    );
  }
  if (names.some((n) => CLOSED_NAMES.has(n))) {
    return new StoreError(
      'closed',
      'The storage on this device is not available right now (its connection was closed). Reload the app.',
      error,
    );
  }
  if (names.some((n) => CONSTRAINT_NAMES.has(n))) {
    return new StoreError('invalid', 'This was already saved once; it was not saved again.', error);
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StoreError('unknown', `The storage on this device failed (${detail}).`, error);
}
