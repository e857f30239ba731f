import { createInvitation, invitationUrl, listInvitations } from '$lib/server/accounts';
import { createInvitationBody } from '$lib/server/accounts/schemas';
import { linkKey, publicOrigin, requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { ownMakerId } from '$lib/server/organiser/makers-access';

export const prerender = false;

const qrPath = (id: string, token: string) =>
  `/api/invitations/${id}/qr.svg?token=${encodeURIComponent(token)}`;

/**
 * The organiser's invitations with their notes and who joined with each. An open link made
 * by this server comes with its url and QR again (derived, never stored: accounts/invitations.ts).
 */
export const GET = api(async (event) => {
  const membership = requireRole(event, 'organiser');
  const listed = await listInvitations(
    await getDb(),
    membership.organisationId,
    new Date(),
    await linkKey(),
  );
  const origin = publicOrigin();
  return json({
    invitations: listed.map(({ token, ...invitation }) => ({
      ...invitation,
      url: token ? invitationUrl(origin, token) : null,
      qrSvgPath: token ? qrPath(invitation.id, token) : null,
    })),
  });
});

/**
 * A new invitation link. The token is in this response (and, while the link is open, in the
 * organiser's list). Organisers invite anyone; a maker invites a helper for their own
 * stall (makerId: their own, the default). A helper invitation's makerId must be a maker
 * of the organisation (422 otherwise; createInvitation checks it).
 */
export const POST = api(async (event) => {
  const membership = requireRole(event, 'organiser', 'maker');
  const body = await readInput(event.request, createInvitationBody, { maxBytes: 4096 });
  const db = await getDb();
  const makerId =
    membership.role === 'maker' && body.role === 'helper'
      ? (body.makerId ?? (await ownMakerId(db, membership)))
      : body.makerId;
  const { invitation, token } = await createInvitation(db, {
    organisationId: membership.organisationId,
    createdBy: membership.userId,
    ...body,
    ...(makerId === undefined ? {} : { makerId }),
    linkKey: await linkKey(),
  });
  const url = invitationUrl(publicOrigin(), token);
  return json({ invitation, token, url, qrSvgPath: qrPath(invitation.id, token) }, { status: 201 });
});
