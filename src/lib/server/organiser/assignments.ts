// Which maker stands where (domain assignments.ts, RULES.md A1-A5), who is invited to an
// event, and what they paid. Every change reaches the maker's device through the feed.
import { and, eq } from 'drizzle-orm';
import { uuidv7 } from '$lib/domain/ids';
import {
  assignMaker,
  moveAssignment,
  validateAssignmentDetails,
  type AssignmentDetailsErrorCode,
} from '$lib/domain/organiser/assignments';
import type { StallAssignment } from '$lib/domain/types';
import type { Db, Tx } from '$lib/server/db';
import { eventMakers, feePayments, stallAssignments } from '$lib/server/db/schema';
import { notFound } from '$lib/server/http';
import { announcementChanges, eventMakerIds } from './announcements';
import { domainError, fieldIssues } from './errors';
import {
  deviceStall,
  loadAssignments,
  loadStalls,
  lockEvent,
  type LoadedEvent,
} from './event-rows';
import { assignmentChange, assignmentDeleted, feed } from './feed';
import { assertMakerOfOrganisation } from './makers-access';
import { makerNames } from './profiles';
import { eventFees } from './results';
import type { UpdateAssignmentBody } from '$lib/organiser/contract';

const DETAIL_WORDS: Record<AssignmentDetailsErrorCode, string> = {
  'invalid-time': 'is not a time of day (HH:MM)',
  'arrives-after-closing': 'is at or after the event closes',
  'too-long': 'is longer than 500 characters',
};

function checkedDetails(
  event: LoadedEvent,
  input: { arrivalTime: string | null; instructions: string },
) {
  const result = validateAssignmentDetails(input, event);
  if (result.ok) return result.value;
  const issues = fieldIssues(
    result.errors,
    (field, code) => `${field} ${DETAIL_WORDS[code as AssignmentDetailsErrorCode] ?? code}.`,
  );
  throw domainError(
    422,
    'assignment_details_invalid',
    `The arrival details were not saved: ${issues.map((i) => i.message).join(' ')}`,
    issues,
  );
}

/** Invites a maker to the event; a newly invited maker gets its earlier announcements. */
async function invite(tx: Tx, event: LoadedEvent, makerId: string): Promise<boolean> {
  const added = await tx
    .insert(eventMakers)
    .values({ eventId: event.id, makerId })
    .onConflictDoNothing()
    .returning({ makerId: eventMakers.makerId });
  if (added.length === 0) return false;
  await feed(tx, event, await announcementChanges(tx, event.id, [makerId]));
  return true;
}

export async function inviteMaker(
  db: Db,
  organisationId: string,
  eventId: string,
  makerId: string,
): Promise<{ invitedMakerIds: string[]; added: boolean }> {
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    await assertMakerOfOrganisation(tx, organisationId, makerId);
    const added = await invite(tx, event, makerId);
    return { invitedMakerIds: await eventMakerIds(tx, eventId), added };
  });
}

/** Takes a maker off the event: their invitation and any stalls they had there. */
export async function removeMaker(
  db: Db,
  organisationId: string,
  eventId: string,
  makerId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    const removed = await tx
      .delete(stallAssignments)
      .where(and(eq(stallAssignments.eventId, eventId), eq(stallAssignments.makerId, makerId)))
      .returning();
    const uninvited = await tx
      .delete(eventMakers)
      .where(and(eq(eventMakers.eventId, eventId), eq(eventMakers.makerId, makerId)))
      .returning({ makerId: eventMakers.makerId });
    if (removed.length === 0 && uninvited.length === 0) {
      throw notFound(`Maker ${makerId} is not invited to this event.`);
    }
    await feed(tx, event, [], removed.map(assignmentDeleted));
  });
}

async function takenBy(tx: Tx, makerId: string): Promise<string> {
  return (await makerNames(tx, [makerId])).get(makerId) ?? 'another maker';
}

