import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/types';
import { memberships, organisations, type Role } from '../db/schema';
import { notFound } from '../http/errors';

/** A user's place in one organisation: what `locals.membership` holds. */
export interface Membership {
  id: string;
  userId: string;
  organisationId: string;
  organisationName: string;
  role: Role;
  /** The maker this member is or sells for (maker, helper); null for organisers or until set. */
  makerId: string | null;
}

/** All of a user's memberships, oldest first (the first one is their current organisation). */
export async function listMemberships(db: Db, userId: string): Promise<Membership[]> {
  return db
    .select({
      id: memberships.id,
      userId: memberships.userId,
      organisationId: memberships.organisationId,
      organisationName: organisations.name,
      role: memberships.role,
      makerId: memberships.makerId,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.id));
}

/**
 * Links a maker's membership to their maker profile (the StallProfile id made on their
 * device), e.g. when the device first syncs and the account adopts its data.
 */
export async function setMembershipMaker(
  db: Db,
  membershipId: string,
  makerId: string,
): Promise<void> {
  const rows = await db
    .update(memberships)
    .set({ makerId })
    .where(eq(memberships.id, membershipId))
    .returning({ id: memberships.id });
  if (rows.length === 0) throw notFound(`There is no membership ${membershipId}.`);
}
