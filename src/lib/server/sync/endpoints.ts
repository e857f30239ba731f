// The sync endpoints as plain Request -> Response functions: the routes under
// src/routes/api/sync call them, and so does the in-memory transport in tests, so both go
// through the same body limits, parsing and error answers.
import type { Db } from '$lib/server/db';
import { ApiError, errorResponse, json, jsonText, readJson, unauthorized } from '$lib/server/http';
import { z } from 'zod';
import { MAX_PULL_BYTES, MAX_PUSH_BYTES, PROTOCOL_VERSION } from '$lib/sync/protocol';
import { legacyPullResponse, MAKER_NAMES_FEATURE, readsMakerNames } from '$lib/sync/legacy-names';
import { afterPushCommitted } from './fault';
import { pullAnswer, pullAnswerText, pullResponseOf, type PullAnswer } from './pull';
import { handlePush } from './push';

async function answer(run: () => Promise<unknown>): Promise<Response> {
  return respond(async () => json(await run()));
}

async function respond(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error);
    throw error;
  }
}

let refundsPushed: (() => void) | null = null;

/**
 * Called after a push that carried refunds committed (never inside its transaction): the
 * server then asks the payment provider to refund their electronic part (docs/payments.md).
 */
export function onRefundsPushed(listener: () => void): void {
  refundsPushed = listener;
}

function carriesRefunds(body: unknown): boolean {
  const mutations = (body as { mutations?: unknown } | null)?.mutations;
  return (
    Array.isArray(mutations) &&
    mutations.some(
      (m) => (m as { mutation?: { type?: unknown } } | null)?.mutation?.type === 'refund.record',
    )
  );
}

/** POST /api/sync/push (JSON body, at most MAX_PUSH_BYTES). */
export function pushEndpoint(db: Db, userId: string | null, request: Request): Promise<Response> {
  return answer(async () => {
    // 401 before reading anything: an anonymous caller learns nothing about the body rules.
    if (!userId) throw unauthorized('Sign in to sync.');
    const body = await readJson(request, z.unknown(), { maxBytes: MAX_PUSH_BYTES });
    const result = await handlePush(db, userId, body);
    // handlePush returns after its transaction committed. A no-op unless the process was
    // started with KRAAM_FAULT (test-only fault injection, fault.ts).
    afterPushCommitted();
    if (refundsPushed && carriesRefunds(body)) refundsPushed();
    return result;
  });
}

/**
 * The page as an app reads it: the feed's JSON text as it is for an app that reads the
 * maker names, the old names (objects rewritten) for one released before the rename (SPEC.md
 * "Names before the rename").
 */
function pullResponse(page: PullAnswer, readsMakers: boolean): Response {
  return readsMakers
    ? jsonText(pullAnswerText(page))
    : json(legacyPullResponse(pullResponseOf(page)));
}

/** POST /api/sync/pull with a JSON body, or GET with ?deviceId=&cursor=&limit=. */
export function pullEndpoint(db: Db, userId: string | null, request: Request): Promise<Response> {
  return respond(async () => {
    if (!userId) throw unauthorized('Sign in to sync.');
    if (request.method === 'GET') {
      const params = new URL(request.url).searchParams;
      const limit = params.get('limit');
      const features = params.getAll('feature');
      const page = await pullAnswer(db, userId, {
        protocol: Number(params.get('protocol') ?? PROTOCOL_VERSION),
        deviceId: params.get('deviceId'),
        cursor: params.get('cursor') || null,
        ...(limit !== null ? { limit: Number(limit) } : {}),
        ...(features.length > 0 ? { features } : {}),
      });
      return pullResponse(page, features.includes(MAKER_NAMES_FEATURE));
    }
    const body = await readJson(request, z.unknown(), { maxBytes: MAX_PULL_BYTES });
    return pullResponse(await pullAnswer(db, userId, body), readsMakerNames(body));
  });
}
