// Per-device ordering [G3]: which mutations of a push are replays, which apply now, and
// where a gap stops the batch. Pure, so every case is easy to test.

export interface SequencedEntry {
  seq: number;
  hash: string;
  /**
   * The fingerprint of the same mutation in the names before the rename, when it has one
   * (src/lib/sync/legacy-names.ts): a number applied before the server was updated and sent
   * again after it is still a duplicate, not a gap.
   */
  legacyHash?: () => string;
}

export type SequenceStep<E extends SequencedEntry> =
  { kind: 'duplicate'; entry: E } | { kind: 'apply'; entry: E };

export interface SequencePlan<E extends SequencedEntry> {
  steps: SequenceStep<E>[];
  /** The last sequence number applied once these steps commit. */
  lastApplied: number;
  gap?: { expected: number; received: number };
}

/**
 * Walks the entries in the order sent, starting after `lastApplied`:
 *   seq <= last, same content as logged     -> duplicate (nothing changes) [G2]
 *   seq <= last, different content          -> gap (the device's sequence restarted)
 *   seq == last + 1                         -> apply
 *   seq >  last + 1                         -> gap: stop, nothing past it
 * `logged` holds the fingerprints of already applied numbers (those the server still has).
 */
export function planSequence<E extends SequencedEntry>(
  entries: readonly E[],
  lastApplied: number,
  logged: ReadonlyMap<number, string>,
): SequencePlan<E> {
  const steps: SequenceStep<E>[] = [];
  const inBatch = new Map<number, string>();
  let last = lastApplied;
  for (const entry of entries) {
    if (entry.seq <= last) {
      const known = inBatch.get(entry.seq) ?? logged.get(entry.seq);
      if (known !== undefined && known !== entry.hash && known !== entry.legacyHash?.()) {
        return { steps, lastApplied: last, gap: { expected: last + 1, received: entry.seq } };
      }
      steps.push({ kind: 'duplicate', entry });
      continue;
    }
    if (entry.seq !== last + 1) {
      return { steps, lastApplied: last, gap: { expected: last + 1, received: entry.seq } };
    }
    steps.push({ kind: 'apply', entry });
    inBatch.set(entry.seq, entry.hash);
    last = entry.seq;
  }
  return { steps, lastApplied: last };
}
