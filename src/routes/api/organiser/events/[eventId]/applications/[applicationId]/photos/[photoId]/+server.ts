import { getDb } from '$lib/server/db';
import { api } from '$lib/server/http';
import { applicationPhoto } from '$lib/server/organiser/applications';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { photoResponse } from '$lib/server/organiser/photos';

export const prerender = false;

/** A photo an applicant sent (organisers of the event's organisation only). */
export const GET = api(async (event) => {
  const membership = requireOrganiser(event);
  const photo = await applicationPhoto(
    await getDb(),
    membership.organisationId,
    idParam(event, 'eventId'),
    idParam(event, 'applicationId'),
    idParam(event, 'photoId'),
  );
  return photoResponse(photo, 'private, no-store');
});
