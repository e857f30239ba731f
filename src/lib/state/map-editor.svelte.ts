/**
 * The organiser's stall map editor as runes state: the grid, its stalls and landmarks, the
 * conflicts list, and every edit (add, move, drop, resize, details, delete).
 *
 * Every edit goes through the pure rules in $lib/domain/organiser/stall-map first: a move that
 * would make anything worse is refused on the spot (and said out loud for screen readers),
 * so only edits the domain accepts are sent. The server checks the same rules and may still
 * refuse (another organiser edited at the same time): then the item goes back to what the
 * server last accepted and the refusal is shown. So the screen never keeps what the server
 * refused, and nothing is saved that the domain forbids.
 *
 * Saves are sent one at a time per item, in order, so a burst of arrow presses arrives as
 * the same sequence of positions, and a refusal can always roll back to the last accepted one.
 *
 * Undo and redo: every accepted edit is recorded ($lib/organiser/history.ts) as its target
 * before and after; undoing puts `before` back through the same domain rules (so an undo
 * that would now overlap another stall is refused and said so, and stays undoable). A
 * deleted stall comes back as a new stall (the server hands out ids), and the page is told
 * (`onStallRestored`) so it can put its maker back too.
 */
import {
  autoLabel,
  firstFreeSpot,
  moveLandmark,
  moveStall,
  placeLandmark,
  placeStall,
  reshapeLandmark,
  reshapeStall,
  resizeStall,
  validateMap,
  validateLandmark,
  validateMapSize,
  validateStall,
  type Landmark,
  type LandmarkKind,
  type MapConflict,
  type MapSizeProblem,
  type StallProblem,
} from '$lib/domain/organiser/stall-map';
import type { Id, Stall } from '$lib/domain/types';
import { idsInConflicts, ledger, queues, sortLike } from '$lib/organiser/editor-support';
import {
  emptyHistory,
  record,
  redo,
  renameTarget,
  stepFailed,
  targetOf,
  undo,
  type History,
  type MapEdit,
} from '$lib/organiser/history';

/** How the server answered a save: ok, or refused with a code and the server's words. */
export type SaveResult = { ok: true } | { ok: false; code: string; message: string };

/** Where the editor's changes go (the organiser API in the app, a fake in tests). */
export interface MapPersistence {
  saveSize(size: { width: number; height: number }): Promise<SaveResult>;
  /** Creates a stall; the server hands out its id, so the answer carries the stored stall. */
  createStall(stall: Omit<Stall, 'id'>): Promise<CreateResult<Stall>>;
  saveStall(stall: Stall): Promise<SaveResult>;
  deleteStall(id: Id): Promise<SaveResult>;
  createLandmark(landmark: Omit<Landmark, 'id'>): Promise<CreateResult<Landmark>>;
  saveLandmark(landmark: Landmark): Promise<SaveResult>;
  deleteLandmark(id: Id): Promise<SaveResult>;
}

export type CreateResult<T> = { ok: true; item: T } | { ok: false; code: string; message: string };

export interface MapSnapshot {
  eventId: Id;
  width: number;
  height: number;
  stalls: Stall[];
  landmarks: Landmark[];
}

/** What the last edit did, for the live region and the visible status line. */
export type EditOutcome = (
  | { kind: 'moved'; label: string; column: number; row: number }
  | { kind: 'resized'; label: string; width: number; height: number }
  | { kind: 'refused'; label: string; problems: Refusal[]; resize?: boolean }
  | { kind: 'server-refused'; label: string; message: string }
  | { kind: 'added'; label: string }
  | { kind: 'deleted'; label: string }
  | { kind: 'changed'; label: string }
  | { kind: 'map-resized'; width: number; height: number }
  | { kind: 'no-room' }
) & {
  /** Set when the edit was an undo or a redo (said as such). */
  via?: 'undo' | 'redo';
  /** A landmark's kind, so its name is said in the organiser's language. */
  landmarkKind?: LandmarkKind;
};

