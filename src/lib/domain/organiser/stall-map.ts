/**
 * The floor plan of one event: a grid of cells, stalls and landmarks on it.
 *
 * Geometry: every position and size is a whole number of cells. x counts cells from the
 * plan's left edge, y from its top edge; an item covers the half-open cells
 * [x, x + width) x [y, y + height). The plan is a picture of a real floor, so it is NOT
 * mirrored in right-to-left languages: the UI must keep the grid's physical orientation and
 * map arrow keys physically (ArrowLeft is dx = -1 in Arabic too).
 *
 * Editing rule: a move, drop or resize is refused when the new place has a conflict that
 * the old place did not have, or the same conflict over more cells (further off the map,
 * deeper into another stall or a landmark). So nothing ever gets worse, yet a stall that
 * already overlaps another (after shrinking the map, or from two organisers editing at
 * once) can still be walked out of the conflict one arrow press at a time. Refusals change nothing:
 * the functions return new arrays and never touch their inputs.
 *
 * Labels: trimmed, compared without regard to case ("a1" is taken when "A1" exists),
 * 1..12 characters. `autoLabel` gives the smallest free number after a prefix (A1, A2 ...
 * or 1, 2 ...), so a gap left by a deleted stall is filled first.
 */
import type { Id, Stall } from '../types';
import { normalizeDigits } from '../money';
import { compareLabels, labelKey, textLength } from './common';

export const MAX_MAP_SIZE = 100;
export const MAX_STALL_LABEL_LENGTH = 12;
export const MAX_STALL_NOTES_LENGTH = 500;
export const MAX_LANDMARK_LABEL_LENGTH = 40;

/** The grid of one event's floor plan, in cells. */
export interface StallMap {
  eventId: Id;
  width: number;
  height: number;
}

/**
 * What bazaars have that people find their way by. The first four are protocol v1's own
 * (an older app knows only those: the sync feed sends it `fedLandmarkKind`, see
 * src/lib/sync/SPEC.md); the others came later. The database CHECK follows this list.
 */
export const LANDMARK_KINDS = [
  'entrance',
  'stage',
  'toilet',
  'other',
  'power',
  'water',
  'first-aid',
  'information',
] as const;
export type LandmarkKind = (typeof LANDMARK_KINDS)[number];

/** The kinds every app version knows (protocol v1 as first released). */
export const FED_LANDMARK_KINDS = ['entrance', 'stage', 'toilet', 'other'] as const;
export type FedLandmarkKind = (typeof FED_LANDMARK_KINDS)[number];

/** A kind as an older app can read it: itself when it knows it, else 'other'. */
export function fedLandmarkKind(kind: LandmarkKind): FedLandmarkKind {
  return (FED_LANDMARK_KINDS as readonly string[]).includes(kind)
    ? (kind as FedLandmarkKind)
    : 'other';
}

/** Something on the plan that is not a stall and that people find their way by. */
export interface Landmark {
  id: Id;
  eventId: Id;
  kind: LandmarkKind;
  /** Optional words shown with it ("Ingang Noord"); the kind is the name when empty. */
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** True when two rectangles share at least one cell (touching edges do not overlap). */
export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** True when the rectangle lies wholly on the map. */
export function insideMap(map: Pick<StallMap, 'width' | 'height'>, rect: Rect): boolean {
  return (
    rect.x >= 0 &&
    rect.y >= 0 &&
    rect.x + rect.width <= map.width &&
    rect.y + rect.height <= map.height
  );
}

function wholeCells(rect: Rect): boolean {
  return [rect.x, rect.y, rect.width, rect.height].every(Number.isSafeInteger);
}

function bigEnough(rect: Rect): boolean {
  return rect.width >= 1 && rect.height >= 1;
}

export type MapSizeProblem = 'too-small' | 'too-large' | 'not-whole-cells';

/** The map is 1..100 cells each way, whole cells. */
export function validateMapSize(size: Pick<StallMap, 'width' | 'height'>): MapSizeProblem[] {
  const { width, height } = size;
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height)) return ['not-whole-cells'];
  const problems: MapSizeProblem[] = [];
  if (width < 1 || height < 1) problems.push('too-small');
  if (width > MAX_MAP_SIZE || height > MAX_MAP_SIZE) problems.push('too-large');
  return problems;
}

