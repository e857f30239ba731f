// Announcements: an organiser's message to every maker of an event, delivered to their
// devices through the change feed with the time it was sent (server time: device clocks at
// markets are often wrong). A maker who joins the event later gets the earlier ones too; a
// draft's announcements wait until it is published (feed.ts).
import { asc, desc, eq } from 'drizzle-orm';
import { uuidv7 } from '$lib/domain/ids';
import type { Db, Tx } from '$lib/server/db';
import { announcements, eventMakers } from '$lib/server/db/schema';
import type { ChangeInput } from '$lib/server/sync/change-feed';
import type { AnnouncementData } from '$lib/sync/protocol';
import { lockEvent } from './event-rows';
import { announcementChange, feed } from './feed';

export type Announcement = AnnouncementData;

export async function eventMakerIds(db: Db | Tx, eventId: string): Promise<string[]> {
  const rows = await db
    .select({ makerId: eventMakers.makerId })
    .from(eventMakers)
    .where(eq(eventMakers.eventId, eventId))
    .orderBy(asc(eventMakers.makerId));
  return rows.map((row) => row.makerId);
}

export async function listAnnouncements(db: Db | Tx, eventId: string): Promise<Announcement[]> {
  return db
    .select({
      id: announcements.id,
      eventId: announcements.eventId,
      body: announcements.body,
      sentAt: announcements.sentAt,
    })
    .from(announcements)
    .where(eq(announcements.eventId, eventId))
    .orderBy(desc(announcements.sentAt), desc(announcements.id));
}

export async function postAnnouncement(
  db: Db,
  organisationId: string,
  eventId: string,
  body: string,
  createdBy: string,
  now = Date.now(),
): Promise<Announcement> {
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    const announcement: Announcement = { id: uuidv7(), eventId, body: body.trim(), sentAt: now };
    await tx.insert(announcements).values({ ...announcement, createdBy });
    const makerIds = await eventMakerIds(tx, eventId);
    await feed(
      tx,
      event,
      makerIds.map((makerId) => announcementChange(makerId, announcement)),
    );
    return announcement;
  });
}

/** The event's announcements for makers (all of them, or the ones given), as changes. */
export async function announcementChanges(
  tx: Tx,
  eventId: string,
  makerIds?: readonly string[],
): Promise<ChangeInput[]> {
  const all = await listAnnouncements(tx, eventId);
  if (all.length === 0) return [];
  const to = makerIds ?? (await eventMakerIds(tx, eventId));
  return to.flatMap((makerId) =>
    [...all].reverse().map((announcement) => announcementChange(makerId, announcement)),
  );
}
