import { requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json } from '$lib/server/http';
import { idParam } from '$lib/server/organiser/http';
import { loadEventForVendor, requireActingVendor } from '$lib/server/organiser/plan';
import { resultsForVendor } from '$lib/server/organiser/results';

export const prerender = false;

/** A maker's results after the event closed: their own figures next to the event's. */
export const GET = api(async (event) => {
  const membership = requireRole(event, 'vendor', 'helper');
  const eventId = idParam(event, 'eventId');
  const db = await getDb();
  const vendorId = await requireActingVendor(db, membership);
  const loaded = await loadEventForVendor(db, membership, vendorId, eventId);
  return json({ eventId, results: await resultsForVendor(db, loaded, vendorId) });
});
