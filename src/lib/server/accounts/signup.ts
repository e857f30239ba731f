// Who may sign up: on a fresh server the first person founds the organisation and becomes
// its organiser; after that, only someone holding a valid invitation. Checked twice: before
// better-auth creates the user (a clear error, nothing created) and, atomically, after
// (the founding or the claim), so two racing sign-ups cannot both win.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { SAFE_TEXT } from '../../safe-text';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import {
  assertInvitationUsable,
  claimInvitation,
  foundOrganisation,
  INVITATION_TOKEN_PATTERN,
} from './invitations';
import type { Membership } from './memberships';
import {
  DEFAULT_ORGANISATION_NAME,
  hasAnyOrganisation,
  ORGANISATION_NAME_MAX,
} from './organisations';

/** Extra fields Kraam accepts in better-auth's sign-up body. */
export const signUpExtrasSchema = z.object({
  invitationToken: z
    .string()
    .regex(INVITATION_TOKEN_PATTERN, 'an invitation token is 43 URL-safe characters')
    .optional(),
  organisationName: z.string().trim().min(1).max(ORGANISATION_NAME_MAX).check(SAFE_TEXT).optional(),
});
export type SignUpExtras = z.infer<typeof signUpExtrasSchema>;

/**
 * better-auth's own sign-up text fields, checked before it stores them: NUL or a lone
 * surrogate would fail in (or be changed by) the database. Lengths are better-auth's
 * business; the hooks bound the whole body.
 */
export const signUpBodySchema = signUpExtrasSchema.extend({
  name: z.string().check(SAFE_TEXT).optional(),
  email: z.string().check(SAFE_TEXT).optional(),
});
// Any fixed number: serialises "is this the first sign-up?" across processes.
const FOUNDING_LOCK_KEY = 7_263_110_403;

export function invitationRequired(): ApiError {
  return new ApiError(
    403,
    'invitation_required',
    'This Kraam server already has an organisation: signing up needs an invitation link ' +
      'from its organiser.',
  );
}

/** Fails fast, before any user is created. */
export async function checkSignUpAllowed(db: Db, extras: SignUpExtras): Promise<void> {
  if (extras.invitationToken) {
    await assertInvitationUsable(db, extras.invitationToken);
    return;
  }
  if (await hasAnyOrganisation(db)) throw invitationRequired();
}

/** Makes the new user's membership: claims their invitation or founds the organisation. */
export async function completeSignUp(
  db: Db,
  userId: string,
  extras: SignUpExtras,
): Promise<Omit<Membership, 'organisationName'>> {
  const token = extras.invitationToken;
  if (token) {
    return db.transaction((tx) =>
      claimInvitation(tx, token, userId, { organisationName: extras.organisationName }),
    );
  }
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FOUNDING_LOCK_KEY})`);
    if (await hasAnyOrganisation(tx)) throw invitationRequired();
    return foundOrganisation(tx, userId, extras.organisationName ?? DEFAULT_ORGANISATION_NAME);
  });
}
