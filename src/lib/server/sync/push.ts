// POST /api/sync/push: a device's outbox batch, applied in ONE transaction and answered only
// after it committed [G4]. SPEC.md has the rules; the steps:
//   1. bind the device to the account (another account's device: 403);
//   2. epoch check: a device that synced with another epoch gets epochChanged, nothing applied;
//   3. sequence plan: replays are duplicates, the next numbers apply, a gap stops [G3];
//   4. each mutation to apply is validated on its own: a malformed one is rejected and its
//      number is still consumed [G7];
//   5. load and lock, apply in device order in memory, write in bulk, log every number;
//   6. should the database still refuse the batch for a reason no check foresaw, the batch is
//      run again with its mutations isolated in savepoints (halving the failing part), so
//      the one it refuses is logged as rejected ('server-could-not-apply') and its number
//      consumed, and the rest applies [G7].
import { and, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import { clockAheadBy } from '$lib/domain/clock-skew';
import { lowestFreeDeviceCode } from '$lib/domain/device-code';
import type { Mutation } from '$lib/domain/types';
import { queryRows, ReusedStatement, type Db, type Tx } from '$lib/server/db';
import { syncDevices, syncMutations } from '$lib/server/db/schema';
import { ApiError, forbidden, unauthorized, validate } from '$lib/server/http';
import {
  saleRecordProblem,
  linkSettleProblem,
  refundRecordProblem,
  saleVoidProblem,
  stockMovementProblem,
} from '$lib/sync/mutation-checks';
import {
  MutationSchema,
  PROTOCOL_VERSION,
  PushRequestSchema,
  TooLargeMarkerSchema,
  type MutationResult,
  type PushRequest,
  type PushResponse,
} from '$lib/sync/protocol';
import {
  accountFromRows,
  accountRowsQuery,
  MakerResolver,
  type AccountRow,
  type SyncAccount,
} from './account';
import { applyMutation, type Verdict } from './batch-apply';
import { ConcurrentChangeError, flushBatch, type FlushTail } from './batch-flush';
import { loadBatch } from './batch-load';
import { currentPushRequest, legacyNames, mentionsRenamedKey } from '$lib/sync/legacy-names';
import { canonicalJson, hashCanonical } from './canonical';
import { fastSaleRecord } from './fast-sale';
import { planSequence } from './sequence';
import type { BatchState, LogRow } from './batch-state';
import {
  hasUnstorableText,
  MAX_MUTATION_DEPTH,
  mayHoldUnstorableText,
  nestedDeeperThan,
  storableLabel,
  storableText,
  storedBody,
} from './text';

interface Entry {
  seq: number;
  hash: string;
  legacyHash?: () => string;
  raw: unknown;
  /** The canonical JSON the hash was made of (kept as the body of a rejected oddity). */
  canonical: string;
  /** Set when the fast path (fast-sale.ts) found it certainly valid: zod is not asked. */
  valid?: Mutation;
}

type Parsed =
  { entry: Entry; mutation: Mutation } | { entry: Entry; problem: string; type: string };

export interface PushHooks {
  /**
   * Test hook: runs inside the batch's transaction after every write, before COMMIT.
   * Throwing aborts the batch, as a crash before commit would (docs/sync-faults.md fault 2).
   */
  beforeCommit?: () => Promise<void> | void;
  /**
   * Test hook: runs inside the batch's transaction right after the device row is locked (so
   * the transaction already holds its txid), before any product is read or locked. Lets a
   * test commit another device's push in between (docs/sync-faults.md fault 28).
   */
  afterDeviceLock?: () => Promise<void> | void;
  /** Test hook: the server's clock (default Date.now), for `clockAheadMs`. */
  now?: () => number;
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
  // An app released before the rename uses the old names: read them in the current names.
  const request = validate(PushRequestSchema, currentPushRequest(body), 'push request');
  // Canonical form and fingerprint depend on the request only: made once, not per attempt.
  const entries: Entry[] = request.mutations.map(({ seq, mutation }) => {
    // A sale is checked and written out in one pass (fast-sale.ts); anything else by zod later.
    const fast = fastSaleRecord(mutation);
    const valid = fast ? { valid: fast.mutation } : {};
    const canonical = fast?.canonical ?? canonicalJson(mutation);
    const hash = hashCanonical(canonical);
    // A number the server logged before the rename holds the old names' fingerprint.
    // Made only when a replay's fingerprint differs (sequence.ts), so a push pays nothing.
    if (!mentionsRenamedKey(canonical)) return { seq, raw: mutation, canonical, hash, ...valid };
    const legacyHash = () => hashCanonical(canonicalJson(legacyNames(mutation)));
    return { seq, raw: mutation, canonical, hash, legacyHash, ...valid };
  });
  const attempt = (mode: ApplyMode) =>
    withRetry(() =>
      db.transaction(async (tx) => {
        const response = await pushInTransaction(tx, userId, request, entries, mode, hooks);
        await hooks.beforeCommit?.();
        return response;
      }),
    );
  try {
    return await attempt('batch');
  } catch (error) {
    if (!(error instanceof BatchRefusedError)) throw error;
    return attempt('isolate');
  }
}

/**
 * batch: every mutation in one go (the fast path). isolate: mutations applied in
 * savepoints, the failing part halved until the mutation the database refuses is alone.
 */
type ApplyMode = 'batch' | 'isolate';

/** The database refused the batch's writes for a reason that is not a race: isolate it. */
class BatchRefusedError extends Error {
  constructor(cause: unknown) {
    super('the database refused a mutation of the batch', { cause });
    this.name = 'BatchRefusedError';
  }
}

/** The string `code`s of an error and its causes, outermost first (drizzle wraps the driver's). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}

/** The first string `code` of an error or its causes. */
function errorCode(error: unknown): string | null {
  return codesOf(error)[0] ?? null;
}

/** The SQLSTATE of a database error, if it is one. */
function sqlState(error: unknown): string | null {
  const code = errorCode(error);
  return code !== null && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/**
 * Could this error be caused by what one mutation carries (a value the database refuses,
 * or our own code failing on it)? Not a race (retried), an API answer, or the server itself
 * being unwell: lost connection (08), out of resources (53), shutting down (57), system
 * or internal errors (58, XX), a driver or network error — those fail every mutation alike
 * and are answered 5xx, so the device keeps the batch and sends it again later.
 */
function isMutationFault(error: unknown): boolean {
  if (error instanceof ApiError || isRetryable(error)) return false;
  const code = errorCode(error);
  if (code === null) return true; // our own code failing on what a mutation carries
  const state = sqlState(error);
  // A code that is no SQLSTATE is the driver's or the system's (ECONNRESET, CONNECTION_ENDED).
  return state !== null && !/^(08|53|57|58|XX)/.test(state);
}

function refusalReason(error: unknown): string {
  const state = sqlState(error);
  const message =
    error instanceof Error
      ? ((error.cause as Error | undefined)?.message ?? error.message)
      : String(error);
  const detail = storableLabel(message.split('\n')[0] ?? '', 200);
  return `server-could-not-apply: the database refused this mutation${state ? ` (${state})` : ''}: ${detail}`;
}

/**
 * Races between pushes, never a mutation's fault: a deadlock, a serialization failure, a
 * row another push inserted first, and a lock another push held longer than the server's
 * lock_timeout (55P03, when its operator set one: lock-timeout.spec.ts).
 */
const RETRYABLE_CODES = new Set(['40P01', '40001', '23505', '55P03']);
const MAX_ATTEMPTS = 6;

/**
 * Where PostgreSQL refuses a statement kept prepared on a connection (db/rows.ts) that a
 * migration made stale: it changed the type of a column the statement returns ("cached plan
 * must not change result type"), or the statement is gone. postgres.js's own list: it then
 * forgets the statement on that connection, and prepares it anew when the batch runs again.
 * The server's state, never what a mutation carries: retried, never a mutation's rejection.
 */
const STALE_STATEMENT_ROUTINES = new Set(['RevalidateCachedQuery', 'FetchPreparedStatement']);
/**
 * Runs of a batch such refusals may cost beyond MAX_ATTEMPTS: one per connection and stale
 * statement (DATABASE_POOL_SIZE connections, a push's few statements). Past it the batch
 * counts as any retried one: a 5xx after MAX_ATTEMPTS, and the device sends it again later.
 */
const MAX_STALE_STATEMENTS = 64;

function isStaleStatement(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const routine = (e as { routine?: unknown }).routine;
    if (typeof routine === 'string' && STALE_STATEMENT_ROUTINES.has(routine)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof ConcurrentChangeError || isStaleStatement(error)) return true;
  return codesOf(error).some((code) => RETRYABLE_CODES.has(code));
}

/** Deadlocks and races between devices of one maker are resolved by running the batch again. */
async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1, stale = 0; ;) {
    try {
      return await run();
    } catch (error) {
      // Each stale statement fails once per connection, and is then prepared anew: not counted.
      if (isStaleStatement(error) && ++stale <= MAX_STALE_STATEMENTS) continue;
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      attempt++;
    }
  }
}