// ---------------------------------------------------------------------------------------
// Stalls

export type StallProblem =
  | { code: 'empty-label' }
  | { code: 'label-too-long' }
  | { code: 'label-taken'; stallId: Id; label: string }
  | { code: 'notes-too-long' }
  | { code: 'not-whole-cells' }
  | { code: 'too-small' }
  | { code: 'off-map' }
  | { code: 'overlaps'; stallId: Id; label: string }
  | { code: 'covers-landmark'; landmarkId: Id; kind: LandmarkKind; label: string };

/**
 * Everything wrong with one stall among the others (a stall with the same id in `others`
 * is itself and is skipped). Order: label, notes, size, off-map, then overlapping stalls and
 * covered landmarks in label order. Empty when the stall is fine.
 */
export function validateStall(
  map: Pick<StallMap, 'width' | 'height'>,
  stall: Stall,
  others: readonly Stall[],
  landmarks: readonly Landmark[] = [],
): StallProblem[] {
  const rest = others.filter((other) => other.id !== stall.id);
  const problems: StallProblem[] = [];
  const label = stall.label.trim();
  if (label === '') problems.push({ code: 'empty-label' });
  else if (textLength(label) > MAX_STALL_LABEL_LENGTH) problems.push({ code: 'label-too-long' });
  else {
    const taken = rest.find((other) => labelKey(other.label) === labelKey(label));
    if (taken) problems.push({ code: 'label-taken', stallId: taken.id, label: taken.label });
  }
  if (textLength(stall.notes) > MAX_STALL_NOTES_LENGTH) problems.push({ code: 'notes-too-long' });
  return [...problems, ...placementProblems(map, stall, rest, landmarks)];
}

type PlacementProblem = Extract<
  StallProblem,
  { code: 'not-whole-cells' | 'too-small' | 'off-map' | 'overlaps' | 'covers-landmark' }
>;

/** A placement problem with how bad it is (cells off the map, or cells shared). */
interface Issue<P> {
  problem: P;
  key: string;
  size: number;
}

function placementIssues(
  map: Pick<StallMap, 'width' | 'height'>,
  rect: Rect,
  otherStalls: readonly Stall[],
  landmarks: readonly Landmark[],
): Issue<PlacementProblem>[] {
  if (!wholeCells(rect)) return [{ problem: { code: 'not-whole-cells' }, key: 'whole', size: 1 }];
  if (!bigEnough(rect)) return [{ problem: { code: 'too-small' }, key: 'small', size: 1 }];
  const issues: Issue<PlacementProblem>[] = [];
  const outside = cellsOffMap(map, rect);
  if (outside > 0) issues.push({ problem: { code: 'off-map' }, key: 'off-map', size: outside });
  for (const other of sortByLabel(otherStalls)) {
    const shared = sharedCells(rect, other);
    if (shared > 0) {
      issues.push({
        problem: { code: 'overlaps', stallId: other.id, label: other.label },
        key: `stall:${other.id}`,
        size: shared,
      });
    }
  }
  for (const landmark of landmarks) {
    const shared = sharedCells(rect, landmark);
    if (shared > 0) {
      issues.push({
        problem: {
          code: 'covers-landmark',
          landmarkId: landmark.id,
          kind: landmark.kind,
          label: landmark.label,
        },
        key: `landmark:${landmark.id}`,
        size: shared,
      });
    }
  }
  return issues;
}

function placementProblems(
  map: Pick<StallMap, 'width' | 'height'>,
  rect: Rect,
  otherStalls: readonly Stall[],
  landmarks: readonly Landmark[],
): PlacementProblem[] {
  return placementIssues(map, rect, otherStalls, landmarks).map((issue) => issue.problem);
}

