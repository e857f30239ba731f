/**
 * Text that can be stored and sent on: no NUL character (U+0000) and no unpaired UTF-16
 * surrogate (U+D800..U+DFFF without its partner). PostgreSQL refuses NUL in text and jsonb,
 * and a lone surrogate has no UTF-8 form (it would silently become U+FFFD), so such text is
 * refused at the edge with the field named instead of failing (or changing) in storage.
 */

// Built from a string so no control character sits in a regex literal.
const UNSAFE_SOURCE =
  '\\u0000|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

/** Matches one NUL or unpaired surrogate (`UNSAFE_TEXT_ALL`: every one, for replacing). */
export const UNSAFE_TEXT = new RegExp(UNSAFE_SOURCE);
export const UNSAFE_TEXT_ALL = new RegExp(UNSAFE_SOURCE, 'g');

export function isSafeText(text: string): boolean {
  return !UNSAFE_TEXT.test(text);
}

/** The issue code for unsafe text (the UI translates it). */
export const UNSAFE_TEXT_CODE = 'unsafe-text';

export const UNSAFE_TEXT_MESSAGE =
  'must not contain the NUL character (U+0000) or an unpaired surrogate (broken UTF-16)';
