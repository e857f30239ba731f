// Refunds of payments by phone or card (docs/payments.md "Refunds"). A refund record comes
// from a device through sync (SPEC.md "Refunds"); when its sale was paid electronically, the
// push writes a pending `electronic_refunds` row in its own transaction (so no refund is ever
// forgotten), and after that transaction committed the server asks Stripe's Refund API, on the
// maker's connected account, idempotent by the refund's id. Stripe failing or too slow leaves
// the row pending and the job below tries again later (a background job under its lease,
// src/lib/server/jobs/lease.ts: one runner at a time across server processes). Stripe's answer, and refunds made in the Stripe dashboard (`charge.refunded`,
// `refund.created`, `refund.updated`), reach every device of the maker as a 'refund_status'
// change. Never a network call inside a database transaction.
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import {
  advanceRefundState,
  givenRefundParts,
  type ElectronicRefundState,
  type ElectronicRefundStatus,
} from '$lib/domain/electronic-refund';
import { formatHlc } from '$lib/domain/clock';
import { planRefund } from '$lib/domain/refund';
import type { Id, Refund, Sale } from '$lib/domain/types';
import type { Db, Tx } from '$lib/server/db';
import {
  checkoutPayments,
  electronicRefunds,
  refundLines,
  refunds,
  saleLines,
  sales,
} from '$lib/server/db/schema';
import { recordChanges, type ChangeInput } from '$lib/server/sync/change-feed';
import { lineFromRow, refundFromRows, refundToRows, saleFromRow } from '$lib/server/sync/rows';
import { runExclusively, scheduleJob, type ExclusiveRun } from '$lib/server/jobs/lease';
import type { PaymentsContext } from './service';

type Row = typeof electronicRefunds.$inferSelect;

/** The device id a refund made in the Stripe dashboard carries (no device made it). */
export const DASHBOARD_DEVICE_ID = '00000000-0000-4000-8000-00005721fe00';
/** What a dashboard refund's record says as its reason. */
export const DASHBOARD_REFUND_REASON = 'Refunded in the Stripe dashboard';
/** How long one attempt holds a row (longer than the SDK's timeout and its one retry). */
export const REFUND_LEASE_MS = 60_000;
/** Waits between attempts: 30 s, doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, Math.min(attempts - 1, 12)));
}

export function statusOf(row: Row): ElectronicRefundStatus {
  return {
    refundId: row.refundId,
    saleId: row.saleId,
    state: row.status,
    amountCents: row.amountCents,
    reason: row.failureReason,
    origin: row.origin,
    recordId: row.recordId,
  };
}

function statusChange(row: Row): ChangeInput {
  return {
    change: { entity: 'refund_status', op: 'upsert', data: statusOf(row) },
    makerId: row.makerId,
    organisationId: null,
  };
}

/** Inside a push's transaction: a pending row for each new refund of an electronic payment. */
export async function queueElectronicRefunds(
  tx: Tx,
  items: readonly { refund: Refund; sale: Pick<Sale, 'payments'>; all: readonly Refund[] }[],
): Promise<void> {
  const rows: (typeof electronicRefunds.$inferInsert)[] = [];
  for (const { refund, sale, all } of items) {
    const electronic = givenRefundParts(sale, all).get(refund.id)?.electronicCents ?? 0;
    if (electronic <= 0) continue;
    rows.push({
      refundId: refund.id,
      saleId: refund.saleId,
      makerId: refund.makerId,
      origin: 'device',
      amountCents: electronic,
    });
  }
  if (rows.length === 0) return;
  const inserted = await tx
    .insert(electronicRefunds)
    .values(rows)
    .onConflictDoNothing()
    .returning();
  await recordChanges(tx, inserted.map(statusChange));
}

/** Moves a row forward and tells the maker's devices (inside the caller's transaction). */
async function moveRow(
  tx: Tx,
  row: Row,
  next: ElectronicRefundState,
  set: Partial<typeof electronicRefunds.$inferInsert> = {},
): Promise<Row> {
  const state = advanceRefundState(row.status, next);
  const failureReason =
    state === 'failed' ? (set.failureReason ?? row.failureReason ?? 'failed') : null;
  const [after] = await tx
    .update(electronicRefunds)
    .set({ ...set, status: state, failureReason, updatedAt: new Date() })
    .where(eq(electronicRefunds.refundId, row.refundId))
    .returning();
  if (!after) return row;
  if (
    after.status !== row.status ||
    after.failureReason !== row.failureReason ||
    after.recordId !== row.recordId
  ) {
    await recordChanges(tx, [statusChange(after)]);
  }
  return after;
}

