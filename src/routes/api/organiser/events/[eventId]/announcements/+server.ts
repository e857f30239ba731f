import { requireMembership } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { listAnnouncements, postAnnouncement } from '$lib/server/organiser/announcements';
import { loadEvent } from '$lib/server/organiser/event-rows';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { loadEventForMaker, requireActingMaker } from '$lib/server/organiser/plan';
import { announcementBody } from '$lib/organiser/contract';

export const prerender = false;

/** Organisers, and makers taking part in the (published) event. */
export const GET = api(async (event) => {
  const membership = requireMembership(event);
  const eventId = idParam(event, 'eventId');
  const db = await getDb();
  if (membership.role === 'organiser') {
    await loadEvent(db, membership.organisationId, eventId);
  } else {
    const makerId = await requireActingMaker(db, membership);
    await loadEventForMaker(db, membership, makerId, eventId);
  }
  return json({ announcements: await listAnnouncements(db, eventId) });
});

export const POST = api(async (event) => {
  const membership = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const { body } = await readInput(event.request, announcementBody, { maxBytes: 16 * 1024 });
  const announcement = await postAnnouncement(
    await getDb(),
    membership.organisationId,
    eventId,
    body,
    membership.userId,
  );
  return json({ announcement }, { status: 201 });
});
