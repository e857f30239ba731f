import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Stall } from '../types';
import {
  autoLabel,
  firstFreeSpot,
  insideMap,
  moveLandmark,
  moveStall,
  overlaps,
  placeLandmark,
  placeStall,
  reshapeLandmark,
  reshapeStall,
  resizeStall,
  sharedCells,
  stallAt,
  validateLandmark,
  validateMap,
  validateMapSize,
  validateStall,
  type Landmark,
} from './stall-map';

const SEED = { seed: 7331, numRuns: 300 };
const MAP = { eventId: 'ev', width: 10, height: 6 };

function stall(id: string, label: string, x: number, y: number, width = 2, height = 2): Stall {
  return {
    id,
    eventId: 'ev',
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

function landmark(id: string, x: number, y: number, width = 1, height = 1): Landmark {
  return { id, eventId: 'ev', kind: 'entrance', label: 'Ingang', x, y, width, height };
}

const rect = fc.record({
  x: fc.integer({ min: -5, max: 15 }),
  y: fc.integer({ min: -5, max: 15 }),
  width: fc.integer({ min: 1, max: 6 }),
  height: fc.integer({ min: 1, max: 6 }),
});

describe('geometry', () => {
  it('[M1] touching edges do not overlap; sharing a cell does', () => {
    const a = { x: 0, y: 0, width: 2, height: 2 };
    expect(overlaps(a, { x: 2, y: 0, width: 2, height: 2 })).toBe(false);
    expect(overlaps(a, { x: 0, y: 2, width: 2, height: 2 })).toBe(false);
    expect(overlaps(a, { x: 1, y: 1, width: 2, height: 2 })).toBe(true);
    expect(sharedCells(a, { x: 1, y: 1, width: 2, height: 2 })).toBe(1);
  });

  it('[M1] overlap is symmetric, and the same as sharing a cell by brute force', () => {
    fc.assert(
      fc.property(rect, rect, (a, b) => {
        const cells = (r: typeof a) => {
          const set = new Set<string>();
          for (let x = r.x; x < r.x + r.width; x++) {
            for (let y = r.y; y < r.y + r.height; y++) set.add(`${x},${y}`);
          }
          return set;
        };
        const ca = cells(a);
        const shared = [...cells(b)].filter((c) => ca.has(c)).length;
        expect(sharedCells(a, b)).toBe(shared);
        expect(overlaps(a, b)).toBe(shared > 0);
        expect(overlaps(b, a)).toBe(overlaps(a, b));
      }),
      SEED,
    );
  });

  it('[M1] insideMap means every cell is on the map', () => {
    expect(insideMap(MAP, { x: 8, y: 4, width: 2, height: 2 })).toBe(true);
    expect(insideMap(MAP, { x: 9, y: 4, width: 2, height: 2 })).toBe(false);
    expect(insideMap(MAP, { x: -1, y: 0, width: 1, height: 1 })).toBe(false);
  });

  it('[M2] the map is 1..100 whole cells each way', () => {
    expect(validateMapSize({ width: 10, height: 6 })).toEqual([]);
    expect(validateMapSize({ width: 0, height: 101 })).toEqual(['too-small', 'too-large']);
    expect(validateMapSize({ width: 2.5, height: 3 })).toEqual(['not-whole-cells']);
  });
});

describe('validateStall', () => {
  const others = [stall('b', 'B1', 4, 0), stall('a', 'A1', 0, 0)];

  it('[M3] a good stall has no problems; the stall itself in `others` is skipped', () => {
    const s = stall('c', 'C1', 6, 0);
    expect(validateStall(MAP, s, [...others, s])).toEqual([]);
  });

  it('[M3] names each problem: empty label, label taken (case ignored), too small, off map', () => {
    expect(validateStall(MAP, stall('c', '  ', 6, 0), others)).toEqual([{ code: 'empty-label' }]);
    expect(validateStall(MAP, stall('c', ' a1 ', 6, 0), others)).toEqual([
      { code: 'label-taken', stallId: 'a', label: 'A1' },
    ]);
    expect(validateStall(MAP, stall('c', 'ABCDEFGHIJKLM', 6, 0), others)).toEqual([
      { code: 'label-too-long' },
    ]);
    expect(validateStall(MAP, stall('c', 'C1', 6, 0, 0, 2), others)).toEqual([
      { code: 'too-small' },
    ]);
    expect(validateStall(MAP, stall('c', 'C1', 6.5, 0), others)).toEqual([
      { code: 'not-whole-cells' },
    ]);
    expect(validateStall(MAP, stall('c', 'C1', 9, 0), others)).toEqual([{ code: 'off-map' }]);
    expect(validateStall(MAP, { ...stall('c', 'C1', 6, 0), notes: 'x'.repeat(501) }, [])).toEqual([
      { code: 'notes-too-long' },
    ]);
  });

  it('[M3] says which stalls it overlaps, in label order, and which landmark it covers', () => {
    const wide = stall('c', 'C1', 1, 1, 4, 1);
    expect(validateStall(MAP, wide, others, [landmark('l', 2, 1)])).toEqual([
      { code: 'overlaps', stallId: 'a', label: 'A1' },
      { code: 'overlaps', stallId: 'b', label: 'B1' },
      { code: 'covers-landmark', landmarkId: 'l', kind: 'entrance', label: 'Ingang' },
    ]);
  });
});

describe('moving and placing', () => {
  const stalls = [stall('a', 'A1', 0, 0), stall('b', 'B1', 4, 0)];

  it('[M4] an arrow key moves one cell and returns new arrays', () => {
    const result = moveStall(MAP, stalls, 'a', 1, 0);
    expect(result).toEqual({
      ok: true,
      stall: stall('a', 'A1', 1, 0),
      stalls: [stall('a', 'A1', 1, 0), stall('b', 'B1', 4, 0)],
    });
    expect(stalls[0]?.x).toBe(0);
  });

  it('[M4] a move off the map or onto another stall is refused and changes nothing', () => {
    const snapshot = structuredClone(stalls);
    expect(moveStall(MAP, stalls, 'a', -1, 0)).toEqual({
      ok: false,
      problems: [{ code: 'off-map' }],
    });
    expect(moveStall(MAP, stalls, 'a', 3, 0)).toEqual({
      ok: false,
      problems: [{ code: 'overlaps', stallId: 'b', label: 'B1' }],
    });
    expect(moveStall(MAP, stalls, 'zz', 1, 0)).toEqual({
      ok: false,
      problems: [{ code: 'unknown-stall' }],
    });
    expect(moveStall(MAP, stalls, 'a', 0.5, 0)).toEqual({
      ok: false,
      problems: [{ code: 'not-whole-cells' }],
    });
    expect(stalls).toEqual(snapshot);
  });

  it('[M4] a stall caught in a conflict can be walked out of it, but never deeper', () => {
    const tangled = [stall('a', 'A1', 0, 0, 3, 2), stall('b', 'B1', 2, 0, 3, 2)];
    expect(moveStall(MAP, tangled, 'a', 1, 0)).toMatchObject({ ok: false });
    expect(moveStall(MAP, tangled, 'a', 0, 1)).toMatchObject({ ok: true }); // same overlap size
    const out = moveStall(MAP, tangled, 'b', 1, 0);
    expect(out).toMatchObject({ ok: true });
    // A stall half off a shrunken map can move back, not further out.
    const offMap = [stall('a', 'A1', 9, 0)];
    expect(moveStall(MAP, offMap, 'a', -1, 0)).toMatchObject({ ok: true });
    expect(moveStall(MAP, offMap, 'a', 1, 0)).toEqual({
      ok: false,
      problems: [{ code: 'off-map' }],
    });
  });

  it('[M4] a drop places the top-left corner on the cell; landmarks block it', () => {
    expect(placeStall(MAP, stalls, 'a', 7, 3)).toMatchObject({ ok: true, stall: { x: 7, y: 3 } });
    expect(placeStall(MAP, stalls, 'a', 7, 3, [landmark('l', 8, 4)])).toEqual({
      ok: false,
      problems: [{ code: 'covers-landmark', landmarkId: 'l', kind: 'entrance', label: 'Ingang' }],
    });
  });

  it('[M4] resizing keeps the corner and obeys the same rules', () => {
    expect(resizeStall(MAP, stalls, 'a', 3, 3)).toMatchObject({
      ok: true,
      stall: { x: 0, y: 0, width: 3, height: 3 },
    });
    expect(resizeStall(MAP, stalls, 'a', 5, 2)).toEqual({
      ok: false,
      problems: [{ code: 'overlaps', stallId: 'b', label: 'B1' }],
    });
    expect(resizeStall(MAP, stalls, 'a', 0, 2)).toEqual({
      ok: false,
      problems: [{ code: 'too-small' }],
    });
  });

  it('[M4] a reshape (left or top edge, undo) moves and resizes at once under the same rule', () => {
    expect(reshapeStall(MAP, stalls, 'a', { x: 1, y: 1, width: 1, height: 1 })).toMatchObject({
      ok: true,
      stall: { id: 'a', x: 1, y: 1, width: 1, height: 1 },
    });
    expect(reshapeStall(MAP, stalls, 'a', { x: 3, y: 0, width: 2, height: 2 })).toEqual({
      ok: false,
      problems: [{ code: 'overlaps', stallId: 'b', label: 'B1' }],
    });
    expect(reshapeStall(MAP, stalls, 'x', { x: 0, y: 0, width: 1, height: 1 })).toEqual({
      ok: false,
      problems: [{ code: 'unknown-stall' }],
    });
    const marks = [landmark('l', 8, 4), landmark('m', 9, 5)];
    expect(reshapeLandmark(MAP, marks, 'l', { x: 6, y: 5, width: 2, height: 1 })).toMatchObject({
      ok: true,
      landmark: { id: 'l', x: 6, y: 5, width: 2, height: 1 },
    });
    expect(reshapeLandmark(MAP, marks, 'l', { x: 8, y: 5, width: 2, height: 1 }).ok).toBe(false);
  });

  it('[M4] any sequence of moves, drops and resizes keeps a clean plan clean', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('move' as const),
        i: fc.nat(3),
        dx: fc.integer({ min: -1, max: 1 }),
        dy: fc.integer({ min: -1, max: 1 }),
      }),
      fc.record({
        kind: fc.constant('place' as const),
        i: fc.nat(3),
        x: fc.integer({ min: -2, max: 11 }),
        y: fc.integer({ min: -2, max: 7 }),
      }),
      fc.record({
        kind: fc.constant('resize' as const),
        i: fc.nat(3),
        w: fc.integer({ min: 0, max: 5 }),
        h: fc.integer({ min: 0, max: 5 }),
      }),
    );
    const landmarks = [landmark('l', 5, 5, 2, 1)];
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let plan = [
          stall('a', 'A1', 0, 0),
          stall('b', 'A2', 3, 0),
          stall('c', 'A3', 6, 0),
          stall('d', 'A4', 0, 3),
        ];
        for (const o of ops) {
          const id = plan[o.i]?.id ?? 'a';
          const result =
            o.kind === 'move'
              ? moveStall(MAP, plan, id, o.dx, o.dy, landmarks)
              : o.kind === 'place'
                ? placeStall(MAP, plan, id, o.x, o.y, landmarks)
                : resizeStall(MAP, plan, id, o.w, o.h, landmarks);
          if (result.ok) plan = result.stalls;
          expect(validateMap(MAP, plan, landmarks)).toEqual([]);
        }
      }),
      SEED,
    );
  });

  it('[M5] stallAt finds the stall under a cell', () => {
    expect(stallAt(stalls, 1, 1)?.id).toBe('a');
    expect(stallAt(stalls, 2, 1)).toBeNull();
  });
});

