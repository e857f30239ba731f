// PostgreSQL cannot store every value JSON can carry: text and jsonb refuse U+0000, jsonb
// refuses an unpaired surrogate escape, and a value nested deep enough exhausts the stack of
// both JavaScript's JSON.stringify and PostgreSQL's jsonb parser. Such a mutation would fail
// its insert on every retry and wedge the device's queue, so it is rejected up front instead
// [G7]; what we keep of it for the record is made storable first, without losing anything.
//
// Every walk here is iterative: a body of 2 MB can nest a million levels deep.

import { UNSAFE_TEXT as UNSTORABLE, UNSAFE_TEXT_ALL as UNSTORABLE_ALL } from '$lib/domain/text';

/**
 * Deepest nesting a mutation may have. A real one nests 4 levels (sale.record -> lines ->
 * line -> field); anything deeper is not ours and is kept as text (see storedBody).
 */
export const MAX_MUTATION_DEPTH = 32;

/** Calls `visit` on every string (keys included) in `value`; stops when it returns true. */
function someString(value: unknown, visit: (text: string) => boolean): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (visit(item)) return true;
    } else if (Array.isArray(item)) {
      for (const v of item) stack.push(v);
    } else if (item !== null && typeof item === 'object') {
      for (const [k, v] of Object.entries(item)) {
        if (visit(k)) return true;
        stack.push(v);
      }
    }
  }
  return false;
}

/** True when a string anywhere in `value` (keys included) cannot be stored. */
export function hasUnstorableText(value: unknown): boolean {
  return someString(value, (text) => UNSTORABLE.test(text));
}

/**
 * False when the canonical JSON of a value (canonical.ts) has no `\u` in it: JSON.stringify
 * writes a NUL and an unpaired surrogate only as `\u` escapes, so then no string or key of
 * the value holds one, and the walk of `hasUnstorableText` can be skipped (issue 11: it was
 * one more walk over every mutation of a push). True only means: look.
 */
export function mayHoldUnstorableText(canonical: string): boolean {
  return canonical.includes('\\u');
}

/** True when `value` nests arrays or objects more than `max` levels deep. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const v of Object.values(item)) stack.push([v, depth + 1]);
  }
  return false;
}

/** `text` with every unstorable character replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE_ALL, '\ufffd');
}

/**
 * A short label that can always be stored: unstorable characters replaced, cut to `max`
 * code points (never through the middle of a surrogate pair).
 */
export function storableLabel(text: string, max: number): string {
  return Array.from(storableText(text)).slice(0, max).join('');
}

/**
 * What the log keeps of a rejected mutation's body: the value itself when PostgreSQL can
 * store it as jsonb, else `{ escapedJson }`, its canonical JSON text, in which every
 * unstorable character is an escape sequence (`\u0000`): lossless, and always storable.
 */
export function storedBody(raw: unknown, canonical: string): unknown {
  if (nestedDeeperThan(raw, MAX_MUTATION_DEPTH) || hasUnstorableText(raw)) {
    return { escapedJson: canonical };
  }
  return raw;
}
