// The change feed devices pull from, and the one way to write it.
//
// Cursor rule (SPEC.md): rows are read in (txid, id) order and only from transactions older
// than the oldest one still running (`pg_snapshot_xmin(pg_current_snapshot())`). Identity
// ids are handed out when a row is inserted, not when its transaction commits, so a plain
// `id > cursor` can pass a row whose transaction commits later and skip it for ever. Every
// transaction below the snapshot's xmin has finished, so nothing can appear behind the
// cursor any more.
import { and, asc, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '$lib/server/db';
import { syncChanges } from '$lib/server/db/schema';
import type { MarketEvent, Stall, StallAssignment } from '$lib/domain/types';
import type { Change } from '$lib/sync/protocol';
import { insertRows } from './bulk-insert';

/** Who may pull a change: the vendor's sellers, or (vendorId null) the organisation's members. */
export interface ChangeAudience {
  vendorId: string | null;
  organisationId: string | null;
}

export interface ChangeInput extends ChangeAudience {
  change: Change;
}

const INSERT_CHUNK = 500;
/** txid (the writing transaction) and id (in input order) come from the columns' defaults. */
const CHANGE_KEYS = ['entity', 'entityId', 'op', 'vendorId', 'organisationId', 'data'] as const;

function entityIdOf(change: Change): string {
  return change.entity === 'sale' ? change.data.sale.id : change.data.id;
}

/**
 * Appends changes to the feed inside the caller's transaction: they become visible to pulls
 * when (and only if) it commits. Everyone who changes synced data calls this in the same
 * transaction as the change itself.
 */
export async function recordChanges(tx: Tx | Db, inputs: readonly ChangeInput[]): Promise<void> {
  for (let i = 0; i < inputs.length; i += INSERT_CHUNK) {
    const rows = inputs.slice(i, i + INSERT_CHUNK).map((input) => ({
      entity: input.change.entity,
      entityId: entityIdOf(input.change),
      op: input.change.op,
      vendorId: input.vendorId,
      organisationId: input.organisationId,
      data: input.change.data,
    }));
    await tx.execute(insertRows(syncChanges, CHANGE_KEYS, rows));
  }
}

/** An organiser's event (seen by the organisation) or a maker's own (seen by that maker). */
export function eventChange(event: MarketEvent, ownerVendorId: string | null): ChangeInput {
  return {
    change: { entity: 'event', op: 'upsert', data: event },
    vendorId: ownerVendorId,
    organisationId: ownerVendorId ? null : event.organisationId,
  };
}

export function stallChange(stall: Stall, organisationId: string): ChangeInput {
  return { change: { entity: 'stall', op: 'upsert', data: stall }, vendorId: null, organisationId };
}

/** An assignment is seen by the vendor it assigns (and nobody else through sync). */
export function assignmentChange(assignment: StallAssignment): ChangeInput {
  return {
    change: { entity: 'stall_assignment', op: 'upsert', data: assignment },
    vendorId: assignment.vendorId,
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
  return { txid, id };
}

export function formatCursor(position: FeedPosition): string {
  return `${position.txid}.${position.id}`;
}

export interface FeedScope {
  vendorIds: readonly string[];
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
      inArray(syncChanges.vendorId, [...scope.vendorIds]),
      and(
        isNull(syncChanges.vendorId),
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
 * think it had everything).
 */
async function readHorizon(db: Db): Promise<string> {
  const rows = await queryRows<{ horizon: string }>(
    db,
    sql`select pg_snapshot_xmin(pg_current_snapshot())::text as horizon`,
  );
  const horizon = rows[0]?.horizon;
  if (!horizon) throw new Error('no snapshot horizon');
  return horizon;
}

function after(position: FeedPosition): SQL {
  return sql`(${syncChanges.txid}, ${syncChanges.id}) > (${position.txid}::xid8, ${position.id}::bigint)`;
}

/** One page of the changes `scope` may see, after `from`, never past a running transaction. */
export async function readChanges(
  db: Db,
  scope: FeedScope,
  from: FeedPosition,
  limit: number,
): Promise<FeedPage> {
  const horizon = sql`${await readHorizon(db)}::xid8`;
  const rows = await db
    .select({
      id: syncChanges.id,
      txid: sql<string>`${syncChanges.txid}::text`,
      entity: syncChanges.entity,
      op: syncChanges.op,
      data: syncChanges.data,
    })
    .from(syncChanges)
    .where(and(after(from), sql`${syncChanges.txid} < ${horizon}`, visibleTo(scope)))
    .orderBy(asc(syncChanges.txid), asc(syncChanges.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = last ? { txid: last.txid, id: String(last.id) } : from;
  let hasMore = rows.length > limit;
  if (!hasMore) hasMore = await heldBack(db, scope, next, horizon);
  const changes = page.map((row) => ({ entity: row.entity, op: row.op, data: row.data }) as Change);
  return { changes, next, hasMore };
}

/**
 * Committed changes beyond the horizon: visible to this snapshot but written by a
 * transaction newer than one still running. They are not lost, only not safe to hand out
 * yet; the device is told to come back.
 */
async function heldBack(
  db: Db,
  scope: FeedScope,
  from: FeedPosition,
  horizon: SQL,
): Promise<boolean> {
  const rows = await db
    .select({ id: syncChanges.id })
    .from(syncChanges)
    .where(and(after(from), sql`${syncChanges.txid} >= ${horizon}`, visibleTo(scope)))
    .limit(1);
  return rows.length > 0;
}
