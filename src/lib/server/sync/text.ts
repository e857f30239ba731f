// PostgreSQL cannot store every string JSON can carry: text and jsonb refuse U+0000, and
// jsonb refuses an unpaired surrogate escape. Such a mutation would fail its insert on every
// retry and wedge the device's queue, so it is rejected up front instead [G7]; what we
// keep of it for the record is cleaned first.

// Built from a string so no control character sits in a regex literal.
const PATTERN =
  '\\u0000|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNSTORABLE = new RegExp(PATTERN);
const UNSTORABLE_ALL = new RegExp(PATTERN, 'g');

/** True when a string anywhere in `value` (keys included) cannot be stored. */
export function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  return Object.entries(value).some(([k, v]) => UNSTORABLE.test(k) || hasUnstorableText(v));
}

/** A copy of `value` with every unstorable character replaced by U+FFFD. */
export function storable(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(UNSTORABLE_ALL, '\ufffd');
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(storable);
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(UNSTORABLE_ALL, '\ufffd'), storable(v)]),
  );
}