interface BoundDevice {
  id: string;
  userId: string;
  makerId: string | null;
  lastAppliedSeq: number;
  highestSeq: number;
  code: string | null;
}

/**
 * Binds the device to the account on its first push and locks its row (an upsert that
 * changes nothing locks the existing row as SELECT ... FOR UPDATE would, and reads its latest
 * committed version), reading the server's epoch and the account's memberships and makers
 * in the same round trip. Those are read in the statement's snapshot, taken before the
 * device's lock was granted: a push of the same device that committed meanwhile and adopted
 * a maker (account.ts) makes this one's adoption hit the unique key (23505), and the batch
 * runs again with what it committed (withRetry).
 */
const BIND_DEVICE = new ReusedStatement<{
  id: string;
  user_id: string;
  maker_id: string | null;
  last_applied_seq: number | string;
  highest_seq: number | string;
  code: string | null;
  epoch: string | null;
  account: string | null;
}>(
  sql`with bound as (
      insert into sync_devices (id, user_id)
      values (${sql.placeholder('deviceId')}, ${sql.placeholder('userId')})
      on conflict (id) do update set user_id = sync_devices.user_id
      returning id, user_id, maker_id, last_applied_seq, highest_seq, code)
    select bound.*, (select value from server_meta where key = 'epoch') as epoch,
      (select json_agg(a order by a.kind, a.created_at, a.row_id)::text
        from (${accountRowsQuery(sql.placeholder('userId'))}) a) as account
    from bound`,
);