describe('validateMap', () => {
  it('[M6] a clean plan has no conflicts', () => {
    expect(validateMap(MAP, [stall('a', 'A1', 0, 0)], [landmark('l', 9, 5)])).toEqual([]);
  });

  it('[M6] lists every conflict once, plainly, stalls in label order', () => {
    const conflicts = validateMap(
      { width: 6, height: 6 },
      [
        stall('s10', 'A10', 5, 0),
        stall('s2', 'A2', 1, 1),
        stall('s1', 'A1', 0, 0),
        stall('dup', 'a1', 4, 4),
        stall('blank', ' ', 2, 4, 1, 1),
        stall('thin', 'T', 0, 5, 0, 1),
      ],
      [landmark('l1', 1, 0), landmark('l2', 1, 0), landmark('far', 6, 0)],
    );
    expect(conflicts).toEqual([
      { code: 'stall-empty-label', stallId: 'blank', label: ' ' },
      { code: 'stall-off-map', stallId: 's10', label: 'A10' },
      { code: 'stall-too-small', stallId: 'thin', label: 'T' },
      { code: 'duplicate-label', label: 'A1', stallIds: ['s1', 'dup'] },
      {
        code: 'stalls-overlap',
        stalls: [
          { stallId: 's1', label: 'A1' },
          { stallId: 's2', label: 'A2' },
        ],
      },
      {
        code: 'stall-covers-landmark',
        stall: { stallId: 's1', label: 'A1' },
        landmark: { landmarkId: 'l1', kind: 'entrance', label: 'Ingang' },
      },
      {
        code: 'stall-covers-landmark',
        stall: { stallId: 's1', label: 'A1' },
        landmark: { landmarkId: 'l2', kind: 'entrance', label: 'Ingang' },
      },
      {
        code: 'stall-covers-landmark',
        stall: { stallId: 's10', label: 'A10' },
        landmark: { landmarkId: 'far', kind: 'entrance', label: 'Ingang' },
      },
      {
        code: 'landmarks-overlap',
        landmarks: [
          { landmarkId: 'l1', kind: 'entrance', label: 'Ingang' },
          { landmarkId: 'l2', kind: 'entrance', label: 'Ingang' },
        ],
      },
      { code: 'landmark-off-map', landmarkId: 'far', kind: 'entrance', label: 'Ingang' },
    ]);
  });

  it('[M6] reports a bad map size', () => {
    expect(validateMap({ width: 0, height: 5 }, [], [])).toEqual([
      { code: 'map-size', problem: 'too-small' },
    ]);
  });

  it('[M6] a plan is clean exactly when every stall passes validateStall among the others', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(rect, fc.constantFrom('A1', 'A2', 'B1', 'b1', '')), { maxLength: 6 }),
        (specs) => {
          const stalls = specs.map(([r, label], i) =>
            stall(`s${i}`, label, r.x, r.y, r.width, r.height),
          );
          const each = stalls.every((s) => validateStall(MAP, s, stalls).length === 0);
          expect(validateMap(MAP, stalls, []).length === 0).toBe(each);
        },
      ),
      SEED,
    );
  });
});