export async function assign(
  db: Db,
  organisationId: string,
  eventId: string,
  input: { stallId: string; makerId: string; arrivalTime?: string | null; instructions?: string },
): Promise<{ assignment: StallAssignment; changed: boolean }> {
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    await assertMakerOfOrganisation(tx, organisationId, input.makerId);
    const details = checkedDetails(event, {
      arrivalTime: input.arrivalTime ?? null,
      instructions: input.instructions ?? '',
    });
    const stalls = (await loadStalls(tx, eventId)).map(deviceStall);
    const result = assignMaker({
      stalls,
      assignments: await loadAssignments(tx, eventId),
      makerId: input.makerId,
      stallId: input.stallId,
      allowMultiple: event.allowMultipleStalls,
      newId: uuidv7,
      ...details,
    });
    if (!result.ok) {
      const { error } = result;
      const label = stalls.find((s) => s.id === input.stallId)?.label ?? '';
      switch (error.code) {
        case 'unknown-stall':
          throw notFound(`There is no stall ${input.stallId} at this event.`);
        case 'stall-taken':
          throw domainError(
            409,
            'stall_taken',
            `Stall ${label} is already taken by ${await takenBy(tx, error.makerId)}; unassign them or pick another stall.`,
          );
        case 'maker-has-stall':
          throw domainError(
            409,
            'maker_has_stall',
            `This maker already has stall ${error.label} at this event; move them instead, or allow more than one stall per maker for this event.`,
          );
      }
    }
    let assignment = result.assignment;
    if (result.changed) {
      await tx.insert(stallAssignments).values(assignment);
    } else if (input.arrivalTime !== undefined || input.instructions !== undefined) {
      assignment = { ...assignment, ...details };
      await tx.update(stallAssignments).set(details).where(eq(stallAssignments.id, assignment.id));
    }
    await invite(tx, event, input.makerId);
    await feed(tx, event, [assignmentChange(assignment)]);
    return { assignment, changed: result.changed };
  });
}

async function findAssignment(tx: Tx, eventId: string, assignmentId: string) {
  const all = await loadAssignments(tx, eventId);
  const found = all.find((a) => a.id === assignmentId);
  if (!found) throw notFound(`There is no assignment ${assignmentId} at this event.`);
  return { all, found };
}

/** Moves a maker to another stall and/or changes their arrival time and instructions. */
export async function updateAssignment(
  db: Db,
  organisationId: string,
  eventId: string,
  assignmentId: string,
  body: UpdateAssignmentBody,
): Promise<StallAssignment> {
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    const { all, found } = await findAssignment(tx, eventId, assignmentId);
    let next = found;
    if (body.stallId !== undefined) {
      const stalls = (await loadStalls(tx, eventId)).map(deviceStall);
      const moved = moveAssignment({
        stalls,
        assignments: all,
        assignmentId,
        toStallId: body.stallId,
      });
      if (!moved.ok) {
        if (moved.error.code === 'stall-taken') {
          const label = stalls.find((s) => s.id === body.stallId)?.label ?? '';
          throw domainError(
            409,
            'stall_taken',
            `Stall ${label} is already taken by ${await takenBy(tx, moved.error.makerId)}.`,
          );
        }
        throw notFound(`There is no stall ${body.stallId} at this event.`);
      }
      next = moved.assignment;
    }
    const details = checkedDetails(event, {
      arrivalTime: body.arrivalTime === undefined ? next.arrivalTime : body.arrivalTime,
      instructions: body.instructions ?? next.instructions,
    });
    next = { ...next, ...details };
    await tx
      .update(stallAssignments)
      .set({ stallId: next.stallId, ...details })
      .where(eq(stallAssignments.id, assignmentId));
    await feed(tx, event, [assignmentChange(next)]);
    return next;
  });
}

export async function unassign(
  db: Db,
  organisationId: string,
  eventId: string,
  assignmentId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    const { found } = await findAssignment(tx, eventId, assignmentId);
    await tx.delete(stallAssignments).where(eq(stallAssignments.id, assignmentId));
    await feed(tx, event, [], [assignmentDeleted(found)]);
  });
}

/** Records what a maker has paid in total towards their stall fee at this event. */
export async function setFeePaid(
  db: Db,
  organisationId: string,
  eventId: string,
  makerId: string,
  paidCents: number,
) {
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    await assertMakerOfOrganisation(tx, organisationId, makerId);
    await tx
      .insert(feePayments)
      .values({ eventId, makerId, paidCents })
      .onConflictDoUpdate({
        target: [feePayments.eventId, feePayments.makerId],
        set: { paidCents, updatedAt: new Date() },
      });
    return (await eventFees(tx, event)).fees;
  });
}