function stateOfStripeRefund(refund: Stripe.Refund): ElectronicRefundState {
  if (refund.status === 'succeeded') return 'refunded';
  if (refund.status === 'failed' || refund.status === 'canceled') return 'failed';
  return 'pending';
}

function reasonOfStripeRefund(refund: Stripe.Refund): string {
  return `Stripe: ${refund.failure_reason ?? refund.status ?? 'failed'}`.slice(0, 500);
}

/** A 4xx from Stripe other than a rate limit: asking again would get the same answer. */
function isFinalStripeError(error: unknown): error is Stripe.errors.StripeError {
  if (!(error instanceof Stripe.errors.StripeError)) return false;
  const status = error.statusCode ?? 0;
  return status >= 400 && status < 500 && status !== 429 && status !== 409;
}

export interface RefundJobReport {
  sent: number;
  refunded: number;
  failed: number;
  pending: number;
}

/** The refunds job's name in `job_leases`: one runner at a time (src/lib/server/jobs/lease.ts). */
export const REFUNDS_JOB = 'payments-refunds';

/**
 * Sends every pending refund whose time has come to Stripe: the job's body. Run it through
 * the job (`startRefunding`, `nudgeRefunds`, `refundsExclusively`), which holds the job's lease
 * so one runner at a time across server processes does the work. Still safe to run twice at
 * once (a lease can lapse under a process that stalls): each row's attempt is claimed
 * conditionally before it is sent, and the idempotency key `kraam-refund-<refund id>` makes
 * even a second send harmless.
 */
export function sendPendingRefunds(
  context: PaymentsContext,
  options: { limit?: number } = {},
): Promise<RefundJobReport> {
  return sendRefunds(context, options);
}

/** One run of the refunds job, if no other runner (in any process) holds its lease now. */
export function refundsExclusively(
  context: PaymentsContext,
  options: { limit?: number } = {},
): Promise<ExclusiveRun<RefundJobReport>> {
  return runExclusively(context.db, REFUNDS_JOB, () => sendPendingRefunds(context, options));
}

async function sendRefunds(
  context: PaymentsContext,
  options: { limit?: number },
): Promise<RefundJobReport> {
  const report: RefundJobReport = { sent: 0, refunded: 0, failed: 0, pending: 0 };
  if (!context.stripe) return report;
  const now = new Date(context.now?.() ?? Date.now());
  const due = await context.db
    .select({ refundId: electronicRefunds.refundId })
    .from(electronicRefunds)
    .where(
      and(
        eq(electronicRefunds.status, 'pending'),
        eq(electronicRefunds.origin, 'device'),
        lte(electronicRefunds.nextAttemptAt, now),
      ),
    )
    .orderBy(asc(electronicRefunds.createdAt))
    .limit(options.limit ?? 50);
  for (const { refundId } of due) {
    const outcome = await sendOne(context, refundId, now);
    if (outcome) report[outcome] += 1;
  }
  return report;
}

/**
 * Claims the row's attempt (counts it, and moves its next attempt a minute on, so a process
 * that dies mid-send leaves it to be tried again then), or null when it is done or another
 * attempt claimed it first (only after the job's lease lapsed under a stalled runner).
 */
async function claim(db: Db, refundId: Id, now: Date): Promise<Row | null> {
  const [row] = await db
    .update(electronicRefunds)
    .set({
      attempts: sql`${electronicRefunds.attempts} + 1`,
      nextAttemptAt: new Date(now.getTime() + REFUND_LEASE_MS),
    })
    .where(
      and(
        eq(electronicRefunds.refundId, refundId),
        eq(electronicRefunds.status, 'pending'),
        lte(electronicRefunds.nextAttemptAt, now),
      ),
    )
    .returning();
  return row ?? null;
}

async function settle(
  db: Db,
  refundId: Id,
  next: ElectronicRefundState,
  set: Partial<typeof electronicRefunds.$inferInsert>,
): Promise<Row | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(electronicRefunds)
      .where(eq(electronicRefunds.refundId, refundId))
      .for('update');
    return row ? moveRow(tx, row, next, set) : null;
  });
}

