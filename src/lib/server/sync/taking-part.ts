// Which of a batch's organised events the account's makers may sell at without the
// `foreign-event` flag (SPEC.md push rule 5), by THE rule of organiser/taking-part.ts: a
// maker planned at the event (invited, or holding a stall; a stall in the batch's own
// `assignments` counts too, see batch-apply.ts) or a maker of its organisation (their sale
// then makes them take part). A sale elsewhere stays the maker's own, flagged, and the
// organiser's figures never count it (organiser/figures.ts).
import { and, eq, inArray } from 'drizzle-orm';
import type { Id } from '$lib/domain/types';
import type { Tx } from '$lib/server/db';
import { memberships } from '$lib/server/db/schema';
import { maySellAt, plannedMakers } from '$lib/server/organiser/taking-part';
import { assignmentKey } from './batch-state';

/** `${eventId}:${makerId}` (assignmentKey) for each event a maker takes part in. */
export async function loadTakingPart(
  tx: Tx,
  events: ReadonlyMap<Id, { organisationId?: string | null }>,
  makerIds: readonly Id[],
): Promise<Set<string>> {
  const result = new Set<string>();
  const organised = [...events].filter(([, e]) => !!e.organisationId);
  if (organised.length === 0 || makerIds.length === 0) return result;
  const planned = await plannedMakers(tx, organised.map(([id]) => id).sort());
  const members = await tx
    .select({ organisationId: memberships.organisationId, makerId: memberships.makerId })
    .from(memberships)
    .where(and(eq(memberships.role, 'maker'), inArray(memberships.makerId, [...makerIds])));
  for (const [eventId, event] of organised) {
    const ofOrganisation = new Set(
      members.flatMap((m) =>
        m.makerId && m.organisationId === event.organisationId ? [m.makerId] : [],
      ),
    );
    for (const makerId of makerIds) {
      if (maySellAt(planned.get(eventId) ?? new Set(), ofOrganisation, makerId)) {
        result.add(assignmentKey(eventId, makerId));
      }
    }
  }
  return result;
}
