/**
 * Which maker stands at which stall, the fees for it, and what a maker's device shows.
 *
 * Rules:
 * - A stall holds one maker. A maker has one stall per event unless the organiser allows
 *   more (`allowMultiple`, e.g. a baker who also runs the coffee stall).
 * - Assigning a maker to the stall they already have changes nothing and is not an error
 *   (a drag that ends where it began).
 * - Fees: either one flat fee per assigned stall, or a fee per stall (with a default for
 *   stalls without one). A maker with two stalls owes both. `feeOverview` adds what each
 *   maker paid; the outstanding total is the sum of what each maker still owes, so one
 *   maker's overpayment never hides another's debt.
 * - Conflicts are listed, never blocked: a maker who needs power on a stall without power is
 *   shown plainly so the organiser can decide (move them, or bring an extension cord).
 */
import type { Cents, Id, MarketEvent, Stall, StallAssignment } from '../types';
import { assertCents } from '../money';
import { compareLabels, minutesOfDay, parseTimeOfDay, textLength } from './common';
import type { StallNeeds } from './maker-profile';
import {
  LANDMARK_KINDS,
  type Landmark,
  type LandmarkKind,
  type Rect,
  type StallMap,
} from './stall-map';

export const MAX_INSTRUCTIONS_LENGTH = 500;

function eventAssignments(assignments: readonly StallAssignment[], eventId: Id): StallAssignment[] {
  return assignments.filter((assignment) => assignment.eventId === eventId);
}

export interface AssignMakerInput {
  stalls: readonly Stall[];
  assignments: readonly StallAssignment[];
  makerId: Id;
  stallId: Id;
  /** Allow a maker more than one stall at this event. */
  allowMultiple?: boolean;
  /** Makes the new assignment's id (UUIDv7 in the app). */
  newId: () => Id;
  arrivalTime?: string | null;
  instructions?: string;
}

export type AssignError =
  | { code: 'unknown-stall'; stallId: Id }
  | { code: 'stall-taken'; makerId: Id }
  | { code: 'maker-has-stall'; stallId: Id; label: string };

export type AssignResult =
  | {
      ok: true;
      assignment: StallAssignment;
      assignments: StallAssignment[];
      /** false when the maker already had this stall: nothing to save. */
      changed: boolean;
    }
  | { ok: false; error: AssignError };

/**
 * Puts a maker on a stall. Errors: 'unknown-stall'; 'stall-taken' (by `makerId`, another
 * maker); 'maker-has-stall' (the stall they already have, unless `allowMultiple`). Only
 * assignments of the stall's own event are considered.
 */
export function assignMaker(input: AssignMakerInput): AssignResult {
  const stall = input.stalls.find((s) => s.id === input.stallId);
  if (!stall) return { ok: false, error: { code: 'unknown-stall', stallId: input.stallId } };
  const current = eventAssignments(input.assignments, stall.eventId);
  const onStall = current.find((a) => a.stallId === stall.id);
  if (onStall && onStall.makerId === input.makerId) {
    return { ok: true, assignment: onStall, assignments: [...input.assignments], changed: false };
  }
  if (onStall) return { ok: false, error: { code: 'stall-taken', makerId: onStall.makerId } };
  const held = current.find((a) => a.makerId === input.makerId);
  if (held && !input.allowMultiple) {
    const label = input.stalls.find((s) => s.id === held.stallId)?.label ?? '';
    return { ok: false, error: { code: 'maker-has-stall', stallId: held.stallId, label } };
  }
  const assignment: StallAssignment = {
    id: input.newId(),
    eventId: stall.eventId,
    stallId: stall.id,
    makerId: input.makerId,
    arrivalTime: input.arrivalTime ?? null,
    instructions: input.instructions ?? '',
  };
  return { ok: true, assignment, assignments: [...input.assignments, assignment], changed: true };
}

