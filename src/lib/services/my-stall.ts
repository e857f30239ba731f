/**
 * The maker's side of an organised event, read from the device only, so it works with no
 * network once sync brought it: their stall(s) on the map, arrival and instructions, the
 * organiser's announcements, and the results after closing.
 */
import type { DeviceStore } from '$lib/db/device-store';
import { makerStallView, type MakerStallView } from '$lib/domain/organiser/assignments';
import type { Landmark } from '$lib/domain/organiser/stall-map';
import type { Id, MarketEvent, Stall } from '$lib/domain/types';
import type { AnnouncementData, MakerResultsData } from '$lib/sync/protocol';

export interface MyStall {
  event: MarketEvent;
  /** One view per assignment this device was sent (a maker may have more than one stall). */
  stalls: MakerStallView[];
  announcements: AnnouncementData[];
  results: MakerResultsData | null;
}

/**
 * The map frame when the organiser's `event_map` has not arrived yet: just big enough for the
 * stalls, so the maker still sees where theirs is among the others.
 */
export function frameAround(stalls: readonly Stall[]): { width: number; height: number } {
  return {
    width: Math.max(1, ...stalls.map((s) => s.x + s.width)),
    height: Math.max(1, ...stalls.map((s) => s.y + s.height)),
  };
}

/** Everything the "my stall" screen shows for one event; null when the event is not here. */
export async function loadMyStall(store: DeviceStore, eventId: Id): Promise<MyStall | null> {
  const event = await store.getEvent(eventId);
  if (!event) return null;
  const [stalls, assignments, map, announcements, results] = await Promise.all([
    store.listStalls(eventId),
    store.listAssignments(eventId),
    store.getEventMap(eventId),
    store.listAnnouncements(eventId),
    store.getMakerResults(eventId),
  ]);
  const frame = map ? { width: map.width, height: map.height } : frameAround(stalls);
  // A pulled landmark's real kind is `exactKind` (SPEC.md "Landmark kinds"); `kind` is what
  // an older app can read.
  const landmarks: Landmark[] = (map?.landmarks ?? []).map(({ exactKind, ...landmark }) => ({
    ...landmark,
    kind: exactKind ?? landmark.kind,
  }));
  // The server feeds a device only its own maker's assignments (API.md "Sync"), so every
  // assignment here is this maker's, whatever id the device's own profile has.
  const views =
    assignments.length === 0
      ? [makerStallView('', event, frame, stalls, landmarks, null)]
      : assignments.map((assignment) =>
          makerStallView(assignment.makerId, event, frame, stalls, landmarks, assignment),
        );
  return { event, stalls: views, announcements, results: results ?? null };
}
