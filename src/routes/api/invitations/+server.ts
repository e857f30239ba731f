import { createInvitation, invitationUrl, listInvitations } from '$lib/server/accounts';
import { createInvitationBody } from '$lib/server/accounts/schemas';
import { publicOrigin, requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';

export const prerender = false;

/** The organiser's invitations (never their tokens: only hashes are stored). */
export const GET = api(async (event) => {
  const membership = requireRole(event, 'organiser');
  return json({ invitations: await listInvitations(await getDb(), membership.organisationId) });
});

/**
 * A new invitation link. The token is in this response only: show or share it now; the QR
 * endpoint needs it too.
 */
export const POST = api(async (event) => {
  const membership = requireRole(event, 'organiser');
  const body = await readInput(event.request, createInvitationBody, { maxBytes: 4096 });
  const { invitation, token } = await createInvitation(await getDb(), {
    organisationId: membership.organisationId,
    createdBy: membership.userId,
    ...body,
  });
  const url = invitationUrl(publicOrigin(), token);
  const qrSvgPath = `/api/invitations/${invitation.id}/qr.svg?token=${encodeURIComponent(token)}`;
  return json({ invitation, token, url, qrSvgPath }, { status: 201 });
});
