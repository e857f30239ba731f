// Reading request bodies at the edge: bounded in size (413), JSON only (415), parsed
// (400 invalid_json) and validated with a zod schema (400 validation_failed with issues).
// Nothing is read past the limit and nothing is changed on bad input: handlers get only
// validated data.
import type { z } from 'zod';
import { ApiError, type ValidationIssue } from './errors';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ReadJsonOptions {
  /** Largest body accepted, in bytes (default 1 MB). */
  maxBytes?: number;
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(
    413,
    'payload_too_large',
    `The request body is larger than this endpoint accepts (${maxBytes} bytes).`,
  );
}

/**
 * The body's bytes, refusing as soon as it grows past maxBytes (by its declared length or
 * while reading, so nothing past the limit is read): `refuse` makes the error (413 by
 * default; an endpoint may word it for what it takes, e.g. a photo).
 */
export async function readBodyBytes(
  request: Request,
  maxBytes: number,
  refuse: () => ApiError = () => tooLarge(maxBytes),
): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw refuse();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw refuse();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The body as text, refusing (413) as soon as it grows past maxBytes. */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const bytes = await readBodyBytes(request, maxBytes);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** "path: message" of the first issue, and how many more (for an error message). */
export function summaryOf(issues: readonly ValidationIssue[]): string {
  const first = issues[0];
  const head = first ? `${first.path || '(root)'}: ${first.message}` : 'invalid';
  return issues.length > 1 ? `${head}, and ${issues.length - 1} more` : head;
}

export function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** Validates already-parsed input (query, params, JSON) or throws a 400 naming each issue. */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'request body',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  throw new ApiError(
    400,
    'validation_failed',
    `The ${what} is not valid (${summaryOf(issues)}).`,
    issues,
  );
}

/** Reads, parses and validates a JSON body. */
export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: ReadJsonOptions = {},
): Promise<z.output<S>> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Send the body as JSON with "content-type: application/json" (got "${type || 'none'}").`,
    );
  }
  const text = await readBodyText(request, maxBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      400,
      'invalid_json',
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  return validate(schema, parsed);
}