describe('autoLabel and firstFreeSpot', () => {
  it('[M7] continues the last numbered prefix, fills gaps first, plain numbers on an empty map', () => {
    expect(autoLabel([])).toBe('1');
    expect(autoLabel([{ label: '1' }, { label: '2' }])).toBe('3');
    expect(autoLabel([{ label: 'A1' }, { label: 'A3' }])).toBe('A2');
    expect(autoLabel([{ label: 'A1' }, { label: 'B1' }])).toBe('B2');
    expect(autoLabel([{ label: 'a1' }], 'A')).toBe('A2');
    expect(autoLabel([{ label: 'Koffie' }])).toBe('1');
    expect(autoLabel([{ label: 'A1' }, { label: 'Koffie' }])).toBe('A2');
  });

  it('[M7] the label it gives is never taken', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('1', '2', '3', 'A1', 'A2', 'a3', 'B1', 'x'), { maxLength: 10 }),
        fc.option(fc.constantFrom('A', 'B', ''), { nil: undefined }),
        (labels, prefix) => {
          const next = autoLabel(
            labels.map((label) => ({ label })),
            prefix,
          );
          expect(labels.map((l) => l.toUpperCase())).not.toContain(next.toUpperCase());
        },
      ),
      SEED,
    );
  });

  it('[M8] finds the first free place row by row, or null when the plan is full', () => {
    const stalls = [stall('a', 'A1', 0, 0)];
    expect(firstFreeSpot(MAP, stalls, [], 2, 2)).toEqual({ x: 2, y: 0 });
    expect(firstFreeSpot(MAP, stalls, [landmark('l', 2, 0)], 2, 2)).toEqual({ x: 3, y: 0 });
    expect(firstFreeSpot({ width: 2, height: 2 }, stalls, [], 1, 1)).toBeNull();
  });

  it('[M8] a stall put on the free spot never conflicts', () => {
    fc.assert(
      fc.property(
        fc.array(rect, { maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        (rects, w, h) => {
          const stalls = rects.map((r, i) =>
            stall(`s${i}`, `A${i + 1}`, r.x, r.y, r.width, r.height),
          );
          const spot = firstFreeSpot(MAP, stalls, [], w, h);
          if (spot) {
            const placed = stall('new', 'NEW', spot.x, spot.y, w, h);
            expect(validateStall(MAP, placed, stalls)).toEqual([]);
          }
        },
      ),
      SEED,
    );
  });
});