/** One reason a move was refused: the domain's code and the stall or landmark in the way. */
export interface Refusal {
  code: string;
  label?: string;
  kind?: LandmarkKind;
}

function refusal(problem: { code: string; label?: string; kind?: LandmarkKind }): Refusal {
  const out: Refusal = { code: problem.code };
  if (problem.label !== undefined) out.label = problem.label;
  if (problem.kind !== undefined) out.kind = problem.kind;
  return out;
}

export type StallDetails = Pick<Stall, 'label' | 'notes' | 'power' | 'table' | 'foodHygiene'>;

/** Default size of a new stall: two cells wide, one deep (a market table with room behind). */
export const NEW_STALL_SIZE = { width: 2, height: 1 } as const;

export class MapEditorState {
  eventId: Id;
  width = $state(1);
  height = $state(1);
  stalls = $state.raw<Stall[]>([]);
  landmarks = $state.raw<Landmark[]>([]);
  /** The item whose details are open (a stall or a landmark id), or null. */
  openId = $state<Id | null>(null);
  outcome = $state.raw<EditOutcome | null>(null);
  /** Saves sent and not yet answered. */
  pending = $state(0);
  /** Called when an undo or redo brings back a deleted stall under its new id. */
  onStallRestored: ((oldId: Id, stall: Stall) => void | Promise<void>) | null = null;

  conflicts: MapConflict[] = $derived(
    validateMap({ width: this.width, height: this.height }, this.stalls, this.landmarks),
  );

  #persist: MapPersistence;
  /** What the server last accepted, per item id (undefined: not on the server). */
  #confirmedStalls = ledger<Stall>();
  #confirmedLandmarks = ledger<Landmark>();
  #confirmedSize = { width: 1, height: 1 };
  #queues = queues();
  #history = $state.raw<History<MapEdit>>(emptyHistory());
  /** An undo or redo in flight (a re-created stall waits for the server). */
  #travelling = $state(false);

  constructor(snapshot: MapSnapshot, persist: MapPersistence) {
    this.eventId = snapshot.eventId;
    this.#persist = persist;
    this.load(snapshot);
  }

  /** Replaces everything with what the server holds (first load, or after a reload). */
  load(snapshot: MapSnapshot): void {
    this.width = snapshot.width;
    this.height = snapshot.height;
    this.stalls = snapshot.stalls;
    this.landmarks = snapshot.landmarks;
    this.#confirmedSize = { width: snapshot.width, height: snapshot.height };
    this.#confirmedStalls = ledger(snapshot.stalls);
    this.#confirmedLandmarks = ledger(snapshot.landmarks);
  }

  get canUndo(): boolean {
    return this.#history.past.length > 0 && !this.#travelling;
  }

  get canRedo(): boolean {
    return this.#history.future.length > 0 && !this.#travelling;
  }

