/**
 * The stall map in words: accessible names of stalls and landmarks, conflicts, refusals and
 * what an edit did. Shared by the organiser's editor and the maker's stall view.
 */
import type { LandmarkKind, MapConflict } from '$lib/domain/organiser/stall-map';
import type { AssignmentConflict } from '$lib/domain/organiser/assignments';
import type { EventStatus } from '$lib/domain/types';
import { formatList } from '$lib/domain/list';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { EditOutcome, Refusal } from '$lib/state/map-editor.svelte';

export function landmarkKindName(kind: LandmarkKind | string): string {
  switch (kind) {
    case 'entrance':
      return m.org_landmark_entrance();
    case 'stage':
      return m.org_landmark_stage();
    case 'toilet':
      return m.org_landmark_toilet();
    case 'power':
      return m.org_landmark_power();
    case 'water':
      return m.org_landmark_water();
    case 'first-aid':
      return m.org_landmark_first_aid();
    case 'information':
      return m.org_landmark_information();
    default:
      return m.org_landmark_other();
  }
}

/** "Ingang Noord" or just "Ingang" when the landmark has no words of its own. */
export function landmarkName(landmark: { kind: LandmarkKind | string; label: string }): string {
  const kind = landmarkKindName(landmark.kind);
  return landmark.label.trim() ? `${kind} ${landmark.label.trim()}` : kind;
}

type StallNeedsAndSize = {
  width: number;
  height: number;
  power: boolean;
  table: boolean;
  foodHygiene: boolean;
};

/** What a stall is beyond its label and maker: "kraam 2 bij 1", "stroom", "tafel". */
function stallParts(stall: StallNeedsAndSize): string[] {
  const parts: string[] = [m.org_map_stall_details({ width: stall.width, height: stall.height })];
  if (stall.power) parts.push(m.org_need_power());
  if (stall.table) parts.push(m.org_need_table());
  if (stall.foodHygiene) parts.push(m.org_need_food());
  return parts;
}

/**
 * "A3 Atelier Amira, kraam 2 bij 1, stroom": a stall button's whole accessible name. The
 * visible text ("A3" and the maker's name) comes first, so the name starts with what a
 * speech-control user sees (WCAG 2.5.3); the parts are joined as the language joins them.
 */
export function stallName(
  stall: StallNeedsAndSize & { label: string },
  maker?: string | null,
): string {
  const visible = `${stall.label}${maker ? ` ${maker}` : ''}`;
  return formatList([visible, ...stallParts(stall)], getLocale(), 'parts');
}

export function statusName(status: EventStatus): string {
  switch (status) {
    case 'draft':
      return m.org_status_draft();
    case 'published':
      return m.org_status_published();
    case 'open':
      return m.org_status_open();
    case 'closed':
      return m.org_status_closed();
  }
}

/** The button that moves an event to `to` from `from`. */
export function transitionLabel(from: EventStatus, to: EventStatus): string {
  if (to === 'published') return m.org_transition_publish();
  if (to === 'draft') return m.org_transition_unpublish();
  if (to === 'open') return from === 'closed' ? m.org_transition_reopen() : m.org_transition_open();
  return m.org_transition_close();
}

function thing(ref: { label: string; kind?: string }): string {
  return ref.kind !== undefined ? landmarkName({ kind: ref.kind, label: ref.label }) : ref.label;
}

/** One line of the conflicts list. */
export function mapConflictText(conflict: MapConflict): string {
  switch (conflict.code) {
    case 'map-size':
      return m.org_conflict_map_size();
    case 'stall-empty-label':
      return m.org_conflict_empty_label();
    case 'stall-label-too-long':
      return m.org_conflict_label_long({ label: conflict.label });
    case 'duplicate-label':
      return m.org_conflict_duplicate({ label: conflict.label });
    case 'stall-too-small':
    case 'stall-not-whole-cells':
      return m.org_conflict_stall_size({ label: conflict.label });
    case 'stall-off-map':
      return m.org_conflict_off_map({ label: conflict.label });
    case 'stalls-overlap':
      return m.org_conflict_overlap({ a: conflict.stalls[0].label, b: conflict.stalls[1].label });
    case 'stall-covers-landmark':
      return m.org_conflict_covers({
        label: conflict.stall.label,
        landmark: thing(conflict.landmark),
      });
    case 'landmark-off-map':
    case 'landmark-too-small':
    case 'landmark-not-whole-cells':
      return m.org_conflict_off_map({ label: thing(conflict) });
    case 'landmarks-overlap':
      return m.org_conflict_overlap({
        a: thing(conflict.landmarks[0]),
        b: thing(conflict.landmarks[1]),
      });
  }
}

