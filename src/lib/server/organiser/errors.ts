// The domain's refusals as API errors: a status, a code the screens branch on, a plain
// sentence a developer can act on, and one issue per problem carrying the domain's own code
// (for the UI to translate) and the field it is about.
import type { EventDetailsErrorCode } from '$lib/domain/organiser/event-lifecycle';
import {
  LANDMARK_KINDS,
  type LandmarkProblem,
  type MapConflict,
  type StallProblem,
} from '$lib/domain/organiser/stall-map';
import { ApiError, notFound, type ValidationIssue } from '$lib/server/http';

export interface DomainIssue extends ValidationIssue {
  /** The domain's code, e.g. 'overlaps', 'label-taken', 'required'. */
  code: string;
}

export function domainError(
  status: 409 | 422,
  code: string,
  message: string,
  issues: DomainIssue[] = [],
): ApiError {
  return new ApiError(status, code, message, issues.length > 0 ? issues : undefined);
}

function sentence(issues: readonly DomainIssue[]): string {
  return issues.map((issue) => issue.message).join(' ');
}

/** Field errors as { field: code } (validateEventDetails, validateProfile, …) to issues. */
export function fieldIssues(
  errors: Readonly<Partial<Record<string, string>>>,
  describe: (field: string, code: string) => string,
): DomainIssue[] {
  return Object.entries(errors)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([path, code]) => ({ path, code, message: describe(path, code) }));
}

const DETAIL_WORDS: Record<EventDetailsErrorCode, string> = {
  required: 'is required',
  'too-long': 'is too long',
  'invalid-date': 'is not a real date (YYYY-MM-DD)',
  'date-in-past': 'is in the past',
  'invalid-time': 'is not a time of day (HH:MM)',
  'closes-before-opens': 'must be after the opening time',
};

export function eventDetailsInvalid(
  errors: Readonly<Partial<Record<string, EventDetailsErrorCode>>>,
): ApiError {
  const issues = fieldIssues(
    errors,
    (field, code) => `${field} ${DETAIL_WORDS[code as EventDetailsErrorCode] ?? code}.`,
  );
  return domainError(422, 'event_details_invalid', `The event is not valid: ${sentence(issues)}`, [
    ...issues,
  ]);
}

function stallProblemMessage(problem: StallProblem | { code: string }): string {
  switch (problem.code) {
    case 'empty-label':
      return 'A stall needs a label.';
    case 'label-too-long':
      return 'A stall label is at most 12 characters.';
    case 'label-taken':
      return `The label "${(problem as { label: string }).label}" is already used by another stall.`;
    case 'notes-too-long':
      return 'Stall notes are at most 500 characters.';
    case 'not-whole-cells':
      return 'Positions and sizes are whole cells.';
    case 'too-small':
      return 'A stall is at least 1 x 1 cell.';
    case 'off-map':
      return 'The stall would lie (partly) off the map.';
    case 'overlaps':
      return `The stall would overlap stall ${(problem as { label: string }).label}.`;
    case 'covers-landmark':
      return `The stall would cover the ${(problem as { kind: string }).kind} landmark.`;
    case 'map-full':
      return 'There is no free spot of that size left on the map.';
    default:
      return `Stall problem: ${problem.code}.`;
  }
}

const STALL_FIELD: Record<string, string> = {
  'empty-label': 'label',
  'label-too-long': 'label',
  'label-taken': 'label',
  'notes-too-long': 'notes',
};

export function stallInvalid(problems: readonly (StallProblem | { code: string })[]): ApiError {
  const issues = problems.map((problem) => ({
    path: STALL_FIELD[problem.code] ?? 'position',
    code: problem.code,
    message: stallProblemMessage(problem),
    ...('stallId' in problem ? { stallId: problem.stallId } : {}),
  }));
  return domainError(422, 'stall_invalid', `The stall was not saved. ${sentence(issues)}`, issues);
}

function landmarkProblemMessage(problem: LandmarkProblem | { code: string }): string {
  switch (problem.code) {
    case 'unknown-kind':
      return `A landmark is one of: ${LANDMARK_KINDS.join(', ')}.`;
    case 'label-too-long':
      return 'A landmark label is at most 40 characters.';
    case 'off-map':
      return 'The landmark would lie (partly) off the map.';
    case 'covered-by-stall':
      return `The landmark would be under stall ${(problem as { label: string }).label}.`;
    case 'overlaps-landmark':
      return 'The landmark would overlap another landmark.';
    default:
      return stallProblemMessage(problem);
  }
}

export function landmarkInvalid(
  problems: readonly (LandmarkProblem | { code: string })[],
): ApiError {
  const issues = problems.map((problem) => ({
    path: problem.code === 'label-too-long' ? 'label' : 'position',
    code: problem.code,
    message: landmarkProblemMessage(problem),
  }));
  return domainError(
    422,
    'landmark_invalid',
    `The landmark was not saved. ${sentence(issues)}`,
    issues,
  );
}

export function mapInvalid(conflicts: readonly MapConflict[]): ApiError {
  const issues = conflicts.map((conflict) => {
    if (conflict.code === 'map-size') {
      return {
        path: 'size',
        code: conflict.problem,
        message: `The map is 1..100 whole cells each way (${conflict.problem}).`,
      };
    }
    const label = 'label' in conflict ? ` ${conflict.label}` : '';
    return {
      path: 'size',
      code: conflict.code,
      message: `That size would leave${label} off the map (${conflict.code}).`,
    };
  });
  return domainError(422, 'map_invalid', `The map size was not saved. ${sentence(issues)}`, issues);
}

export const eventNotFound = (eventId: string) =>
  notFound(`There is no event ${eventId} in your organisation.`);
