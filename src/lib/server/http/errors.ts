// One error shape for every endpoint of ours, so a developer (or the device's sync code)
// can act on it: { error: { code, message, issues? } }.

export interface ValidationIssue {
  /** Where in the input, e.g. "mutations.3.lines.0.quantity"; "" for the whole body. */
  path: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: ValidationIssue[] };
}

/** Thrown inside an `api()` handler; becomes a JSON error response. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: ValidationIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function jsonError(
  status: number,
  code: string,
  message: string,
  issues?: ValidationIssue[],
  headers?: Record<string, string>,
): Response {
  const body: ErrorBody = { error: issues ? { code, message, issues } : { code, message } };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export function errorResponse(error: ApiError): Response {
  return jsonError(error.status, error.code, error.message, error.issues, error.headers);
}

export const unauthorized = (message = 'Sign in first: this needs a valid session.') =>
  new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
