// Invitations: an organiser hands a maker, a helper or a co-organiser a link with a
// secret token, or invites someone to found a new organisation on this server.
// Only the token's SHA-256 is stored, so a database leak or backup does not leak working
// links. A token works once, until it expires or an organiser revokes it; claiming it is one
// atomic UPDATE, so two people racing for the same link cannot both get in.
//
// Showing an open link again: a token made with a link key (the server's auth secret, see
// $lib/server/auth linkKey) is HMAC(key, invitation id), so the server can derive it again
// for the organiser while the link is open, without storing it: the database alone (a leak,
// a backup) still holds no working link. A token made without a key (older links, tests)
// is random and shown once.
import { withArticle } from '$lib/server/http/words';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { uuidv7 } from '$lib/domain/ids';
import type { Db, Tx } from '../db/types';
import { invitations, memberships, organisations, user, type Role } from '../db/schema';
import { ApiError, conflict, forbidden, notFound } from '../http/errors';
import { makerNames } from '../organiser/profiles';
import { makerOfOrganisation } from './helpers';
import type { Membership } from './memberships';
import { DEFAULT_ORGANISATION_NAME } from './organisations';

export const INVITATION_TTL_HOURS_DEFAULT = 14 * 24;
export const INVITATION_TTL_HOURS_MAX = 90 * 24;

export type InvitationStatus = 'valid' | 'expired' | 'used' | 'revoked';

/** An invitation's note is at most this long (the column's CHECK says the same). */
export { INVITATION_NOTE_MAX } from '$lib/domain/organiser/invitations';

export interface InvitationInfo {
  id: string;
  organisationId: string;
  role: Role;
  newOrganisation: boolean;
  makerId: string | null;
  expiresAt: string;
  usedAt: string | null;
  createdAt: string;
  status: InvitationStatus;
  /** The organiser's note ("for Amira, honey cakes"), or null. */
  note: string | null;
  revokedAt: string | null;
  /** Who joined with it (their account's name and e-mail), once used. */
  usedBy: { name: string; email: string } | null;
  /** How many sign-ups through it met a taken e-mail (a link with probes may have leaked). */
  signUpProbes: number;
}

