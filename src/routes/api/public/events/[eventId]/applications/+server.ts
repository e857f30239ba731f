// Public (no account): a new maker applies to a published event. Counted per client address
// before anything is read (429 beyond the limit), then read and checked (413, 415, 400, 422
// naming the field); the answer names the applicant's status page.
import { CLIENT_ADDRESS_HEADER } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json } from '$lib/server/http';
import { countFormRequest } from '$lib/server/http/public-form-limit';
import { readApplicationForm, submitApplication } from '$lib/server/organiser/applications';
import { idParam } from '$lib/server/organiser/http';

export const prerender = false;

export const POST = api(async (event) => {
  const db = await getDb();
  await countFormRequest(db, 'apply', event.request.headers.get(CLIENT_ADDRESS_HEADER));
  const eventId = idParam(event, 'eventId');
  const { form, photos } = await readApplicationForm(event.request);
  const { id, statusToken } = await submitApplication(db, eventId, form, photos);
  return json(
    { application: { id, status: 'new' }, statusPath: `/application/${statusToken}` },
    { status: 201 },
  );
});
