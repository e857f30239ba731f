import { describe, expect, it } from 'vitest';
import type { Landmark } from '$lib/domain/organiser/stall-map';
import type { Id, Stall } from '$lib/domain/types';
import {
  MapEditorState,
  type CreateResult,
  type MapPersistence,
  type SaveResult,
} from './map-editor.svelte';

const EVENT = '0190a000-0000-7000-8000-000000000001';

function stall(id: string, label: string, x: number, y: number, width = 2, height = 1): Stall {
  return {
    id,
    eventId: EVENT,
    label,
    x,
    y,
    width,
    height,
    notes: '',
    power: false,
    table: false,
    foodHygiene: false,
  };
}

/** A server twin: stores what it accepted, refuses what `refuse` says, counts calls. */
class FakeServer implements MapPersistence {
  stalls = new Map<Id, Stall>();
  landmarks = new Map<Id, Landmark>();
  size = { width: 12, height: 8 };
  calls: string[] = [];
  refuse: ((what: string) => boolean) | null = null;
  #next = 100;
  #gate: Promise<void> | null = null;
  #open: () => void = () => undefined;

  /** Holds every answer until release() (to test bursts of edits in flight). */
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }
  release(): void {
    this.#open();
    this.#gate = null;
  }

  async #answer(what: string, apply: () => void): Promise<SaveResult> {
    this.calls.push(what);
    if (this.#gate) await this.#gate;
    if (this.refuse?.(what)) return { ok: false, code: 'stall_invalid', message: 'refused' };
    apply();
    return { ok: true };
  }
  saveSize(size: { width: number; height: number }) {
    return this.#answer(`size ${size.width}x${size.height}`, () => (this.size = size));
  }
  async createStall(s: Omit<Stall, 'id'>): Promise<CreateResult<Stall>> {
    const created = { ...s, id: `0190a000-0000-7000-8000-000000000${this.#next++}` };
    // Like the real server: a label another stored stall has is refused.
    let taken = false;
    const r = await this.#answer(`create ${s.label}`, () => {
      taken = [...this.stalls.values()].some((other) => other.label === s.label);
      if (!taken) this.stalls.set(created.id, created);
    });
    if (taken) return { ok: false, code: 'stall_invalid', message: 'label taken' };
    return r.ok ? { ok: true, item: created } : r;
  }
  saveStall(s: Stall) {
    return this.#answer(`save ${s.label} ${s.x},${s.y} ${s.width}x${s.height}`, () =>
      this.stalls.set(s.id, s),
    );
  }
  async deleteStall(id: Id) {
    // A slow network: a delete can still be on its way when the next request leaves.
    if (this.#deletesHeld) await this.#deletesHeld;
    return this.#answer(`delete ${id}`, () => this.stalls.delete(id));
  }
  #deletesHeld: Promise<void> | null = null;
  #openDeletes: () => void = () => undefined;
  holdDeletes(): void {
    this.#deletesHeld = new Promise((resolve) => (this.#openDeletes = resolve));
  }
  releaseDeletes(): void {
    this.#openDeletes();
    this.#deletesHeld = null;
  }
  async createLandmark(l: Omit<Landmark, 'id'>): Promise<CreateResult<Landmark>> {
    const created = { ...l, id: `0190a000-0000-7000-8000-000000000${this.#next++}` };
    const r = await this.#answer(`create ${l.kind}`, () => this.landmarks.set(created.id, created));
    return r.ok ? { ok: true, item: created } : r;
  }
  saveLandmark(l: Landmark) {
    return this.#answer(`save ${l.kind} ${l.x},${l.y}`, () => this.landmarks.set(l.id, l));
  }
  deleteLandmark(id: Id) {
    return this.#answer(`delete ${id}`, () => this.landmarks.delete(id));
  }
}

function editor(stalls: Stall[] = [], landmarks: Landmark[] = []) {
  const server = new FakeServer();
  for (const s of stalls) server.stalls.set(s.id, s);
  const state = new MapEditorState(
    { eventId: EVENT, width: 12, height: 8, stalls, landmarks },
    server,
  );
  return { server, state };
}