/** A 256-bit random token, URL-safe. */
export function newInvitationToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The token of invitation `id` under `linkKey`: HMAC-SHA256, URL-safe (43 characters). */
export function derivedInvitationToken(linkKey: string, id: string): string {
  return createHmac('sha256', linkKey).update(`kraam-invitation:${id}`, 'utf8').digest('base64url');
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token's shape: 43 base64url characters. Anything else cannot be one of ours. */
export const INVITATION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** First match wins: used > revoked > expired > valid (domain invitations.ts). */
function statusOf(
  row: { usedAt: Date | null; expiresAt: Date; revokedAt: Date | null },
  now: Date,
): InvitationStatus {
  if (row.usedAt) return 'used';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'valid';
}

type InvitationRow = typeof invitations.$inferSelect;

function toInfo(
  row: InvitationRow,
  now: Date,
  usedBy: { name: string; email: string } | null = null,
): InvitationInfo {
  return {
    id: row.id,
    organisationId: row.organisationId,
    role: row.role,
    newOrganisation: row.newOrganisation,
    makerId: row.makerId,
    expiresAt: row.expiresAt.toISOString(),
    usedAt: row.usedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    status: statusOf(row, now),
    note: row.note,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    usedBy,
    signUpProbes: row.signUpProbes,
  };
}

export interface CreateInvitationInput {
  organisationId: string;
  role: Role;
  /** The inviting user: an organiser of the organisation, or a maker inviting their own helper. */
  createdBy: string;
  /** Found a new organisation instead of joining this one (role must be organiser). */
  newOrganisation?: boolean;
  makerId?: string | null;
  /** Default 14 days. */
  expiresInHours?: number;
  /** Who the link is for, as the organiser writes it (validated at the edge). */
  note?: string | null;
  /** The key that makes the token derivable again (see the top of this file); else random. */
  linkKey?: string;
  now?: Date;
}

export async function createInvitation(
  db: Db | Tx,
  input: CreateInvitationInput,
): Promise<{ invitation: InvitationInfo; token: string }> {
  const now = input.now ?? new Date();
  const hours = input.expiresInHours ?? INVITATION_TTL_HOURS_DEFAULT;
  const newOrganisation = input.newOrganisation ?? false;
  if (newOrganisation && input.role !== 'organiser') {
    throw new ApiError(
      400,
      'validation_failed',
      'An invitation to found a new organisation makes its organiser: use role "organiser".',
    );
  }
  await assertMayInvite(db, input);
  const id = uuidv7();
  const token = input.linkKey ? derivedInvitationToken(input.linkKey, id) : newInvitationToken();
  const note = input.note?.trim() || null;
  const [row] = await db
    .insert(invitations)
    .values({
      id,
      note,
      tokenHash: hashInvitationToken(token),
      organisationId: input.organisationId,
      role: input.role,
      newOrganisation,
      makerId: input.makerId ?? null,
      createdBy: input.createdBy,
      expiresAt: new Date(now.getTime() + hours * 3_600_000),
      createdAt: now,
    })
    .returning();
  if (!row) throw new Error('Inserting the invitation returned no row.');
  return { invitation: toInfo(row, now), token };
}

/**
 * Who may invite whom (the ids in the body are checked, not only the session's role):
 * an organiser of the organisation invites anyone; a maker (a member with the maker role) only a helper for
 * themselves. A helper invitation may only name a maker of the inviting organisation.
 */
async function assertMayInvite(db: Db | Tx, input: CreateInvitationInput): Promise<void> {
  const [inviter] = await db
    .select({ role: memberships.role, makerId: memberships.makerId })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, input.createdBy),
        eq(memberships.organisationId, input.organisationId),
      ),
    );
  if (!inviter) throw forbidden('Only members of this organisation may invite to it.');
  if (inviter.role === 'maker') {
    if (input.role !== 'helper' || input.newOrganisation) {
      throw forbidden('A maker may only invite a helper for their own stall.');
    }
    if (!inviter.makerId || input.makerId !== inviter.makerId) {
      throw forbidden('A maker may only invite a helper for their own stall (makerId).');
    }
  } else if (inviter.role !== 'organiser') {
    throw forbidden(`Only organisers and makers may invite; you are ${withArticle(inviter.role)}.`);
  }
  const makerId = input.makerId ?? null;
  if (makerId === null) return;
  if (input.role !== 'helper') {
    throw new ApiError(400, 'validation_failed', 'makerId is only for helper invitations.', [
      { path: 'makerId', message: 'only for role "helper"' },
    ]);
  }
  // A maker inviting names themselves (checked above): their own row is the maker row.
  if (
    inviter.role === 'organiser' &&
    !(await makerOfOrganisation(db, input.organisationId, makerId))
  ) {
    throw new ApiError(
      422,
      'unknown_maker',
      'makerId is not a maker of your organisation (use a makerId from /api/organiser/makers).',
      [{ path: 'makerId', message: 'not a maker of this organisation' }],
    );
  }
}

/** An invitation in the organiser's list, with its token while it is open and derivable. */
export interface ListedInvitation extends InvitationInfo {
  /** The link's token (only for an open link made with the same link key), else null. */
  token: string | null;
}

const joiner = alias(user, 'joiner');

export async function listInvitations(
  db: Db,
  organisationId: string,
  now = new Date(),
  linkKey?: string,
): Promise<ListedInvitation[]> {
  const rows = await db
    .select({ invitation: invitations, name: joiner.name, email: joiner.email })
    .from(invitations)
    .leftJoin(joiner, eq(joiner.id, invitations.usedBy))
    .where(eq(invitations.organisationId, organisationId))
    .orderBy(desc(invitations.createdAt), desc(invitations.id));
  return rows.map(({ invitation, name, email }) => {
    // Who founded another organisation with a link is that organisation's business.
    const joined =
      email === null || invitation.newOrganisation ? null : { name: name ?? '', email };
    const info = toInfo(invitation, now, joined);
    return { ...info, token: openToken(invitation, info.status, linkKey) };
  });
}

function openToken(
  row: InvitationRow,
  status: InvitationStatus,
  linkKey: string | undefined,
): string | null {
  if (status !== 'valid' || !linkKey) return null;
  const token = derivedInvitationToken(linkKey, row.id);
  return hashInvitationToken(token) === row.tokenHash ? token : null;
}

