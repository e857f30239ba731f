// THE rule for "does this maker count at this organised event" (issue 12), used by every
// place that asks: the organiser's figures and dashboard (figures.ts), the impact report,
// the event's makers on the organiser's and the maker's screens (makers-access.ts), and
// sync's foreign-event flag (sync/taking-part.ts).
//
// A maker takes part in an organised event when
//   (a) the organiser invited them to it (event_makers), or
//   (b) they hold a stall there (stall_assignments), or
//   (c) they are a maker of the event's organisation and sold there.
// (a) and (b) are the event's planned makers, the list the organiser's event page shows;
// (c) covers a maker of the organisation who turned up and sold without being planned.
// A sale by anyone else is theirs alone: sync flags it foreign-event and it never counts
// here. A maker of the organisation may always sell at its events: after such a sale (c)
// makes them take part, so sync does not flag it (`maySellAt`).
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '$lib/server/db';
import { eventMakers, events, memberships, stallAssignments } from '$lib/server/db/schema';

/** SQL on an `events` row: the maker is one of the event's planned makers, (a) or (b). */
export function plannedAt(makerId: string): SQL {
  return (
    or(
      sql`exists (select 1 from ${eventMakers} where ${eventMakers.eventId} = ${events.id} and ${eventMakers.makerId} = ${makerId})`,
      sql`exists (select 1 from ${stallAssignments} where ${stallAssignments.eventId} = ${events.id} and ${stallAssignments.makerId} = ${makerId})`,
    ) ?? sql`false`
  );
}

/** Per event: its planned makers, (a) and (b). */
export async function plannedMakers(
  db: Db | Tx,
  eventIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const result = new Map<string, Set<string>>();
  for (const id of eventIds) result.set(id, new Set());
  if (eventIds.length === 0) return result;
  const ids = [...eventIds];
  const invited = await db
    .select({ eventId: eventMakers.eventId, makerId: eventMakers.makerId })
    .from(eventMakers)
    .where(inArray(eventMakers.eventId, ids));
  const holding = await db
    .selectDistinct({ eventId: stallAssignments.eventId, makerId: stallAssignments.makerId })
    .from(stallAssignments)
    .where(inArray(stallAssignments.eventId, ids));
  for (const row of [...invited, ...holding]) result.get(row.eventId)?.add(row.makerId);
  return result;
}

/** The organisation's makers (members with the maker role and a maker id). */
export async function organisationMakers(
  db: Db | Tx,
  organisationId: string,
): Promise<Set<string>> {
  const rows = await db
    .select({ makerId: memberships.makerId })
    .from(memberships)
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.role, 'maker')));
  return new Set(rows.flatMap((m) => (m.makerId ? [m.makerId] : [])));
}

/** The rule itself, pure: who takes part, given the event's planned makers and who sold. */
export function takingPartAt(
  planned: ReadonlySet<string>,
  ofOrganisation: ReadonlySet<string>,
  sold: Iterable<string>,
): string[] {
  const result = new Set(planned);
  for (const makerId of sold) if (ofOrganisation.has(makerId)) result.add(makerId);
  return [...result].sort();
}

/**
 * May this maker's sale at the event count (not foreign-event)? Planned there, or a maker of
 * its organisation: the sale itself then makes them take part by (c).
 */
export function maySellAt(
  planned: ReadonlySet<string>,
  ofOrganisation: ReadonlySet<string>,
  makerId: string,
): boolean {
  return planned.has(makerId) || ofOrganisation.has(makerId);
}
