// Reconciliation for the stall's payment link (docs/payments.md): a sale paid on the link that
// the server still has no paid session for, some minutes after it arrived, is looked for at
// Stripe among the link's completed sessions (listed, filtered by the link), so a lost
// webhook cannot leave it awaiting confirmation forever. Stripe is asked outside any
// transaction; what it says is applied with the webhook's own rule (applyLinkSession).
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { linkPayments, paymentLinks, sales } from '$lib/server/db/schema';
import { stateOfSession } from './webhook';
import { applyLinkSession } from './link-webhook';
import type { PaymentsContext } from './service';

/** Asked about when the sale arrived this long ago with no paid session (as reconcile.ts). */
export const LINK_RECONCILE_AFTER_MS = 2 * 60 * 1000;
/** How far back awaiting sales are looked for (older ones are the maker's to settle). */
export const LINK_RECONCILE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** Sessions listed per link and run (Stripe's page size is at most 100). */
const PAGE = 100;

export interface LinkReconcileReport {
  links: number;
  found: number;
  failed: number;
}

export async function reconcileLinkPayments(
  context: PaymentsContext,
  options: { staleAfterMs?: number; limit?: number } = {},
): Promise<LinkReconcileReport> {
  const report: LinkReconcileReport = { links: 0, found: 0, failed: 0 };
  if (!context.stripe) return report;
  const now = context.now?.() ?? Date.now();
  const stale = new Date(now - (options.staleAfterMs ?? LINK_RECONCILE_AFTER_MS));
  const since = new Date(now - LINK_RECONCILE_WINDOW_MS);
  // Completed sales with a payment via the link and no paid session naming them yet.
  const awaiting = await context.db
    .select({ id: sales.id, makerId: sales.makerId, createdAt: sales.createdAt })
    .from(sales)
    .where(
      and(
        eq(sales.status, 'completed'),
        sql`${sales.payments} @> '[{"via":"link"}]'::jsonb`,
        lt(sales.receivedAt, stale),
        gte(sales.receivedAt, since),
        sql`not exists (select 1 from ${linkPayments} lp where lp.sale_id = ${sales.id}
              and lp.maker_id = ${sales.makerId} and lp.status = 'paid')`,
      ),
    )
    .limit(options.limit ?? 500);
  const byMaker = new Map<string, { ids: Set<string>; oldest: number }>();
  for (const row of awaiting) {
    const entry = byMaker.get(row.makerId) ?? { ids: new Set<string>(), oldest: row.createdAt };
    entry.ids.add(row.id);
    entry.oldest = Math.min(entry.oldest, row.createdAt);
    byMaker.set(row.makerId, entry);
  }
  if (byMaker.size === 0) return report;
  const links = await context.db
    .select()
    .from(paymentLinks)
    .where(inArray(paymentLinks.makerId, [...byMaker.keys()]));
  for (const link of links) {
    const wanted = byMaker.get(link.makerId);
    if (!wanted) continue;
    report.links += 1;
    let sessions: Stripe.Checkout.Session[];
    try {
      // A day before the oldest sale's own time: its phone's clock may have been off.
      const from = Math.floor((wanted.oldest - 24 * 60 * 60 * 1000) / 1000);
      const page = await context.stripe.stripe.checkout.sessions.list(
        { payment_link: link.linkId, status: 'complete', created: { gte: from }, limit: PAGE },
        { stripeAccount: link.accountId },
      );
      sessions = page.data;
    } catch {
      report.failed += 1;
      continue;
    }
    for (const session of sessions) {
      if (!wanted.ids.has((session.client_reference_id ?? '').toLowerCase())) continue;
      const outcome = await context.db.transaction((tx) =>
        applyLinkSession(tx, session, link.accountId, stateOfSession(session)),
      );
      if (outcome === 'applied') report.found += 1;
    }
  }
  return report;
}
