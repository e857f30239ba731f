// The reconciliation job (docs/payments.md): a payment still open or processing some time
// after it was last heard of is looked up at Stripe, so a lost webhook cannot leave it
// unconfirmed forever. Stripe is asked outside any transaction; what it says is applied with
// the webhook's own rule (forward only), so a webhook arriving meanwhile changes nothing.
import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import type Stripe from 'stripe';
import { checkoutPayments, feeCheckouts } from '$lib/server/db/schema';
import type { PaymentsContext } from './service';
import { applySession, stateOfSession } from './webhook';
import { applyFeeSession, feeNextOfSession, lockedFeeCheckout } from './fees';
import { reconcileLinkPayments, type LinkReconcileReport } from './reconcile-link';
import { runExclusively, scheduleJob, type ExclusiveRun } from '$lib/server/jobs/lease';

/** Asked about when not heard of for this long. */
export const RECONCILE_AFTER_MS = 2 * 60 * 1000;
/** How often the server runs the job. */
export const RECONCILE_EVERY_MS = 5 * 60 * 1000;

export interface ReconcileReport {
  checked: number;
  changed: number;
  failed: number;
}

export async function reconcileCheckouts(
  context: PaymentsContext,
  options: { staleAfterMs?: number; limit?: number } = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, changed: 0, failed: 0 };
  if (!context.stripe) return report;
  const now = context.now?.() ?? Date.now();
  const stale = new Date(now - (options.staleAfterMs ?? RECONCILE_AFTER_MS));
  const rows = await context.db
    .select()
    .from(checkoutPayments)
    .where(
      and(
        inArray(checkoutPayments.status, ['open', 'processing']),
        lt(checkoutPayments.updatedAt, stale),
      ),
    )
    .orderBy(asc(checkoutPayments.updatedAt))
    .limit(options.limit ?? 50);
  for (const row of rows) {
    report.checked += 1;
    let session: Stripe.Checkout.Session;
    try {
      session = await context.stripe.stripe.checkout.sessions.retrieve(
        row.sessionId,
        {},
        { stripeAccount: row.accountId },
      );
    } catch {
      report.failed += 1;
      continue;
    }
    const changed = await context.db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(checkoutPayments)
        .where(eq(checkoutPayments.saleId, row.saleId))
        .for('update');
      if (!current) return false;
      await applySession(tx, current, session, stateOfSession(session));
      const [after] = await tx
        .select({ status: checkoutPayments.status })
        .from(checkoutPayments)
        .where(eq(checkoutPayments.saleId, row.saleId));
      return after?.status !== current.status;
    });
    if (changed) report.changed += 1;
  }
  return report;
}

/**
 * Stall fees paid online (fees.ts) whose session is still open some time after Kraam last
 * heard of it: asked about at Stripe on the PLATFORM's account (no Stripe-Account: fee
 * sessions are the platform's), and applied with the webhook's own rule (applyFeeSession,
 * credited once), so a lost webhook cannot leave a paid fee unpaid in the organiser's table.
 * A session still open, or completed with a delayed method not yet settled, is touched so the
 * next run asks the others first.
 */
export async function reconcileFeeCheckouts(
  context: PaymentsContext,
  options: { staleAfterMs?: number; limit?: number } = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, changed: 0, failed: 0 };
  if (!context.stripe) return report;
  const now = context.now?.() ?? Date.now();
  const stale = new Date(now - (options.staleAfterMs ?? RECONCILE_AFTER_MS));
  const rows = await context.db
    .select({ sessionId: feeCheckouts.sessionId })
    .from(feeCheckouts)
    .where(and(eq(feeCheckouts.status, 'open'), lt(feeCheckouts.updatedAt, stale)))
    .orderBy(asc(feeCheckouts.updatedAt))
    .limit(options.limit ?? 50);
  for (const { sessionId } of rows) {
    report.checked += 1;
    let session: Stripe.Checkout.Session;
    try {
      session = await context.stripe.stripe.checkout.sessions.retrieve(sessionId);
    } catch {
      report.failed += 1;
      continue;
    }
    const outcome = await context.db.transaction(async (tx) => {
      const current = await lockedFeeCheckout(tx, sessionId);
      if (!current) return 'ignored';
      const applied = await applyFeeSession(tx, current, session, null, feeNextOfSession(session));
      if (applied === 'ignored' && current.status === 'open') {
        await tx
          .update(feeCheckouts)
          .set({ updatedAt: new Date() })
          .where(eq(feeCheckouts.sessionId, sessionId));
      }
      return applied;
    });
    if (outcome === 'applied' || outcome === 'amount-mismatch') report.changed += 1;
  }
  return report;
}

/** The job's name in `job_leases`: one process runs it at a time (src/lib/server/jobs/lease.ts). */
export const RECONCILE_JOB = 'payments-reconcile';

/**
 * One reconciliation, if no other server process on this database runs one now: the job's
 * lease (src/lib/server/jobs/lease.ts) keeps several Kraam processes from asking Stripe about
 * the same payments at once. `{ ran: false }` when another holds it.
 */
export function reconcileExclusively(
  context: PaymentsContext,
  options: { staleAfterMs?: number; limit?: number } = {},
): Promise<ExclusiveRun<ReconcileReport>> {
  return runExclusively(context.db, RECONCILE_JOB, () => reconcileCheckouts(context, options));
}

/**
 * Starts the job in this server process (once); every process tries every
 * RECONCILE_EVERY_MS and one of them runs it. It never keeps the process alive.
 */
export function startReconciling(context: () => Promise<PaymentsContext>): void {
  scheduleJob({
    name: RECONCILE_JOB,
    everyMs: RECONCILE_EVERY_MS,
    db: async () => (await context()).db,
    run: async () => runReconciliation(await context()),
  });
}

export interface ReconciliationReport {
  checkouts: ReconcileReport;
  links: LinkReconcileReport;
  fees: ReconcileReport;
}

/**
 * One run of the reconciliation job (what `startReconciling` runs under its lease): sale
 * sessions, sales paid on the stall's payment link (reconcile-link.ts), and stall fees.
 */
export async function runReconciliation(
  context: PaymentsContext,
  options: { staleAfterMs?: number; limit?: number } = {},
): Promise<ReconciliationReport> {
  const checkouts = await reconcileCheckouts(context, options);
  const links = await reconcileLinkPayments(context, options);
  const fees = await reconcileFeeCheckouts(context, options);
  return { checkouts, links, fees };
}
