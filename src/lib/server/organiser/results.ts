// Results after an event (domain results.ts, RULES.md R1-R6): each maker's own figures next
// to the event's totals from sharing makers only (group-of-3 rule), and the change against
// their previous edition of the same series; the organiser's dashboard and its CSV.
//
// "Previous edition" = the maker's latest earlier CLOSED edition of the series in which they
// took part (domain EV8 over closed events: an edition that has not closed has no results).
import { feeDue, feeOverview, type MakerFeeLine } from '$lib/domain/organiser/assignments';
import { eventDashboardCsv, type EventDashboardRow } from '$lib/domain/organiser/csv';
import { previousEditionFor } from '$lib/domain/organiser/event-lifecycle';
import {
  eventTotals,
  organiserSplit,
  organiserTotals,
  salesPerHourAcrossBazaar,
  sharedMakerFigures,
  makerResults,
  type BazaarHourFigure,
  type EventTotals,
  type MakerEventSummary,
  type MakerResults,
} from '$lib/domain/organiser/results';
import { compareLabels } from '$lib/domain/organiser/common';
import type { Db, Tx } from '$lib/server/db';
import { feePayments } from '$lib/server/db/schema';
import { eq } from 'drizzle-orm';
import type { ChangeInput } from '$lib/server/sync/change-feed';
import { domainError } from './errors';
import {
  loadAssignments,
  loadOrganisationEvents,
  loadStalls,
  type LoadedEvent,
} from './event-rows';
import { emptyMakerSummary, eventFigures } from './figures';
import { makerResultsChange } from './feed';
import { makerNames } from './profiles';
import { editionComparison, type EditionComparison } from './editions';
import type { DashboardMaker } from '$lib/organiser/contract';
import type { PaymentSplit } from '$lib/domain/summary';

async function previousSummary(
  db: Db | Tx,
  event: LoadedEvent,
  makerIds: readonly string[],
): Promise<Map<string, MakerEventSummary>> {
  const result = new Map<string, MakerEventSummary>();
  if (event.seriesId === null) return result;
  const series = (await loadOrganisationEvents(db, event.organisationId)).filter(
    (e) => e.seriesId === event.seriesId && e.status === 'closed' && e.id !== event.id,
  );
  if (series.length === 0) return result;
  const figures = await eventFigures(
    db,
    event.organisationId,
    series.map((e) => e.id),
  );
  for (const makerId of makerIds) {
    const tookPart = new Set(
      series.filter((e) => figures.get(e.id)?.some((s) => s.makerId === makerId)).map((e) => e.id),
    );
    const previous = previousEditionFor([...series, event], event, tookPart);
    if (!previous) continue;
    const summary = figures.get(previous.id)?.find((s) => s.makerId === makerId);
    if (summary) result.set(makerId, summary);
  }
  return result;
}

/** Results of every maker who took part (at closing, and for the results endpoint). */
export async function allMakerResults(
  db: Db | Tx,
  event: LoadedEvent,
): Promise<Map<string, MakerResults>> {
  const summaries = (await eventFigures(db, event.organisationId, [event.id])).get(event.id) ?? [];
  const totals = eventTotals(summaries);
  const previous = await previousSummary(
    db,
    event,
    summaries.map((s) => s.makerId),
  );
  return new Map(
    summaries.map((own) => [
      own.makerId,
      makerResults(own, totals, previous.get(own.makerId) ?? null),
    ]),
  );
}

/** A maker's results page; 409 until the event is closed. */
export async function resultsForMaker(
  db: Db,
  event: LoadedEvent,
  makerId: string,
): Promise<MakerResults> {
  if (event.status !== 'closed') {
    throw domainError(
      409,
      'results_not_ready',
      `Results are ready once the organiser closes the event; it is ${event.status} now.`,
    );
  }
  const all = await allMakerResults(db, event);
  const own = all.get(makerId);
  if (own) return own;
  // Invited but never had a stall nor sold: their own figures are zero; totals still shown.
  const anyone = [...all.values()][0];
  const totals: EventTotals = anyone?.event ?? eventTotals([]);
  return makerResults(emptyMakerSummary(makerId), totals, null);
}

/** The maker_results changes to send when an event closes (see feed.ts). */
export async function resultsAtClosing(
  tx: Tx,
  event: LoadedEvent,
  now: number,
): Promise<ChangeInput[]> {
  const all = await allMakerResults(tx, event);
  return [...all].map(([makerId, results]) =>
    makerResultsChange({ id: event.id, eventId: event.id, makerId, computedAt: now, results }),
  );
}

// ---------------------------------------------------------------------------------------
// The organiser's dashboard