export function assignmentConflictText(
  conflict: AssignmentConflict,
  makerName: (makerId: string) => string,
): string {
  switch (conflict.code) {
    case 'needs-power':
      return m.org_conflict_needs_power({
        maker: makerName(conflict.makerId),
        label: conflict.label,
      });
    case 'needs-table':
      return m.org_conflict_needs_table({
        maker: makerName(conflict.makerId),
        label: conflict.label,
      });
    case 'needs-food-hygiene':
      return m.org_conflict_needs_food({
        maker: makerName(conflict.makerId),
        label: conflict.label,
      });
    case 'stall-double-booked':
      return m.org_conflict_double_booked({ label: conflict.label });
    case 'maker-multiple-stalls':
      return m.org_conflict_many_stalls({
        maker: makerName(conflict.makerId),
        labels: formatList(conflict.labels, getLocale()),
      });
    case 'unknown-stall':
      return m.org_conflict_gone_stall({ maker: makerName(conflict.makerId) });
  }
}

/** Why a move, drop or resize was refused, in words (one problem is enough to act on). */
function refusalReason(problem: Refusal): string {
  switch (problem.code) {
    case 'off-map':
      return m.org_refused_off_map();
    case 'overlaps':
    case 'covered-by-stall':
      return m.org_refused_overlaps({ label: problem.label ?? '' });
    case 'covers-landmark':
    case 'overlaps-landmark':
      return m.org_refused_overlaps({
        label: landmarkName({ kind: problem.kind ?? 'other', label: problem.label ?? '' }),
      });
    case 'too-small':
      return m.org_refused_too_small();
    default:
      return m.org_refused_other();
  }
}

/** The thing an outcome is about: "A2", or a landmark by its kind's name ("Ingang Noord"). */
function subject(outcome: { label: string; landmarkKind?: LandmarkKind }): string {
  return outcome.landmarkKind
    ? landmarkName({ kind: outcome.landmarkKind, label: outcome.label })
    : outcome.label;
}

function describeOutcome(outcome: EditOutcome): string {
  switch (outcome.kind) {
    case 'moved':
      return m.org_outcome_moved({
        label: subject(outcome),
        column: outcome.column,
        row: outcome.row,
      });
    case 'resized':
      return m.org_outcome_resized({
        label: subject(outcome),
        width: outcome.width,
        height: outcome.height,
      });
    case 'refused': {
      const words = {
        label: subject(outcome),
        reason: outcome.problems[0] ? refusalReason(outcome.problems[0]) : m.org_refused_other(),
      };
      if (outcome.via === 'undo') return m.org_outcome_undo_refused(words);
      if (outcome.via === 'redo') return m.org_outcome_redo_refused(words);
      return outcome.resize ? m.org_outcome_refused_resize(words) : m.org_outcome_refused(words);
    }
    case 'server-refused':
      return outcome.label || outcome.landmarkKind
        ? m.org_outcome_server_refused({ label: subject(outcome), reason: outcome.message })
        : m.org_outcome_map_refused({ reason: outcome.message });
    case 'added':
      return m.org_outcome_added({ label: subject(outcome) });
    case 'deleted':
      return m.org_outcome_deleted({ label: subject(outcome) });
    case 'changed':
      return m.org_outcome_changed({ label: subject(outcome) });
    case 'map-resized':
      return m.org_outcome_map_resized({ width: outcome.width, height: outcome.height });
    case 'no-room':
      return m.org_outcome_no_room();
  }
}

/** What the last edit did, for the live region under the map ("Ongedaan: A2 verwijderd."). */
export function outcomeText(outcome: EditOutcome | null): string {
  if (!outcome) return '';
  const text = describeOutcome(outcome);
  if (outcome.kind === 'refused') return text;
  if (outcome.via === 'undo') return m.org_outcome_undone({ text });
  if (outcome.via === 'redo') return m.org_outcome_redone({ text });
  return text;
}
