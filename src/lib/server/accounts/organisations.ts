import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/types';
import { memberships, organisations, user } from '../db/schema';
import { notFound } from '../http/errors';

export const DEFAULT_ORGANISATION_NAME = 'My organisation';
export const ORGANISATION_NAME_MAX = 120;

export interface OrganisationInfo {
  id: string;
  name: string;
}

export async function hasAnyOrganisation(db: Db): Promise<boolean> {
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(organisations)
    .limit(1);
  return rows.length > 0;
}

export async function getOrganisation(db: Db, id: string): Promise<OrganisationInfo> {
  const rows = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, id));
  const row = rows[0];
  if (!row) throw notFound(`There is no organisation ${id}.`);
  return row;
}

export async function renameOrganisation(
  db: Db,
  id: string,
  name: string,
): Promise<OrganisationInfo> {
  const rows = await db
    .update(organisations)
    .set({ name })
    .where(eq(organisations.id, id))
    .returning({ id: organisations.id, name: organisations.name });
  const row = rows[0];
  if (!row) throw notFound(`There is no organisation ${id}.`);
  return row;
}

export interface MemberInfo {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: 'organiser' | 'maker' | 'helper';
  makerId: string | null;
  joinedAt: string;
}

/** Everyone in one organisation (for its organisers), oldest member first. */
export async function listMembers(db: Db, organisationId: string): Promise<MemberInfo[]> {
  const rows = await db
    .select({
      membershipId: memberships.id,
      userId: memberships.userId,
      name: user.name,
      email: user.email,
      role: memberships.role,
      makerId: memberships.makerId,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(eq(memberships.organisationId, organisationId))
    .orderBy(asc(memberships.createdAt), asc(memberships.id));
  return rows.map((row) => ({ ...row, joinedAt: row.joinedAt.toISOString() }));
}