  #record(edit: MapEdit): void {
    this.#history = record(this.#history, edit);
  }

  get size(): { width: number; height: number } {
    return { width: this.width, height: this.height };
  }

  stall(id: Id): Stall | undefined {
    return this.stalls.find((s) => s.id === id);
  }

  landmark(id: Id): Landmark | undefined {
    return this.landmarks.find((l) => l.id === id);
  }

  /** Ids of stalls and landmarks named in a conflict, to outline them on the map. */
  conflictIds: ReadonlySet<Id> = $derived(idsInConflicts(this.conflicts));

  // ---------------------------------------------------------------------------------------
  // Stalls

  /**
   * Adds a stall at the first free place, labelled after the last one (A1, A2 ...). The
   * server hands out the id, so the stall appears once the server stored it.
   */
  async addStall(prefix?: string): Promise<Stall | null> {
    const spot = firstFreeSpot(
      this.size,
      this.stalls,
      this.landmarks,
      NEW_STALL_SIZE.width,
      NEW_STALL_SIZE.height,
    );
    if (!spot) {
      this.outcome = { kind: 'no-room' };
      return null;
    }
    const draft: Omit<Stall, 'id'> = {
      eventId: this.eventId,
      // On an empty map the first row is A (A1, A2 ...); after that the last prefix continues.
      label: autoLabel(this.stalls, prefix ?? (this.stalls.length === 0 ? 'A' : undefined)),
      ...spot,
      ...NEW_STALL_SIZE,
      notes: '',
      power: false,
      table: false,
      foodHygiene: false,
    };
    const result = await this.#creating(() => this.#persist.createStall(draft));
    if (!result.ok) {
      this.outcome = { kind: 'server-refused', label: draft.label, message: result.message };
      return null;
    }
    const stall = result.item;
    this.#confirmedStalls.set(stall.id, stall);
    this.stalls = [...this.stalls, stall];
    this.outcome = { kind: 'added', label: stall.label };
    this.#record({ kind: 'stall', before: null, after: stall });
    return stall;
  }

  /** Keyboard move by whole cells (ArrowLeft is dx = -1 in every language). */
  moveBy(id: Id, dx: number, dy: number): boolean {
    return this.#applyStall(id, moveStall(this.size, this.stalls, id, dx, dy, this.landmarks));
  }

  /** Drag and drop: top-left corner to (x, y). */
  placeAt(id: Id, x: number, y: number): boolean {
    return this.#applyStall(id, placeStall(this.size, this.stalls, id, x, y, this.landmarks));
  }

  /** Shift+arrows: grow or shrink by whole cells, top-left corner fixed. */
  resizeBy(id: Id, dw: number, dh: number): boolean {
    const stall = this.stall(id);
    if (!stall) return false;
    const result = resizeStall(
      this.size,
      this.stalls,
      id,
      stall.width + dw,
      stall.height + dh,
      this.landmarks,
    );
    return this.#applyStall(id, result, 'resized');
  }

  /** A new place and size at once (dragging an edge or a corner, or the size fields). */
  reshape(id: Id, rect: { x: number; y: number; width: number; height: number }): boolean {
    const stall = this.stall(id);
    if (!stall) return false;
    if (
      stall.x === rect.x &&
      stall.y === rect.y &&
      stall.width === rect.width &&
      stall.height === rect.height
    ) {
      return true;
    }
    const result = reshapeStall(this.size, this.stalls, id, rect, this.landmarks);
    const moved = stall.x !== rect.x || stall.y !== rect.y;
    const resized = stall.width !== rect.width || stall.height !== rect.height;
    return this.#applyStall(id, result, resized || !moved ? 'resized' : 'moved');
  }

  /** Would a drop at (x, y) be accepted? For the drag preview. */
  canPlace(id: Id, x: number, y: number): boolean {
    return placeStall(this.size, this.stalls, id, x, y, this.landmarks).ok;
  }

  /** Would this place and size be accepted? For the resize preview. */
  canReshape(id: Id, rect: { x: number; y: number; width: number; height: number }): boolean {
    return reshapeStall(this.size, this.stalls, id, rect, this.landmarks).ok;
  }

  /**
   * Label, notes and needs from the details form. Returns the problems (nothing is saved
   * when there are any), or an empty list when saved.
   */
  updateDetails(id: Id, details: StallDetails): StallProblem[] {
    const current = this.stall(id);
    if (!current) return [];
    const next: Stall = { ...current, ...details, label: details.label.trim() };
    const problems = validateStall(this.size, next, this.stalls, this.landmarks).filter(
      // Placement problems are the map's business (shown in the conflicts list); the
      // form is about the words and needs, so a stall already in conflict can still be renamed.
      (p) => ['empty-label', 'label-too-long', 'label-taken', 'notes-too-long'].includes(p.code),
    );
    if (problems.length > 0) return problems;
    if (
      (['label', 'notes', 'power', 'table', 'foodHygiene'] as const).every(
        (field) => current[field] === next[field],
      )
    ) {
      return [];
    }
    this.stalls = this.stalls.map((s) => (s.id === id ? next : s));
    this.outcome = { kind: 'changed', label: next.label };
    this.#record({ kind: 'stall', before: current, after: next });
    this.#saveStall(next);
    return [];
  }

  deleteStall(id: Id): void {
    const stall = this.stall(id);
    if (!stall) return;
    this.#record({ kind: 'stall', before: stall, after: null });
    this.#removeStall(stall);
  }

  #removeStall(stall: Stall, via?: 'undo' | 'redo'): void {
    const id = stall.id;
    this.stalls = this.stalls.filter((s) => s.id !== id);
    if (this.openId === id) this.openId = null;
    this.outcome = { kind: 'deleted', label: stall.label, ...(via ? { via } : {}) };
    this.#enqueue(`stall:${id}`, async () => {
      if (!this.#confirmedStalls.has(id)) return;
      const result = await this.#persist.deleteStall(id);
      if (result.ok) this.#confirmedStalls.delete(id);
      else this.#rollbackStall(id, result.message);
    });
  }

  #applyStall(
    id: Id,
    result: ReturnType<typeof moveStall>,
    kind: 'moved' | 'resized' = 'moved',
  ): boolean {
    const label = this.stall(id)?.label ?? '';
    if (!result.ok) {
      this.outcome = {
        kind: 'refused',
        label,
        problems: result.problems.map(refusal),
        ...(kind === 'resized' ? { resize: true } : {}),
      };
      return false;
    }
    const before = this.stall(id);
    this.stalls = result.stalls;
    const s = result.stall;
    if (before) this.#record({ kind: 'stall', before, after: s });
    this.outcome =
      kind === 'moved'
        ? { kind, label, column: s.x + 1, row: s.y + 1 }
        : { kind, label, width: s.width, height: s.height };
    this.#saveStall(s);
    return true;
  }

  #saveStall(stall: Stall): void {
    this.#enqueue(`stall:${stall.id}`, async () => {
      // The latest local version is what gets sent; a queued older one is skipped.
      const latest = this.stall(stall.id);
      if (!latest || latest !== stall) return;
      const result = await this.#persist.saveStall(stall);
      if (result.ok) this.#confirmedStalls.set(stall.id, stall);
      else this.#rollbackStall(stall.id, result.message);
    });
  }

  #rollbackStall(id: Id, message: string): void {
    const confirmed = this.#confirmedStalls.get(id);
    const label = this.stall(id)?.label ?? confirmed?.label ?? '';
    const others = this.stalls.filter((s) => s.id !== id);
    this.stalls = confirmed ? sortLike(this.stalls, [...others, confirmed]) : others;
    this.outcome = { kind: 'server-refused', label, message };
  }

  // ---------------------------------------------------------------------------------------
  // Landmarks

  async addLandmark(kind: LandmarkKind, label = ''): Promise<Landmark | null> {
    const spot = firstFreeSpot(this.size, this.stalls, this.landmarks, 1, 1);
    if (!spot) {
      this.outcome = { kind: 'no-room' };
      return null;
    }
    const draft: Omit<Landmark, 'id'> = {
      eventId: this.eventId,
      kind,
      label: label.trim(),
      ...spot,
      width: 1,
      height: 1,
    };
    const result = await this.#creating(() => this.#persist.createLandmark(draft));
    if (!result.ok) {
      this.outcome = {
        kind: 'server-refused',
        label: draft.label,
        landmarkKind: kind,
        message: result.message,
      };
      return null;
    }
    const landmark = result.item;
    this.#confirmedLandmarks.set(landmark.id, landmark);
    this.landmarks = [...this.landmarks, landmark];
    this.outcome = { kind: 'added', label: landmark.label, landmarkKind: landmark.kind };
    this.#record({ kind: 'landmark', before: null, after: landmark });
    return landmark;
  }

  moveLandmarkBy(id: Id, dx: number, dy: number): boolean {
    return this.#applyLandmark(
      id,
      moveLandmark(this.size, this.landmarks, id, dx, dy, this.stalls),
    );
  }

  placeLandmarkAt(id: Id, x: number, y: number): boolean {
    return this.#applyLandmark(id, placeLandmark(this.size, this.landmarks, id, x, y, this.stalls));
  }

  canPlaceLandmark(id: Id, x: number, y: number): boolean {
    return placeLandmark(this.size, this.landmarks, id, x, y, this.stalls).ok;
  }

  /** Kind and words of a landmark (its place is edited on the map). */
  updateLandmark(id: Id, details: Pick<Landmark, 'kind' | 'label'>): void {
    const current = this.landmark(id);
    if (!current) return;
    const next: Landmark = { ...current, kind: details.kind, label: details.label.trim() };
    if (next.kind === current.kind && next.label === current.label) return;
    this.landmarks = this.landmarks.map((l) => (l.id === id ? next : l));
    this.outcome = { kind: 'changed', label: next.label, landmarkKind: next.kind };
    this.#record({ kind: 'landmark', before: current, after: next });
    this.#saveLandmark(next);
  }

  deleteLandmark(id: Id): void {
    const landmark = this.landmark(id);
    if (!landmark) return;
    this.#record({ kind: 'landmark', before: landmark, after: null });
    this.#removeLandmark(landmark);
  }

  #removeLandmark(landmark: Landmark, via?: 'undo' | 'redo'): void {
    const id = landmark.id;
    this.landmarks = this.landmarks.filter((l) => l.id !== id);
    if (this.openId === id) this.openId = null;
    this.outcome = {
      kind: 'deleted',
      label: landmark.label,
      landmarkKind: landmark.kind,
      ...(via ? { via } : {}),
    };
    this.#enqueue(`landmark:${id}`, async () => {
      if (!this.#confirmedLandmarks.has(id)) return;
      const result = await this.#persist.deleteLandmark(id);
      if (result.ok) this.#confirmedLandmarks.delete(id);
      else this.#rollbackLandmark(id, result.message);
    });
  }

  #applyLandmark(id: Id, result: ReturnType<typeof moveLandmark>): boolean {
    const current = this.landmark(id);
    const label = current?.label ?? '';
    const landmarkKind = current?.kind ?? 'other';
    if (!result.ok) {
      this.outcome = {
        kind: 'refused',
        label,
        landmarkKind,
        problems: result.problems.map(refusal),
      };
      return false;
    }
    this.landmarks = result.landmarks;
    if (current) this.#record({ kind: 'landmark', before: current, after: result.landmark });
    this.outcome = {
      kind: 'moved',
      label,
      landmarkKind,
      column: result.landmark.x + 1,
      row: result.landmark.y + 1,
    };
    this.#saveLandmark(result.landmark);
    return true;
  }

  #saveLandmark(landmark: Landmark): void {
    this.#enqueue(`landmark:${landmark.id}`, async () => {
      const latest = this.landmark(landmark.id);
      if (!latest || latest !== landmark) return;
      const result = await this.#persist.saveLandmark(landmark);
      if (result.ok) this.#confirmedLandmarks.set(landmark.id, landmark);
      else this.#rollbackLandmark(landmark.id, result.message);
    });
  }

  #rollbackLandmark(id: Id, message: string): void {
    const confirmed = this.#confirmedLandmarks.get(id);
    const current = this.landmark(id) ?? confirmed;
    const others = this.landmarks.filter((l) => l.id !== id);
    this.landmarks = confirmed ? sortLike(this.landmarks, [...others, confirmed]) : others;
    this.outcome = {
      kind: 'server-refused',
      label: current?.label ?? '',
      ...(current ? { landmarkKind: current.kind } : {}),
      message,
    };
  }

  // ---------------------------------------------------------------------------------------
  // The grid

  /**
   * A new size for the plan. Only the size itself is checked here (1..100 cells each way):
   * stalls left off a smaller map show up in the conflicts list, to be moved back one by one.
   */
  resizeMap(width: number, height: number): MapSizeProblem[] {
    const problems = validateMapSize({ width, height });
    if (problems.length > 0) return problems;
    if (width === this.width && height === this.height) return [];
    this.#record({ kind: 'size', before: this.size, after: { width, height } });
    this.#setSize(width, height);
    this.outcome = { kind: 'map-resized', width, height };
    return [];
  }

  #setSize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.#enqueue('size', async () => {
      if (this.width !== width || this.height !== height) return;
      const result = await this.#persist.saveSize({ width, height });
      if (result.ok) this.#confirmedSize = { width, height };
      else {
        this.width = this.#confirmedSize.width;
        this.height = this.#confirmedSize.height;
        this.outcome = { kind: 'server-refused', label: '', message: result.message };
      }
    });
  }

  // ---------------------------------------------------------------------------------------
  // Undo and redo

  /** Undoes the newest edit; false when there was none or it cannot be undone now. */
  undo(): Promise<boolean> {
    return this.#travel('undo');
  }

  /** Does the last undone edit again; false when there was none or it cannot be done now. */
  redo(): Promise<boolean> {
    return this.#travel('redo');
  }

  async #travel(direction: 'undo' | 'redo'): Promise<boolean> {
    if (this.#travelling) return false;
    const step = direction === 'undo' ? undo(this.#history) : redo(this.#history);
    if (!step) return false;
    this.#travelling = true;
    // Moved at once: edits recorded while a re-created stall waits for the server are kept.
    this.#history = step.history;
    try {
      const renamed = await this.#restore(step.edit, direction);
      if (renamed === false) {
        this.#history = stepFailed(this.#history, step.edit, direction);
        return false;
      }
      if (renamed) {
        this.#history = renameTarget(this.#history, renamed.kind, renamed.from, renamed.to);
      }
      return true;
    } finally {
      this.#travelling = false;
    }
  }

  /**
   * Puts an edit's target back as it was before (undo) or after (redo). Returns false when
   * refused (nothing changed), the new id of a re-created item, or null.
   */
  async #restore(
    edit: MapEdit,
    direction: 'undo' | 'redo',
  ): Promise<false | null | { kind: 'stall' | 'landmark'; from: Id; to: Id }> {
    const via = direction;
    if (edit.kind === 'size') {
      const target = targetOf(edit, direction) as { width: number; height: number };
      this.#setSize(target.width, target.height);
      this.outcome = { kind: 'map-resized', ...target, via };
      return null;
    }
    if (edit.kind === 'stall') {
      const target = direction === 'undo' ? edit.before : edit.after;
      const other = direction === 'undo' ? edit.after : edit.before;
      const id = (target ?? other)?.id ?? '';
      const current = this.stall(id);
      if (!target) {
        if (current) this.#removeStall(current, via);
        return null;
      }
      if (!current) return this.#recreateStall(target, via);
      const result = reshapeStall(this.size, this.stalls, id, target, this.landmarks);
      const labelTaken = validateStall(this.size, target, this.stalls, this.landmarks).some(
        (p) => p.code === 'label-taken',
      );
      if (!result.ok || labelTaken) {
        this.outcome = {
          kind: 'refused',
          label: current.label,
          via,
          problems: result.ok ? [{ code: 'label-taken' }] : result.problems.map(refusal),
        };
        return false;
      }
      this.stalls = this.stalls.map((s) => (s.id === id ? target : s));
      this.outcome = { kind: 'changed', label: target.label, via };
      this.#saveStall(target);
      return null;
    }
    const target = direction === 'undo' ? edit.before : edit.after;
    const other = direction === 'undo' ? edit.after : edit.before;
    const id = (target ?? other)?.id ?? '';
    const current = this.landmark(id);
    if (!target) {
      if (current) this.#removeLandmark(current, via);
      return null;
    }
    if (!current) return this.#recreateLandmark(target, via);
    const result = reshapeLandmark(this.size, this.landmarks, id, target, this.stalls);
    if (!result.ok) {
      this.outcome = {
        kind: 'refused',
        label: current.label,
        landmarkKind: current.kind,
        via,
        problems: result.problems.map(refusal),
      };
      return false;
    }
    this.landmarks = this.landmarks.map((l) => (l.id === id ? target : l));
    this.outcome = { kind: 'changed', label: target.label, landmarkKind: target.kind, via };
    this.#saveLandmark(target);
    return null;
  }

  async #recreateStall(
    target: Stall,
    via: 'undo' | 'redo',
  ): Promise<false | { kind: 'stall'; from: Id; to: Id }> {
    const problems = validateStall(this.size, target, this.stalls, this.landmarks);
    if (problems.length > 0) {
      this.outcome = { kind: 'refused', label: target.label, via, problems: problems.map(refusal) };
      return false;
    }
    const { id: _old, ...draft } = target;
    void _old;
    const result = await this.#creating(() => this.#persist.createStall(draft));
    if (!result.ok) {
      this.outcome = { kind: 'server-refused', label: target.label, message: result.message };
      return false;
    }
    const stall = result.item;
    this.#confirmedStalls.set(stall.id, stall);
    this.stalls = [...this.stalls, stall];
    this.outcome = { kind: 'added', label: stall.label, via };
    await this.onStallRestored?.(target.id, stall);
    return { kind: 'stall', from: target.id, to: stall.id };
  }

  async #recreateLandmark(
    target: Landmark,
    via: 'undo' | 'redo',
  ): Promise<false | { kind: 'landmark'; from: Id; to: Id }> {
    const problems = validateLandmark(this.size, target, this.stalls, this.landmarks);
    if (problems.length > 0) {
      this.outcome = {
        kind: 'refused',
        label: target.label,
        landmarkKind: target.kind,
        via,
        problems: problems.map(refusal),
      };
      return false;
    }
    const { id: _old, ...draft } = target;
    void _old;
    const result = await this.#creating(() => this.#persist.createLandmark(draft));
    if (!result.ok) {
      this.outcome = {
        kind: 'server-refused',
        label: target.label,
        landmarkKind: target.kind,
        message: result.message,
      };
      return false;
    }
    const landmark = result.item;
    this.#confirmedLandmarks.set(landmark.id, landmark);
    this.landmarks = [...this.landmarks, landmark];
    this.outcome = { kind: 'added', label: landmark.label, landmarkKind: landmark.kind, via };
    return { kind: 'landmark', from: target.id, to: landmark.id };
  }

  /**
   * Runs a create while counting it as pending; a thrown error is a refusal. Every save sent
   * before it is answered first, so the server holds what this editor checked the create
   * against: a redo of "A3 added" right after its undo must not reach the server while the
   * old A3's delete is still on its way (the server would refuse the label as taken).
   */
  async #creating<T>(create: () => Promise<CreateResult<T>>): Promise<CreateResult<T>> {
    this.pending++;
    try {
      await this.settled();
      return await create();
    } catch (error) {
      return { ok: false, code: 'network', message: error instanceof Error ? error.message : '' };
    } finally {
      this.pending--;
    }
  }

  /** Resolves when every save sent so far was answered (tests, and before leaving). */
  async settled(): Promise<void> {
    while (this.#queues.size > 0) await Promise.all([...this.#queues.values()]);
  }

  #enqueue(key: string, task: () => Promise<void>): void {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    this.pending++;
    const next = previous
      .then(task)
      .catch((error: unknown) => {
        // A network failure is a refusal too: roll back, never keep an unsaved edit as saved.
        const message = error instanceof Error ? error.message : String(error);
        if (key.startsWith('stall:')) this.#rollbackStall(key.slice(6), message);
        else if (key.startsWith('landmark:')) this.#rollbackLandmark(key.slice(9), message);
        else {
          this.width = this.#confirmedSize.width;
          this.height = this.#confirmedSize.height;
          this.outcome = { kind: 'server-refused', label: '', message };
        }
      })
      .finally(() => {
        this.pending--;
        if (this.#queues.get(key) === next) this.#queues.delete(key);
      });
    this.#queues.set(key, next);
  }
}
