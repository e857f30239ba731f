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
import { linkOutcome, linkPartCents, type LinkPaymentRecord } from '$lib/domain/link-payment';
import { paymentSplitOf, type LinkSaleOutcome, type PaymentSplit } from '$lib/domain/summary';
import type { EventSummaryAggregate, LinkSettlement, Payment } from '$lib/domain/types';
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

interface MethodRow extends Record<string, unknown> {
  kind: 'paid' | 'refund';
  event_id: string;
  maker_id: string;
  method: string;
  count: number | string;
  cents: number | string;
  /** A refund row's cash part (electronic-refund.ts refundCashCents); null on a paid row. */
  cash: number | string | null;
}

interface LinkRow extends Record<string, unknown> {
  id: string;
  event_id: string;
  maker_id: string;
  payments: Payment[] | string;
  paid_cents: number | string | null;
  currency: string | null;
  status: LinkPaymentRecord['status'] | null;
  settled_outcome: LinkSettlement['outcome'] | null;
  settled_method: LinkSettlement['method'] | null;
}

type SplitInput = Pick<EventSummaryAggregate, 'byPayment' | 'refundCount' | 'refundedCents'>;

/**
 * Per event, per maker: how the money came in (paymentSplitOf, src/lib/domain/summary.ts),
 * from the server's tables by the device's own rules: per payment method what completed sales
 * took, less what their refunds gave back that way; a sale's part paid on the stall's payment
 * link is "awaiting" until the paid sessions naming it confirm it (linkOutcome,
 * src/lib/domain/link-payment.ts), or until the maker settles it (src/lib/domain/link-settlement.ts).
 * Two queries for all the events, whatever their makers.
 */
export async function paymentSplits(
  db: Db | Tx,
  eventIds: readonly string[],
): Promise<Map<string, Map<string, PaymentSplit>>> {
  const result = new Map<string, Map<string, PaymentSplit>>();
  if (eventIds.length === 0) return result;
  const ids = sql.join(
    eventIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const methods = await queryRows<MethodRow>(
    db,
    sql`select 'paid' as kind, s.event_id, s.maker_id, p.value->>'method' as method,
          count(*)::int as count, sum((p.value->>'amountCents')::bigint)::bigint as cents,
          null::bigint as cash
        from sales s cross join lateral jsonb_array_elements(s.payments) as p(value)
        where s.status = 'completed' and s.event_id in (${ids})
        group by 1, 2, 3, 4
        union all
        select 'refund' as kind, s.event_id, s.maker_id,
          case when r.method = 'cash' then 'qr' else r.method end as method,
          count(*)::int as count, sum(r.total_cents)::bigint as cents,
          sum(coalesce(r.cash_cents,
            case when r.method = 'cash' then r.total_cents else 0 end))::bigint as cash
        from refunds r join sales s on s.id = r.sale_id
        where s.status = 'completed' and s.event_id in (${ids})
        group by 1, 2, 3, 4`,
  );
  const links = await queryRows<LinkRow>(
    db,
    sql`select s.id, s.event_id, s.maker_id, s.payments, lp.paid_cents, lp.currency, lp.status,
          ls.outcome as settled_outcome, ls.method as settled_method
        from sales s
        left join link_payments lp on lp.sale_id = s.id and lp.maker_id = s.maker_id
        left join link_settlements ls on ls.sale_id = s.id and ls.maker_id = s.maker_id
        where s.status = 'completed' and s.event_id in (${ids})
          and s.payments @> ${JSON.stringify([{ via: 'link' }])}::jsonb`,
  );
  const inputs = new Map<string, Map<string, SplitInput>>();
  const inputOf = (eventId: string, makerId: string): SplitInput => {
    const byMaker = inputs.get(eventId) ?? new Map<string, SplitInput>();
    inputs.set(eventId, byMaker);
    const input = byMaker.get(makerId) ?? { byPayment: {} };
    byMaker.set(makerId, input);
    return input;
  };
  for (const row of methods) {
    const input = inputOf(row.event_id, row.maker_id);
    const add = (method: string, count: number, cents: number) => {
      const now = input.byPayment[method] ?? { count: 0, cents: 0 };
      input.byPayment[method] = { count: now.count + count, cents: now.cents + cents };
    };
    if (row.kind === 'paid') {
      add(row.method, Number(row.count), Number(row.cents));
    } else {
      // A refund takes back what went back in cash from cash, the rest from phone/card (here
      // `method`), never a count (summary.ts takeBack).
      const cash = Number(row.cash ?? 0);
      if (cash !== 0) add('cash', 0, -cash);
      if (Number(row.cents) !== cash) add(row.method, 0, cash - Number(row.cents));
      input.refundCount = (input.refundCount ?? 0) + Number(row.count);
      input.refundedCents = (input.refundedCents ?? 0) + Number(row.cents);
    }
  }
  const linkSales = new Map<
    string,
    {
      eventId: string;
      makerId: string;
      payments: Payment[];
      records: Pick<LinkPaymentRecord, 'status' | 'paidCents' | 'currency'>[];
      settlement: Pick<LinkSettlement, 'outcome' | 'method'> | null;
    }
  >();
  for (const row of links) {
    const payments = (
      typeof row.payments === 'string' ? JSON.parse(row.payments) : row.payments
    ) as Payment[];
    const sale = linkSales.get(row.id) ?? {
      eventId: row.event_id,
      makerId: row.maker_id,
      payments,
      records: [],
      settlement:
        row.settled_outcome === null
          ? null
          : { outcome: row.settled_outcome, method: row.settled_method },
    };
    linkSales.set(row.id, sale);
    if (row.status !== null && row.currency !== null && row.paid_cents !== null) {
      sale.records.push({
        status: row.status,
        currency: row.currency,
        paidCents: Number(row.paid_cents),
      });
    }
  }
  const outcomes = new Map<string, Map<string, LinkSaleOutcome[]>>();
  for (const sale of linkSales.values()) {
    const byMaker = outcomes.get(sale.eventId) ?? new Map<string, LinkSaleOutcome[]>();
    outcomes.set(sale.eventId, byMaker);
    const list = byMaker.get(sale.makerId) ?? [];
    byMaker.set(sale.makerId, list);
    list.push({
      sale: { status: 'completed', payments: sale.payments },
      outcome: linkOutcome(linkPartCents(sale.payments), sale.records),
      settlement: sale.settlement,
    });
  }
  for (const [eventId, byMaker] of inputs) {
    const splits = new Map<string, PaymentSplit>();
    result.set(eventId, splits);
    for (const [makerId, input] of byMaker) {
      splits.set(makerId, paymentSplitOf(input, outcomes.get(eventId)?.get(makerId) ?? []));
    }
  }
  return result;
}

export function emptyMakerSummary(makerId: string, shares = false): MakerEventSummary {
  return {
    makerId,
    shares,
    salesCount: 0,
    revenueCents: 0,
    itemCount: 0,
    byHour: {},
    split: paymentSplitOf({ byPayment: {} }),
  };
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
  const splits = await paymentSplits(db, eventIds);
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
        split: splits.get(eventId)?.get(makerId) ?? paymentSplitOf({ byPayment: {} }),
        shares: sharing.has(makerId),
      })),
    );
  }
  return result;
}
