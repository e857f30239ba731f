/**
 * Stock per product per event is never stored or synced as an absolute number (src/lib/sync/SPEC.md):
 * level = opening count + the sum of the signed movements (sale -q, void +q, restock +q,
 * recount +/-). A level goes negative when a sale goes beyond the stock (confirmed at the
 * till, or devices selling offline); that is shown as "sold beyond stock" and flagged, never
 * refused (G7).
 */
import { normalizeDigits } from './money';
import type { EventStock, Id, StockMovement } from './types';

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

// The till never refuses a sale for stock (src/lib/sync/SPEC.md G7): selling a product whose
// kept stock has run out only asks the maker to confirm, once per product per cart. What a
// tile says and when the till asks follow.

/** How much of a product was brought in at an event: the opening count plus every restock. */
export function stockedIn(
  openingCount: number,
  movements: Iterable<Pick<StockMovement, 'kind' | 'delta'>>,
): number {
  assertCount(openingCount, 'opening count');
  let total = openingCount;
  for (const movement of movements) {
    assertCount(movement.delta, 'movement delta');
    if (movement.kind === 'restock') total += movement.delta;
  }
  return total;
}

/** Opening count + restocks of each product whose stock is kept (by product id). */
export function stockedInByProduct(
  rows: readonly Pick<EventStock, 'productId' | 'openingCount'>[],
  movements: readonly Pick<StockMovement, 'productId' | 'kind' | 'delta'>[],
): Record<Id, number> {
  const restocked = new Map<Id, number>();
  for (const m of movements) {
    assertCount(m.delta, 'movement delta');
    if (m.kind === 'restock')
      restocked.set(m.productId, (restocked.get(m.productId) ?? 0) + m.delta);
  }
  const result: Record<Id, number> = {};
  for (const row of rows) {
    result[row.productId] = row.openingCount + (restocked.get(row.productId) ?? 0);
  }
  return result;
}

/** What a tile or the product list says about a product whose stock is kept. */
export type StockState =
  /** `left` of `of` are still to be sold (the cart's items already taken off). */
  | { kind: 'left'; left: number; of: number }
  /** Stock remains, but every remaining item is in the cart: not sold out until it is sold. */
  | { kind: 'all-in-cart'; inCart: number }
  /** Nothing left (level 0). */
  | { kind: 'sold-out' }
  /** Sold below zero: `beyond` items were sold beyond the stock (a negative level). */
  | { kind: 'oversold'; beyond: number };

/**
 * The state shown for a level, the stock brought in and what the cart holds. Only a sale
 * that is completed makes a product sold out: a tile whose last item is in the cart says so,
 * not "sold out".
 */
export function stockState(level: number, of: number, inCart: number): StockState {
  assertCount(level, 'level');
  assertCount(of, 'stocked in');
  assertCount(inCart, 'in cart');
  if (inCart < 0) throw new RangeError('in cart cannot be negative');
  if (level < 0) return { kind: 'oversold', beyond: -level };
  if (level === 0) return { kind: 'sold-out' };
  if (inCart >= level) return { kind: 'all-in-cart', inCart };
  return { kind: 'left', left: level - inCart, of: Math.max(of, level) };
}

/**
 * Whether adding one more of a product to the cart sells beyond its kept stock, so the till
 * asks first (unless the maker already confirmed it for this product in this cart).
 * `level` is null when stock is not kept: never asked.
 */
export function needsOversellConfirmation(
  level: number | null,
  inCart: number,
  confirmed: boolean,
): boolean {
  if (level === null || confirmed) return false;
  assertCount(level, 'level');
  assertCount(inCart, 'in cart');
  return inCart + 1 > level;
}

/**
 * True when a sale's movements take a kept stock below zero: the sale is flagged 'oversell'
 * on the device, by the same rule the server flags it on push (src/lib/server/sync/batch-apply.ts).
 * `levels` holds the levels before the sale, by stock key; products without a row are not kept.
 */
export function oversells(
  levels: ReadonlyMap<string, number>,
  movements: readonly Pick<StockMovement, 'eventId' | 'productId' | 'kind' | 'delta'>[],
): boolean {
  const after = new Map(levels);
  let oversold = false;
  for (const m of movements) {
    const key = stockKey(m.eventId, m.productId);
    const level = after.get(key);
    if (level === undefined) continue;
    after.set(key, level + m.delta);
    if (m.kind === 'sale' && level + m.delta < 0) oversold = true;
  }
  return oversold;
}

/** Items sold beyond stock over an event's stock rows (sum of the negative levels). */
export function soldBeyondStock(rows: Iterable<{ level: number }>): number {
  let beyond = 0;
  for (const row of rows) if (row.level < 0) beyond -= row.level;
  return beyond;
}

/** The largest restock one action records (the protocol bounds a movement's delta). */
export const MAX_RESTOCK = 1_000_000;

export type RestockError = 'not-whole' | 'too-small' | 'too-large';

/**
 * Reads a restock quantity as typed: a whole number from 1 to MAX_RESTOCK, in Western,
 * Arabic-Indic or Persian digits (as the product form's stock field reads them).
 */
export function parseRestock(
  text: string,
): { ok: true; quantity: number } | { ok: false; error: RestockError } {
  const trimmed = normalizeDigits(text).trim();
  if (!/^\d+$/.test(trimmed)) return { ok: false, error: 'not-whole' };
  const quantity = Number(trimmed);
  if (quantity < 1) return { ok: false, error: 'too-small' };
  if (quantity > MAX_RESTOCK) return { ok: false, error: 'too-large' };
  return { ok: true, quantity };
}

/** Running low (3 or fewer left), all in the cart, sold out or beyond: the tile offers a restock. */
export const LOW_STOCK = 3;

export function restockSuggested(state: StockState | null): boolean {
  if (state === null) return false;
  return state.kind !== 'left' || state.left <= LOW_STOCK;
}
