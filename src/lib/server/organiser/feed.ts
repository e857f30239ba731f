// What an organiser's write means for makers' devices, as change-feed rows written in the
// same transaction as the write (SPEC.md, "Pull rules"). API.md "Sync" lists the kinds.
//
// A draft is never shown to makers (domain A6, EV6): while an event is a draft nothing of it
// is fed; publishing sends the whole plan at once (`planSnapshot`), and taking it back to
// draft sends the event's deletion. Deletions are always sent: they reveal nothing.
import { fedLandmarkKind, type Landmark, type StallMap } from '$lib/domain/organiser/stall-map';
import type { EventStatus, Stall, StallAssignment } from '$lib/domain/types';
import type { Tx } from '$lib/server/db';
import {
  assignmentChange,
  deletionChange,
  eventChange,
  recordChanges,
  stallChange,
  type ChangeInput,
} from '$lib/server/sync/change-feed';
import type { AnnouncementData, MakerResultsData } from '$lib/sync/protocol';
import { toMarketEvent, type LoadedEvent } from './event-rows';

const everyone = (organisationId: string) => ({ makerId: null, organisationId });

export function fed(status: EventStatus): boolean {
  return status !== 'draft';
}

export function eventMapChange(
  organisationId: string,
  map: StallMap,
  landmarks: readonly Landmark[],
): ChangeInput {
  return {
    change: {
      entity: 'event_map',
      op: 'upsert',
      data: {
        id: map.eventId,
        eventId: map.eventId,
        width: map.width,
        height: map.height,
        landmarks: landmarks.map((l) => ({
          ...l,
          kind: fedLandmarkKind(l.kind),
          exactKind: l.kind,
        })),
      },
    },
    ...everyone(organisationId),
  };
}

export function announcementChange(makerId: string, data: AnnouncementData): ChangeInput {
  return {
    change: { entity: 'announcement', op: 'upsert', data },
    makerId,
    organisationId: null,
  };
}

export function makerResultsChange(data: MakerResultsData): ChangeInput {
  return {
    change: { entity: 'maker_results', op: 'upsert', data },
    makerId: data.makerId,
    organisationId: null,
  };
}

export function eventDeleted(event: Pick<LoadedEvent, 'id' | 'organisationId'>): ChangeInput {
  return deletionChange('event', event.id, everyone(event.organisationId));
}

export function stallDeleted(organisationId: string, stallId: string): ChangeInput {
  return deletionChange('stall', stallId, everyone(organisationId));
}

export function assignmentDeleted(assignment: Pick<StallAssignment, 'id' | 'makerId'>) {
  return deletionChange('stall_assignment', assignment.id, {
    makerId: assignment.makerId,
    organisationId: null,
  });
}

/** Everything makers' devices need of a published event, to send at publishing. */
export function planSnapshot(
  event: LoadedEvent,
  stalls: readonly Stall[],
  landmarks: readonly Landmark[],
  assignments: readonly StallAssignment[],
): ChangeInput[] {
  return [
    eventChange(toMarketEvent(event), null),
    eventMapChange(event.organisationId, event.map, landmarks),
    ...stalls.map((stall) => stallChange(stall, event.organisationId)),
    ...assignments.map((assignment) => assignmentChange(assignment)),
  ];
}

/** Records upserts only when the event is visible to makers; deletions always. */
export async function feed(
  tx: Tx,
  event: Pick<LoadedEvent, 'status'>,
  upserts: readonly ChangeInput[],
  deletions: readonly ChangeInput[] = [],
): Promise<void> {
  const changes = [...(fed(event.status) ? upserts : []), ...deletions];
  if (changes.length > 0) await recordChanges(tx, changes);
}

export { assignmentChange, eventChange, stallChange };