/** Cells two rectangles share (0 when they do not overlap). */
export function sharedCells(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function cellsOffMap(map: Pick<StallMap, 'width' | 'height'>, rect: Rect): number {
  return (
    rect.width * rect.height -
    sharedCells(rect, { x: 0, y: 0, width: map.width, height: map.height })
  );
}

/**
 * Problems at the new place that are worse than at the old place (see "Editing rule"): a
 * conflict the old place did not have, or the same conflict over more cells (further off
 * the map, deeper into another stall).
 */
function worsened<P>(before: Issue<P>[], after: Issue<P>[]): P[] {
  const had = new Map(before.map((issue) => [issue.key, issue.size]));
  return after
    .filter((issue) => issue.size > (had.get(issue.key) ?? 0))
    .map((issue) => issue.problem);
}

function sortByLabel<T extends { label: string; id: Id }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareLabels(a.label, b.label) || (a.id < b.id ? -1 : 1));
}

export type StallEditResult =
  | { ok: true; stall: Stall; stalls: Stall[] }
  | { ok: false; problems: (PlacementProblem | { code: 'unknown-stall' })[] };

function editStall(
  map: Pick<StallMap, 'width' | 'height'>,
  stalls: readonly Stall[],
  id: Id,
  landmarks: readonly Landmark[],
  change: (stall: Stall) => Stall,
): StallEditResult {
  const current = stalls.find((stall) => stall.id === id);
  if (!current) return { ok: false, problems: [{ code: 'unknown-stall' }] };
  const others = stalls.filter((stall) => stall.id !== id);
  const moved = change(current);
  const added = worsened(
    placementIssues(map, current, others, landmarks),
    placementIssues(map, moved, others, landmarks),
  );
  if (added.length > 0) return { ok: false, problems: added };
  return {
    ok: true,
    stall: moved,
    stalls: stalls.map((stall) => (stall.id === id ? moved : stall)),
  };
}

/** Keyboard move: by (dx, dy) whole cells (an arrow key is one cell). */
export function moveStall(
  map: Pick<StallMap, 'width' | 'height'>,
  stalls: readonly Stall[],
  id: Id,
  dx: number,
  dy: number,
  landmarks: readonly Landmark[] = [],
): StallEditResult {
  return editStall(map, stalls, id, landmarks, (s) => ({ ...s, x: s.x + dx, y: s.y + dy }));
}

/** Drag and drop: the stall's top-left corner to cell (x, y). */
export function placeStall(
  map: Pick<StallMap, 'width' | 'height'>,
  stalls: readonly Stall[],
  id: Id,
  x: number,
  y: number,
  landmarks: readonly Landmark[] = [],
): StallEditResult {
  return editStall(map, stalls, id, landmarks, (s) => ({ ...s, x, y }));
}

/** A new size, keeping the top-left corner. */
export function resizeStall(
  map: Pick<StallMap, 'width' | 'height'>,
  stalls: readonly Stall[],
  id: Id,
  width: number,
  height: number,
  landmarks: readonly Landmark[] = [],
): StallEditResult {
  return editStall(map, stalls, id, landmarks, (s) => ({ ...s, width, height }));
}

/**
 * A new place and size at once (dragging the left or top edge, or putting a stall back as
 * it was for undo): the same rule as a move, so nothing gets worse.
 */
export function reshapeStall(
  map: Pick<StallMap, 'width' | 'height'>,
  stalls: readonly Stall[],
  id: Id,
  rect: Rect,
  landmarks: readonly Landmark[] = [],
): StallEditResult {
  const { x, y, width, height } = rect;
  return editStall(map, stalls, id, landmarks, (s) => ({ ...s, x, y, width, height }));
}

/** The stall covering cell (x, y), for taps and drops; null on an empty cell. */
export function stallAt(stalls: readonly Stall[], x: number, y: number): Stall | null {
  return stalls.find((stall) => overlaps(stall, { x, y, width: 1, height: 1 })) ?? null;
}

