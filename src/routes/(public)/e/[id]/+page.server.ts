import { error, fail, redirect } from '@sveltejs/kit';
import { CLIENT_ADDRESS_HEADER } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { ApiError } from '$lib/server/http';
import { countFormRequest } from '$lib/server/http/public-form-limit';
import { readApplicationForm, submitApplication } from '$lib/server/organiser/applications';
import { publicEvent } from '$lib/server/organiser/public';
import type { Actions, PageServerLoad } from './$types';

/** A published (or open, or closed) event; a draft or an unknown id is a plain 404. */
export const load: PageServerLoad = async ({ params, setHeaders }) => {
  const found = await publicEvent(await getDb(), params.id);
  if (!found) error(404, 'Not found');
  setHeaders({ 'cache-control': 'private, max-age=60' });
  return found;
};

/** What the form shows after a refused application: the problem per field, and the words typed. */
export interface ApplyFailure {
  code: string;
  fields: Record<string, string>;
  values: { name: string; craft: string; contact: string; language: string };
}

export const actions: Actions = {
  /**
   * A new maker's application, the same service as POST /api/public/events/<id>/applications
   * (no JavaScript on public pages: a plain form post). Success: to the status page.
   */
  apply: async ({ params, request }) => {
    const db = await getDb();
    const copy = request.clone();
    let statusToken: string;
    try {
      await countFormRequest(db, 'apply', request.headers.get(CLIENT_ADDRESS_HEADER));
      const { form, photos } = await readApplicationForm(request);
      statusToken = (await submitApplication(db, params.id, form, photos)).statusToken;
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      const values = await typedValues(copy);
      const fields: Record<string, string> = {};
      for (const issue of caught.issues ?? []) {
        const field = issue.path.split('.')[0] ?? '';
        fields[field] ??= (issue as { code?: string }).code ?? 'invalid';
      }
      if (caught.status === 413 || caught.status === 415) fields.photos ??= 'invalid';
      return fail(caught.status, { code: caught.code, fields, values } satisfies ApplyFailure);
    }
    redirect(303, `/application/${statusToken}?sent=1`);
  },
};

/** The text the person typed, to show again (never the photos). */
async function typedValues(request: Request): Promise<ApplyFailure['values']> {
  const values = { name: '', craft: '', contact: '', language: '' };
  try {
    const data = await request.formData();
    for (const key of Object.keys(values) as (keyof typeof values)[]) {
      const value = data.get(key);
      if (typeof value === 'string') values[key] = value.slice(0, 1000);
    }
  } catch {
    // An unreadable body: nothing to show again.
  }
  return values;
}
