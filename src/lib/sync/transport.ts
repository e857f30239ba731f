/**
 * How the device talks to the sync endpoints. One interface, two implementations: fetch
 * (the app) and an in-process twin that calls the server's handlers against a test
 * database (src/lib/server/sync/in-process-transport.ts). Both map answers the same way,
 * through `readAnswer`, so the engine sees identical failures from either.
 */
import {
  ErrorBodySchema,
  PushResponseSchema,
  type PullRequest,
  type PullResponse,
  type PushRequestOut,
  type PushResponse,
} from './protocol';
import { checkPullAnswer } from './pull-check';
import { TransportError, type TransportFailure } from './transport-error';

export { TransportError, type TransportFailure };

export interface SyncTransport {
  push(request: PushRequestOut): Promise<PushResponse>;
  pull(request: PullRequest): Promise<PullResponse>;
}

export function failureOfStatus(status: number): TransportFailure {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status >= 500 || status === 429 || status === 408) return 'server';
  return 'rejected';
}

/** What reads an answer's body: a zod schema, or a check that gives what its schema gives. */
export interface AnswerSchema<T> {
  safeParse(body: unknown): { success: true; data: T } | { success: false };
}

/**
 * A pull answer's check: what `PullResponseSchema.safeParse` gives, the common change kinds
 * checked without zod (pull-check.ts).
 */
export const PullAnswerSchema: AnswerSchema<PullResponse> = { safeParse: checkPullAnswer };

/** Turns an HTTP answer into the validated body, or throws the matching TransportError. */
export async function readAnswer<T>(response: Response, schema: AnswerSchema<T>): Promise<T> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const parsed = ErrorBodySchema.safeParse(body);
    const message = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
    throw new TransportError(failureOfStatus(response.status), message, response.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new TransportError(
      'server',
      'The server answered with something that is not a sync answer.',
      response.status,
    );
  }
  return parsed.data;
}

export interface FetchTransportOptions {
  /** Origin of the server; default: the page's own. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Give up waiting for an answer after this long (ms); the outbox is untouched. */
  timeoutMs?: number;
}

export function createFetchTransport(options: FetchTransportOptions = {}): SyncTransport {
  const base = options.baseUrl ?? '';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const call = async <T>(path: string, body: unknown, schema: AnswerSchema<T>) => {
    const doFetch = options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TransportError('offline', `No answer from the server (${reason}).`);
    }
    return readAnswer(response, schema);
  };
  return {
    push: (request) => call('/api/sync/push', request, PushResponseSchema),
    pull: (request) => call('/api/sync/pull', request, PullAnswerSchema),
  };
}