/** Takes an assignment away. */
export function unassign(
  assignments: readonly StallAssignment[],
  assignmentId: Id,
): { ok: true; assignments: StallAssignment[] } | { ok: false; error: 'unknown-assignment' } {
  if (!assignments.some((a) => a.id === assignmentId)) {
    return { ok: false, error: 'unknown-assignment' };
  }
  return { ok: true, assignments: assignments.filter((a) => a.id !== assignmentId) };
}

export type MoveAssignmentError =
  | { code: 'unknown-assignment' }
  | { code: 'unknown-stall'; stallId: Id }
  | { code: 'stall-taken'; makerId: Id };

/**
 * Moves a maker from their stall to another one (a drag from stall to stall), keeping the
 * assignment's id, arrival time and instructions.
 */
export function moveAssignment(input: {
  stalls: readonly Stall[];
  assignments: readonly StallAssignment[];
  assignmentId: Id;
  toStallId: Id;
}):
  | { ok: true; assignment: StallAssignment; assignments: StallAssignment[]; changed: boolean }
  | { ok: false; error: MoveAssignmentError } {
  const assignment = input.assignments.find((a) => a.id === input.assignmentId);
  if (!assignment) return { ok: false, error: { code: 'unknown-assignment' } };
  const stall = input.stalls.find((s) => s.id === input.toStallId);
  if (!stall || stall.eventId !== assignment.eventId) {
    return { ok: false, error: { code: 'unknown-stall', stallId: input.toStallId } };
  }
  if (stall.id === assignment.stallId) {
    return { ok: true, assignment, assignments: [...input.assignments], changed: false };
  }
  const onStall = eventAssignments(input.assignments, stall.eventId).find(
    (a) => a.stallId === stall.id,
  );
  if (onStall) return { ok: false, error: { code: 'stall-taken', makerId: onStall.makerId } };
  const moved = { ...assignment, stallId: stall.id };
  return {
    ok: true,
    assignment: moved,
    assignments: input.assignments.map((a) => (a.id === moved.id ? moved : a)),
    changed: true,
  };
}

export type AssignmentDetailsErrorCode = 'invalid-time' | 'arrives-after-closing' | 'too-long';

/**
 * Arrival time (HH:MM or empty) and instructions (up to 500 characters) for one maker. An
 * arrival at or after the event's closing time is an error; arriving after opening is
 * allowed (some makers come for the afternoon).
 */
export function validateAssignmentDetails(
  input: { arrivalTime: string | null; instructions: string },
  event?: Pick<MarketEvent, 'closesAt'>,
):
  | { ok: true; value: { arrivalTime: string | null; instructions: string } }
  | {
      ok: false;
      errors: Partial<Record<'arrivalTime' | 'instructions', AssignmentDetailsErrorCode>>;
    } {
  const errors: Partial<Record<'arrivalTime' | 'instructions', AssignmentDetailsErrorCode>> = {};
  let arrivalTime: string | null = null;
  if (input.arrivalTime !== null && input.arrivalTime.trim() !== '') {
    arrivalTime = parseTimeOfDay(input.arrivalTime);
    if (arrivalTime === null) errors.arrivalTime = 'invalid-time';
    else {
      const closesAt = event?.closesAt ? parseTimeOfDay(event.closesAt) : null;
      if (closesAt && minutesOfDay(arrivalTime) >= minutesOfDay(closesAt)) {
        errors.arrivalTime = 'arrives-after-closing';
      }
    }
  }
  const instructions = input.instructions.trim();
  if (textLength(instructions) > MAX_INSTRUCTIONS_LENGTH) errors.instructions = 'too-long';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { arrivalTime, instructions } };
}

// ---------------------------------------------------------------------------------------
// Conflicts

export type AssignmentConflict =
  | { code: 'needs-power'; makerId: Id; stallId: Id; label: string }
  | { code: 'needs-table'; makerId: Id; stallId: Id; label: string }
  | { code: 'needs-food-hygiene'; makerId: Id; stallId: Id; label: string }
  | { code: 'stall-double-booked'; stallId: Id; label: string; makerIds: Id[] }
  | { code: 'maker-multiple-stalls'; makerId: Id; stallIds: Id[]; labels: string[] }
  | { code: 'unknown-stall'; assignmentId: Id; makerId: Id; stallId: Id };

