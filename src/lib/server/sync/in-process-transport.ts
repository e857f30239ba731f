// The in-memory twin of the fetch transport: the device's requests go through the very
// endpoint functions the routes use (body limits, JSON parsing, validation, error answers),
// against a test database, without HTTP. A thrown non-API error becomes a 500, as
// SvelteKit would answer it.
import type { Db } from '$lib/server/db';
import { PushResponseSchema } from '$lib/sync/protocol';
import { PullAnswerSchema, readAnswer, type SyncTransport } from '$lib/sync/transport';
import { pullEndpoint, pushEndpoint } from './endpoints';

export interface InProcessTransportOptions {
  db: Db;
  /** Who is signed in right now (null: the session expired). Read on every request. */
  userId: () => string | null;
}

function jsonRequest(path: string, body: unknown): Request {
  return new Request(`http://kraam.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function orServerError(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return new Response(JSON.stringify({ error: { code: 'internal', message } }), {
      status: 500,
      headers: { 'content-type': 'application/json' },
    });
  }
}

export function createInProcessTransport(options: InProcessTransportOptions): SyncTransport {
  return {
    async push(request) {
      const response = await orServerError(() =>
        pushEndpoint(options.db, options.userId(), jsonRequest('/api/sync/push', request)),
      );
      return readAnswer(response, PushResponseSchema);
    },
    async pull(request) {
      const response = await orServerError(() =>
        pullEndpoint(options.db, options.userId(), jsonRequest('/api/sync/pull', request)),
      );
      return readAnswer(response, PullAnswerSchema);
    },
  };
}