describe('landmarks', () => {
  const stalls = [stall('a', 'A1', 0, 0)];

  it('[M9] validates kind, label, size, place and what it touches', () => {
    expect(validateLandmark(MAP, landmark('l', 5, 5), stalls)).toEqual([]);
    expect(
      validateLandmark(
        MAP,
        { ...landmark('l', 1, 1), kind: 'fountain' as never, label: 'x'.repeat(41) },
        stalls,
        [landmark('m', 1, 1)],
      ),
    ).toEqual([
      { code: 'unknown-kind' },
      { code: 'label-too-long' },
      { code: 'covered-by-stall', stallId: 'a', label: 'A1' },
      { code: 'overlaps-landmark', landmarkId: 'm', kind: 'entrance', label: 'Ingang' },
    ]);
    expect(validateLandmark(MAP, landmark('l', 10, 0), [])).toEqual([{ code: 'off-map' }]);
  });

  it('[M9] landmarks move and drop under the same rule as stalls', () => {
    const landmarks = [landmark('l', 5, 5)];
    expect(moveLandmark(MAP, landmarks, 'l', 1, 0, stalls)).toMatchObject({
      ok: true,
      landmark: { x: 6, y: 5 },
    });
    expect(moveLandmark(MAP, landmarks, 'l', 0, 1, stalls)).toEqual({
      ok: false,
      problems: [{ code: 'off-map' }],
    });
    expect(placeLandmark(MAP, landmarks, 'l', 1, 1, stalls)).toEqual({
      ok: false,
      problems: [{ code: 'covered-by-stall', stallId: 'a', label: 'A1' }],
    });
    expect(placeLandmark(MAP, landmarks, 'nope', 1, 1, stalls)).toEqual({
      ok: false,
      problems: [{ code: 'unknown-landmark' }],
    });
  });
});
