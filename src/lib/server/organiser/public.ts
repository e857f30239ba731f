// The public directory's data: no sign-in, so everything here is built from allow-lists.
// A maker appears only when listed, and only through the domain's `publicProfile` (P4, P5):
// never the stored profile, never stall needs, never an account's name or e-mail. An event
// appears only when it is not a draft (EV6). Anything else is "not found" (null).
// Routes answer with `cache-control: private`: a signed-in visitor's answer may carry a
// refreshed session cookie, which a shared cache must never keep.
import { and, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import { toString as qrToString } from 'qrcode';
import { compareLabels } from '$lib/domain/organiser/common';
import { isPublicStatus } from '$lib/domain/organiser/event-lifecycle';
import { publicProfile, type PublicMakerProfile } from '$lib/domain/organiser/maker-profile';
import type { Landmark } from '$lib/domain/organiser/stall-map';
import type { EventStatus } from '$lib/domain/types';
import type { Db } from '$lib/server/db';
import {
  events,
  makerProfiles,
  organisedEvents,
  stallAssignments,
  stalls,
} from '$lib/server/db/schema';
import { IdSchema } from '$lib/sync/protocol';
import { loadLandmarks, toLoadedEvent } from './event-rows';
import { toProfile } from './profiles';

export interface PublicMaker extends PublicMakerProfile {
  slug: string;
}

export interface PublicMakerPage {
  maker: PublicMaker;
  events: { id: string; name: string; date: string; place: string; stallLabels: string[] }[];
}

export async function publicMaker(db: Db, slug: string): Promise<PublicMakerPage | null> {
  const [row] = await db
    .select()
    .from(makerProfiles)
    .where(and(eq(makerProfiles.slug, slug), eq(makerProfiles.listed, true)));
  if (!row) return null;
  const shown = publicProfile(toProfile(row));
  if (!shown) return null;
  const held = await db
    .select({
      id: events.id,
      name: events.name,
      date: events.date,
      place: events.place,
      label: stalls.label,
    })
    .from(stallAssignments)
    .innerJoin(stalls, eq(stalls.id, stallAssignments.stallId))
    .innerJoin(events, eq(events.id, stallAssignments.eventId))
    .where(
      and(
        eq(stallAssignments.makerId, row.makerId),
        ne(events.status, 'draft'),
        isNotNull(events.organisationId),
      ),
    );
  const byEvent = new Map<string, PublicMakerPage['events'][number]>();
  for (const h of held) {
    const entry = byEvent.get(h.id) ?? {
      id: h.id,
      name: h.name,
      date: h.date,
      place: h.place,
      stallLabels: [],
    };
    entry.stallLabels.push(h.label);
    byEvent.set(h.id, entry);
  }
  const list = [...byEvent.values()]
    .map((e) => ({ ...e, stallLabels: e.stallLabels.sort(compareLabels) }))
    .sort((a, b) => (a.date > b.date ? -1 : a.date < b.date ? 1 : 0));
  return { maker: { ...shown, slug: row.slug }, events: list };
}

export interface PublicStall {
  id: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The listed maker at this stall; null when free or the maker is not in the directory. */
  maker: { slug: string; displayName: string; craft: string } | null;
  /** Someone stands here (listed or not). */
  taken: boolean;
}

export interface PublicEventPage {
  event: {
    id: string;
    name: string;
    date: string;
    place: string;
    opensAt: string | null;
    closesAt: string | null;
    description: string;
    status: EventStatus;
  };
  map: { width: number; height: number };
  stalls: PublicStall[];
  landmarks: Omit<Landmark, 'eventId'>[];
}

export async function publicEvent(db: Db, eventId: string): Promise<PublicEventPage | null> {
  if (!IdSchema.safeParse(eventId).success) return null;
  const [row] = await db
    .select({ event: events, org: organisedEvents })
    .from(events)
    .innerJoin(organisedEvents, eq(organisedEvents.eventId, events.id))
    .where(eq(events.id, eventId));
  if (!row || !isPublicStatus(row.event.status)) return null;
  const event = toLoadedEvent(row.event, row.org);
  const stallRows = await db.select().from(stalls).where(eq(stalls.eventId, eventId));
  const assignments = await db
    .select({ stallId: stallAssignments.stallId, makerId: stallAssignments.makerId })
    .from(stallAssignments)
    .where(eq(stallAssignments.eventId, eventId));
  const makerIds = [...new Set(assignments.map((a) => a.makerId))];
  const listed =
    makerIds.length === 0
      ? []
      : await db
          .select()
          .from(makerProfiles)
          .where(and(inArray(makerProfiles.makerId, makerIds), eq(makerProfiles.listed, true)));
  const makers = new Map(
    listed.flatMap((profileRow) => {
      const shown = publicProfile(toProfile(profileRow));
      return shown
        ? [
            [
              profileRow.makerId,
              { slug: profileRow.slug, displayName: shown.displayName, craft: shown.craft },
            ] as const,
          ]
        : [];
    }),
  );
  const makerOf = new Map(assignments.map((a) => [a.stallId, a.makerId]));
  return {
    event: {
      id: event.id,
      name: event.name,
      date: event.date,
      place: event.place,
      opensAt: event.opensAt,
      closesAt: event.closesAt,
      description: event.description,
      status: event.status,
    },
    map: { width: event.map.width, height: event.map.height },
    stalls: stallRows
      .map((s) => {
        const makerId = makerOf.get(s.id);
        return {
          id: s.id,
          label: s.label,
          x: s.x,
          y: s.y,
          width: s.width,
          height: s.height,
          maker: makerId ? (makers.get(makerId) ?? null) : null,
          taken: makerId !== undefined,
        };
      })
      .sort((a, b) => compareLabels(a.label, b.label)),
    landmarks: (await loadLandmarks(db, eventId)).map((l) => ({
      id: l.id,
      kind: l.kind,
      label: l.label,
      x: l.x,
      y: l.y,
      width: l.width,
      height: l.height,
    })),
  };
}

/** The maker's public page as a QR code (SVG), for the printable stall card. */
export function makerQrSvg(url: string): Promise<string> {
  return qrToString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
}
