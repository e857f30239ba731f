// The organiser's list of makers (every vendor member) with their profiles, their choice to
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
import { ensureVendorOfUser } from './makers-access';
import { loadProfiles } from './profiles';
import { sharingVendors } from './figures';
import type { Maker } from '$lib/organise/contract';

/** A maker as organisers see them (the contract's Maker). */
export type MakerListing = Maker;

export async function listMakers(db: Db, organisationId: string): Promise<MakerListing[]> {
  const members = await db.transaction(async (tx) => {
    const rows = await tx
      .select({
        membershipId: memberships.id,
        userId: memberships.userId,
        vendorId: memberships.vendorId,
        name: user.name,
        email: user.email,
      })
      .from(memberships)
      .innerJoin(user, eq(user.id, memberships.userId))
      .where(and(eq(memberships.organisationId, organisationId), eq(memberships.role, 'vendor')))
      .orderBy(asc(memberships.createdAt), asc(memberships.id));
    // A maker who never synced gets their server id now, so they can be planned with.
    const result = [];
    for (const row of rows) {
      result.push({ ...row, vendorId: row.vendorId ?? (await ensureVendorOfUser(tx, row.userId)) });
    }
    return result;
  });
  const vendorIds = members.map((m) => m.vendorId);
  if (vendorIds.length === 0) return [];
  const profiles = await loadProfiles(db, vendorIds);
  const sharing = await sharingVendors(db, organisationId);
  const invited = await db
    .select({
      vendorId: eventMakers.vendorId,
      eventId: events.id,
      name: events.name,
      date: events.date,
      status: events.status,
    })
    .from(eventMakers)
    .innerJoin(events, eq(events.id, eventMakers.eventId))
    .where(and(eq(events.organisationId, organisationId), inArray(eventMakers.vendorId, vendorIds)))
    .orderBy(asc(events.date), asc(events.id));
  const held = await db
    .select({
      vendorId: stallAssignments.vendorId,
      eventId: stallAssignments.eventId,
      label: stalls.label,
    })
    .from(stallAssignments)
    .innerJoin(stalls, eq(stalls.id, stallAssignments.stallId))
    .innerJoin(events, eq(events.id, stallAssignments.eventId))
    .where(
      and(eq(events.organisationId, organisationId), inArray(stallAssignments.vendorId, vendorIds)),
    );
  return members.map((member) => ({
    vendorId: member.vendorId,
    membershipId: member.membershipId,
    userId: member.userId,
    name: member.name,
    email: member.email,
    profile: profiles.get(member.vendorId) ?? null,
    sharesFigures: sharing.has(member.vendorId),
    events: invited
      .filter((e) => e.vendorId === member.vendorId)
      .map((e) => {
        const labels = held
          .filter((h) => h.vendorId === member.vendorId && h.eventId === e.eventId)
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
  vendorId: string,
  organisationId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ shares: figureSharing.shares })
    .from(figureSharing)
    .where(
      and(eq(figureSharing.vendorId, vendorId), eq(figureSharing.organisationId, organisationId)),
    );
  return row?.shares ?? false;
}

export async function setSharesFigures(
  db: Db,
  vendorId: string,
  organisationId: string,
  shares: boolean,
): Promise<boolean> {
  await db
    .insert(figureSharing)
    .values({ vendorId, organisationId, shares })
    .onConflictDoUpdate({
      target: [figureSharing.vendorId, figureSharing.organisationId],
      set: { shares, updatedAt: new Date() },
    });
  return shares;
}
