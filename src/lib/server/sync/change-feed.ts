// The change feed devices pull from, and the one way to write it.
//
// Cursor rule (SPEC.md): rows are read in (txid, id) order and only from transactions older
// than the oldest one still running (`pg_snapshot_xmin(pg_current_snapshot())`). Identity
// ids are handed out when a row is inserted, not when its transaction commits, so a plain
// `id > cursor` can pass a row whose transaction commits later and skip it for ever. Every
// transaction below the snapshot's xmin has finished, so nothing can appear behind the
// cursor any more.
import { createHash } from 'node:crypto';
import { and, asc, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { queryRows, ReusedStatement, type Db, type Tx } from '$lib/server/db';
import { syncChanges } from '$lib/server/db/schema';
import type { MarketEvent, Stall, StallAssignment } from '$lib/domain/types';
import type { Change } from '$lib/sync/protocol';
import { insertRows } from './bulk-insert';

/** Who may pull a change: the maker's sellers, or (makerId null) the organisation's members. */
export interface ChangeAudience {
  makerId: string | null;
  organisationId: string | null;
}

export interface ChangeInput extends ChangeAudience {
  change: Change;
}

const INSERT_CHUNK = 500;
/** txid (the writing transaction) and id (in input order) come from the columns' defaults. */
const CHANGE_KEYS = ['entity', 'entityId', 'op', 'makerId', 'organisationId', 'data'] as const;

function entityIdOf(change: Change): string {
  if (change.entity === 'sale') return change.data.sale.id;
  if (change.entity === 'refund') return change.data.refund.id;
  if (change.entity === 'refund_status') return change.data.refundId;
  return change.data.id;
}

/**
 * Appends changes to the feed inside the caller's transaction: they become visible to pulls
 * when (and only if) it commits. Everyone who changes synced data calls this in the same
 * transaction as the change itself.
 */
export async function recordChanges(tx: Tx | Db, inputs: readonly ChangeInput[]): Promise<void> {
  for (const insert of changeInserts(inputs)) await tx.execute(insert);
}

/**
 * The INSERT statements `recordChanges` runs, for a caller that sends them together with its
 * other writes in one statement (sync/batch-flush.ts); same rows, same order.
 */
export function changeInserts(inputs: readonly ChangeInput[]): SQL[] {
  const out: SQL[] = [];
  for (let i = 0; i < inputs.length; i += INSERT_CHUNK) {
    const rows = inputs.slice(i, i + INSERT_CHUNK).map((input) => ({
      entity: input.change.entity,
      entityId: entityIdOf(input.change),
      op: input.change.op,
      makerId: input.makerId,
      organisationId: input.organisationId,
      data: input.change.data,
    }));
    out.push(insertRows(syncChanges, CHANGE_KEYS, rows));
  }
  return out;
}

/**
 * An organiser's event (seen by the organisation) or a maker's own (seen by that maker).
 * `version`: the row's version, sent with a maker's own event (written by pushes, whose txid
 * order need not be commit order; SPEC.md pull rules, fault 28). Organiser writes lock the
 * event before their first write, so their txid order is commit order: they send none.
 */
export function eventChange(
  event: MarketEvent,
  ownerMakerId: string | null,
  version?: number,
): ChangeInput {
  return {
    change: {
      entity: 'event',
      op: 'upsert',
      data: version === undefined ? event : { ...event, version },
    },
    makerId: ownerMakerId,
    organisationId: ownerMakerId ? null : event.organisationId,
  };
}

export function stallChange(stall: Stall, organisationId: string): ChangeInput {
  return { change: { entity: 'stall', op: 'upsert', data: stall }, makerId: null, organisationId };
}

/** An assignment is seen by the maker it assigns (and nobody else through sync). */
export function assignmentChange(assignment: StallAssignment): ChangeInput {
  return {
    change: { entity: 'stall_assignment', op: 'upsert', data: assignment },
    makerId: assignment.makerId,
    organisationId: null,
  };
}

export function deletionChange(
  entity: 'product' | 'event' | 'stall' | 'stall_assignment',
  id: string,
  audience: ChangeAudience,
): ChangeInput {
  return { change: { entity: 'deleted', op: 'delete', data: { entity, id } }, ...audience };
}

// ---------------------------------------------------------------------------------------
// Reading

/** Both parts are decimal strings: an xid8 and a bigint can pass 2^53. */
export interface FeedPosition {
  txid: string;
  id: string;
}

export function parseCursor(cursor: string | null): FeedPosition {
  if (cursor === null) return { txid: '0', id: '0' };
  const [txid = '0', id = '0'] = cursor.split('.');
  return { txid: decimal(txid), id: decimal(id) };
}

/**
 * A cursor's number in its one decimal form, without leading zeros: PostgreSQL reads an xid8
 * written with a leading zero as octal ('0100' is 64), and this module compares positions as
 * decimal texts (`compareDecimal`). Anything but digits is left as it is (CursorSchema refuses it).
 */
function decimal(digits: string): string {
  return /^\d+$/.test(digits) ? BigInt(digits).toString() : digits;
}

export function formatCursor(position: FeedPosition): string {
  return `${position.txid}.${position.id}`;
}

export interface FeedScope {
  makerIds: readonly string[];
  organisationIds: readonly string[];
}

export interface FeedPage {
  changes: Change[];
  /** Position after the last change returned (the request's own when none). */
  next: FeedPosition;
  hasMore: boolean;
}

function visibleTo(scope: FeedScope): SQL {
  return (
    or(
      inArray(syncChanges.makerId, [...scope.makerIds]),
      and(
        isNull(syncChanges.makerId),
        inArray(syncChanges.organisationId, [...scope.organisationIds]),
      ),
    ) ?? sql`false`
  );
}

/**
 * The horizon: every transaction with an id below it has finished, so every change below it
 * that will ever exist is already visible. It is read ONCE per page and used by both queries
 * of the page: read afresh by the second query it could have moved on, and changes between
 * the two horizons would be neither returned nor reported as held back (the device would
 * think it had everything). `next` is the first transaction id not yet handed out: no change
 * of this cluster can be at or beyond it (a cursor that is comes from another cluster).
 */
export interface FeedHorizon {
  horizon: string;
  next: string;
}

/**
 * The horizon's query (one row: `horizon`, `next`), for a caller that reads it with other
 * things in one statement (sync/pull.ts) and hands it to `readFeed`.
 */
export const HORIZON_QUERY = sql`select pg_snapshot_xmin(s)::text as horizon,
    pg_snapshot_xmax(s)::text as next
  from (select pg_current_snapshot() as s) snapshot`;

/** The horizon a caller read (`HORIZON_QUERY`), checked. */
export function feedHorizon(row: Partial<FeedHorizon> | undefined): FeedHorizon {
  if (!row?.horizon || !row.next) throw new Error('no snapshot horizon');
  return { horizon: row.horizon, next: row.next };
}

async function readHorizon(db: Db): Promise<FeedHorizon> {
  return feedHorizon((await queryRows<{ horizon: string; next: string }>(db, HORIZON_QUERY))[0]);
}

function after(position: FeedPosition): SQL {
  return sql`(${syncChanges.txid}, ${syncChanges.id}) > (${position.txid}::xid8, ${position.id}::bigint)`;
}

function upTo(position: FeedPosition): SQL {
  return sql`(${syncChanges.txid}, ${syncChanges.id}) <= (${position.txid}::xid8, ${position.id}::bigint)`;
}

async function readRows(db: Db, where: SQL | undefined, limit: number) {
  return db
    .select({
      id: syncChanges.id,
      txid: sql<string>`${syncChanges.txid}::text`,
      entity: syncChanges.entity,
      op: syncChanges.op,
      // As JSON text: a pull answer carries it as it is, never parsed and written again.
      data: sql<string>`${syncChanges.data}::text`,
    })
    .from(syncChanges)
    .where(where)
    .orderBy(asc(syncChanges.txid), asc(syncChanges.id))
    .limit(limit);
}

type FeedRow = Awaited<ReturnType<typeof readRows>>[number];

/**
 * A change as the feed hands it out: its kind (for the app's features) and the change as
 * JSON text, ready for a pull answer (`{"entity":…,"op":…,"data":…}`; `data` is the stored
 * jsonb's own text, so a page of changes is never parsed and serialised again on the way).
 */
export interface FeedChange {
  entity: Change['entity'];
  json: string;
}

function toFeedChange(row: { entity: string; op: string; data: string }): FeedChange {
  return {
    entity: row.entity as Change['entity'],
    json: `{"entity":${JSON.stringify(row.entity)},"op":${JSON.stringify(row.op)},"data":${row.data}}`,
  };
}

/** The change a feed change's text holds. */
export function parseFeedChange(change: FeedChange): Change {
  return JSON.parse(change.json) as Change;
}

function positionOf(row: FeedRow): FeedPosition {
  return { txid: row.txid, id: String(row.id) };
}

/** One page of the changes `scope` may see, after `from`, never past a running transaction. */
export async function readChanges(
  db: Db,
  scope: FeedScope,
  from: FeedPosition,
  limit: number,
): Promise<FeedPage> {
  const page = await readFrom(db, scope, from, limit, (await readHorizon(db)).horizon);
  return { ...page, changes: page.changes.map(parseFeedChange) };
}

/** A PostgreSQL array literal of texts (`{"a","b"}`), for a `$n::text[]` parameter. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/**
 * A page of the feed and whether anything is held back behind it, as ONE statement whose
 * text never changes (the scope goes in as two arrays), built when the module loads and on
 * PostgreSQL prepared once per connection: a small pull's page is one round trip.
 *
 * Its rows: up to `limit` (the caller asks one more than it hands out) changes the scope may
 * see after the position, below the horizon, in feed order (`held` false); then at most one
 * (`held` true) the scope may see after the position at or beyond the horizon: committed
 * but written by a transaction newer than one still running, so not safe to hand out yet
 * (the device is told to come back). Read in the same statement as the page, so from the
 * same snapshot: when the page is the last (`limit` not reached), a held change after the
 * position is one after the page's last change too (every change of the page is below the
 * horizon).
 */
const FEED_PAGE = new ReusedStatement<{
  id: number | string;
  txid: string;
  entity: string | null;
  op: string | null;
  data: string | null;
  held: boolean;
}>(sql`select id, txid::text as txid, entity, op, data, held from (
    (select id, txid, entity, op, data::text as data, false as held
      from sync_changes
      where (txid, id) > (${sql.placeholder('fromTxid')}::xid8, ${sql.placeholder('fromId')}::bigint)
        and txid < ${sql.placeholder('horizon')}::xid8
        and (maker_id = any(${sql.placeholder('makers')}::text[])
          or (maker_id is null and organisation_id = any(${sql.placeholder('organisations')}::text[])))
      order by txid, id
      limit ${sql.placeholder('limit')})
    union all
    (select id, txid, null, null, null, true
      from sync_changes
      where (txid, id) > (${sql.placeholder('heldTxid')}::xid8, ${sql.placeholder('heldId')}::bigint)
        and (maker_id = any(${sql.placeholder('makers')}::text[])
          or (maker_id is null and organisation_id = any(${sql.placeholder('organisations')}::text[])))
      limit 1)
  ) page`);

/** Orders two decimal strings of non-negative integers (xid8 and bigint text) as numbers. */
function compareDecimal(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function comparePosition(a: FeedPosition, b: FeedPosition): number {
  return compareDecimal(a.txid, b.txid) || compareDecimal(a.id, b.id);
}

/** The smallest bigint: below every id of the feed. */
const BEFORE_EVERY_ID = '-9223372036854775808';

/**
 * Where the held-back part of `FEED_PAGE` starts: after `from` and at or beyond the horizon,
 * as one position, the later of the two, so the feed-order index is read from there (a
 * position and a separate `txid >= horizon` made it walk every change after `from`: a whole
 * feed for a fresh device, page after page).
 */
function heldAfter(from: FeedPosition, horizon: string): { heldTxid: string; heldId: string } {
  const beforeHorizon = { txid: horizon, id: BEFORE_EVERY_ID };
  const bound = compareDecimal(from.txid, horizon) >= 0 ? from : beforeHorizon;
  return { heldTxid: bound.txid, heldId: bound.id };
}

async function readFrom(
  db: Db,
  scope: FeedScope,
  from: FeedPosition,
  limit: number,
  horizon: string,
): Promise<Omit<FeedPage, 'changes'> & { changes: FeedChange[] }> {
  const rows = await FEED_PAGE.rows(db, {
    fromTxid: from.txid,
    fromId: from.id,
    horizon,
    ...heldAfter(from, horizon),
    makers: textArray(scope.makerIds),
    organisations: textArray(scope.organisationIds),
    limit: limit + 1,
  });
  const found = rows
    .filter((row) => !row.held)
    .map((row) => ({ row, position: { txid: row.txid, id: String(row.id) } }));
  // The page's part comes in feed order (its own ORDER BY); a union promises nothing about
  // the order of its parts' rows as a whole, so the order is checked (one pass) and made.
  if (found.some((f, i) => i > 0 && comparePosition(found[i - 1]!.position, f.position) > 0)) {
    found.sort((a, b) => comparePosition(a.position, b.position));
  }
  const page = found.slice(0, limit);
  const next = page[page.length - 1]?.position ?? from;
  const hasMore = found.length > limit || found.length < rows.length;
  return {
    changes: page.map(({ row }) =>
      toFeedChange({ entity: row.entity ?? '', op: row.op ?? '', data: row.data ?? 'null' }),
    ),
    next,
    hasMore,
  };
}

// ---------------------------------------------------------------------------------------
// What a device may see grows: the scope travels in the cursor (SPEC.md, "Scope growth")

/**
 * A device's place in the feed. `position` is where it stands for `scope`: the digests of
 * the makers and organisations it has every change of, up to `position`. While it catches
 * up on what it was granted later, `backfill` says how far it got: every change of
 * `backfill.scope` up to `backfill.position` (never beyond `position`).
 */
export interface FeedCursor {
  position: FeedPosition;
  scope: readonly string[];
  backfill: { position: FeedPosition; scope: readonly string[] } | null;
}

const START: FeedPosition = { txid: '0', id: '0' };

/** Where a device that has nothing starts. */
export const FEED_START: FeedCursor = { position: START, scope: [], backfill: null };

/** 48 bits of SHA-256: short enough to carry an account's whole scope in its cursor. */
function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

interface ScopeElement {
  digest: string;
  kind: 'maker' | 'organisation';
  id: string;
}

function elementsOf(scope: FeedScope): ScopeElement[] {
  return [
    ...scope.makerIds.map((id) => ({ digest: digest(`v:${id}`), kind: 'maker' as const, id })),
    ...scope.organisationIds.map((id) => ({
      digest: digest(`o:${id}`),
      kind: 'organisation' as const,
      id,
    })),
  ];
}

function scopeOf(elements: readonly ScopeElement[]): FeedScope {
  return {
    makerIds: elements.filter((e) => e.kind === 'maker').map((e) => e.id),
    organisationIds: elements.filter((e) => e.kind === 'organisation').map((e) => e.id),
  };
}

function digestsOf(elements: readonly ScopeElement[]): string[] {
  return [...new Set(elements.map((e) => e.digest))].sort();
}

/**
 * Parses a cursor this server handed out (its shape is checked by `CursorSchema`). A cursor
 * without a scope part comes from before scopes travelled in cursors: nobody knows what it
 * covers, so the device starts again from the beginning (applying is idempotent).
 */
export function parseFeedCursor(cursor: string | null): FeedCursor {
  if (cursor === null) return FEED_START;
  const [position, scope, backPosition, backScope] = cursor.split('~');
  if (scope === undefined) return FEED_START;
  const digests = (part: string | undefined) => (part ? part.split('.') : []);
  return {
    position: parseCursor(position ?? null),
    scope: digests(scope),
    backfill:
      backPosition !== undefined
        ? { position: parseCursor(backPosition), scope: digests(backScope) }
        : null,
  };
}

export function formatFeedCursor(cursor: FeedCursor): string {
  const main = `${formatCursor(cursor.position)}~${cursor.scope.join('.')}`;
  if (!cursor.backfill) return main;
  return `${main}~${formatCursor(cursor.backfill.position)}~${cursor.backfill.scope.join('.')}`;
}

export interface FeedCursorPage {
  changes: FeedChange[];
  next: FeedCursor;
  hasMore: boolean;
}

function isStart(position: FeedPosition): boolean {
  return BigInt(position.txid) === 0n && BigInt(position.id) === 0n;
}

/**
 * One page for a device whose cursor is `cursor`, now that it may see `scope` (each change
 * as JSON text: `parseFeedChange` for the object).
 *
 * Makers and organisations the cursor does not cover (a maker joined an organisation,
 * became a helper, adopted a maker) are caught up first: their changes from the very
 * beginning up to the cursor's position, in feed order. Then they join the cursor's scope
 * and the feed goes on for all of it. What left the scope is dropped from the cursor, so
 * it is caught up again should it come back. A cursor from another cluster (its txid was
 * never handed out here: a restore without a new epoch) starts again from the beginning.
 */
export async function readFeed(
  db: Db,
  scope: FeedScope,
  cursor: FeedCursor,
  limit: number,
  read?: FeedHorizon,
): Promise<FeedCursorPage> {
  const { horizon: horizonText, next: nextXid } = read ?? (await readHorizon(db));
  const horizon = sql`${horizonText}::xid8`;
  const fromElsewhere = BigInt(cursor.position.txid) >= BigInt(nextXid);
  const from = fromElsewhere ? FEED_START : cursor;
  const elements = elementsOf(scope);
  const known = new Set(from.scope);
  const pendingDigests = new Set(from.backfill?.scope ?? []);
  let main = elements.filter((e) => known.has(e.digest));
  let pending = elements.filter((e) => !known.has(e.digest) && pendingDigests.has(e.digest));
  const fresh = elements.filter((e) => !known.has(e.digest) && !pendingDigests.has(e.digest));
  let backFrom = from.backfill?.position ?? START;
  if (isStart(from.position)) {
    // Nothing to catch up on: the whole scope starts from the beginning.
    main = elements;
    pending = [];
  } else if (fresh.length > 0) {
    // Newly granted: caught up from the beginning (with whatever was still catching up).
    pending = [...pending, ...fresh];
    backFrom = START;
  }

  const changes: FeedChange[] = [];
  if (pending.length > 0) {
    const rows = await readRows(
      db,
      and(
        after(backFrom),
        upTo(from.position),
        sql`${syncChanges.txid} < ${horizon}`,
        visibleTo(scopeOf(pending)),
      ),
      limit + 1,
    );
    if (rows.length > limit) {
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        changes: page.map(toFeedChange),
        next: {
          position: from.position,
          scope: digestsOf(main),
          backfill: { position: last ? positionOf(last) : backFrom, scope: digestsOf(pending) },
        },
        hasMore: true,
      };
    }
    changes.push(...rows.map(toFeedChange));
    main = [...main, ...pending];
  }
  const room = limit - changes.length;
  if (room === 0) {
    return {
      changes,
      next: { position: from.position, scope: digestsOf(main), backfill: null },
      hasMore: true,
    };
  }
  const page = await readFrom(db, scopeOf(main), from.position, room, horizonText);
  return {
    changes: [...changes, ...page.changes],
    next: { position: page.next, scope: digestsOf(main), backfill: null },
    hasMore: page.hasMore,
  };
}

// ---------------------------------------------------------------------------------------
// About how much is left (SPEC.md, "Progress")

/**
 * About how many changes `scope` may still pull after `cursor` (the cursor a page handed
 * out): what is left of the catch-up of newly granted makers and organisations, plus
 * everything after the cursor's position. Counted, but at most `cap` rows per part (the
 * device shows "about"), and without the horizon or the app's features: an estimate.
 */
export async function estimateRemaining(
  db: Db,
  scope: FeedScope,
  cursor: FeedCursor,
  cap: number,
): Promise<number> {
  const elements = elementsOf(scope);
  if (elements.length === 0) return 0;
  const known = new Set(cursor.scope);
  const catchingUp = new Set(cursor.backfill?.scope ?? []);
  const pending = elements.filter((e) => !known.has(e.digest) && catchingUp.has(e.digest));
  const fresh = elements.filter((e) => !known.has(e.digest) && !catchingUp.has(e.digest));
  const capped = async (where: SQL | undefined) => {
    const inner = db
      .select({ one: sql`1` })
      .from(syncChanges)
      .where(where)
      .limit(cap)
      .as('capped');
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(inner);
    return Number(row?.n ?? 0);
  };
  let total = await capped(and(after(cursor.position), visibleTo(scope)));
  if (!isStart(cursor.position)) {
    if (pending.length > 0 && cursor.backfill) {
      total += await capped(
        and(after(cursor.backfill.position), upTo(cursor.position), visibleTo(scopeOf(pending))),
      );
    }
    if (fresh.length > 0) {
      total += await capped(and(upTo(cursor.position), visibleTo(scopeOf(fresh))));
    }
  }
  return Math.min(total, cap);
}
