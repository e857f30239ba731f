// Which of a batch's organised events the account's makers take part in, for the
// `foreign-event` flag (SPEC.md push rule 5): a maker takes part in an organised event when
// invited to it (event_makers) or a maker (vendor member) of its organisation; a stall there
// counts too (the batch's `assignments`). A sale elsewhere stays the maker's own, flagged,
// and the organiser's figures never count it (organiser/figures.ts).
import { and, eq, inArray } from 'drizzle-orm';
import type { Id } from '$lib/domain/types';
import type { Tx } from '$lib/server/db';
import { eventMakers, memberships } from '$lib/server/db/schema';
import { assignmentKey } from './batch-state';

/** `${eventId}:${vendorId}` (assignmentKey) for each event a vendor takes part in. */
export async function loadTakingPart(
  tx: Tx,
  events: ReadonlyMap<Id, { organisationId?: string | null }>,
  vendorIds: readonly Id[],
): Promise<Set<string>> {
  const result = new Set<string>();
  const organised = [...events].filter(([, e]) => !!e.organisationId);
  if (organised.length === 0 || vendorIds.length === 0) return result;
  const invited = await tx
    .select({ eventId: eventMakers.eventId, vendorId: eventMakers.vendorId })
    .from(eventMakers)
    .where(
      and(
        inArray(eventMakers.eventId, organised.map(([id]) => id).sort()),
        inArray(eventMakers.vendorId, [...vendorIds]),
      ),
    );
  for (const row of invited) result.add(assignmentKey(row.eventId, row.vendorId));
  const members = await tx
    .select({ organisationId: memberships.organisationId, vendorId: memberships.vendorId })
    .from(memberships)
    .where(and(eq(memberships.role, 'vendor'), inArray(memberships.vendorId, [...vendorIds])));
  for (const [eventId, event] of organised) {
    for (const m of members) {
      if (m.vendorId && m.organisationId === event.organisationId) {
        result.add(assignmentKey(eventId, m.vendorId));
      }
    }
  }
  return result;
}
