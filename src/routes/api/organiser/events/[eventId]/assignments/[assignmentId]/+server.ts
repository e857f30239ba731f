import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { unassign, updateAssignment } from '$lib/server/organiser/assignments';
import { idParam, noContent, requireOrganiser } from '$lib/server/organiser/http';
import { updateAssignmentBody } from '$lib/organiser/contract';

export const prerender = false;

/** Move to another stall (stallId) and/or change arrival time and instructions. */
export const PATCH = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const assignmentId = idParam(event, 'assignmentId');
  const body = await readInput(event.request, updateAssignmentBody, { maxBytes: 16 * 1024 });
  const assignment = await updateAssignment(
    await getDb(),
    organisationId,
    eventId,
    assignmentId,
    body,
  );
  return json({ assignment });
});

export const DELETE = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  await unassign(
    await getDb(),
    organisationId,
    idParam(event, 'eventId'),
    idParam(event, 'assignmentId'),
  );
  return noContent();
});