/**
 * The first place (row by row from the top, each row from x = 0) where a width x height
 * stall fits on the map without touching a stall or a landmark; null when none is left.
 */
export function firstFreeSpot(
  map: Pick<StallMap, 'width' | 'height'>,
  stalls: readonly Stall[],
  landmarks: readonly Landmark[],
  width = 1,
  height = 1,
): { x: number; y: number } | null {
  const taken: Rect[] = [...stalls, ...landmarks];
  for (let y = 0; y + height <= map.height; y++) {
    for (let x = 0; x + width <= map.width; x++) {
      const rect = { x, y, width, height };
      if (!taken.some((other) => overlaps(rect, other))) return { x, y };
    }
  }
  return null;
}

const NUMBERED_LABEL = /^(\D*?)(\d+)$/;

/**
 * The next free label: the smallest number n >= 1 such that `${prefix}${n}` is not taken
 * (case ignored). Without a prefix, the prefix of the most recently added numbered stall
 * (the last one in `stalls` whose label ends in digits) is continued, so after A1, A2 comes
 * A3; on an empty map labels are plain numbers: 1, 2, 3 ...
 */
export function autoLabel(stalls: readonly Pick<Stall, 'label'>[], prefix?: string): string {
  let chosen = prefix?.trim();
  if (chosen === undefined) {
    chosen = '';
    for (let i = stalls.length - 1; i >= 0; i--) {
      const match = NUMBERED_LABEL.exec(normalizeDigits(stalls[i]?.label ?? '').trim());
      if (match) {
        chosen = match[1] ?? '';
        break;
      }
    }
  }
  const taken = new Set(stalls.map((stall) => labelKey(stall.label)));
  let n = 1;
  while (taken.has(labelKey(`${chosen}${n}`))) n++;
  return `${chosen}${n}`;
}

// ---------------------------------------------------------------------------------------
// Landmarks

export type LandmarkProblem =
  | { code: 'unknown-kind' }
  | { code: 'label-too-long' }
  | { code: 'not-whole-cells' }
  | { code: 'too-small' }
  | { code: 'off-map' }
  | { code: 'covered-by-stall'; stallId: Id; label: string }
  | { code: 'overlaps-landmark'; landmarkId: Id; kind: LandmarkKind; label: string };

type LandmarkPlacementProblem = Exclude<
  LandmarkProblem,
  { code: 'unknown-kind' | 'label-too-long' }
>;

function landmarkPlacementIssues(
  map: Pick<StallMap, 'width' | 'height'>,
  rect: Rect,
  stalls: readonly Stall[],
  otherLandmarks: readonly Landmark[],
): Issue<LandmarkPlacementProblem>[] {
  if (!wholeCells(rect)) return [{ problem: { code: 'not-whole-cells' }, key: 'whole', size: 1 }];
  if (!bigEnough(rect)) return [{ problem: { code: 'too-small' }, key: 'small', size: 1 }];
  const issues: Issue<LandmarkPlacementProblem>[] = [];
  const outside = cellsOffMap(map, rect);
  if (outside > 0) issues.push({ problem: { code: 'off-map' }, key: 'off-map', size: outside });
  for (const stall of sortByLabel(stalls)) {
    const shared = sharedCells(rect, stall);
    if (shared > 0) {
      issues.push({
        problem: { code: 'covered-by-stall', stallId: stall.id, label: stall.label },
        key: `stall:${stall.id}`,
        size: shared,
      });
    }
  }
  for (const other of otherLandmarks) {
    const shared = sharedCells(rect, other);
    if (shared > 0) {
      issues.push({
        problem: {
          code: 'overlaps-landmark',
          landmarkId: other.id,
          kind: other.kind,
          label: other.label,
        },
        key: `landmark:${other.id}`,
        size: shared,
      });
    }
  }
  return issues;
}

