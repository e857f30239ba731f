import { requireMembership, requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { ownVendorId } from '$lib/server/organiser/makers-access';
import { setSharesFigures, sharesFigures } from '$lib/server/organiser/makers';
import { requireActingVendor } from '$lib/server/organiser/plan';
import { sharingBody } from '$lib/organise/contract';

export const prerender = false;

/** Does the maker share their sales figures with the organisation? Default: no. */
export const GET = api(async (event) => {
  const membership = requireRole(event, 'vendor', 'helper');
  const db = await getDb();
  const vendorId = await requireActingVendor(db, membership);
  return json({ sharesFigures: await sharesFigures(db, vendorId, membership.organisationId) });
});

/** Only the maker decides (not a helper). */
export const PUT = api(async (event) => {
  const membership = requireMembership(event);
  const db = await getDb();
  const vendorId = await ownVendorId(db, membership);
  const { sharesFigures: shares } = await readInput(event.request, sharingBody, { maxBytes: 1024 });
  return json({
    sharesFigures: await setSharesFigures(db, vendorId, membership.organisationId, shares),
  });
});
