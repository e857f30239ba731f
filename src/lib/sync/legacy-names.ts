/**
 * The wire's names before the "one vocabulary" rename (issue 10): apps released before it
 * said `vendorId` and `vendor_results` where this version says `makerId` and
 * `maker_results` (SPEC.md, "Names before the rename"). An app still running the older
 * version must lose nothing, so:
 * - a push is read in either naming (`currentNames` at the server's input);
 * - a pull answers in the old names unless the app names the feature `MAKER_NAMES_FEATURE`
 *   (every app from this version on does), so an older app never meets a field its schema
 *   refuses;
 * - the device's stored records are renamed once, by the Dexie version-5 upgrade.
 *
 * Only object keys and the entity name are renamed, never a value the user typed. The walks
 * are iterative: a push body may nest a million levels deep [G7].
 * rename.py: keep-legacy-names (this file must keep the old names)
 */

/** Pull feature: this app reads the current names (makerId, maker_results). */
export const MAKER_NAMES_FEATURE = 'maker-names';

/** Object keys before the rename -> now. */
export const LEGACY_KEYS: Readonly<Record<string, string>> = { vendorId: 'makerId' };
/** Change entities before the rename -> now. */
export const LEGACY_ENTITIES: Readonly<Record<string, string>> = {
  vendor_results: 'maker_results',
};

const CURRENT_KEYS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LEGACY_KEYS).map(([old, now]) => [now, old]),
);
const CURRENT_ENTITIES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LEGACY_ENTITIES).map(([old, now]) => [now, old]),
);

const has = (names: Readonly<Record<string, string>>, key: string) =>
  Object.prototype.hasOwnProperty.call(names, key);

/** Sets an own property, even one named `__proto__` (as JSON.parse makes it). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * A copy of a JSON value with its object keys renamed by `names` at every level. Where an
 * object holds both the old and the new key, the value under the key already in the target
 * naming wins.
 */
function renameKeys(value: unknown, names: Readonly<Record<string, string>>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const root: { value: unknown } = { value: undefined };
  const work: { from: unknown; into: (copy: unknown) => void }[] = [
    { from: value, into: (copy) => (root.value = copy) },
  ];
  while (work.length > 0) {
    const { from, into } = work.pop()!;
    if (from === null || typeof from !== 'object') {
      into(from);
    } else if (Array.isArray(from)) {
      const copy: unknown[] = new Array<unknown>(from.length);
      into(copy);
      // Pushed last first, so the copy gets its items and keys in the original order.
      for (let i = from.length - 1; i >= 0; i--) {
        work.push({ from: from[i], into: (c) => (copy[i] = c) });
      }
    } else {
      const copy: Record<string, unknown> = {};
      into(copy);
      const source = from as Record<string, unknown>;
      for (const key of Object.keys(source).reverse()) {
        const renamed = has(names, key) ? names[key]! : key;
        if (renamed !== key && Object.prototype.hasOwnProperty.call(source, renamed)) continue;
        work.push({ from: source[key], into: (c) => put(copy, renamed, c) });
      }
    }
  }
  return root.value;
}

/** Whether a JSON value holds an object key of `names` at any level (no copy made). */
function holdsKey(value: unknown, names: Readonly<Record<string, string>>): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || typeof item !== 'object') continue;
    if (Array.isArray(item)) {
      for (const inner of item) stack.push(inner);
      continue;
    }
    for (const key of Object.keys(item)) {
      if (has(names, key)) return true;
      stack.push((item as Record<string, unknown>)[key]);
    }
  }
  return false;
}

/** A JSON value (a mutation, a stored record) in the current names; itself when it has none. */
export function currentNames<T>(value: T): T {
  return holdsKey(value, LEGACY_KEYS) ? (renameKeys(value, LEGACY_KEYS) as T) : value;
}

/** A JSON value in the names before the rename (what an older app reads and wrote). */
export function legacyNames(value: unknown): unknown {
  return renameKeys(value, CURRENT_KEYS);
}

/** Whether a value's canonical JSON names a key that was renamed (cheap: a text search). */
export function mentionsRenamedKey(canonicalJson: string): boolean {
  return Object.keys(CURRENT_KEYS).some((key) => canonicalJson.includes(`"${key}":`));
}

/**
 * A push body in the current names: the envelope's `vendorId` and every key of every queued
 * mutation. Anything that is not a push body is returned as it is (the envelope check then
 * answers it).
 */
export function currentPushRequest(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const request = body as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(request)) {
    if (has(LEGACY_KEYS, key)) {
      if (!Object.prototype.hasOwnProperty.call(request, LEGACY_KEYS[key]!)) {
        put(copy, LEGACY_KEYS[key]!, request[key]);
      }
    } else {
      put(copy, key, request[key]);
    }
  }
  if (Array.isArray(copy.mutations)) {
    copy.mutations = copy.mutations.map((entry: unknown) => {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry;
      const { mutation, ...rest } = entry as { mutation?: unknown };
      return 'mutation' in entry ? { ...rest, mutation: currentNames(mutation) } : entry;
    });
  }
  return copy;
}

/** Whether a pull request names the current names (MAKER_NAMES_FEATURE). */
export function readsMakerNames(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  const features = (body as { features?: unknown }).features;
  return Array.isArray(features) && features.includes(MAKER_NAMES_FEATURE);
}

interface AnyPullResponse {
  changes: { entity: string; op: string; data: unknown }[];
  [key: string]: unknown;
}

/** A pull answer in the names an app released before the rename reads. */
export function legacyPullResponse(response: AnyPullResponse): Record<string, unknown> {
  const answer = legacyNames({ ...response, changes: [] }) as Record<string, unknown>;
  answer.changes = response.changes.map((change) => ({
    ...change,
    entity: has(CURRENT_ENTITIES, change.entity) ? CURRENT_ENTITIES[change.entity] : change.entity,
    data: legacyNames(change.data),
  }));
  return answer;
}
