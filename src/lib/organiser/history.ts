/**
 * Undo and redo for the stall map editor, as plain data: a bounded list of edits done
 * (`past`, newest last) and edits undone (`future`, next to redo last). Each edit records the
 * thing it changed before and after (null: it did not exist), so undoing is "put `before`
 * back" and redoing is "put `after` back"; the editor does the putting, through the same
 * domain rules as any other edit. A new edit forgets what was undone (the usual rule of
 * every editor). Nothing here touches its inputs.
 */
import type { Landmark } from '$lib/domain/organiser/stall-map';
import type { Id, Stall } from '$lib/domain/types';

/** How many edits can be undone; older ones are forgotten. */
export const MAX_HISTORY = 100;

export interface MapSize {
  width: number;
  height: number;
}

/** One edit of the map, as its target before and after. */
export type MapEdit =
  | { kind: 'stall'; before: Stall | null; after: Stall | null }
  | { kind: 'landmark'; before: Landmark | null; after: Landmark | null }
  | { kind: 'size'; before: MapSize; after: MapSize };

export interface History<T> {
  readonly past: readonly T[];
  readonly future: readonly T[];
}

export function emptyHistory<T>(): History<T> {
  return { past: [], future: [] };
}

/** A new edit: it can be undone; whatever was undone before can no longer be redone. */
export function record<T>(history: History<T>, edit: T, limit = MAX_HISTORY): History<T> {
  const past = [...history.past, edit];
  return { past: past.slice(Math.max(0, past.length - limit)), future: [] };
}

/** The newest edit to undo and the history once it is undone; null when there is none. */
export function undo<T>(history: History<T>): { edit: T; history: History<T> } | null {
  const edit = history.past.at(-1);
  if (edit === undefined) return null;
  return {
    edit,
    history: { past: history.past.slice(0, -1), future: [...history.future, edit] },
  };
}

/** The last undone edit to do again and the history once it is redone; null when none. */
export function redo<T>(history: History<T>): { edit: T; history: History<T> } | null {
  const edit = history.future.at(-1);
  if (edit === undefined) return null;
  return {
    edit,
    history: { past: [...history.past, edit], future: history.future.slice(0, -1) },
  };
}

/**
 * An undo or redo that could not be done after all (refused now, or by the server): the edit
 * goes back where it was, whatever was recorded meanwhile. When a new edit was recorded since,
 * the redo list was emptied by it, and an undone edit that failed stays undone-able.
 */
export function stepFailed<T>(
  history: History<T>,
  edit: T,
  direction: 'undo' | 'redo',
): History<T> {
  const past = history.past.filter((e) => e !== edit);
  const future = history.future.filter((e) => e !== edit);
  return direction === 'undo'
    ? { past: [...past, edit], future }
    : { past, future: [...future, edit] };
}

/**
 * Every edit of one stall or landmark now goes by another id: a deleted stall that is put
 * back gets a new id from the server, and the edits before its deletion are about it still.
 */
export function renameTarget(
  history: History<MapEdit>,
  kind: 'stall' | 'landmark',
  from: Id,
  to: Id,
): History<MapEdit> {
  const rename = (edit: MapEdit): MapEdit => {
    if (edit.kind !== kind) return edit;
    const swap = <T extends { id: Id }>(item: T | null): T | null =>
      item && item.id === from ? { ...item, id: to } : item;
    return { ...edit, before: swap(edit.before), after: swap(edit.after) } as MapEdit;
  };
  return { past: history.past.map(rename), future: history.future.map(rename) };
}

/** What the state of an edit's target should become when the edit is undone or redone. */
export function targetOf(edit: MapEdit, direction: 'undo' | 'redo') {
  return direction === 'undo' ? edit.before : edit.after;
}

/** A key press as far as shortcuts care. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/**
 * Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo (Cmd instead of Ctrl on a Mac). The key is
 * compared without case: with Shift held, `key` is "Z".
 */
export function historyShortcut(press: KeyPress, mac: boolean): 'undo' | 'redo' | null {
  const command = mac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  if (!command || press.altKey) return null;
  const key = press.key.toLowerCase();
  if (key === 'z') return press.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !press.shiftKey) return 'redo';
  return null;
}
