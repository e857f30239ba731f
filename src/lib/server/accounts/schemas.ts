// Input schemas of the accounts endpoints (validated at the edge; see $lib/server/http).
import { z } from 'zod';
import { IdSchema } from '../../sync/protocol';
import { SAFE_TEXT } from '../../safe-text';
import { ROLES } from '../db/schema';
import {
  INVITATION_NOTE_MAX,
  INVITATION_TOKEN_PATTERN,
  INVITATION_TTL_HOURS_MAX,
} from './invitations';
import { ORGANISATION_NAME_MAX } from './organisations';

/** Trimmed, 1..ORGANISATION_NAME_MAX characters, no NUL or lone surrogate (422 otherwise). */
export const organisationNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(ORGANISATION_NAME_MAX)
  .check(SAFE_TEXT);

export const renameOrganisationBody = z.strictObject({ name: organisationNameSchema });

export const createInvitationBody = z
  .strictObject({
    role: z.enum(ROLES),
    /** Hours until the link stops working (default 14 days, at most 90 days). */
    expiresInHours: z.number().int().min(1).max(INVITATION_TTL_HOURS_MAX).optional(),
    /** For a helper: the maker (server maker id, a UUID) they will sell for. */
    makerId: IdSchema.optional(),
    /** Invite someone to found their own organisation on this server (role organiser). */
    newOrganisation: z.boolean().optional(),
    /** Who the link is for ("for Amira, honey cakes"): shown in the organiser's list. */
    note: z.string().trim().max(INVITATION_NOTE_MAX).check(SAFE_TEXT).optional(),
  })
  .refine((body) => !body.newOrganisation || body.role === 'organiser', {
    message: 'an invitation to found a new organisation must have role "organiser"',
    path: ['role'],
  })
  .refine((body) => body.makerId === undefined || body.role === 'helper', {
    message: 'makerId is only for helper invitations',
    path: ['makerId'],
  });

export const acceptInvitationBody = z.strictObject({
  /** Name of the organisation to found, for a new-organisation invitation. */
  organisationName: organisationNameSchema.optional(),
});

export const invitationTokenParam = z
  .string()
  .regex(INVITATION_TOKEN_PATTERN, 'an invitation token is 43 URL-safe characters');

export const invitationIdParam = z.string().min(1).max(64);

/** The words that must be sent to delete the signed-in account (the screen asks first). */
export const DELETE_ACCOUNT_CONFIRMATION = 'delete my account';

export const deleteAccountBody = z.strictObject({
  confirm: z.literal(DELETE_ACCOUNT_CONFIRMATION),
});
