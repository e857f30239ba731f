import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Stall } from '$lib/domain/types';
import {
  emptyHistory,
  historyShortcut,
  MAX_HISTORY,
  record,
  redo,
  renameTarget,
  stepFailed,
  targetOf,
  undo,
  type History,
  type KeyPress,
  type MapEdit,
} from './history';

const SEED = { seed: 4242, numRuns: 200 };

function stall(id: string, x: number): Stall {
  return {
    id,
    eventId: 'ev',
    label: 'A1',
    x,
    y: 0,
    width: 2,
    height: 1,
    notes: '',
    power: false,
    table: false,
    foodHygiene: false,
  };
}

const moved = (id: string, from: number, to: number): MapEdit => ({
  kind: 'stall',
  before: stall(id, from),
  after: stall(id, to),
});

function press(key: string, mods: Partial<KeyPress> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

describe('map edit history', () => {
  it('undo gives back the newest edit, redo the last undone one, in order', () => {
    let h: History<MapEdit> = emptyHistory();
    h = record(h, moved('s', 0, 1));
    h = record(h, moved('s', 1, 2));
    const first = undo(h);
    expect(first?.edit).toEqual(moved('s', 1, 2));
    expect(targetOf(first!.edit, 'undo')).toEqual(stall('s', 1));
    const second = undo(first!.history);
    expect(second?.edit).toEqual(moved('s', 0, 1));
    expect(undo(second!.history)).toBeNull();
    const again = redo(second!.history);
    expect(again?.edit).toEqual(moved('s', 0, 1));
    expect(targetOf(again!.edit, 'redo')).toEqual(stall('s', 1));
    expect(redo(redo(again!.history)!.history)).toBeNull();
  });

  it('a new edit forgets what was undone', () => {
    let h: History<MapEdit> = record(emptyHistory(), moved('s', 0, 1));
    h = undo(h)!.history;
    expect(h.future).toHaveLength(1);
    h = record(h, moved('s', 0, 3));
    expect(h.future).toHaveLength(0);
    expect(redo(h)).toBeNull();
  });

  it(`keeps at most ${MAX_HISTORY} edits, dropping the oldest`, () => {
    let h: History<MapEdit> = emptyHistory();
    for (let i = 0; i < MAX_HISTORY + 5; i++) h = record(h, moved('s', i, i + 1));
    expect(h.past).toHaveLength(MAX_HISTORY);
    expect(h.past[0]).toEqual(moved('s', 5, 6));
  });

  it('undoing everything and redoing everything returns the same history (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }), (xs) => {
        let h: History<MapEdit> = emptyHistory();
        xs.forEach((x, i) => (h = record(h, moved(`s${i % 3}`, x, x + 1))));
        const start = h;
        let step = undo(h);
        while (step) {
          h = step.history;
          step = undo(h);
        }
        expect(h.past).toHaveLength(0);
        expect(h.future).toHaveLength(xs.length);
        step = redo(h);
        while (step) {
          h = step.history;
          step = redo(h);
        }
        expect(h).toEqual(start);
      }),
      SEED,
    );
  });

  it('never changes the history it is given', () => {
    const h = Object.freeze({
      past: Object.freeze([moved('s', 0, 1)]),
      future: Object.freeze([moved('s', 4, 5)]),
    });
    expect(() => {
      record(h, moved('s', 1, 2));
      undo(h);
      redo(h);
      renameTarget(h, 'stall', 's', 't');
    }).not.toThrow();
    expect(h.past).toEqual([moved('s', 0, 1)]);
  });

  it('a stall put back under a new id keeps its earlier edits (before and after, both lists)', () => {
    let h: History<MapEdit> = record(emptyHistory(), moved('old', 0, 1));
    h = record(h, { kind: 'stall', before: stall('old', 1), after: null });
    h = record(h, {
      kind: 'size',
      before: { width: 4, height: 4 },
      after: { width: 5, height: 4 },
    });
    h = undo(h)!.history;
    const renamed = renameTarget(h, 'stall', 'old', 'new');
    expect(renamed.past[0]).toEqual(moved('new', 0, 1));
    expect(renamed.past[1]).toEqual({ kind: 'stall', before: stall('new', 1), after: null });
    expect(renamed.future[0]).toEqual(h.future[0]);
    // Landmarks with that id are not stalls: untouched.
    const landmark: MapEdit = {
      kind: 'landmark',
      before: null,
      after: {
        id: 'old',
        eventId: 'ev',
        kind: 'entrance',
        label: '',
        x: 0,
        y: 0,
        width: 1,
        height: 1,
      },
    };
    expect(renameTarget(record(h, landmark), 'stall', 'old', 'new').past.at(-1)).toEqual(landmark);
  });
});

describe('an undo or redo that failed', () => {
  it('goes back where it was, keeping what was recorded meanwhile', () => {
    const a = moved('s', 0, 1);
    const b = moved('t', 0, 1);
    let h: History<MapEdit> = record(emptyHistory(), a);
    const step = undo(h)!;
    // While the undo waits for the server, a new edit is recorded.
    h = record(step.history, b);
    expect(stepFailed(h, a, 'undo')).toEqual({ past: [b, a], future: [] });
    const redone = redo(step.history)!;
    expect(stepFailed(redone.history, a, 'redo')).toEqual({ past: [], future: [a] });
  });
});

describe('undo and redo shortcuts', () => {
  it('Ctrl+Z undoes; Ctrl+Shift+Z and Ctrl+Y redo (not a Mac)', () => {
    expect(historyShortcut(press('z', { ctrlKey: true }), false)).toBe('undo');
    expect(historyShortcut(press('Z', { ctrlKey: true, shiftKey: true }), false)).toBe('redo');
    expect(historyShortcut(press('y', { ctrlKey: true }), false)).toBe('redo');
    expect(historyShortcut(press('z', { metaKey: true }), false)).toBeNull();
  });

  it('Cmd+Z undoes and Cmd+Shift+Z redoes on a Mac; Ctrl does nothing there', () => {
    expect(historyShortcut(press('z', { metaKey: true }), true)).toBe('undo');
    expect(historyShortcut(press('Z', { metaKey: true, shiftKey: true }), true)).toBe('redo');
    expect(historyShortcut(press('y', { metaKey: true }), true)).toBe('redo');
    expect(historyShortcut(press('z', { ctrlKey: true }), true)).toBeNull();
  });

  it('plain letters, Alt and other keys are no shortcut', () => {
    expect(historyShortcut(press('z'), false)).toBeNull();
    expect(historyShortcut(press('z', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(historyShortcut(press('x', { ctrlKey: true }), false)).toBeNull();
    expect(historyShortcut(press('Y', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
  });
});