async function sendOne(
  context: PaymentsContext,
  refundId: Id,
  now: Date,
): Promise<keyof RefundJobReport | null> {
  const stripe = context.stripe?.stripe;
  if (!stripe) return null;
  const row = await claim(context.db, refundId, now);
  if (!row) return null;
  const later = () =>
    settle(context.db, refundId, 'pending', {
      nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts)),
    }).then(() => 'pending' as const);
  const fail = (reason: string) =>
    settle(context.db, refundId, 'failed', { failureReason: reason.slice(0, 500) }).then(
      () => 'failed' as const,
    );

  const [payment] = await context.db
    .select()
    .from(checkoutPayments)
    .where(and(eq(checkoutPayments.saleId, row.saleId), eq(checkoutPayments.makerId, row.makerId)));
  if (!payment) {
    return fail('There is no payment by phone or card for this sale at Stripe: refund it in cash.');
  }
  if (payment.status !== 'paid' || !payment.paymentIntentId) return later();

  if (row.stripeRefundId) {
    // Stripe made it already and said "pending": ask where it stands now.
    try {
      const refund = await stripe.refunds.retrieve(
        row.stripeRefundId,
        {},
        { stripeAccount: payment.accountId },
      );
      const next = stateOfStripeRefund(refund);
      if (next === 'pending') return later();
      await settle(context.db, refundId, next, {
        ...(next === 'failed' ? { failureReason: reasonOfStripeRefund(refund) } : {}),
      });
      return next === 'refunded' ? 'refunded' : 'failed';
    } catch (error) {
      if (isFinalStripeError(error)) return fail(`Stripe: ${error.message}`);
      return later();
    }
  }

  // The maker may have refunded this very amount in the Stripe dashboard already (and then
  // recorded it on the till): that dashboard refund is this one, not another to send.
  const matched = await context.db.transaction(async (tx) => {
    const [dashboard] = await tx
      .select()
      .from(electronicRefunds)
      .where(
        and(
          eq(electronicRefunds.saleId, row.saleId),
          eq(electronicRefunds.origin, 'dashboard'),
          isNull(electronicRefunds.recordId),
          isNull(electronicRefunds.matchedRefundId),
          eq(electronicRefunds.amountCents, row.amountCents),
          ne(electronicRefunds.status, 'failed'),
        ),
      )
      .orderBy(asc(electronicRefunds.createdAt))
      .limit(1)
      .for('update');
    if (!dashboard) return false;
    await tx
      .update(electronicRefunds)
      .set({ matchedRefundId: row.refundId, updatedAt: new Date() })
      .where(eq(electronicRefunds.refundId, dashboard.refundId));
    const [current] = await tx
      .select()
      .from(electronicRefunds)
      .where(eq(electronicRefunds.refundId, row.refundId))
      .for('update');
    if (current) await moveRow(tx, current, dashboard.status);
    return true;
  });
  if (matched) return 'refunded';

  // Never more back than the customer paid by phone or card: what Stripe gave back already
  // (every other refund of this sale not failed; a dashboard refund matched to a till's
  // refund counts once) plus this one.
  const others = await context.db
    .select()
    .from(electronicRefunds)
    .where(
      and(
        eq(electronicRefunds.saleId, row.saleId),
        ne(electronicRefunds.refundId, row.refundId),
        ne(electronicRefunds.status, 'failed'),
        isNull(electronicRefunds.matchedRefundId),
      ),
    );
  const given = others.reduce((sum, r) => sum + r.amountCents, 0);
  const paid = payment.paidCents ?? payment.amountCents;
  if (given + row.amountCents > paid) {
    return fail(
      `More than was paid by phone or card: ${paid} cents paid, ${given} cents given back already, ` +
        `${row.amountCents} cents asked. Hand the rest back in cash.`,
    );
  }

  let refund: Stripe.Refund;
  try {
    refund = await stripe.refunds.create(
      {
        payment_intent: payment.paymentIntentId,
        amount: row.amountCents,
        reason: 'requested_by_customer',
        metadata: { kraam_refund_id: row.refundId, kraam_sale_id: row.saleId },
      },
      { stripeAccount: payment.accountId, idempotencyKey: `kraam-refund-${row.refundId}` },
    );
  } catch (error) {
    if (isFinalStripeError(error)) return fail(`Stripe: ${error.message}`);
    return later();
  }
  const next = stateOfStripeRefund(refund);
  await settle(context.db, refundId, next, {
    stripeRefundId: refund.id,
    ...(next === 'pending'
      ? { nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts)) }
      : {}),
    ...(next === 'failed' ? { failureReason: reasonOfStripeRefund(refund) } : {}),
  });
  return next === 'refunded' ? 'refunded' : next === 'failed' ? 'failed' : 'sent';
}

