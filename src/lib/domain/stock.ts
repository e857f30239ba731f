/**
 * Stock per product per event is never stored or synced as an absolute number (src/lib/sync/SPEC.md):
 * level = opening count + the sum of the signed movements (sale -q, void +q, restock +q,
 * recount +/-). A level can go negative when devices oversell offline; that is shown as
 * sold out and flagged, never refused (G7).
 */
import type { Id, StockMovement } from './types';

/** EventStock.id for an event and product. */
export function stockKey(eventId: Id, productId: Id): string {
  return `${eventId}:${productId}`;
}

function assertCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a whole number, got ${n}`);
}

export function stockLevel(
  openingCount: number,
  movements: Iterable<Pick<StockMovement, 'delta'>>,
): number {
  assertCount(openingCount, 'opening count');
  let level = openingCount;
  for (const movement of movements) {
    assertCount(movement.delta, 'movement delta');
    level += movement.delta;
  }
  return level;
}

/** Nothing left to sell (a negative level is an oversell and also sold out). */
export function isSoldOut(level: number): boolean {
  return level <= 0;
}

/**
 * The adjustment a recount records: counted - what this device believed. Synced as a
 * movement, so other devices' sales made meanwhile still count (src/lib/sync/SPEC.md push rule 7: "an
 * adjustment against what that device last knew"). Counted must be a whole number >= 0.
 */
export function recountDelta(counted: number, currentLevel: number): number {
  assertCount(counted, 'counted');
  assertCount(currentLevel, 'current level');
  if (counted < 0) throw new RangeError('counted stock cannot be negative');
  return counted - currentLevel;
}
