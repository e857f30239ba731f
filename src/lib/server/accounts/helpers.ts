// Helpers: who may be named in a helper invitation, and which maker a helper may then act for.
//
// A helper membership names a maker (memberships.vendor_id). It is honoured only while
//   - that maker is a maker (vendor member) of the helper's organisation, and
//   - the maker invited this helper themselves, or shares their figures with the organisation.
// A helper sees the maker's products, sales and stall instructions and may void their sales,
// so an organiser must not be able to appoint one for a maker who keeps their figures to
// themselves: a maker's choice not to share holds against helpers they did not invite.
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/types';
import { memberships } from '../db/schema';

/** The vendor member of `organisationId` whose maker is `vendorId` (its user), or null. */
export async function makerOfOrganisation(
  db: Db | Tx,
  organisationId: string,
  vendorId: string,
): Promise<{ userId: string } | null> {
  const [row] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        eq(memberships.organisationId, organisationId),
        eq(memberships.role, 'vendor'),
        eq(memberships.vendorId, vendorId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** `${organisationId}:${vendorId}` for each helper membership of the user that is honoured. */
export async function honouredHelperMakers(db: Db | Tx, userId: string): Promise<Set<string>> {
  const rows = await db
    .select({ organisationId: memberships.organisationId, vendorId: memberships.vendorId })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.role, 'helper'),
        sql`${memberships.vendorId} is not null`,
        sql`exists (
          select 1 from memberships maker
          where maker.organisation_id = ${memberships.organisationId}
            and maker.role = 'vendor'
            and maker.vendor_id = ${memberships.vendorId}
            and (
              exists (
                select 1 from figure_sharing share
                where share.vendor_id = maker.vendor_id
                  and share.organisation_id = maker.organisation_id
                  and share.shares
              )
              or exists (
                select 1 from invitations invite
                where invite.used_by = ${memberships.userId}
                  and invite.organisation_id = maker.organisation_id
                  and invite.role = 'helper'
                  and invite.vendor_id = maker.vendor_id
                  and invite.created_by = maker.user_id
              )
            )
        )`,
      ),
    );
  return new Set(rows.map((r) => `${r.organisationId}:${r.vendorId ?? ''}`));
}

/** The maker a helper membership may act for now, or null (see the rules above). */
export async function honouredHelperMaker(
  db: Db | Tx,
  membership: { userId: string; organisationId: string; vendorId: string | null },
): Promise<string | null> {
  if (!membership.vendorId) return null;
  const honoured = await honouredHelperMakers(db, membership.userId);
  return honoured.has(`${membership.organisationId}:${membership.vendorId}`)
    ? membership.vendorId
    : null;
}