/** Everything wrong with one landmark (one with the same id in `otherLandmarks` is skipped). */
export function validateLandmark(
  map: Pick<StallMap, 'width' | 'height'>,
  landmark: Landmark,
  stalls: readonly Stall[],
  otherLandmarks: readonly Landmark[] = [],
): LandmarkProblem[] {
  const problems: LandmarkProblem[] = [];
  if (!(LANDMARK_KINDS as readonly string[]).includes(landmark.kind)) {
    problems.push({ code: 'unknown-kind' });
  }
  if (textLength(landmark.label.trim()) > MAX_LANDMARK_LABEL_LENGTH) {
    problems.push({ code: 'label-too-long' });
  }
  const rest = otherLandmarks.filter((other) => other.id !== landmark.id);
  return [
    ...problems,
    ...landmarkPlacementIssues(map, landmark, stalls, rest).map((issue) => issue.problem),
  ];
}

export type LandmarkEditResult =
  | { ok: true; landmark: Landmark; landmarks: Landmark[] }
  | { ok: false; problems: (LandmarkPlacementProblem | { code: 'unknown-landmark' })[] };

function editLandmark(
  map: Pick<StallMap, 'width' | 'height'>,
  landmarks: readonly Landmark[],
  id: Id,
  stalls: readonly Stall[],
  change: (landmark: Landmark) => Landmark,
): LandmarkEditResult {
  const current = landmarks.find((landmark) => landmark.id === id);
  if (!current) return { ok: false, problems: [{ code: 'unknown-landmark' }] };
  const others = landmarks.filter((landmark) => landmark.id !== id);
  const moved = change(current);
  const added = worsened(
    landmarkPlacementIssues(map, current, stalls, others),
    landmarkPlacementIssues(map, moved, stalls, others),
  );
  if (added.length > 0) return { ok: false, problems: added };
  return {
    ok: true,
    landmark: moved,
    landmarks: landmarks.map((landmark) => (landmark.id === id ? moved : landmark)),
  };
}

/** Keyboard move of a landmark by whole cells; same rule as `moveStall`. */
export function moveLandmark(
  map: Pick<StallMap, 'width' | 'height'>,
  landmarks: readonly Landmark[],
  id: Id,
  dx: number,
  dy: number,
  stalls: readonly Stall[] = [],
): LandmarkEditResult {
  return editLandmark(map, landmarks, id, stalls, (l) => ({ ...l, x: l.x + dx, y: l.y + dy }));
}

/** Drag and drop of a landmark to cell (x, y). */
export function placeLandmark(
  map: Pick<StallMap, 'width' | 'height'>,
  landmarks: readonly Landmark[],
  id: Id,
  x: number,
  y: number,
  stalls: readonly Stall[] = [],
): LandmarkEditResult {
  return editLandmark(map, landmarks, id, stalls, (l) => ({ ...l, x, y }));
}

/** A landmark's place and size at once (undo and redo); same rule as `moveLandmark`. */
export function reshapeLandmark(
  map: Pick<StallMap, 'width' | 'height'>,
  landmarks: readonly Landmark[],
  id: Id,
  rect: Rect,
  stalls: readonly Stall[] = [],
): LandmarkEditResult {
  const { x, y, width, height } = rect;
  return editLandmark(map, landmarks, id, stalls, (l) => ({ ...l, x, y, width, height }));
}

// ---------------------------------------------------------------------------------------
// The whole plan

interface StallRef {
  stallId: Id;
  label: string;
}
interface LandmarkRef {
  landmarkId: Id;
  kind: LandmarkKind;
  label: string;
}

/** One conflict on the plan, in words the conflicts panel can translate. */
export type MapConflict =
  | { code: 'map-size'; problem: MapSizeProblem }
  | ({ code: 'stall-empty-label' } & StallRef)
  | ({ code: 'stall-label-too-long' } & StallRef)
  | { code: 'duplicate-label'; label: string; stallIds: Id[] }
  | ({ code: 'stall-too-small' } & StallRef)
  | ({ code: 'stall-not-whole-cells' } & StallRef)
  | ({ code: 'stall-off-map' } & StallRef)
  | { code: 'stalls-overlap'; stalls: [StallRef, StallRef] }
  | { code: 'stall-covers-landmark'; stall: StallRef; landmark: LandmarkRef }
  | ({ code: 'landmark-off-map' } & LandmarkRef)
  | ({ code: 'landmark-too-small' } & LandmarkRef)
  | ({ code: 'landmark-not-whole-cells' } & LandmarkRef)
  | { code: 'landmarks-overlap'; landmarks: [LandmarkRef, LandmarkRef] };