/**
 * An organiser withdraws an open (or expired) link of their organisation: from then on the
 * invite page and sign-up refuse it (410 invitation_revoked). A used link cannot be revoked
 * (409; the person has joined), revoking twice is 409 too; another organisation's is 404.
 * One conditional UPDATE, so a revoke racing an accept lets exactly one of them win.
 */
export async function revokeInvitation(
  db: Db,
  organisationId: string,
  id: string,
  revokedBy: string,
  now = new Date(),
): Promise<InvitationInfo> {
  const [revoked] = await db
    .update(invitations)
    .set({ revokedAt: now, revokedBy })
    .where(
      and(
        eq(invitations.id, id),
        eq(invitations.organisationId, organisationId),
        isNull(invitations.usedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning();
  if (revoked) return toInfo(revoked, now);
  const current = await getInvitation(db, organisationId, id, now);
  throw current.status === 'used'
    ? conflict('invitation_used', 'This invitation has been used already: it cannot be revoked.')
    : conflict('invitation_revoked', 'This invitation has been revoked already.');
}

/** One invitation of one organisation (404 for another organisation's: no existence leak). */
export async function getInvitation(
  db: Db,
  organisationId: string,
  id: string,
  now = new Date(),
): Promise<InvitationInfo> {
  const rows = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.id, id), eq(invitations.organisationId, organisationId)));
  const row = rows[0];
  if (!row) throw notFound(`There is no invitation ${id} in your organisation.`);
  return toInfo(row, now);
}

/**
 * The token is not stored, so showing an invitation's QR again needs the token the
 * organiser's client got at creation: this checks that it belongs to that invitation.
 */
export async function assertTokenOfInvitation(
  db: Db,
  organisationId: string,
  id: string,
  token: string,
  /** Only an invitation this user made (a maker's own helper invitation). */
  createdBy?: string,
): Promise<void> {
  const rows = await db
    .select({ tokenHash: invitations.tokenHash })
    .from(invitations)
    .where(
      and(
        eq(invitations.id, id),
        eq(invitations.organisationId, organisationId),
        createdBy === undefined ? undefined : eq(invitations.createdBy, createdBy),
      ),
    );
  const stored = rows[0]?.tokenHash;
  if (!stored) throw notFound(`There is no invitation ${id} in your organisation.`);
  const given = Buffer.from(hashInvitationToken(token), 'hex');
  if (!timingSafeEqual(given, Buffer.from(stored, 'hex'))) {
    throw new ApiError(400, 'token_mismatch', `This token is not the token of invitation ${id}.`);
  }
}

/** What anyone holding the link may see: which organisation, which role, still usable? */
export interface PublicInvitation {
  /** The inviting organisation (for a new-organisation invitation: the one that invited). */
  organisationName: string;
  role: Role;
  newOrganisation: boolean;
  status: InvitationStatus;
  expiresAt: string;
  /**
   * A helper invitation: the name of the maker's stall they will sell at (the maker's
   * profile name, else their account name), so the helper's till is named after it. Null
   * for other invitations, and once the link is used, expired or revoked.
   */
  stallName: string | null;
}

export async function lookupInvitation(
  db: Db,
  token: string,
  now = new Date(),
): Promise<PublicInvitation | null> {
  if (!INVITATION_TOKEN_PATTERN.test(token)) return null;
  const rows = await db
    .select({
      organisationName: organisations.name,
      role: invitations.role,
      newOrganisation: invitations.newOrganisation,
      usedAt: invitations.usedAt,
      expiresAt: invitations.expiresAt,
      makerId: invitations.makerId,
      revokedAt: invitations.revokedAt,
    })
    .from(invitations)
    .innerJoin(organisations, eq(organisations.id, invitations.organisationId))
    .where(eq(invitations.tokenHash, hashInvitationToken(token)));
  const row = rows[0];
  if (!row) return null;
  const status = statusOf(row, now);
  // Only a link that still works says whose stall it is: a used, expired or revoked link (a QR code
  // photographed, a forwarded message) names no maker to whoever holds it later.
  const stallName =
    status === 'valid' && row.role === 'helper' && row.makerId
      ? ((await makerNames(db, [row.makerId])).get(row.makerId) ?? null)
      : null;
  return {
    organisationName: row.organisationName,
    role: row.role,
    newOrganisation: row.newOrganisation,
    status,
    expiresAt: row.expiresAt.toISOString(),
    stallName,
  };
}

