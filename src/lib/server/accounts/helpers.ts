// Helpers: who may be named in a helper invitation, and which maker a helper may then act for.
//
// A helper membership names a maker (memberships.maker_id). It is honoured only while
//   - that maker is a maker (a member with the maker role) of the helper's organisation, and
//   - the maker invited this helper themselves, or shares their figures with the organisation.
// A helper sees the maker's products, sales and stall instructions and may void their sales,
// so an organiser must not be able to appoint one for a maker who keeps their figures to
// themselves: a maker's choice not to share holds against helpers they did not invite.
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/types';
import { memberships } from '../db/schema';

/** The maker member of `organisationId` whose maker is `makerId` (its user), or null. */
export async function makerOfOrganisation(
  db: Db | Tx,
  organisationId: string,
  makerId: string,
): Promise<{ userId: string } | null> {
  const [row] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        eq(memberships.organisationId, organisationId),
        eq(memberships.role, 'maker'),
        eq(memberships.makerId, makerId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** `${organisationId}:${makerId}` for each helper membership of the user that is honoured. */
export async function honouredHelperMakers(db: Db | Tx, userId: string): Promise<Set<string>> {
  const rows = await db
    .select({ organisationId: memberships.organisationId, makerId: memberships.makerId })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.role, 'helper'),
        sql`${memberships.makerId} is not null`,
        sql`exists (
          select 1 from memberships maker
          where maker.organisation_id = ${memberships.organisationId}
            and maker.role = 'maker'
            and maker.maker_id = ${memberships.makerId}
            and (
              exists (
                select 1 from figure_sharing share
                where share.maker_id = maker.maker_id
                  and share.organisation_id = maker.organisation_id
                  and share.shares
              )
              or exists (
                select 1 from invitations invite
                where invite.used_by = ${memberships.userId}
                  and invite.organisation_id = maker.organisation_id
                  and invite.role = 'helper'
                  and invite.maker_id = maker.maker_id
                  and invite.created_by = maker.user_id
              )
            )
        )`,
      ),
    );
  return new Set(rows.map((r) => `${r.organisationId}:${r.makerId ?? ''}`));
}

/** The maker a helper membership may act for now, or null (see the rules above). */
export async function honouredHelperMaker(
  db: Db | Tx,
  membership: { userId: string; organisationId: string; makerId: string | null },
): Promise<string | null> {
  if (!membership.makerId) return null;
  const honoured = await honouredHelperMakers(db, membership.userId);
  return honoured.has(`${membership.organisationId}:${membership.makerId}`)
    ? membership.makerId
    : null;
}
