// The reconciliation job (docs/payments.md): a payment still open or processing some time
// after it was last heard of is looked up at Stripe, so a lost webhook cannot leave it
// unconfirmed forever. Stripe is asked outside any transaction; what it says is applied with
// the webhook's own rule (forward only), so a webhook arriving meanwhile changes nothing.
import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import type Stripe from 'stripe';
import { checkoutPayments } from '$lib/server/db/schema';
import type { PaymentsContext } from './service';
import { applySession, stateOfSession } from './webhook';
import { reconcileLinkPayments } from './reconcile-link';
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
    run: async () => {
      const c = await context();
      await reconcileCheckouts(c);
      // Sales paid on the stall's payment link, still awaiting (reconcile-link.ts).
      await reconcileLinkPayments(c);
    },
  });
}