/**
 * Every problem with the assignments, for the conflicts panel: a maker's needs the stall
 * does not meet (power, a table, food hygiene for a maker who sells food), a stall with two
 * makers or a maker on several stalls (both can arrive by sync from two organisers editing
 * at once; several stalls is fine with `allowMultiple`), and assignments to a stall that no
 * longer exists. Ordered by stall label.
 */
export function assignmentConflicts(
  stalls: readonly Stall[],
  assignments: readonly StallAssignment[],
  makerNeeds: Readonly<Partial<Record<Id, StallNeeds>>>,
  options: { allowMultiple?: boolean } = {},
): AssignmentConflict[] {
  const stallById = new Map(stalls.map((stall) => [stall.id, stall]));
  const known = assignments
    .filter((a) => stallById.has(a.stallId))
    .sort((a, b) =>
      compareLabels(stallById.get(a.stallId)?.label ?? '', stallById.get(b.stallId)?.label ?? ''),
    );
  const conflicts: AssignmentConflict[] = [];

  for (const assignment of known) {
    const stall = stallById.get(assignment.stallId);
    const needs = makerNeeds[assignment.makerId];
    if (!stall || !needs) continue;
    const where = { makerId: assignment.makerId, stallId: stall.id, label: stall.label };
    if (needs.power && !stall.power) conflicts.push({ code: 'needs-power', ...where });
    if (needs.table && !stall.table) conflicts.push({ code: 'needs-table', ...where });
    if (needs.foodHygiene && !stall.foodHygiene) {
      conflicts.push({ code: 'needs-food-hygiene', ...where });
    }
  }

  const makersByStall = groupBy(known, (a) => a.stallId);
  for (const [stallId, group] of makersByStall) {
    const makerIds = [...new Set(group.map((a) => a.makerId))];
    if (makerIds.length > 1) {
      const label = stallById.get(stallId)?.label ?? '';
      conflicts.push({ code: 'stall-double-booked', stallId, label, makerIds });
    }
  }

  if (!options.allowMultiple) {
    for (const [makerId, group] of groupBy(known, (a) => `${a.eventId}\u0000${a.makerId}`)) {
      const stallIds = [...new Set(group.map((a) => a.stallId))];
      if (stallIds.length > 1) {
        conflicts.push({
          code: 'maker-multiple-stalls',
          makerId: makerId.split('\u0000')[1] ?? '',
          stallIds,
          labels: stallIds.map((id) => stallById.get(id)?.label ?? ''),
        });
      }
    }
  }

  for (const assignment of assignments) {
    if (!stallById.has(assignment.stallId)) {
      conflicts.push({
        code: 'unknown-stall',
        assignmentId: assignment.id,
        makerId: assignment.makerId,
        stallId: assignment.stallId,
      });
    }
  }
  return conflicts;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

// ---------------------------------------------------------------------------------------
// Stall fees

export type StallFeeRule =
  | { kind: 'flat'; cents: Cents }
  | { kind: 'per-stall'; byStallId: Readonly<Partial<Record<Id, Cents>>>; defaultCents: Cents };

export interface MakerFeeDue {
  makerId: Id;
  stallIds: Id[];
  dueCents: Cents;
}

/** What each maker owes for their stalls, in order of first assignment; and the total. */
export function feeDue(
  assignments: readonly StallAssignment[],
  rule: StallFeeRule,
): { makers: MakerFeeDue[]; totalCents: Cents } {
  const feeOf = (stallId: Id): Cents => {
    const cents =
      rule.kind === 'flat' ? rule.cents : (rule.byStallId[stallId] ?? rule.defaultCents);
    assertCents(cents, 'stall fee');
    if (cents < 0) throw new RangeError(`a stall fee cannot be negative: ${cents}`);
    return cents;
  };
  const byMaker = new Map<Id, MakerFeeDue>();
  for (const assignment of assignments) {
    const entry = byMaker.get(assignment.makerId) ?? {
      makerId: assignment.makerId,
      stallIds: [],
      dueCents: 0,
    };
    entry.stallIds.push(assignment.stallId);
    entry.dueCents += feeOf(assignment.stallId);
    byMaker.set(assignment.makerId, entry);
  }
  const makers = [...byMaker.values()];
  return { makers, totalCents: makers.reduce((sum, v) => sum + v.dueCents, 0) };
}

export type FeeStatus = 'nothing-due' | 'unpaid' | 'part-paid' | 'paid' | 'overpaid';

/**
 * nothing-due: no fee and nothing paid; unpaid: a fee and nothing paid; part-paid: less
 * than the fee; paid: exactly the fee; overpaid: more than the fee (a refund is owed).
 */
export function feeStatus(dueCents: Cents, paidCents: Cents): FeeStatus {
  assertCents(dueCents, 'fee due');
  assertCents(paidCents, 'fee paid');
  if (paidCents > dueCents) return 'overpaid';
  if (dueCents === 0) return 'nothing-due';
  if (paidCents === dueCents) return 'paid';
  return paidCents <= 0 ? 'unpaid' : 'part-paid';
}

export interface MakerFeeLine extends MakerFeeDue {
  paidCents: Cents;
  /** What this maker still owes (never negative). */
  outstandingCents: Cents;
  /** Paid beyond the fee, to refund (never negative). */
  overpaidCents: Cents;
  status: FeeStatus;
}

/**
 * The fees panel: each maker's fee, payment and status. Makers who paid but no longer have
 * a stall are listed too (their payment is overpaid and owed back).
 */
export function feeOverview(
  due: { makers: readonly MakerFeeDue[] },
  paidByMaker: Readonly<Partial<Record<Id, Cents>>>,
): {
  makers: MakerFeeLine[];
  dueCents: Cents;
  paidCents: Cents;
  outstandingCents: Cents;
  overpaidCents: Cents;
} {
  const lines: MakerFeeLine[] = due.makers.map((v) => line(v, paidByMaker[v.makerId] ?? 0));
  const listed = new Set(due.makers.map((v) => v.makerId));
  for (const [makerId, paid] of Object.entries(paidByMaker)) {
    if (!listed.has(makerId) && paid !== undefined && paid !== 0) {
      lines.push(line({ makerId, stallIds: [], dueCents: 0 }, paid));
    }
  }
  const sum = (pick: (l: MakerFeeLine) => number) => lines.reduce((s, l) => s + pick(l), 0);
  return {
    makers: lines,
    dueCents: sum((l) => l.dueCents),
    paidCents: sum((l) => l.paidCents),
    outstandingCents: sum((l) => l.outstandingCents),
    overpaidCents: sum((l) => l.overpaidCents),
  };
}

function line(due: MakerFeeDue, paidCents: Cents): MakerFeeLine {
  return {
    ...due,
    stallIds: [...due.stallIds],
    paidCents,
    outstandingCents: Math.max(0, due.dueCents - paidCents),
    overpaidCents: Math.max(0, paidCents - due.dueCents),
    status: feeStatus(due.dueCents, paidCents),
  };
}

// ---------------------------------------------------------------------------------------
// What the maker's device shows

export interface MapItemView {
  id: Id;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface StallMapView {
  width: number;
  height: number;
  /** Every stall by label only (never who stands there); the maker's own is highlighted. */
  stalls: (MapItemView & { highlighted: boolean })[];
  landmarks: (MapItemView & { kind: LandmarkKind })[];
}

interface EventHeader {
  eventId: Id;
  eventName: string;
  date: string;
  place: string;
  opensAt: string | null;
  closesAt: string | null;
}

export type MakerStallView =
  | ({ kind: 'not-published' } & EventHeader)
  | ({ kind: 'no-stall' } & EventHeader)
  | ({
      kind: 'assigned';
      stallId: Id;
      stallLabel: string;
      stallNotes: string;
      power: boolean;
      table: boolean;
      foodHygiene: boolean;
      arrivalTime: string | null;
      instructions: string;
      /** 1-based column and row of the stall's top-left cell, to say where it is in words. */
      column: number;
      row: number;
      /** The closest landmark (cells to walk, counted along the grid), or null. */
      nearestLandmark: { kind: LandmarkKind; label: string; distance: number } | null;
      map: StallMapView;
    } & EventHeader);

/**
 * Everything a maker's device needs to show their stall with no network: plain JSON, so the
 * synced copy can be stored and rendered offline. A draft event shows nothing
 * ('not-published'); an assignment for another maker, for another event or for a stall that
 * no longer exists counts as 'no-stall'.
 */
export function makerStallView(
  makerId: Id,
  event: Pick<MarketEvent, 'id' | 'name' | 'date' | 'place' | 'opensAt' | 'closesAt' | 'status'>,
  map: Pick<StallMap, 'width' | 'height'>,
  stalls: readonly Stall[],
  landmarks: readonly Landmark[],
  assignment: StallAssignment | null,
): MakerStallView {
  const header: EventHeader = {
    eventId: event.id,
    eventName: event.name,
    date: event.date,
    place: event.place,
    opensAt: event.opensAt,
    closesAt: event.closesAt,
  };
  if (event.status === 'draft') return { kind: 'not-published', ...header };
  const stall =
    assignment && assignment.makerId === makerId && assignment.eventId === event.id
      ? stalls.find((s) => s.id === assignment.stallId && s.eventId === event.id)
      : undefined;
  if (!assignment || !stall) return { kind: 'no-stall', ...header };

  const item = (r: Rect & { id: Id; label: string }): MapItemView => ({
    id: r.id,
    label: r.label,
    x: r.x,
    y: r.y,
    width: r.width,
    height: r.height,
  });
  const eventLandmarks = landmarks.filter((l) => l.eventId === event.id);
  return {
    kind: 'assigned',
    ...header,
    stallId: stall.id,
    stallLabel: stall.label,
    stallNotes: stall.notes,
    power: stall.power,
    table: stall.table,
    foodHygiene: stall.foodHygiene,
    arrivalTime: assignment.arrivalTime,
    instructions: assignment.instructions,
    column: stall.x + 1,
    row: stall.y + 1,
    nearestLandmark: nearestLandmark(stall, eventLandmarks),
    map: {
      width: map.width,
      height: map.height,
      stalls: stalls
        .filter((s) => s.eventId === event.id)
        .map((s) => ({ ...item(s), highlighted: s.id === stall.id })),
      landmarks: eventLandmarks.map((l) => ({ ...item(l), kind: l.kind })),
    },
  };
}

/** Cells to walk between two rectangles along the grid (0 when they touch or overlap). */
export function gridDistance(a: Rect, b: Rect): number {
  const dx = Math.max(0, b.x - (a.x + a.width), a.x - (b.x + b.width));
  const dy = Math.max(0, b.y - (a.y + a.height), a.y - (b.y + b.height));
  return dx + dy;
}

function nearestLandmark(
  stall: Rect,
  landmarks: readonly Landmark[],
): { kind: LandmarkKind; label: string; distance: number } | null {
  let best: { kind: LandmarkKind; label: string; distance: number } | null = null;
  for (const landmark of landmarks) {
    const distance = gridDistance(stall, landmark);
    const better =
      best === null ||
      distance < best.distance ||
      (distance === best.distance &&
        LANDMARK_KINDS.indexOf(landmark.kind) < LANDMARK_KINDS.indexOf(best.kind));
    if (better) best = { kind: landmark.kind, label: landmark.label, distance };
  }
  return best;
}
