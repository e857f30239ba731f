/**
 * Invitation links as pure rules. The server stores only a hash of each token and calls
 * these rules with the stored times; nothing here sees a token.
 *
 * - Default lifetime: 14 days (a monthly bazaar's organiser invites two to four weeks ahead;
 *   two weeks leaves time to accept, and a link that leaks stops working soon). An organiser
 *   may choose 1..90 days.
 * - An invitation is valid until `expiresAt` (the instant itself is already expired).
 * - State, first match wins: used (someone joined with it; final) > revoked (the organiser
 *   withdrew it) > expired > valid. So a used link always says "already used", even after it
 *   would have expired, and the person is not told to ask for a new one.
 * - Accepting uses it once: a second accept is 'invitation-used'.
 * Times are epoch milliseconds or Dates (the server's timestamp columns), compared as ms.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_INVITATION_DAYS = 14;
export const MAX_INVITATION_DAYS = 90;
/** An organiser's note on a link ("for Amira, honey cakes"): at most this many characters. */
export const INVITATION_NOTE_MAX = 200;

export type Moment = number | Date;

export interface InvitationTimes {
  expiresAt: Moment;
  usedAt: Moment | null;
  revokedAt?: Moment | null;
}

export type InvitationState = 'valid' | 'expired' | 'used' | 'revoked';

function ms(moment: Moment): number {
  return moment instanceof Date ? moment.getTime() : moment;
}

export function invitationState(invitation: InvitationTimes, now: Moment): InvitationState {
  if (invitation.usedAt !== null) return 'used';
  if (invitation.revokedAt !== undefined && invitation.revokedAt !== null) return 'revoked';
  if (ms(now) >= ms(invitation.expiresAt)) return 'expired';
  return 'valid';
}

export type InvitationErrorCode = 'invitation-expired' | 'invitation-used' | 'invitation-revoked';

const ERROR_OF: Record<Exclude<InvitationState, 'valid'>, InvitationErrorCode> = {
  expired: 'invitation-expired',
  used: 'invitation-used',
  revoked: 'invitation-revoked',
};

/** Accepting: ok with the `usedAt` to store (now), or why the link no longer works. */
export function acceptInvitation(
  invitation: InvitationTimes,
  now: Moment,
): { ok: true; usedAt: number } | { ok: false; error: InvitationErrorCode } {
  const state = invitationState(invitation, now);
  if (state !== 'valid') return { ok: false, error: ERROR_OF[state] };
  return { ok: true, usedAt: ms(now) };
}

/**
 * Withdrawing: ok with the `revokedAt` to store. A used invitation cannot be withdrawn (the
 * person has joined; removing them is a membership change, not this); withdrawing twice is
 * 'invitation-revoked'. An expired one may be withdrawn (tidying the list).
 */
export function revokeInvitation(
  invitation: InvitationTimes,
  now: Moment,
):
  { ok: true; revokedAt: number } | { ok: false; error: 'invitation-used' | 'invitation-revoked' } {
  const state = invitationState(invitation, now);
  if (state === 'used') return { ok: false, error: 'invitation-used' };
  if (state === 'revoked') return { ok: false, error: 'invitation-revoked' };
  return { ok: true, revokedAt: ms(now) };
}

/**
 * When an invitation made at `createdAt` expires: `days` (default 14) whole days later.
 * Throws RangeError for days outside 1..90 or not whole: the form validates first.
 */
export function invitationExpiry(
  createdAt: Moment,
  days: number = DEFAULT_INVITATION_DAYS,
): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_INVITATION_DAYS) {
    throw new RangeError(`invitation lifetime must be 1..${MAX_INVITATION_DAYS} days, got ${days}`);
  }
  return ms(createdAt) + days * DAY_MS;
}

/** Whole days left (rounded up) for a valid invitation, for "expires in 3 days"; else 0. */
export function invitationDaysLeft(invitation: InvitationTimes, now: Moment): number {
  if (invitationState(invitation, now) !== 'valid') return 0;
  return Math.ceil((ms(invitation.expiresAt) - ms(now)) / DAY_MS);
}