async function bindDevice(tx: Tx, deviceId: string, userId: string) {
  const [row] = await BIND_DEVICE.rows(tx, { deviceId, userId });
  if (!row) throw new Error(`device ${deviceId} vanished inside its own transaction`);
  if (!row.epoch) throw new Error('The database has no server epoch: was it migrated?');
  if (row.user_id !== userId) {
    throw forbidden(
      'This device is linked to another account. Sign in with that account to send its sales.',
    );
  }
  const device: BoundDevice = {
    id: row.id,
    userId: row.user_id,
    makerId: row.maker_id,
    lastAppliedSeq: Number(row.last_applied_seq),
    highestSeq: Number(row.highest_seq),
    code: row.code,
  };
  const accountRows = row.account ? (JSON.parse(row.account) as AccountRow[]) : [];
  return { device, epoch: row.epoch, accountRows };
}

/** The mutation's type as the log can store it (any string a device sent, made storable). */
function typeLabel(raw: unknown): string {
  const type = (raw as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? storableLabel(type, 40) : 'unknown';
}

function parseEntry(entry: Entry, deviceId: string): Parsed {
  if (entry.valid) return checkedEntry(entry, entry.valid, 'sale.record', deviceId);
  const type = typeLabel(entry.raw);
  if (nestedDeeperThan(entry.raw, MAX_MUTATION_DEPTH)) {
    return {
      entry,
      type,
      problem: `invalid ${type}: nested deeper than ${MAX_MUTATION_DEPTH} levels`,
    };
  }
  // Only a marker is checked as one: a failed parse builds its issues, for every mutation.
  const marker =
    (entry.raw as { type?: unknown } | null)?.type === 'too-large'
      ? TooLargeMarkerSchema.safeParse(entry.raw)
      : null;
  if (marker?.success) {
    const { of, bytes } = marker.data;
    return {
      entry,
      type,
      problem: storableText(
        `too-large: the device keeps a ${of} of ${bytes} bytes that no push can carry`,
      ),
    };
  }
  const parsed = MutationSchema.safeParse(entry.raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join('.') || '(mutation)';
    const problem = `invalid ${type}: ${where}: ${issue?.message ?? 'invalid'}`;
    // A message may quote what was sent: keep it storable and short.
    return { entry, type, problem: storableLabel(problem, 500) };
  }
  return checkedEntry(entry, parsed.data as Mutation, type, deviceId);
}

/** The checks after the schema's: text the database can store, then the mutation's own. */
function checkedEntry(entry: Entry, mutation: Mutation, type: string, deviceId: string): Parsed {
  if (mayHoldUnstorableText(entry.canonical) && hasUnstorableText(entry.raw)) {
    return { entry, type, problem: 'text contains a NUL or an unpaired surrogate character' };
  }
  const problem =
    mutation.type === 'sale.record'
      ? saleRecordProblem(mutation, deviceId)
      : mutation.type === 'sale.void'
        ? saleVoidProblem(mutation, deviceId)
        : mutation.type === 'stock.movement'
          ? stockMovementProblem(mutation, deviceId)
          : mutation.type === 'refund.record'
            ? refundRecordProblem(mutation, deviceId)
            : mutation.type === 'link.settle'
              ? linkSettleProblem(mutation, deviceId)
              : null;
  return problem ? { entry, type, problem } : { entry, mutation };
}

function makerIdsOf(mutations: readonly Mutation[]): string[] {
  const out: string[] = [];
  for (const m of mutations) {
    if (m.type === 'sale.record') out.push(m.sale.makerId);
    if (m.type === 'product.upsert') out.push(m.product.makerId);
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

interface Scope {
  deviceId: string;
  deviceCode: string | null;
  /** The server's clock when the push arrived. */
  receivedAt: number;
  account: SyncAccount;
  resolver: MakerResolver;
}

function logRow(deviceId: string, p: Parsed, verdict: Verdict): LogRow {
  const { entry } = p;
  return {
    deviceId,
    seq: entry.seq,
    status: verdict.status,
    type: 'mutation' in p ? p.mutation.type : p.type,
    reason: verdict.reason === undefined ? null : storableText(verdict.reason),
    flags: verdict.flags ?? [],
    hash: entry.hash,
    body: verdict.status === 'rejected' ? storedBody(entry.raw, entry.canonical) : null,
  };
}

/**
 * Loads, applies (in device order, in memory) and writes `part` of the batch with its log
 * rows. Throws when the database refuses a write; then nothing of the part may be kept.
 */
async function applyPart(tx: Tx, scope: Scope, part: readonly Parsed[], tail?: FlushTail) {
  const valid = part.flatMap((p) => ('mutation' in p ? [p.mutation] : []));
  const state: BatchState = await loadBatch(
    tx,
    scope.deviceId,
    scope.account,
    scope.resolver,
    valid,
  );
  state.deviceCode = scope.deviceCode;
  state.receivedAt = scope.receivedAt;
  const verdicts = new Map<number, Verdict>();
  for (const p of part) {
    const { seq } = p.entry;
    const verdict: Verdict =
      'mutation' in p
        ? applyMutation(state, p.mutation, seq)
        : { status: 'rejected', reason: p.problem };
    verdicts.set(seq, verdict);
    state.log.push(logRow(scope.deviceId, p, verdict));
  }
  const read = await flushBatch(tx, state, tail);
  return { verdicts, read };
}

/**
 * The last line of defence [G7]: applies `part` in a savepoint; when the database refuses
 * it, halves it and tries each half in order, until the refused mutation is alone. That one
 * is logged as rejected with the database's reason, its body kept, its number consumed.
 * k refused mutations among n cost about k * log2(n) extra savepoints.
 */
async function isolate(
  tx: Tx,
  scope: Scope,
  part: readonly Parsed[],
  verdicts: Map<number, Verdict>,
): Promise<void> {
  if (part.length === 0) return;
  let refusal: unknown;
  try {
    const applied = await tx.transaction((savepoint) => applyPart(savepoint, scope, part));
    for (const [seq, verdict] of applied.verdicts) verdicts.set(seq, verdict);
    return;
  } catch (error) {
    if (!isMutationFault(error)) throw error;
    refusal = error;
  }
  const [only] = part;
  if (part.length === 1 && only) {
    const verdict: Verdict = { status: 'rejected', reason: refusalReason(refusal) };
    const parsedAsRejected: Parsed =
      'mutation' in only ? { entry: only.entry, type: only.mutation.type, problem: '' } : only;
    await tx.insert(syncMutations).values(logRow(scope.deviceId, parsedAsRejected, verdict));
    verdicts.set(only.entry.seq, verdict);
    return;
  }
  const middle = Math.ceil(part.length / 2);
  await isolate(tx, scope, part.slice(0, middle), verdicts);
  await isolate(tx, scope, part.slice(middle), verdicts);
}

async function pushInTransaction(
  tx: Tx,
  userId: string,
  request: PushRequest,
  entries: readonly Entry[],
  mode: ApplyMode,
  hooks: PushHooks,
): Promise<PushResponse> {
  const { device, epoch, accountRows } = await bindDevice(tx, request.deviceId, userId);
  await hooks.afterDeviceLock?.();
  const base = { protocol: PROTOCOL_VERSION, epoch } as const;
  if (request.epoch !== null && request.epoch !== epoch) {
    return { ...base, acknowledgedUpTo: device.lastAppliedSeq, results: [], epochChanged: true };
  }

  const replayed = entries.filter((e) => e.seq <= device.lastAppliedSeq).map((e) => e.seq);
  const logged = new Map((await loggedEntries(tx, device.id, replayed)).map((r) => [r.seq, r]));
  const plan = planSequence(
    entries,
    device.lastAppliedSeq,
    new Map([...logged].map(([seq, row]) => [seq, row.hash])),
  );

  const toApply: Parsed[] = [];
  for (const step of plan.steps) {
    if (step.kind === 'apply') toApply.push(parseEntry(step.entry, device.id));
  }
  const valid = toApply.flatMap((p) => ('mutation' in p ? [p.mutation] : []));

  const account = await accountFromRows(tx, userId, accountRows);
  const candidates = [request.makerId, ...makerIdsOf(valid)].filter((v): v is string => !!v);
  const resolver = await MakerResolver.create(tx, account, candidates);
  const deviceCode = await assignDeviceCode(tx, device, resolver.sellingMakerId);
  const receivedAt = hooks.now?.() ?? Date.now();
  const scope: Scope = { deviceId: device.id, deviceCode, receivedAt, account, resolver };
  const clockAheadMs =
    request.sentAt === undefined ? null : clockAheadBy(request.sentAt, receivedAt);

  // The device's new state, and its account's other devices still waiting: in batch mode
  // part of the batch's write statement, in isolate mode one statement after the parts.
  const highestSeq = Math.max(device.highestSeq, request.highestSeq ?? 0, plan.lastApplied);
  const tail: FlushTail = {
    write: sql`update sync_devices set last_applied_seq = ${plan.lastApplied},
      highest_seq = ${highestSeq}, maker_id = ${resolver.sellingMakerId}, last_push_at = now()
      where id = ${device.id}`,
    read: sql`select json_agg(json_build_object('id', id, 'a', last_applied_seq, 'h', highest_seq)
        order by id)::text
      from sync_devices
      where user_id = ${userId} and id <> ${device.id} and highest_seq > last_applied_seq`,
  };
  const verdicts = new Map<number, Verdict>();
  let waitingText: unknown;
  if (mode === 'batch') {
    try {
      const applied = await applyPart(tx, scope, toApply, tail);
      for (const [seq, verdict] of applied.verdicts) verdicts.set(seq, verdict);
      waitingText = applied.read;
    } catch (error) {
      if (isMutationFault(error)) throw new BatchRefusedError(error);
      throw error;
    }
  } else {
    await isolate(tx, scope, toApply, verdicts);
    const [row] = await queryRows<{ read: unknown }>(
      tx,
      sql`with updated as (${tail.write}) select (${tail.read}) as read`,
    );
    waitingText = row?.read;
  }

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
    const verdict = verdicts.get(seq);
    if (verdict) results.push({ seq, ...verdict });
  }

  const waiting =
    typeof waitingText === 'string'
      ? (JSON.parse(waitingText) as { id: string; a: number | string; h: number | string }[])
      : [];
  const others = waiting.map((row) => ({
    deviceId: row.id,
    acknowledgedUpTo: Number(row.a),
    highestSeq: Number(row.h),
  }));

  return {
    ...base,
    acknowledgedUpTo: plan.lastApplied,
    results,
    ...(plan.gap ? { gap: plan.gap } : {}),
    ...(others.length > 0 ? { otherDevices: others } : {}),
    ...(deviceCode ? { deviceCode } : {}),
    ...(clockAheadMs !== null ? { clockAheadMs } : {}),
  };
}

/** The class of the transaction lock that gives one maker's devices their codes in turn. */
const DEVICE_CODE_LOCK_CLASS = 726_311;

/**
 * The device's code among the devices of the maker it sells for (SPEC.md, "Device codes"):
 * kept once given, given the lowest free one at the first push that knows the maker or when
 * the device starts selling for another maker. The maker's codes are given one device at a
 * time (a transaction lock per maker, taken after the device's row and before any product):
 * devices taking the same free code at once would each run again (23505, withRetry), one
 * winner a round, so a maker's seventh new device pushing at once ran out of attempts.
 */
async function assignDeviceCode(
  tx: Tx,
  device: { id: string; makerId: string | null; code: string | null },
  makerId: string | null,
): Promise<string | null> {
  if (makerId === null) return device.code;
  if (device.code !== null && device.makerId === makerId) return device.code;
  await queryRows(
    tx,
    sql`select pg_advisory_xact_lock(${DEVICE_CODE_LOCK_CLASS}, hashtext(${makerId}))::text`,
  );
  const taken = await tx
    .select({ code: syncDevices.code })
    .from(syncDevices)
    .where(
      and(
        eq(syncDevices.makerId, makerId),
        ne(syncDevices.id, device.id),
        isNotNull(syncDevices.code),
      ),
    );
  const code = lowestFreeDeviceCode(taken.flatMap((row) => (row.code ? [row.code] : [])));
  await tx.update(syncDevices).set({ code, makerId }).where(eq(syncDevices.id, device.id));
  return code;
}
