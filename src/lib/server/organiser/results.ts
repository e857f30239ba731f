// Results after an event (domain results.ts, RULES.md R1-R6): each maker's own figures next
// to the event's totals from sharing makers only (group-of-3 rule), and the change against
// their previous edition of the same series; the organiser's dashboard and its CSV.
//
// "Previous edition" = the maker's latest earlier CLOSED edition of the series in which they
// took part (domain EV8 over closed events: an edition that has not closed has no results).
import { feeDue, feeOverview, type VendorFeeLine } from '$lib/domain/organiser/assignments';
import { eventDashboardCsv, type EventDashboardRow } from '$lib/domain/organiser/csv';
import { previousEditionFor } from '$lib/domain/organiser/event-lifecycle';
import {
  eventTotals,
  organiserTotals,
  salesPerHourAcrossBazaar,
  sharedVendorFigures,
  vendorResults,
  type BazaarHourFigure,
  type EventTotals,
  type VendorEventSummary,
  type VendorResults,
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
import { emptyVendorSummary, eventFigures } from './figures';
import { vendorResultsChange } from './feed';
import { makerNames } from './profiles';
import { editionComparison, type EditionComparison } from './editions';
import type { DashboardVendor } from '$lib/organise/contract';

async function previousSummary(
  db: Db | Tx,
  event: LoadedEvent,
  vendorIds: readonly string[],
): Promise<Map<string, VendorEventSummary>> {
  const result = new Map<string, VendorEventSummary>();
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
  for (const vendorId of vendorIds) {
    const tookPart = new Set(
      series
        .filter((e) => figures.get(e.id)?.some((s) => s.vendorId === vendorId))
        .map((e) => e.id),
    );
    const previous = previousEditionFor([...series, event], event, tookPart);
    if (!previous) continue;
    const summary = figures.get(previous.id)?.find((s) => s.vendorId === vendorId);
    if (summary) result.set(vendorId, summary);
  }
  return result;
}

/** Results of every maker who took part (at closing, and for the results endpoint). */
export async function allVendorResults(
  db: Db | Tx,
  event: LoadedEvent,
): Promise<Map<string, VendorResults>> {
  const summaries = (await eventFigures(db, event.organisationId, [event.id])).get(event.id) ?? [];
  const totals = eventTotals(summaries);
  const previous = await previousSummary(
    db,
    event,
    summaries.map((s) => s.vendorId),
  );
  return new Map(
    summaries.map((own) => [
      own.vendorId,
      vendorResults(own, totals, previous.get(own.vendorId) ?? null),
    ]),
  );
}

/** A maker's results page; 409 until the event is closed. */
export async function resultsForVendor(
  db: Db,
  event: LoadedEvent,
  vendorId: string,
): Promise<VendorResults> {
  if (event.status !== 'closed') {
    throw domainError(
      409,
      'results_not_ready',
      `Results are ready once the organiser closes the event; it is ${event.status} now.`,
    );
  }
  const all = await allVendorResults(db, event);
  const own = all.get(vendorId);
  if (own) return own;
  // Invited but never had a stall nor sold: their own figures are zero; totals still shown.
  const anyone = [...all.values()][0];
  const totals: EventTotals = anyone?.event ?? eventTotals([]);
  return vendorResults(emptyVendorSummary(vendorId), totals, null);
}

/** The vendor_results changes to send when an event closes (see feed.ts). */
export async function resultsAtClosing(
  tx: Tx,
  event: LoadedEvent,
  now: number,
): Promise<ChangeInput[]> {
  const all = await allVendorResults(tx, event);
  return [...all].map(([vendorId, results]) =>
    vendorResultsChange({ id: event.id, eventId: event.id, vendorId, computedAt: now, results }),
  );
}

// ---------------------------------------------------------------------------------------
// The organiser's dashboard

export type { DashboardVendor };

export interface Dashboard {
  totals: EventTotals;
  /** This edition against the series' previous one (null outside a series). */
  editions: EditionComparison | null;
  perHour: BazaarHourFigure[];
  vendors: DashboardVendor[];
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
    .select({ vendorId: feePayments.vendorId, paidCents: feePayments.paidCents })
    .from(feePayments)
    .where(eq(feePayments.eventId, event.id));
  const fees = feeOverview(due, Object.fromEntries(paid.map((p) => [p.vendorId, p.paidCents])));
  return { fees, stalls, assignments };
}

export async function dashboard(db: Db, event: LoadedEvent): Promise<Dashboard> {
  const summaries = (await eventFigures(db, event.organisationId, [event.id])).get(event.id) ?? [];
  const { fees, stalls, assignments } = await eventFees(db, event);
  const figures = new Map(sharedVendorFigures(summaries).map((f) => [f.vendorId, f]));
  const feeLines = new Map<string, VendorFeeLine>(fees.vendors.map((l) => [l.vendorId, l]));
  const vendorIds = [...new Set([...figures.keys(), ...feeLines.keys()])];
  const names = await makerNames(db, vendorIds);
  const labelOf = new Map(stalls.map((s) => [s.id, s.label]));
  const vendors = vendorIds.map((vendorId): DashboardVendor => {
    const f = figures.get(vendorId);
    const fee = feeLines.get(vendorId);
    return {
      vendorId,
      displayName: names.get(vendorId) ?? '',
      stallLabels: assignments
        .filter((a) => a.vendorId === vendorId)
        .map((a) => labelOf.get(a.stallId) ?? '')
        .sort(compareLabels),
      shares: f?.shares ?? false,
      salesCount: f?.salesCount ?? null,
      itemCount: f?.itemCount ?? null,
      revenueCents: f?.revenueCents ?? null,
      averageSaleCents: f?.averageSaleCents ?? null,
      feeDueCents: fee?.dueCents ?? 0,
      feePaidCents: fee?.paidCents ?? 0,
      feeStatus: fee?.status ?? 'nothing-due',
    };
  });
  vendors.sort(
    (a, b) =>
      compareLabels(a.stallLabels[0] ?? '\uffff', b.stallLabels[0] ?? '\uffff') ||
      a.displayName.localeCompare(b.displayName),
  );
  return {
    totals: organiserTotals(summaries),
    editions: await editionComparison(db, event),
    perHour: salesPerHourAcrossBazaar(summaries),
    vendors,
    fees,
  };
}

export function dashboardCsv(
  data: Dashboard,
  options: { language: 'nl' | 'en'; decimal: 'dot' | 'comma'; bom: boolean },
): string {
  const rows: EventDashboardRow[] = data.vendors.map((v) => ({
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
