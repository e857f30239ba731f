import { createInvitation, invitationUrl, listInvitations } from '$lib/server/accounts';
import { createInvitationBody } from '$lib/server/accounts/schemas';
import { publicOrigin, requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { ownVendorId } from '$lib/server/organiser/makers-access';

export const prerender = false;

/** The organiser's invitations (never their tokens: only hashes are stored). */
export const GET = api(async (event) => {
  const membership = requireRole(event, 'organiser');
  return json({ invitations: await listInvitations(await getDb(), membership.organisationId) });
});

/**
 * A new invitation link. The token is in this response only: show or share it now; the QR
 * endpoint needs it too. Organisers invite anyone; a maker invites a helper for their own
 * stall (vendorId: their own, the default). A helper invitation's vendorId must be a maker
 * of the organisation (422 otherwise; createInvitation checks it).
 */
export const POST = api(async (event) => {
  const membership = requireRole(event, 'organiser', 'vendor');
  const body = await readInput(event.request, createInvitationBody, { maxBytes: 4096 });
  const db = await getDb();
  const vendorId =
    membership.role === 'vendor' && body.role === 'helper'
      ? (body.vendorId ?? (await ownVendorId(db, membership)))
      : body.vendorId;
  const { invitation, token } = await createInvitation(db, {
    organisationId: membership.organisationId,
    createdBy: membership.userId,
    ...body,
    ...(vendorId === undefined ? {} : { vendorId }),
  });
  const url = invitationUrl(publicOrigin(), token);
  const qrSvgPath = `/api/invitations/${invitation.id}/qr.svg?token=${encodeURIComponent(token)}`;
  return json({ invitation, token, url, qrSvgPath }, { status: 201 });
});
