// The organiser's list of makers (every maker member) with their profiles, their choice to
// share figures, and the events each took part in; and a maker's own sharing choice.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { compareLabels } from '$lib/domain/organiser/common';
import type { Db } from '$lib/server/db';
import {
  eventMakers,
  events,
  figureSharing,
  memberships,
  stallAssignments,
  stalls,
  user,
} from '$lib/server/db/schema';
import { ensureMakerOfUser } from './makers-access';
import { loadProfiles } from './profiles';
import { sharingMakers } from './figures';
import type { Maker } from '$lib/organiser/contract';

/** A maker as organisers see them (the contract's Maker). */
export type MakerListing = Maker;

export async function listMakers(db: Db, organisationId: string): Promise<MakerListing[]> {
  const members = await db.transaction(async (tx) => {
    const rows = await tx
      .select({
        membershipId: memberships.id,
        userId: memberships.userId,
        makerId: memberships.makerId,
        name: user.name,
        email: user.email,
      })
      .from(memberships)
      .innerJoin(user, eq(user.id, memberships.userId))
      .where(and(eq(memberships.organisationId, organisationId), eq(memberships.role, 'maker')))
      .orderBy(asc(memberships.createdAt), asc(memberships.id));
    // A maker who never synced gets their server id now, so they can be planned with.
    const result = [];
    for (const row of rows) {
      result.push({ ...row, makerId: row.makerId ?? (await ensureMakerOfUser(tx, row.userId)) });
    }
    return result;
  });
  const makerIds = members.map((m) => m.makerId);
  if (makerIds.length === 0) return [];
  const profiles = await loadProfiles(db, makerIds);
  const sharing = await sharingMakers(db, organisationId);
  const invited = await db
    .select({
      makerId: eventMakers.makerId,
      eventId: events.id,
      name: events.name,
      date: events.date,
      status: events.status,
    })
    .from(eventMakers)
    .innerJoin(events, eq(events.id, eventMakers.eventId))
    .where(and(eq(events.organisationId, organisationId), inArray(eventMakers.makerId, makerIds)))
    .orderBy(asc(events.date), asc(events.id));
  const held = await db
    .select({
      makerId: stallAssignments.makerId,
      eventId: stallAssignments.eventId,
      label: stalls.label,
    })
    .from(stallAssignments)
    .innerJoin(stalls, eq(stalls.id, stallAssignments.stallId))
    .innerJoin(events, eq(events.id, stallAssignments.eventId))
    .where(
      and(eq(events.organisationId, organisationId), inArray(stallAssignments.makerId, makerIds)),
    );
  return members.map((member) => ({
    makerId: member.makerId,
    membershipId: member.membershipId,
    userId: member.userId,
    name: member.name,
    email: member.email,
    profile: profiles.get(member.makerId) ?? null,
    sharesFigures: sharing.has(member.makerId),
    events: invited
      .filter((e) => e.makerId === member.makerId)
      .map((e) => {
        const labels = held
          .filter((h) => h.makerId === member.makerId && h.eventId === e.eventId)
          .map((h) => h.label)
          .sort(compareLabels);
        return {
          eventId: e.eventId,
          name: e.name,
          date: e.date,
          status: e.status,
          hasStall: labels.length > 0,
          stallLabels: labels,
        };
      }),
  }));
}

/** Does the maker share figures with this organisation? Not until they say so. */
export async function sharesFigures(
  db: Db,
  makerId: string,
  organisationId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ shares: figureSharing.shares })
    .from(figureSharing)
    .where(
      and(eq(figureSharing.makerId, makerId), eq(figureSharing.organisationId, organisationId)),
    );
  return row?.shares ?? false;
}

export async function setSharesFigures(
  db: Db,
  makerId: string,
  organisationId: string,
  shares: boolean,
): Promise<boolean> {
  await db
    .insert(figureSharing)
    .values({ makerId, organisationId, shares })
    .onConflictDoUpdate({
      target: [figureSharing.makerId, figureSharing.organisationId],
      set: { shares, updatedAt: new Date() },
    });
  return shares;
}
