// Assertion helpers for the organiser specs. Test code only.
import { ApiError } from '$lib/server/http';

/** The ApiError a promise rejects with (fails the test if it resolves or throws another). */
export async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

/** The domain codes of a refusal's issues, in order. */
export function issueCodes(error: ApiError): string[] {
  return (error.issues ?? []).map((issue) => (issue as { code?: string }).code ?? '?');
}
