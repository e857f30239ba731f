/**
 * Text that can be stored and sent on: no NUL character (U+0000) and no unpaired UTF-16
 * surrogate (U+D800..U+DFFF without its partner). PostgreSQL refuses NUL in text and jsonb,
 * and a lone surrogate has no UTF-8 form (it would silently become U+FFFD), so such text is
 * refused at the edge with the field named instead of failing (or changing) in storage.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isSafeText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/** The issue code for unsafe text (the UI translates it). */
export const UNSAFE_TEXT_CODE = 'unsafe-text';

export const UNSAFE_TEXT_MESSAGE =
  'must not contain the NUL character (U+0000) or an unpaired surrogate (broken UTF-16)';
