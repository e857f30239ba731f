// Who a maker is on the server, and what a member may see of an event.
//
// A maker's server id (`vendors.id`, `memberships.vendor_id`) is normally adopted from their
// device on its first sync (SPEC.md "Accounts"). An organiser may plan with a maker who has
// not synced yet, so a vendor member without one gets a fresh id here; their device's own
// profile id is then mapped to it on first sync, exactly like a maker's second phone.
import { withArticle } from '$lib/server/http/words';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { uuidv7 } from '$lib/domain/ids';
import type { Membership } from '$lib/server/accounts';
import { honouredHelperMaker, makerOfOrganisation } from '$lib/server/accounts/helpers';
import type { Db, Tx } from '$lib/server/db';
import { events, memberships, vendors } from '$lib/server/db/schema';
import { plannedAt } from './taking-part';
import { ApiError, forbidden, notFound } from '$lib/server/http';

/** The server vendor id of a user's maker profile, made now if they have none. */
export async function ensureVendorOfUser(tx: Db | Tx, userId: string): Promise<string> {
  const existing = await vendorOfUser(tx, userId);
  if (existing) return existing;
  await tx
    .insert(vendors)
    .values({ id: uuidv7(), ownerUserId: userId })
    .onConflictDoNothing({ target: vendors.ownerUserId });
  const made = await vendorOfUser(tx, userId);
  if (!made) throw new Error(`could not make a vendor for user ${userId}`);
  await tx
    .update(memberships)
    .set({ vendorId: made })
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.role, 'vendor'),
        isNull(memberships.vendorId),
      ),
    );
  return made;
}

async function vendorOfUser(db: Db | Tx, userId: string): Promise<string | null> {
  const [owned] = await db
    .select({ id: vendors.id })
    .from(vendors)
    .where(eq(vendors.ownerUserId, userId));
  if (owned) return owned.id;
  const [member] = await db
    .select({ vendorId: memberships.vendorId })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.role, 'vendor'),
        sql`${memberships.vendorId} is not null`,
      ),
    );
  return member?.vendorId ?? null;
}

/**
 * The maker a vendor or helper acts for: a vendor's own (made if needed), a helper's maker
 * (null when the helper's invitation named none, or the maker is not one of the helper's
 * organisation, or neither invited the helper nor shares figures: accounts/helpers.ts).
 * Organisers have none.
 */
export async function actingVendorId(db: Db, membership: Membership): Promise<string | null> {
  if (membership.role === 'vendor') {
    return membership.vendorId ?? (await ensureVendorOfUser(db, membership.userId));
  }
  if (membership.role === 'helper') return honouredHelperMaker(db, membership);
  return null;
}

/** The same, but only for vendors themselves (a maker's own profile, sharing choice). */
export async function ownVendorId(db: Db, membership: Membership): Promise<string> {
  if (membership.role !== 'vendor') {
    throw forbidden(
      `Only a maker (vendor account) has a maker profile; you are ${withArticle(membership.role)}.`,
    );
  }
  return membership.vendorId ?? (await ensureVendorOfUser(db, membership.userId));
}

/** A maker of this organisation (a vendor member), by server vendor id; 404 otherwise. */
export async function assertMakerOfOrganisation(
  db: Db | Tx,
  organisationId: string,
  vendorId: string,
): Promise<void> {
  if (!(await makerOfOrganisation(db, organisationId, vendorId))) {
    throw notFound(
      `There is no maker ${vendorId} in your organisation (use a vendorId from /api/organiser/makers).`,
    );
  }
}

/** SQL: the `events` row is one this maker is planned at (taking-part.ts, (a) or (b)). */
export const takingPart = plannedAt;

/** Does this maker take part in the event (invited to it, or holding a stall)? */
export async function takesPart(db: Db | Tx, eventId: string, vendorId: string): Promise<boolean> {
  const rows = await db
    .select({ eventId: events.id })
    .from(events)
    .where(and(eq(events.id, eventId), takingPart(vendorId)))
    .limit(1);
  return rows.length > 0;
}

export function noMaker(): ApiError {
  return new ApiError(
    403,
    'no_maker',
    'This helper account sells for no maker yet: ask the organiser for a helper invitation naming the maker.',
  );
}
