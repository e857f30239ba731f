import { assertTokenOfInvitation, invitationQrSvg, invitationUrl } from '$lib/server/accounts';
import { invitationIdParam, invitationTokenParam } from '$lib/server/accounts/schemas';
import { publicOrigin, requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, validate } from '$lib/server/http';

export const prerender = false;

/**
 * The invitation link as an SVG QR code (?token= as returned at creation): organisers for
 * their organisation's invitations, makers for the helper invitations they made.
 */
export const GET = api(async (event) => {
  const membership = requireRole(event, 'organiser', 'maker');
  const id = validate(invitationIdParam, event.params.id, 'invitation id');
  const token = validate(invitationTokenParam, event.url.searchParams.get('token'), 'token query');
  await assertTokenOfInvitation(
    await getDb(),
    membership.organisationId,
    id,
    token,
    membership.role === 'organiser' ? undefined : membership.userId,
  );
  const svg = await invitationQrSvg(invitationUrl(publicOrigin(), token));
  return new Response(svg, {
    headers: { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'no-store' },
  });
});