function stallRef(stall: Stall): StallRef {
  return { stallId: stall.id, label: stall.label };
}
function landmarkRef(landmark: Landmark): LandmarkRef {
  return { landmarkId: landmark.id, kind: landmark.kind, label: landmark.label };
}

/**
 * Every conflict on the plan, each once (an overlapping pair is one conflict, not two),
 * stalls in label order: the list the conflicts panel shows. Empty when the plan is clean.
 */
export function validateMap(
  map: Pick<StallMap, 'width' | 'height'>,
  stalls: readonly Stall[],
  landmarks: readonly Landmark[],
): MapConflict[] {
  const conflicts: MapConflict[] = validateMapSize(map).map((problem) => ({
    code: 'map-size' as const,
    problem,
  }));
  const sorted = sortByLabel(stalls);
  const placeable = (rect: Rect) => wholeCells(rect) && bigEnough(rect);

  for (const stall of sorted) {
    const label = stall.label.trim();
    if (label === '') conflicts.push({ code: 'stall-empty-label', ...stallRef(stall) });
    else if (textLength(label) > MAX_STALL_LABEL_LENGTH) {
      conflicts.push({ code: 'stall-label-too-long', ...stallRef(stall) });
    }
    if (!wholeCells(stall)) conflicts.push({ code: 'stall-not-whole-cells', ...stallRef(stall) });
    else if (!bigEnough(stall)) conflicts.push({ code: 'stall-too-small', ...stallRef(stall) });
    else if (!insideMap(map, stall)) conflicts.push({ code: 'stall-off-map', ...stallRef(stall) });
  }

  const byLabel = new Map<string, Stall[]>();
  for (const stall of sorted) {
    if (stall.label.trim() === '') continue;
    const key = labelKey(stall.label);
    byLabel.set(key, [...(byLabel.get(key) ?? []), stall]);
  }
  for (const group of byLabel.values()) {
    if (group.length > 1) {
      conflicts.push({
        code: 'duplicate-label',
        label: group[0]?.label.trim() ?? '',
        stallIds: group.map((stall) => stall.id),
      });
    }
  }

  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i];
    if (!a || !placeable(a)) continue;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j];
      if (b && placeable(b) && overlaps(a, b)) {
        conflicts.push({ code: 'stalls-overlap', stalls: [stallRef(a), stallRef(b)] });
      }
    }
    for (const landmark of landmarks) {
      if (placeable(landmark) && overlaps(a, landmark)) {
        conflicts.push({
          code: 'stall-covers-landmark',
          stall: stallRef(a),
          landmark: landmarkRef(landmark),
        });
      }
    }
  }

  for (let i = 0; i < landmarks.length; i++) {
    const a = landmarks[i];
    if (!a) continue;
    if (!wholeCells(a)) {
      conflicts.push({ code: 'landmark-not-whole-cells', ...landmarkRef(a) });
      continue;
    }
    if (!bigEnough(a)) {
      conflicts.push({ code: 'landmark-too-small', ...landmarkRef(a) });
      continue;
    }
    if (!insideMap(map, a)) conflicts.push({ code: 'landmark-off-map', ...landmarkRef(a) });
    for (let j = i + 1; j < landmarks.length; j++) {
      const b = landmarks[j];
      if (b && placeable(b) && overlaps(a, b)) {
        conflicts.push({ code: 'landmarks-overlap', landmarks: [landmarkRef(a), landmarkRef(b)] });
      }
    }
  }
  return conflicts;
}
