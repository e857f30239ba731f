import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { impactReport } from '$lib/server/organiser/impact';
import type { PageServerLoad } from './$types';

/** The impact summary as a printable page, for the organisation's organisers only. */
export const load: PageServerLoad = async ({ locals, setHeaders }) => {
  if (!locals.user) error(401, 'Sign in as an organiser to see this summary.');
  if (locals.membership?.role !== 'organiser') {
    error(403, 'This summary is for organisers only.');
  }
  setHeaders({ 'cache-control': 'private, no-store' });
  return {
    organisationName: locals.membership.organisationName,
    report: await impactReport(await getDb(), locals.membership.organisationId),
  };
};
