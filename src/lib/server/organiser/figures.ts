// Makers' figures at organised events, from the sales their devices synced: who took part,
// each maker's event summary (domain results.ts MakerEventSummary), and who shares.
//
// Who counts at an event is THE rule of ./taking-part.ts (invited, holding a stall, or a maker
// of the organisation who sold there), the same one the event's makers list and sync use:
// a sale someone else pushed into the event (its id is public) is theirs alone (flagged
// foreign-event by sync) and never appears here. Figures count completed sales only: revenue is
// the goods after discounts, before cash rounding, less what refunds gave back, as on the
// device's own summary.
// Sales are grouped per maker and per UTC hour in SQL (an event can have many thousands);
// each UTC hour is one local hour in the Dutch time zone (whole-hour offsets).
import { and, eq, sql } from 'drizzle-orm';
import type { MakerEventSummary } from '$lib/domain/organiser/results';
import { queryRows, type Db, type Tx } from '$lib/server/db';
import { figureSharing } from '$lib/server/db/schema';
import { organisationMakers, plannedMakers, takingPartAt } from './taking-part';
import { hourKeyAt } from './time';

const HOUR_MS = 3_600_000;

interface HourRow extends Record<string, unknown> {
  event_id: string;
  maker_id: string;
  hour: number | string;
  sales: number | string;
  cents: number | string;
  items: number | string;
}

/** Per event, per maker: their summary (without the sharing flag, set by the caller). */
export async function salesSummaries(
  db: Db | Tx,
  eventIds: readonly string[],
): Promise<Map<string, Map<string, MakerEventSummary>>> {
  const result = new Map<string, Map<string, MakerEventSummary>>();
  if (eventIds.length === 0) return result;
  const ids = sql.join(
    eventIds.map((id) => sql`${id}`),
    sql`, `,
  );
  // Net of refunds: each completed sale counts what its refunds left of it (its goods value
  // and items); a sale refunded whole still counts as a sale (src/lib/domain/summary.ts).
  const rows = await queryRows<HourRow>(
    db,
    sql`select s.event_id, s.maker_id, floor(s.created_at / ${HOUR_MS})::bigint as hour,
          count(*)::int as sales,
          sum(s.total_cents - coalesce(r.cents, 0))::bigint as cents,
          sum(s.item_count - coalesce(r.items, 0))::bigint as items
        from sales s
        left join (
          select sale_id, sum(total_cents) as cents, sum(item_count) as items
          from refunds
          where event_id in (${ids})
          group by sale_id
        ) r on r.sale_id = s.id
        where s.status = 'completed'
          and s.event_id in (${ids})
        group by 1, 2, 3`,
  );
  for (const row of rows) {
    const byMaker = result.get(row.event_id) ?? new Map<string, MakerEventSummary>();
    result.set(row.event_id, byMaker);
    const summary = byMaker.get(row.maker_id) ?? emptyMakerSummary(row.maker_id);
    byMaker.set(row.maker_id, summary);
    const count = Number(row.sales);
    const cents = Number(row.cents);
    summary.salesCount += count;
    summary.revenueCents += cents;
    summary.itemCount += Number(row.items);
    const hour = hourKeyAt(Number(row.hour) * HOUR_MS);
    const before = summary.byHour[hour] ?? { count: 0, cents: 0 };
    summary.byHour[hour] = { count: before.count + count, cents: before.cents + cents };
  }
  return result;
}

export function emptyMakerSummary(makerId: string, shares = false): MakerEventSummary {
  return { makerId, shares, salesCount: 0, revenueCents: 0, itemCount: 0, byHour: {} };
}

/** Makers of the organisation who chose to share their figures with it. */
export async function sharingMakers(db: Db | Tx, organisationId: string): Promise<Set<string>> {
  const rows = await db
    .select({ makerId: figureSharing.makerId })
    .from(figureSharing)
    .where(and(eq(figureSharing.organisationId, organisationId), eq(figureSharing.shares, true)));
  return new Set(rows.map((row) => row.makerId));
}

/** Every event's makers (taking-part.ts) with their summaries and sharing flags. */
export async function eventFigures(
  db: Db | Tx,
  organisationId: string,
  eventIds: readonly string[],
): Promise<Map<string, MakerEventSummary[]>> {
  const sales = await salesSummaries(db, eventIds);
  const planned = await plannedMakers(db, eventIds);
  const sharing = await sharingMakers(db, organisationId);
  const ofOrganisation = await organisationMakers(db, organisationId);
  const result = new Map<string, MakerEventSummary[]>();
  for (const eventId of eventIds) {
    const sold = sales.get(eventId) ?? new Map<string, MakerEventSummary>();
    const makerIds = takingPartAt(planned.get(eventId) ?? new Set(), ofOrganisation, sold.keys());
    result.set(
      eventId,
      makerIds.map((makerId) => ({
        ...(sold.get(makerId) ?? emptyMakerSummary(makerId)),
        shares: sharing.has(makerId),
      })),
    );
  }
  return result;
}
