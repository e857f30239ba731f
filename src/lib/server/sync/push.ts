// POST /api/sync/push: a device's outbox batch, applied in ONE transaction and answered only
// after it committed [G4]. SPEC.md has the rules; the steps:
//   1. bind the device to the account (another account's device: 403);
//   2. epoch check: a device that synced with another epoch gets epochChanged, nothing applied;
//   3. sequence plan: replays are duplicates, the next numbers apply, a gap stops [G3];
//   4. each mutation to apply is validated on its own: a malformed one is rejected and its
//      number is still consumed [G7];
//   5. load and lock, apply in device order in memory, write in bulk, log every number.
import { and, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import type { Mutation } from '$lib/domain/types';
import { getServerEpoch, type Db, type Tx } from '$lib/server/db';
import { syncDevices, syncMutations } from '$lib/server/db/schema';
import { forbidden, unauthorized, validate } from '$lib/server/http';
import {
  saleRecordProblem,
  saleVoidProblem,
  stockMovementProblem,
} from '$lib/sync/mutation-checks';
import {
  MutationSchema,
  PROTOCOL_VERSION,
  PushRequestSchema,
  type MutationResult,
  type PushRequest,
  type PushResponse,
} from '$lib/sync/protocol';
import { loadAccount, VendorResolver } from './account';
import { applyMutation, type Verdict } from './batch-apply';
import { ConcurrentChangeError, flushBatch } from './batch-flush';
import { loadBatch } from './batch-load';
import { mutationHash } from './canonical';
import { planSequence } from './sequence';
import { hasUnstorableText, storable } from './text';

interface Entry {
  seq: number;
  hash: string;
  raw: unknown;
}

type Parsed =
  { entry: Entry; mutation: Mutation } | { entry: Entry; problem: string; type: string };

export interface PushHooks {
  /**
   * Test hook: runs inside the batch's transaction after every write, before COMMIT.
   * Throwing aborts the batch, as a crash before commit would (docs/sync-faults.md fault 2).
   */
  beforeCommit?: () => Promise<void> | void;
}

/** Handles a push for the signed-in user (null: 401). Throws ApiError for 4xx answers. */
export async function handlePush(
  db: Db,
  userId: string | null,
  body: unknown,
  hooks: PushHooks = {},
): Promise<PushResponse> {
  if (!userId)
    throw unauthorized('Sign in to sync: the server needs to know whose sales these are.');
  const request = validate(PushRequestSchema, body, 'push request');
  return withRetry(() =>
    db.transaction(async (tx) => {
      const response = await pushInTransaction(tx, userId, request);
      await hooks.beforeCommit?.();
      return response;
    }),
  );
}

const RETRYABLE_CODES = new Set(['40P01', '40001', '23505']);
const MAX_ATTEMPTS = 6;

function isRetryable(error: unknown): boolean {
  if (error instanceof ConcurrentChangeError) return true;
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Deadlocks and races between devices of one vendor are resolved by running the batch again. */
async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

async function bindDevice(tx: Tx, deviceId: string, userId: string) {
  await tx.insert(syncDevices).values({ id: deviceId, userId }).onConflictDoNothing();
  const [device] = await tx
    .select()
    .from(syncDevices)
    .where(eq(syncDevices.id, deviceId))
    .for('update');
  if (!device) throw new Error(`device ${deviceId} vanished inside its own transaction`);
  if (device.userId !== userId) {
    throw forbidden(
      'This device is linked to another account. Sign in with that account to send its sales.',
    );
  }
  return device;
}

function parseEntry(entry: Entry, deviceId: string): Parsed {
  const raw = entry.raw as { type?: unknown } | null;
  const type = typeof raw?.type === 'string' ? raw.type.slice(0, 40) : 'unknown';
  const parsed = MutationSchema.safeParse(entry.raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join('.') || '(mutation)';
    return { entry, type, problem: `invalid ${type}: ${where}: ${issue?.message ?? 'invalid'}` };
  }
  if (hasUnstorableText(entry.raw)) {
    return { entry, type, problem: 'text contains a NUL or an unpaired surrogate character' };
  }
  const mutation = parsed.data as Mutation;
  const problem =
    mutation.type === 'sale.record'
      ? saleRecordProblem(mutation, deviceId)
      : mutation.type === 'sale.void'
        ? saleVoidProblem(mutation, deviceId)
        : mutation.type === 'stock.movement'
          ? stockMovementProblem(mutation, deviceId)
          : null;
  return problem ? { entry, type, problem } : { entry, mutation };
}

function vendorIdsOf(mutations: readonly Mutation[]): string[] {
  const out: string[] = [];
  for (const m of mutations) {
    if (m.type === 'sale.record') out.push(m.sale.vendorId);
    if (m.type === 'product.upsert') out.push(m.product.vendorId);
  }
  return out;
}

async function loggedEntries(tx: Tx, deviceId: string, seqs: number[]) {
  if (seqs.length === 0) return [];
  return tx
    .select({
      seq: syncMutations.seq,
      hash: syncMutations.hash,
      status: syncMutations.status,
      reason: syncMutations.reason,
      flags: syncMutations.flags,
    })
    .from(syncMutations)
    .where(and(eq(syncMutations.deviceId, deviceId), inArray(syncMutations.seq, seqs)));
}

async function pushInTransaction(
  tx: Tx,
  userId: string,
  request: PushRequest,
): Promise<PushResponse> {
  const epoch = await getServerEpoch(tx);
  const device = await bindDevice(tx, request.deviceId, userId);
  const base = { protocol: PROTOCOL_VERSION, epoch } as const;
  if (request.epoch !== null && request.epoch !== epoch) {
    return { ...base, acknowledgedUpTo: device.lastAppliedSeq, results: [], epochChanged: true };
  }

  const entries: Entry[] = request.mutations.map(({ seq, mutation }) => ({
    seq,
    raw: mutation,
    hash: mutationHash(mutation),
  }));
  const replayed = entries.filter((e) => e.seq <= device.lastAppliedSeq).map((e) => e.seq);
  const logged = new Map((await loggedEntries(tx, device.id, replayed)).map((r) => [r.seq, r]));
  const plan = planSequence(
    entries,
    device.lastAppliedSeq,
    new Map([...logged].map(([seq, row]) => [seq, row.hash])),
  );

  const parsed = new Map<number, Parsed>();
  for (const step of plan.steps) {
    if (step.kind === 'apply') parsed.set(step.entry.seq, parseEntry(step.entry, device.id));
  }
  const valid = [...parsed.values()].flatMap((p) => ('mutation' in p ? [p.mutation] : []));

  const account = await loadAccount(tx, userId);
  const candidates = [request.vendorId, ...vendorIdsOf(valid)].filter((v): v is string => !!v);
  const resolver = await VendorResolver.create(tx, account, candidates);
  const state = await loadBatch(tx, device.id, account, resolver, valid);

  const results: MutationResult[] = [];
  for (const step of plan.steps) {
    const { seq } = step.entry;
    if (step.kind === 'duplicate') {
      const before = logged.get(seq);
      results.push({
        seq,
        status: 'duplicate',
        ...(before?.reason ? { reason: `${before.status}: ${before.reason}` } : {}),
        ...(before?.flags.length ? { flags: before.flags } : {}),
      });
      continue;
    }
    const p = parsed.get(seq);
    if (!p) continue;
    const verdict: Verdict =
      'mutation' in p
        ? applyMutation(state, p.mutation, seq)
        : { status: 'rejected', reason: p.problem };
    results.push({ seq, ...verdict });
    state.log.push({
      deviceId: device.id,
      seq,
      status: verdict.status,
      type: 'mutation' in p ? p.mutation.type : p.type,
      reason: verdict.reason ?? null,
      flags: verdict.flags ?? [],
      hash: step.entry.hash,
      body: verdict.status === 'rejected' ? storable(step.entry.raw) : null,
    });
  }

  await flushBatch(tx, state);
  const highestSeq = Math.max(device.highestSeq, request.highestSeq ?? 0, plan.lastApplied);
  await tx
    .update(syncDevices)
    .set({
      lastAppliedSeq: plan.lastApplied,
      highestSeq,
      vendorId: resolver.sellingVendorId,
      lastPushAt: sql`now()`,
    })
    .where(eq(syncDevices.id, device.id));

  const others = await tx
    .select({
      deviceId: syncDevices.id,
      acknowledgedUpTo: syncDevices.lastAppliedSeq,
      highestSeq: syncDevices.highestSeq,
    })
    .from(syncDevices)
    .where(
      and(
        eq(syncDevices.userId, userId),
        ne(syncDevices.id, device.id),
        gt(syncDevices.highestSeq, syncDevices.lastAppliedSeq),
      ),
    );

  return {
    ...base,
    acknowledgedUpTo: plan.lastApplied,
    results,
    ...(plan.gap ? { gap: plan.gap } : {}),
    ...(others.length > 0 ? { otherDevices: others } : {}),
  };
}