export type { DashboardMaker };

export interface Dashboard {
  totals: EventTotals;
  /** How the money came in at the event: the sum of the makers' splits the table shows. */
  split: PaymentSplit | null;
  /** This edition against the series' previous one (null outside a series). */
  editions: EditionComparison | null;
  perHour: BazaarHourFigure[];
  makers: DashboardMaker[];
  fees: ReturnType<typeof feeOverview>;
}

export async function eventFees(db: Db | Tx, event: LoadedEvent) {
  const stalls = await loadStalls(db, event.id);
  const assignments = await loadAssignments(db, event.id);
  const byStallId: Record<string, number> = {};
  for (const stall of stalls) if (stall.feeCents !== null) byStallId[stall.id] = stall.feeCents;
  const due = feeDue(assignments, {
    kind: 'per-stall',
    byStallId,
    defaultCents: event.stallFeeDefaultCents,
  });
  const paid = await db
    .select({
      makerId: feePayments.makerId,
      paidCents: feePayments.paidCents,
      reference: feePayments.reference,
    })
    .from(feePayments)
    .where(eq(feePayments.eventId, event.id));
  const overview = feeOverview(due, Object.fromEntries(paid.map((p) => [p.makerId, p.paidCents])));
  // The reference of a fee paid online (src/lib/server/payments/fees.ts), for the fees table.
  const references = new Map(paid.map((p) => [p.makerId, p.reference]));
  const fees = {
    ...overview,
    makers: overview.makers.map((line) => ({
      ...line,
      reference: references.get(line.makerId) ?? null,
    })),
  };
  return { fees, stalls, assignments };
}

export async function dashboard(db: Db, event: LoadedEvent): Promise<Dashboard> {
  const summaries = (await eventFigures(db, event.organisationId, [event.id])).get(event.id) ?? [];
  const { fees, stalls, assignments } = await eventFees(db, event);
  const figures = new Map(sharedMakerFigures(summaries).map((f) => [f.makerId, f]));
  const feeLines = new Map<string, MakerFeeLine>(fees.makers.map((l) => [l.makerId, l]));
  const makerIds = [...new Set([...figures.keys(), ...feeLines.keys()])];
  const names = await makerNames(db, makerIds);
  const labelOf = new Map(stalls.map((s) => [s.id, s.label]));
  const makers = makerIds.map((makerId): DashboardMaker => {
    const f = figures.get(makerId);
    const fee = feeLines.get(makerId);
    return {
      makerId,
      displayName: names.get(makerId) ?? '',
      stallLabels: assignments
        .filter((a) => a.makerId === makerId)
        .map((a) => labelOf.get(a.stallId) ?? '')
        .sort(compareLabels),
      shares: f?.shares ?? false,
      salesCount: f?.salesCount ?? null,
      itemCount: f?.itemCount ?? null,
      revenueCents: f?.revenueCents ?? null,
      averageSaleCents: f?.averageSaleCents ?? null,
      split: f?.split ?? null,
      feeDueCents: fee?.dueCents ?? 0,
      feePaidCents: fee?.paidCents ?? 0,
      feeStatus: fee?.status ?? 'nothing-due',
    };
  });
  makers.sort(
    (a, b) =>
      compareLabels(a.stallLabels[0] ?? '\uffff', b.stallLabels[0] ?? '\uffff') ||
      a.displayName.localeCompare(b.displayName),
  );
  return {
    totals: organiserTotals(summaries),
    split: organiserSplit(summaries),
    editions: await editionComparison(db, event),
    perHour: salesPerHourAcrossBazaar(summaries),
    makers,
    fees,
  };
}

export function dashboardCsv(
  data: Dashboard,
  options: { language: 'nl' | 'en'; decimal: 'dot' | 'comma'; bom: boolean },
): string {
  const rows: EventDashboardRow[] = data.makers.map((v) => ({
    makerName: v.displayName,
    stallLabels: v.stallLabels,
    shares: v.shares,
    salesCount: v.salesCount,
    itemCount: v.itemCount,
    revenueCents: v.revenueCents,
    averageSaleCents: v.averageSaleCents,
    feeDueCents: v.feeDueCents,
    feePaidCents: v.feePaidCents,
    feeStatus: v.feeStatus,
  }));
  return eventDashboardCsv(rows, options);
}

/** A file name for a download: the date and the event's name in plain ASCII. */
export function csvFileName(event: Pick<LoadedEvent, 'date' | 'name'>): string {
  const name = event.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .toLowerCase();
  return `kraam-${event.date}${name ? `-${name}` : ''}.csv`;
}
