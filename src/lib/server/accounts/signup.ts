// Who may sign up: on a fresh server the first person founds the organisation and becomes
// its organiser; after that, only someone holding a valid invitation. Checked twice: before
// better-auth creates the user (a clear error, nothing created) and, atomically, after
// (the founding or the claim), so two racing sign-ups cannot both win.
import { and, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { SAFE_TEXT } from '../../safe-text';
import { invitations, user } from '../db/schema';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import {
  assertInvitationUsable,
  claimInvitation,
  foundOrganisation,
  hashInvitationToken,
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

/**
 * Sign-up through an invitation answers "this e-mail already has an account" (there is no
 * e-mail verification to hide it behind), so whoever holds a link could test e-mails with it.
 * Each such answer is counted on the invitation; after this many the link takes no more
 * sign-ups at all, taken or new e-mail alike (invitation_locked), so from then on nothing is
 * learnt. Signing in and accepting the link still works.
 */
export const SIGN_UP_PROBES_MAX = 3;

export function invitationLocked(): ApiError {
  return new ApiError(
    409,
    'invitation_locked',
    'This invitation link can no longer be used to sign up. Ask your organiser for a new ' +
      'link; if you already have an account, sign in and open the link again.',
  );
}

/** better-auth's own answer for a taken e-mail (its code and words), so clients see one shape. */
export function emailTaken(): ApiError {
  return new ApiError(
    422,
    'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL',
    'User already exists. Use another email.',
  );
}

/**
 * Before better-auth handles a sign-up through a (usable) invitation: a locked link refuses
 * whatever the e-mail; a taken e-mail is counted on the link, in one conditional UPDATE (never
 * more than SIGN_UP_PROBES_MAX "taken" answers, however many processes answer at once), and
 * pays `hashPassword` as a new account would, so the answer's timing does not tell either.
 * A new e-mail passes on to better-auth. `email` as given (better-auth stores it lower-cased),
 * or null when better-auth will refuse the sign-up before looking the e-mail up (malformed
 * e-mail, password of the wrong length): then only the lock applies.
 */
export async function guardInvitationSignUp(
  db: Db,
  token: string,
  email: string | null,
  hashPassword: () => Promise<unknown>,
): Promise<void> {
  const tokenHash = hashInvitationToken(token);
  const [link] = await db
    .select({ probes: invitations.signUpProbes })
    .from(invitations)
    .where(eq(invitations.tokenHash, tokenHash));
  if (!link || link.probes >= SIGN_UP_PROBES_MAX) throw invitationLocked();
  if (email === null) return;
  const [existing] = await db
    .select({ id: user.id })
    .from(user)
    .where(eq(user.email, email.toLowerCase()));
  if (!existing) return;
  await hashPassword();
  const [counted] = await db
    .update(invitations)
    .set({ signUpProbes: sql`${invitations.signUpProbes} + 1` })
    .where(
      and(eq(invitations.tokenHash, tokenHash), lt(invitations.signUpProbes, SIGN_UP_PROBES_MAX)),
    )
    .returning({ probes: invitations.signUpProbes });
  throw counted ? emailTaken() : invitationLocked();
}
