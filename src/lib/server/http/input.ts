// Reading a body against an API contract's schema (src/lib/organiser/contract.ts, the
// accounts schemas), telling two kinds of bad input apart:
//   - 400 validation_failed: not the agreed shape (a wrong type, a missing or unknown field,
//     a value outside an enum, a malformed id or token): the caller's code is wrong;
//   - 422 invalid_value: the right shape, but a value is refused: text with NUL or a lone
//     surrogate ('unsafe-text', src/lib/safe-text.ts), a length or number out of bounds,
//     a fraction where a whole number belongs. A person may have typed it.
// Either way every issue names its field (`path`, e.g. "contact.phone.value") and nothing
// is changed.
import { z } from 'zod';
import { UNSAFE_TEXT_CODE } from '../../domain/text';
import { readJson, summaryOf, type ReadJsonOptions } from './body';
import { ApiError } from './errors';

export interface InputIssue {
  path: string;
  message: string;
  /** For a refused value: what is wrong, for the UI to translate. */
  code?: string;
}

type ZodIssue = z.core.$ZodIssue;

/** The code of a refused value, or null when the issue is about the shape. */
export function valueIssueCode(issue: ZodIssue): string | null {
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array' ? 'too-long' : 'out-of-range';
    case 'too_small':
      if (issue.origin === 'string' || issue.origin === 'array') {
        return Number(issue.minimum) <= 1 ? 'required' : 'too-short';
      }
      return 'out-of-range';
    case 'not_multiple_of':
      return 'not-whole';
    case 'custom': {
      // A refinement that names its code (safeText's 'unsafe-text') is about a value; one
      // that does not (e.g. "makerId is only for helper invitations") is about the shape.
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      return typeof code === 'string' ? code : null;
    }
    case 'invalid_type':
      // A number where a whole number belongs (1.5, or Infinity from 1e400): a value.
      if (
        (issue.expected === 'int' || issue.expected === 'number') &&
        typeof issue.input === 'number'
      ) {
        return Number.isFinite(issue.input) ? 'not-whole' : 'out-of-range';
      }
      return null;
    default:
      return null;
  }
}

/** Checks parsed input against a contract schema: 400 for the shape, 422 for a value. */
export function checkInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'request body',
): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const found = result.error.issues.map((issue) => ({ issue, code: valueIssueCode(issue) }));
  const shapeWrong = found.some((f) => f.code === null);
  const issues: InputIssue[] = found.map(({ issue, code }) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
    ...(code === null || shapeWrong ? {} : { code }),
  }));
  if (shapeWrong) {
    throw new ApiError(
      400,
      'validation_failed',
      `The ${what} is not valid (${summaryOf(issues)}).`,
      issues,
    );
  }
  const unsafe = found.some((f) => f.code === UNSAFE_TEXT_CODE);
  throw new ApiError(
    422,
    'invalid_value',
    `The ${what} has a value that cannot be accepted${unsafe ? ' (text must be valid Unicode without NUL)' : ''}: ${summaryOf(issues)}.`,
    issues,
  );
}

/** Reads a JSON body (413/415/400 as readJson) and checks it with checkInput. */
export async function readInput<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: ReadJsonOptions = {},
): Promise<z.output<S>> {
  const parsed: unknown = await readJson(request, z.unknown(), options);
  return checkInput(schema, parsed);
}