export function invitationNotFound(): ApiError {
  return notFound('This invitation link is not valid: check that it was copied completely.');
}

export function invitationUnusable(status: Exclude<InvitationStatus, 'valid'>): ApiError {
  if (status === 'revoked') {
    return new ApiError(
      410,
      'invitation_revoked',
      'This invitation was withdrawn by the organiser. Ask them for a new link.',
    );
  }
  return status === 'used'
    ? new ApiError(
        410,
        'invitation_used',
        'This invitation has already been used. Ask your organiser for a new link.',
      )
    : new ApiError(
        410,
        'invitation_expired',
        'This invitation has expired. Ask your organiser for a new link.',
      );
}

/** Throws the right 4xx unless the token is a valid, unused, unexpired invitation. */
export async function assertInvitationUsable(db: Db, token: string, now = new Date()) {
  const found = await lookupInvitation(db, token, now);
  if (!found) throw invitationNotFound();
  if (found.status !== 'valid') throw invitationUnusable(found.status);
  return found;
}

/**
 * Uses the invitation for this user and makes them a member, all or nothing. Call it inside
 * a transaction: if the membership cannot be made, the claim must roll back with it.
 */
export async function claimInvitation(
  tx: Db,
  token: string,
  userId: string,
  options: { now?: Date; organisationName?: string } = {},
): Promise<Omit<Membership, 'organisationName'>> {
  const now = options.now ?? new Date();
  if (!INVITATION_TOKEN_PATTERN.test(token)) throw invitationNotFound();
  const tokenHash = hashInvitationToken(token);
  const [claimed] = await tx
    .update(invitations)
    .set({ usedAt: now, usedBy: userId })
    .where(
      and(
        eq(invitations.tokenHash, tokenHash),
        isNull(invitations.usedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .returning();
  if (!claimed) {
    const [row] = await tx.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
    if (!row) throw invitationNotFound();
    const status = statusOf(row, now);
    throw invitationUnusable(status === 'valid' ? 'used' : status);
  }
  if (claimed.newOrganisation) {
    return foundOrganisation(tx, userId, options.organisationName ?? DEFAULT_ORGANISATION_NAME);
  }
  const [membership] = await tx
    .insert(memberships)
    .values({
      userId,
      organisationId: claimed.organisationId,
      role: claimed.role,
      makerId: claimed.makerId,
    })
    .onConflictDoNothing({ target: [memberships.userId, memberships.organisationId] })
    .returning();
  if (!membership) {
    throw conflict(
      'already_member',
      'You are already a member of this organisation; this invitation was not used.',
    );
  }
  return {
    id: membership.id,
    userId: membership.userId,
    organisationId: membership.organisationId,
    role: membership.role,
    makerId: membership.makerId,
  };
}

/** A signed-in user accepts an invitation: claim and membership in one transaction. */
export async function acceptInvitation(
  db: Db,
  token: string,
  userId: string,
  options: { now?: Date; organisationName?: string } = {},
): Promise<Omit<Membership, 'organisationName'>> {
  return db.transaction((tx) => claimInvitation(tx, token, userId, options));
}

/** A new organisation with this user as its organiser (inside the caller's transaction). */
export async function foundOrganisation(
  tx: Db,
  userId: string,
  name: string,
): Promise<Omit<Membership, 'organisationName'>> {
  const [organisation] = await tx
    .insert(organisations)
    .values({ name })
    .returning({ id: organisations.id });
  if (!organisation) throw new Error('Inserting the organisation returned no row.');
  const [membership] = await tx
    .insert(memberships)
    .values({ userId, organisationId: organisation.id, role: 'organiser' })
    .returning();
  if (!membership) throw new Error('Inserting the membership returned no row.');
  return {
    id: membership.id,
    userId,
    organisationId: organisation.id,
    role: membership.role,
    makerId: null,
  };
}
