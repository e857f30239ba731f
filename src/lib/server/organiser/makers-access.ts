// Who a maker is on the server, and what a member may see of an event.
//
// A maker's server id (`makers.id`, `memberships.maker_id`) is normally adopted from their
// device on its first sync (SPEC.md "Accounts"). An organiser may plan with a maker who has
// not synced yet, so a maker member without one gets a fresh id here; their device's own
// profile id is then mapped to it on first sync, exactly like a maker's second phone.
import { withArticle } from '$lib/server/http/words';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { uuidv7 } from '$lib/domain/ids';
import type { Membership } from '$lib/server/accounts';
import { honouredHelperMaker, makerOfOrganisation } from '$lib/server/accounts/helpers';
import type { Db, Tx } from '$lib/server/db';
import { events, memberships, makers } from '$lib/server/db/schema';
import { plannedAt } from './taking-part';
import { ApiError, forbidden, notFound } from '$lib/server/http';

/** The server maker id of a user's maker profile, made now if they have none. */
export async function ensureMakerOfUser(tx: Db | Tx, userId: string): Promise<string> {
  const existing = await makerOfUser(tx, userId);
  if (existing) return existing;
  await tx
    .insert(makers)
    .values({ id: uuidv7(), ownerUserId: userId })
    .onConflictDoNothing({ target: makers.ownerUserId });
  const made = await makerOfUser(tx, userId);
  if (!made) throw new Error(`could not make a maker for user ${userId}`);
  await tx
    .update(memberships)
    .set({ makerId: made })
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.role, 'maker'),
        isNull(memberships.makerId),
      ),
    );
  return made;
}

async function makerOfUser(db: Db | Tx, userId: string): Promise<string | null> {
  const [owned] = await db
    .select({ id: makers.id })
    .from(makers)
    .where(eq(makers.ownerUserId, userId));
  if (owned) return owned.id;
  const [member] = await db
    .select({ makerId: memberships.makerId })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.role, 'maker'),
        sql`${memberships.makerId} is not null`,
      ),
    );
  return member?.makerId ?? null;
}

/**
 * The maker a maker or helper acts for: a maker's own (made if needed), a helper's maker
 * (null when the helper's invitation named none, or the maker is not one of the helper's
 * organisation, or neither invited the helper nor shares figures: accounts/helpers.ts).
 * Organisers have none.
 */
export async function actingMakerId(db: Db, membership: Membership): Promise<string | null> {
  if (membership.role === 'maker') {
    return membership.makerId ?? (await ensureMakerOfUser(db, membership.userId));
  }
  if (membership.role === 'helper') return honouredHelperMaker(db, membership);
  return null;
}

/** The same, but only for makers themselves (a maker's own profile, sharing choice). */
export async function ownMakerId(db: Db, membership: Membership): Promise<string> {
  if (membership.role !== 'maker') {
    throw forbidden(
      `Only a maker account has a maker profile; you are ${withArticle(membership.role)}.`,
    );
  }
  return membership.makerId ?? (await ensureMakerOfUser(db, membership.userId));
}

/** A maker of this organisation (a maker member), by server maker id; 404 otherwise. */
export async function assertMakerOfOrganisation(
  db: Db | Tx,
  organisationId: string,
  makerId: string,
): Promise<void> {
  if (!(await makerOfOrganisation(db, organisationId, makerId))) {
    throw notFound(
      `There is no maker ${makerId} in your organisation (use a makerId from /api/organiser/makers).`,
    );
  }
}

/** SQL: the `events` row is one this maker is planned at (taking-part.ts, (a) or (b)). */
export const takingPart = plannedAt;

/** Does this maker take part in the event (invited to it, or holding a stall)? */
export async function takesPart(db: Db | Tx, eventId: string, makerId: string): Promise<boolean> {
  const rows = await db
    .select({ eventId: events.id })
    .from(events)
    .where(and(eq(events.id, eventId), takingPart(makerId)))
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