/** How often the job looks for pending refunds whose time has come. */
export const REFUND_JOB_EVERY_MS = 60_000;
/** A nudge that found the job running elsewhere tries once more this much later. */
export const REFUND_NUDGE_RETRY_MS = 5_000;

/**
 * Starts the job in this server process (once), through the job scheduler like every
 * background job (src/lib/server/jobs/lease.ts): every process tries every
 * REFUND_JOB_EVERY_MS and one of them runs it. It never keeps the process alive.
 */
export function startRefunding(context: () => Promise<PaymentsContext>): void {
  scheduleJob({
    name: REFUNDS_JOB,
    everyMs: REFUND_JOB_EVERY_MS,
    db: async () => (await context()).db,
    run: async () => sendPendingRefunds(await context()),
  });
}

/**
 * Runs the job now (after a push that carried refunds committed; the caller does not wait), under
 * the job's lease. When another runner holds it (that run may have looked for pending refunds
 * before this push committed) it tries once more REFUND_NUDGE_RETRY_MS later; the scheduled
 * run within a minute catches anything left. Never rejects.
 */
export async function nudgeRefunds(
  context: () => Promise<PaymentsContext>,
  retryMs: number | null = REFUND_NUDGE_RETRY_MS,
): Promise<void> {
  try {
    const run = await refundsExclusively(await context());
    if (run.ran || retryMs === null) return;
    await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
    await nudgeRefunds(context, null);
  } catch (error) {
    console.error(`Refunds by Stripe failed: ${String(error)}`);
  }
}

// ---- webhooks -------------------------------------------------------------------------------