describe('map editor state', () => {
  it('[M7][M8] adds stalls at the first free spot, A1 first, then the next label, once the server stored them', async () => {
    const { server, state } = editor();
    const a = await state.addStall();
    const b = await state.addStall();
    expect([a?.label, a?.x, a?.y]).toEqual(['A1', 0, 0]);
    expect([b?.label, b?.x, b?.y]).toEqual(['A2', 2, 0]);
    expect(state.stalls.map((s) => s.label)).toEqual(['A1', 'A2']);
    expect(server.calls).toEqual(['create A1', 'create A2']);
  });

  it('[M4] an arrow move onto another stall is refused on the spot and nothing is sent', async () => {
    const { server, state } = editor([stall('a', 'A1', 0, 0), stall('b', 'A2', 2, 0)]);
    expect(state.moveBy('a', 1, 0)).toBe(false);
    expect(state.outcome).toMatchObject({
      kind: 'refused',
      problems: [{ code: 'overlaps', label: 'A2' }],
    });
    expect(state.stall('a')).toMatchObject({ x: 0, y: 0 });
    await state.settled();
    expect(server.calls).toEqual([]);
  });

  it('[M1] ArrowLeft is dx = -1 (the plan is never mirrored); moves off the map are refused', async () => {
    const { server, state } = editor([stall('a', 'A1', 1, 0)]);
    expect(state.moveBy('a', -1, 0)).toBe(true);
    expect(state.stall('a')).toMatchObject({ x: 0 });
    expect(state.moveBy('a', -1, 0)).toBe(false);
    expect(state.outcome).toMatchObject({ kind: 'refused', problems: [{ code: 'off-map' }] });
    await state.settled();
    expect(server.calls).toEqual(['save A1 0,0 2x1']);
  });

  it('a burst of moves is sent in order; the server ends where the screen ends', async () => {
    const { server, state } = editor([stall('a', 'A1', 0, 0)]);
    server.hold();
    state.moveBy('a', 1, 0);
    // Let the first save go out (and wait for its answer) before the next presses.
    await new Promise((resolve) => setTimeout(resolve, 0));
    state.moveBy('a', 1, 0);
    state.moveBy('a', 0, 1);
    expect(state.pending).toBe(3);
    server.release();
    await state.settled();
    expect(state.pending).toBe(0);
    // Queued positions that were already overtaken are skipped, never sent out of order.
    expect(server.calls).toEqual(['save A1 1,0 2x1', 'save A1 2,1 2x1']);
    expect(server.stalls.get('a')).toMatchObject({ x: 2, y: 1 });
  });

  it('a move the server refuses goes back to the last place the server accepted', async () => {
    const { server, state } = editor([stall('a', 'A1', 0, 0)]);
    server.refuse = (what) => what.startsWith('save A1 0,1');
    state.moveBy('a', 1, 0);
    await state.settled();
    state.moveBy('a', -1, 1);
    await state.settled();
    expect(state.stall('a')).toMatchObject({ x: 1, y: 0 });
    expect(state.outcome).toMatchObject({ kind: 'server-refused', label: 'A1' });
  });

  it('a network failure is a refusal too: nothing unsaved stays on screen as saved', async () => {
    const { server, state } = editor([stall('a', 'A1', 0, 0)]);
    server.saveStall = () => Promise.reject(new Error('offline'));
    state.moveBy('a', 0, 2);
    await state.settled();
    expect(state.stall('a')).toMatchObject({ x: 0, y: 0 });
    expect(state.outcome).toMatchObject({ kind: 'server-refused', message: 'offline' });
  });

  it('[M4] shift+arrows resize with the top-left corner fixed; a resize into a landmark is refused', async () => {
    const entrance: Landmark = {
      id: 'l',
      eventId: EVENT,
      kind: 'entrance',
      label: '',
      x: 2,
      y: 0,
      width: 1,
      height: 1,
    };
    const { state } = editor([stall('a', 'A1', 0, 0)], [entrance]);
    expect(state.resizeBy('a', 0, 1)).toBe(true);
    expect(state.stall('a')).toMatchObject({ x: 0, y: 0, width: 2, height: 2 });
    expect(state.resizeBy('a', 1, 0)).toBe(false);
    expect(state.outcome).toMatchObject({
      kind: 'refused',
      problems: [{ code: 'covers-landmark', label: '', kind: 'entrance' }],
    });
    expect(state.resizeBy('a', -2, 0)).toBe(false);
    expect(state.outcome).toMatchObject({ kind: 'refused', problems: [{ code: 'too-small' }] });
    await state.settled();
  });

  it('[M6] a shrunk map lists the stall now off the map; walking it back one cell at a time clears it', async () => {
    const { state } = editor([stall('a', 'A1', 9, 0)]);
    expect(state.resizeMap(10, 8)).toEqual([]);
    expect(state.conflicts).toEqual([{ code: 'stall-off-map', stallId: 'a', label: 'A1' }]);
    expect(state.conflictIds.has('a')).toBe(true);
    expect(state.moveBy('a', -1, 0)).toBe(true);
    expect(state.conflicts).toEqual([]);
    expect(state.resizeMap(0, 8)).toEqual(['too-small']);
    await state.settled();
  });

  it('[M3] details: a taken label is refused (case ignored) and nothing is sent', async () => {
    const { server, state } = editor([stall('a', 'A1', 0, 0), stall('b', 'A2', 2, 0)]);
    const problems = state.updateDetails('b', {
      label: 'a1',
      notes: '',
      power: true,
      table: false,
      foodHygiene: false,
    });
    expect(problems).toEqual([{ code: 'label-taken', stallId: 'a', label: 'A1' }]);
    expect(
      state.updateDetails('b', {
        label: ' B1 ',
        notes: 'hoek',
        power: true,
        table: true,
        foodHygiene: false,
      }),
    ).toEqual([]);
    await state.settled();
    expect(server.stalls.get('b')).toMatchObject({ label: 'B1', power: true, notes: 'hoek' });
    expect(server.calls).toEqual(['save B1 2,0 2x1']);
  });

  it('[M9] landmarks follow the same rules: a drop onto a stall is refused', async () => {
    const { state } = editor([stall('a', 'A1', 0, 0)]);
    const entrance = await state.addLandmark('entrance', 'Ingang');
    expect(entrance).toMatchObject({ x: 2, y: 0 });
    expect(state.canPlaceLandmark(entrance?.id ?? '', 1, 0)).toBe(false);
    expect(state.placeLandmarkAt(entrance?.id ?? '', 5, 7)).toBe(true);
    await state.settled();
  });

  it('deleting a stall removes it at once and on the server; a refused delete brings it back', async () => {
    const { server, state } = editor([stall('a', 'A1', 0, 0), stall('b', 'A2', 2, 0)]);
    state.deleteStall('a');
    await state.settled();
    expect(server.stalls.has('a')).toBe(false);
    server.refuse = (what) => what.startsWith('delete');
    state.deleteStall('b');
    expect(state.stalls).toEqual([]);
    await state.settled();
    expect(state.stalls.map((s) => s.label)).toEqual(['A2']);
  });

  it('undo and redo walk every kind of edit back and forth, and the server follows', async () => {
    const { server, state } = editor([stall('a', 'A1', 0, 0)]);
    expect(state.canUndo).toBe(false);
    state.moveBy('a', 1, 0);
    state.resizeBy('a', 1, 0);
    state.updateDetails('a', {
      label: 'B7',
      notes: '',
      power: true,
      table: false,
      foodHygiene: false,
    });
    state.resizeMap(14, 8);
    const mark = await state.addLandmark('water');
    state.moveLandmarkBy(mark?.id ?? '', 0, 1);
    await state.settled();
    expect(state.canUndo).toBe(true);

    for (let i = 0; i < 6; i++) expect(await state.undo()).toBe(true);
    expect(await state.undo()).toBe(false);
    await state.settled();
    expect(state.stall('a')).toEqual(stall('a', 'A1', 0, 0));
    expect(state.size).toEqual({ width: 12, height: 8 });
    expect(state.landmarks).toEqual([]);
    expect(server.stalls.get('a')).toEqual(stall('a', 'A1', 0, 0));
    expect(server.size).toEqual({ width: 12, height: 8 });
    expect(server.landmarks.size).toBe(0);
    expect(state.outcome).toMatchObject({ kind: 'changed', label: 'A1', via: 'undo' });

    for (let i = 0; i < 6; i++) expect(await state.redo()).toBe(true);
    expect(await state.redo()).toBe(false);
    await state.settled();
    expect(state.stall('a')).toMatchObject({ label: 'B7', x: 1, width: 3, power: true });
    expect(state.size).toEqual({ width: 14, height: 8 });
    expect(state.landmarks).toMatchObject([{ kind: 'water', y: 1 }]);
    expect([...server.landmarks.values()]).toMatchObject([{ kind: 'water', y: 1 }]);
  });

  it('undoing a deletion brings the stall back (a new id from the server) and tells the page; redo deletes it again', async () => {
    const { server, state } = editor([stall('a', 'A1', 0, 0), stall('b', 'A2', 2, 0)]);
    const restored: [string, string][] = [];
    state.onStallRestored = (oldId, s) => {
      restored.push([oldId, s.label]);
    };
    state.moveBy('a', 0, 1);
    state.deleteStall('a');
    await state.settled();
    expect(server.stalls.has('a')).toBe(false);
    expect(await state.undo()).toBe(true);
    const back = state.stalls.find((s) => s.label === 'A1');
    expect(back).toMatchObject({ x: 0, y: 1 });
    expect(back?.id).not.toBe('a');
    expect(server.stalls.get(back?.id ?? '')).toMatchObject({ label: 'A1', y: 1 });
    expect(restored).toEqual([['a', 'A1']]);
    expect(state.outcome).toMatchObject({ kind: 'added', label: 'A1', via: 'undo' });
    // The move before the deletion is about the new stall now.
    expect(await state.undo()).toBe(true);
    await state.settled();
    expect(server.stalls.get(back?.id ?? '')).toMatchObject({ y: 0 });
    expect(await state.redo()).toBe(true);
    expect(await state.redo()).toBe(true);
    await state.settled();
    expect(state.stalls.map((s) => s.label)).toEqual(['A2']);
    expect(server.stalls.size).toBe(1);
  });

  it('undoing an added stall deletes it; a new edit after an undo forgets the redo', async () => {
    const { server, state } = editor([stall('a', 'A1', 0, 0)]);
    await state.addStall();
    expect(await state.undo()).toBe(true);
    await state.settled();
    expect(state.stalls.map((s) => s.label)).toEqual(['A1']);
    expect(server.stalls.size).toBe(1);
    expect(state.canRedo).toBe(true);
    state.moveBy('a', 3, 0);
    expect(state.canRedo).toBe(false);
    expect(await state.redo()).toBe(false);
    await state.settled();
  });

  it('a redo that would overlap a stall added since is refused and said so', async () => {
    const { state } = editor([stall('a', 'A1', 0, 0)]);
    state.moveBy('a', 0, 2);
    expect(await state.undo()).toBe(true);
    expect(state.stall('a')).toMatchObject({ y: 0 });
    // Another organiser's stall arrives where the move went (a reload shows it).
    state.load({
      eventId: EVENT,
      width: 12,
      height: 8,
      stalls: [stall('a', 'A1', 0, 0), stall('z', 'Z1', 0, 2)],
      landmarks: [],
    });
    expect(await state.redo()).toBe(false);
    expect(state.outcome).toMatchObject({
      kind: 'refused',
      label: 'A1',
      via: 'redo',
      problems: [{ code: 'overlaps', label: 'Z1' }],
    });
    expect(state.stall('a')).toMatchObject({ y: 0 });
    expect(state.canRedo).toBe(true);
    await state.settled();
  });

  it('a redo right after its undo waits until the undo reached the server (the old A2 is deleted before the new A2 is created)', async () => {
    const { server, state } = editor([stall('a', 'A1', 0, 0)]);
    await state.addStall();
    server.holdDeletes();
    expect(await state.undo()).toBe(true);
    expect(state.stalls.map((s) => s.label)).toEqual(['A1']);
    const redoing = state.redo();
    await new Promise((resolve) => setTimeout(resolve, 5));
    server.releaseDeletes();
    expect(await redoing).toBe(true);
    expect(state.outcome).toMatchObject({ kind: 'added', label: 'A2', via: 'redo' });
    await state.settled();
    expect(state.stalls.map((s) => s.label)).toEqual(['A1', 'A2']);
    expect([...server.stalls.values()].map((s) => s.label).sort()).toEqual(['A1', 'A2']);
  });

  it('an edit made while an undo waits for the server is kept, and can be undone next', async () => {
    const { server, state } = editor([stall('a', 'A1', 0, 0), stall('b', 'A2', 4, 0)]);
    state.deleteStall('a');
    await state.settled();
    server.hold();
    const undoing = state.undo();
    state.deleteStall('b');
    server.release();
    expect(await undoing).toBe(true);
    await state.settled();
    expect(state.stalls.map((s) => s.label)).toEqual(['A1']);
    expect(await state.undo()).toBe(true);
    await state.settled();
    expect(state.stalls.map((s) => s.label).sort()).toEqual(['A1', 'A2']);
  });
});
