// A mutation's fingerprint: SHA-256 of its canonical JSON (object keys sorted at every
// level). A replayed sequence number must carry the same fingerprint to count as a
// duplicate; different content under an old number means the device's sequence restarted
// (its data was lost) and is reported as a gap instead of being swallowed [G3].
//
// Written without recursion: a push body may nest a million levels deep, and its number
// must still be consumed (as rejected), which needs its fingerprint [G7].
import { hash } from 'node:crypto';

/** Text to emit as is (a value read from JSON is never an instance of this class). */
class Raw {
  constructor(readonly text: string) {}
}

/** Deeper than this, the walk goes on without recursion (below). */
const RECURSION_DEPTH = 64;

class TooDeep extends Error {}

/** `"key":` of keys seen before (mutations repeat a few dozen names); bounded, short keys only. */
const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 4_096;

function quotedKey(key: string): string {
  const known = quotedKeys.get(key);
  if (known !== undefined) return known;
  const quoted = `${JSON.stringify(key)}:`;
  if (key.length <= 64 && quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, quoted);
  return quoted;
}

/** Sorted by UTF-16 code units, as the default sort compares strings. */
function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  }
  return true;
}

/**
 * The same text as `walkCanonical`, by recursion: several times faster on the shallow
 * mutations every push carries (one per mutation, issue 11). Gives up past RECURSION_DEPTH.
 * An object's keys are sorted only when they are not in order already, and a key's quoted
 * form is remembered (the ingest pass of issue 11: half the time of the plain recursion).
 */
function recurse(value: unknown, depth: number): string {
  if (typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value === null) return 'null';
  if (depth > RECURSION_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += recurse(value[i], depth + 1);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // Own enumerable keys, sorted by UTF-16 code units (the default sort of strings).
  const keys = Object.keys(record);
  if (!isSorted(keys)) keys.sort();
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = record[key];
    if (item === undefined) continue;
    if (!first) out += ',';
    out += quotedKey(key) + recurse(item, depth + 1);
    first = false;
  }
  return `${out}}`;
}

export function canonicalJson(value: unknown): string {
  try {
    return recurse(value, 0);
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    return walkCanonical(value);
  }
}

/** The canonical JSON by an explicit stack: any depth (the reference form). */
export function walkCanonical(value: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Raw) {
      out.push(item.text);
    } else if (item === null || typeof item !== 'object') {
      // JSON.stringify(undefined) is undefined; inside JSON input it can only be absent.
      out.push(JSON.stringify(item) ?? 'null');
    } else if (Array.isArray(item)) {
      stack.push(new Raw(']'));
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i]);
        if (i > 0) stack.push(new Raw(','));
      }
      out.push('[');
    } else {
      const entries = Object.entries(item as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      stack.push(new Raw('}'));
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i] as [string, unknown];
        stack.push(v);
        stack.push(new Raw(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`));
      }
      out.push('{');
    }
  }
  return out.join('');
}

export function mutationHash(mutation: unknown): string {
  return hashCanonical(canonicalJson(mutation));
}

/** SHA-256 of the text (UTF-8), hex: one call, no Hash object per mutation (issue 11). */
export function hashCanonical(canonical: string): string {
  return hash('sha256', canonical, 'hex');
}