/** A UUID made from Stripe's refund id, so a dashboard refund gets one id however often told. */
export function dashboardRefundId(stripeRefundId: string): Id {
  const hex = createHash('sha256').update(`kraam-dashboard-refund:${stripeRefundId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${(
    (parseInt(hex.slice(16, 17), 16) & 0x3) |
    0x8
  ).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export type RefundEventOutcome = 'applied' | 'ignored' | 'unknown-sale' | 'wrong-account';

function intentOf(refund: Stripe.Refund | Stripe.Charge): string | null {
  const pi = refund.payment_intent;
  return typeof pi === 'string' ? pi : (pi?.id ?? null);
}

/**
 * What Stripe says of one refund (from `refund.created`/`refund.updated`, or a charge's list in
 * `charge.refunded`), inside the webhook's transaction. One of ours (its metadata names the
 * refund) moves forward; one made in the dashboard is recorded once (by Stripe's refund id):
 * as a refund record of everything that remains when it is exactly that, else as money only.
 */
export async function applyStripeRefund(
  tx: Tx,
  account: string | null,
  refund: Stripe.Refund,
  chargeIntent: string | null,
): Promise<RefundEventOutcome> {
  const intent = intentOf(refund) ?? chargeIntent;
  if (!intent) return 'unknown-sale';
  const [payment] = await tx
    .select()
    .from(checkoutPayments)
    .where(eq(checkoutPayments.paymentIntentId, intent));
  if (!payment) return 'unknown-sale';
  if (!account || account !== payment.accountId) return 'wrong-account';
  const next = stateOfStripeRefund(refund);
  const failure = next === 'failed' ? { failureReason: reasonOfStripeRefund(refund) } : {};

  const ours = refund.metadata?.kraam_refund_id;
  const [known] = await tx
    .select()
    .from(electronicRefunds)
    .where(
      ours
        ? and(eq(electronicRefunds.refundId, ours), eq(electronicRefunds.saleId, payment.saleId))
        : eq(electronicRefunds.stripeRefundId, refund.id),
    )
    .for('update');
  if (known) {
    if (known.stripeRefundId && known.stripeRefundId !== refund.id) return 'ignored';
    await moveRow(tx, known, next, { stripeRefundId: refund.id, ...failure });
    return 'applied';
  }
  if (ours) return 'unknown-sale';

  // A refund made in the Stripe dashboard: recorded once, by Stripe's refund id.
  const id = dashboardRefundId(refund.id);
  const [inserted] = await tx
    .insert(electronicRefunds)
    .values({
      refundId: id,
      saleId: payment.saleId,
      makerId: payment.makerId,
      origin: 'dashboard',
      amountCents: refund.amount,
      status: next,
      stripeRefundId: refund.id,
      failureReason: failure.failureReason ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (!inserted) return 'ignored';
  const recordId = next === 'failed' ? null : await dashboardRecord(tx, id, payment, refund);
  const row = recordId
    ? ((
        await tx
          .update(electronicRefunds)
          .set({ recordId })
          .where(eq(electronicRefunds.refundId, id))
          .returning()
      )[0] ?? inserted)
    : inserted;
  await recordChanges(tx, [statusChange(row)]);
  return 'applied';
}

/**
 * The refund record of a dashboard refund that gives back exactly what remains of the sale
 * (the usual case: the whole sale). No stock moves: only the maker knows whether the goods
 * came back. A partial amount matches no lines Kraam could name, so it stays money only; the
 * sale shows it, and a refund the maker then records on the till for exactly that amount is
 * matched to it instead of being sent again (sendOne).
 */
async function dashboardRecord(
  tx: Tx,
  id: Id,
  payment: typeof checkoutPayments.$inferSelect,
  stripeRefund: Stripe.Refund,
): Promise<Id | null> {
  const [saleRow] = await tx
    .select()
    .from(sales)
    .where(and(eq(sales.id, payment.saleId), eq(sales.makerId, payment.makerId)))
    .for('update');
  if (!saleRow || saleRow.status !== 'completed') return null;
  const sale = saleFromRow(saleRow);
  const lines = (await tx.select().from(saleLines).where(eq(saleLines.saleId, sale.id))).map(
    lineFromRow,
  );
  const refundRows = await tx.select().from(refunds).where(eq(refunds.saleId, sale.id));
  const refundLineRows = refundRows.length
    ? await tx
        .select()
        .from(refundLines)
        .where(
          inArray(
            refundLines.refundId,
            refundRows.map((r) => r.id),
          ),
        )
    : [];
  const earlier = refundRows.map((r) =>
    refundFromRows(
      r,
      refundLineRows.filter((l) => l.refundId === r.id),
    ),
  );
  let record: Refund;
  try {
    const at = stripeRefund.created * 1000;
    record = planRefund(
      sale,
      lines,
      earlier,
      {
        id,
        saleId: sale.id,
        reason: DASHBOARD_REFUND_REASON,
        createdAt: at,
        hlc: formatHlc({ wallMs: at, counter: 0, node: 'stripe' }),
        lines: 'all',
      },
      DASHBOARD_DEVICE_ID,
    );
  } catch {
    return null; // nothing remains
  }
  if (record.totalCents !== stripeRefund.amount) return null;
  // All of it went back at the provider: none in cash, whatever the rule would have said.
  const { cashCents: _cash, ...money } = record;
  record = { ...money, method: 'qr' };
  const { row, lines: rows } = refundToRows(record);
  await tx.insert(refunds).values(row);
  await tx.insert(refundLines).values(rows);
  await recordChanges(tx, [
    {
      change: { entity: 'refund', op: 'upsert', data: { refund: record, movements: [] } },
      makerId: record.makerId,
      organisationId: null,
    },
  ]);
  return id;
}

/** Every refund of an event's Stripe charge: `charge.refunded` lists them (when expanded). */
export async function applyChargeRefunded(
  tx: Tx,
  account: string | null,
  charge: Stripe.Charge,
): Promise<RefundEventOutcome> {
  const list = charge.refunds?.data ?? [];
  if (list.length === 0) return 'ignored';
  const intent = intentOf(charge);
  let outcome: RefundEventOutcome = 'ignored';
  for (const refund of list) {
    const one = await applyStripeRefund(tx, account, refund, intent);
    if (one !== 'ignored') outcome = one;
    if (one === 'wrong-account' || one === 'unknown-sale') return one;
  }
  return outcome;
}
