// GET/POST /api/sync/pull: one page of the change feed the account may see (SPEC.md, cursor
// rule and visibility). Reading changes nothing, so it needs no transaction of its own.
import { sql } from 'drizzle-orm';
import { ReusedStatement, type Db } from '$lib/server/db';
import { forbidden, unauthorized, validate } from '$lib/server/http';
import {
  CASHBOOK_ENTITIES,
  LINK_SETTLEMENTS_FEATURE,
  PAYMENT_LINKS_FEATURE,
  MAX_REMAINING_ESTIMATE,
  REFUND_STATUS_FEATURE,
  PROTOCOL_VERSION,
  REMAINING_FEATURE,
  PullRequestSchema,
  type PullResponse,
} from '$lib/sync/protocol';
import { accountFromRows, accountRowsQuery, type AccountRow } from './account';
import {
  estimateRemaining,
  feedHorizon,
  formatFeedCursor,
  HORIZON_QUERY,
  parseFeedChange,
  parseFeedCursor,
  readFeed,
  type FeedChange,
} from './change-feed';

/** A pull answer whose changes are still the feed's JSON text (`pullAnswerText`). */
export interface PullAnswer {
  head: Omit<PullResponse, 'changes'>;
  changes: FeedChange[];
}

/** The pull answer as objects (tests, and the answer for an app before the rename). */
export async function handlePull(
  db: Db,
  userId: string | null,
  body: unknown,
): Promise<PullResponse> {
  return pullResponseOf(await pullAnswer(db, userId, body));
}

export function pullResponseOf(answer: PullAnswer): PullResponse {
  const { protocol, epoch, ...rest } = answer.head;
  return { protocol, epoch, changes: answer.changes.map(parseFeedChange), ...rest };
}

/**
 * The pull answer as JSON text, the same document `JSON.stringify(pullResponseOf(answer))`
 * gives (up to the stored jsonb's spacing and key order): the page's changes go in as the
 * text the database returned, without a parse and a stringify per change.
 */
export function pullAnswerText(answer: PullAnswer): string {
  const { protocol, epoch, ...rest } = answer.head;
  const changes = answer.changes.map((c) => c.json).join(',');
  return (
    `{"protocol":${JSON.stringify(protocol)},"epoch":${JSON.stringify(epoch)},` +
    `"changes":[${changes}],${JSON.stringify(rest).slice(1)}`
  );
}

/**
 * What a pull reads before its page, as ONE statement whose text is built once, when the
 * module loads (on PostgreSQL prepared once per connection, then one round trip): the
 * device's account (another account's device is refused), the server's epoch, the account's
 * memberships and makers (its scope, read now: access that grew or shrank counts at once),
 * and the feed's horizon (change-feed.ts `HORIZON_QUERY`).
 */
const PULL_HEAD = new ReusedStatement<{
  horizon: string;
  next: string;
  device_user: string | null;
  epoch: string | null;
  account: string | null;
}>(
  sql`select h.horizon, h.next,
      (select user_id from sync_devices where id = ${sql.placeholder('deviceId')}) as device_user,
      (select value from server_meta where key = 'epoch') as epoch,
      (select json_agg(a order by a.kind, a.created_at, a.row_id)::text
        from (${accountRowsQuery(sql.placeholder('userId'))}) a) as account
    from (${HORIZON_QUERY}) h`,
);

/** One page of the feed for `userId`'s device (the request `body` is validated here). */
export async function pullAnswer(
  db: Db,
  userId: string | null,
  body: unknown,
): Promise<PullAnswer> {
  if (!userId) throw unauthorized('Sign in to sync: changes are only shown to their account.');
  const request = validate(PullRequestSchema, body, 'pull request');
  const [read] = await PULL_HEAD.rows(db, { deviceId: request.deviceId, userId });
  if (read?.device_user && read.device_user !== userId) {
    throw forbidden('This device is linked to another account.');
  }
  const epoch = read?.epoch;
  if (!epoch) throw new Error('The database has no server epoch: was it migrated?');
  const accountRows = read.account ? (JSON.parse(read.account) as AccountRow[]) : [];
  // A helper's makers count only while honoured: read by one more statement (account.ts).
  const account = await accountFromRows(db, userId, accountRows);
  // The cursor carries the scope it covers: what the account was granted since is caught
  // up from the beginning (SPEC.md, "Scope growth").
  const scope = { makerIds: account.makerIds, organisationIds: account.organisationIds };
  const cursor = parseFeedCursor(request.cursor);
  const page = await readFeed(db, scope, cursor, request.limit, feedHorizon(read));
  const moved = page.changes.length > 0 || request.cursor !== null;
  // Kinds added after the first apps shipped go only to apps that say they read them, so an
  // older app never meets a change its schema refuses (SPEC.md "Refunds").
  const reads = new Set(request.features ?? []);
  const changes = page.changes.filter(
    (c) =>
      (c.entity !== 'refund' || reads.has('refunds')) &&
      (c.entity !== 'link_payment' || reads.has(PAYMENT_LINKS_FEATURE)) &&
      (c.entity !== 'refund_status' || reads.has(REFUND_STATUS_FEATURE)) &&
      (c.entity !== 'link_settlement' || reads.has(LINK_SETTLEMENTS_FEATURE)) &&
      (!(CASHBOOK_ENTITIES as readonly string[]).includes(c.entity) || reads.has('cashbook')),
  );
  const head: PullAnswer['head'] = {
    protocol: PROTOCOL_VERSION,
    epoch,
    cursor: moved ? formatFeedCursor(page.next) : null,
    hasMore: page.hasMore,
    makerId: account.sellingMakerId,
    // About how much is left, for the device's progress (SPEC.md "Progress"): only when asked.
    ...(reads.has(REMAINING_FEATURE)
      ? {
          remaining: page.hasMore
            ? await estimateRemaining(db, scope, page.next, MAX_REMAINING_ESTIMATE)
            : 0,
        }
      : {}),
  };
  return { head, changes };
}
