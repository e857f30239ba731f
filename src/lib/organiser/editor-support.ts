/**
 * Plain helpers for the organiser's runes state. They live in a plain module on purpose: the
 * maps and sets here are bookkeeping or throw-away results, never state a screen reacts to.
 */
import type { MapConflict } from '$lib/domain/organiser/stall-map';
import type { Id } from '$lib/domain/types';

/** A by-id record of what the server last accepted (not reactive: never shown). */
export function ledger<T extends { id: Id }>(items: readonly T[] = []): Map<Id, T> {
  return new Map(items.map((item) => [item.id, item]));
}

/** Saves waiting or in flight, per item key (not reactive: the state counts them itself). */
export function queues(): Map<string, Promise<void>> {
  return new Map();
}

/** Keeps the original order of items (so focus and tab order do not jump on a rollback). */
export function sortLike<T extends { id: Id }>(order: readonly T[], items: T[]): T[] {
  const position = new Map(order.map((item, i) => [item.id, i]));
  return items.sort((a, b) => (position.get(a.id) ?? Infinity) - (position.get(b.id) ?? Infinity));
}

/** Ids of the stalls and landmarks a conflict names, to outline them on the map. */
export function idsInConflicts(conflicts: readonly MapConflict[]): ReadonlySet<Id> {
  const ids = new Set<Id>();
  for (const c of conflicts) {
    if ('stallId' in c) ids.add(c.stallId);
    if ('landmarkId' in c) ids.add(c.landmarkId);
    if (c.code === 'duplicate-label') c.stallIds.forEach((id) => ids.add(id));
    if (c.code === 'stalls-overlap') c.stalls.forEach((s) => ids.add(s.stallId));
    if (c.code === 'landmarks-overlap') c.landmarks.forEach((l) => ids.add(l.landmarkId));
    if (c.code === 'stall-covers-landmark') {
      ids.add(c.stall.stallId);
      ids.add(c.landmark.landmarkId);
    }
  }
  return ids;
}

/** Those of `all` whose id is not in `taken`. */
export function without<T>(all: readonly T[], idOf: (item: T) => Id, taken: readonly Id[]): T[] {
  const skip = new Set(taken);
  return all.filter((item) => !skip.has(idOf(item)));
}
