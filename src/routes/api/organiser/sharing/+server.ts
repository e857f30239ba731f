import { requireMembership, requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { ownMakerId } from '$lib/server/organiser/makers-access';
import { setSharesFigures, sharesFigures } from '$lib/server/organiser/makers';
import { requireActingMaker } from '$lib/server/organiser/plan';
import { sharingBody } from '$lib/organiser/contract';

export const prerender = false;

/** Does the maker share their sales figures with the organisation? Default: no. */
export const GET = api(async (event) => {
  const membership = requireRole(event, 'maker', 'helper');
  const db = await getDb();
  const makerId = await requireActingMaker(db, membership);
  return json({ sharesFigures: await sharesFigures(db, makerId, membership.organisationId) });
});

/** Only the maker decides (not a helper). */
export const PUT = api(async (event) => {
  const membership = requireMembership(event);
  const db = await getDb();
  const makerId = await ownMakerId(db, membership);
  const { sharesFigures: shares } = await readInput(event.request, sharingBody, { maxBytes: 1024 });
  return json({
    sharesFigures: await setSharesFigures(db, makerId, membership.organisationId, shares),
  });
});
