// A mutation's fingerprint: SHA-256 of its canonical JSON (object keys sorted at every
// level). A replayed sequence number must carry the same fingerprint to count as a
// duplicate; different content under an old number means the device's sequence restarted
// (its data was lost) and is reported as a gap instead of being swallowed [G3].
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // JSON.stringify(undefined) is undefined; inside JSON input it can only be absent.
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function mutationHash(mutation: unknown): string {
  return createHash('sha256').update(canonicalJson(mutation)).digest('hex');
}
