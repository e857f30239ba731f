import { getDb } from '$lib/server/db';
import { api, validate } from '$lib/server/http';
import { loadEvent } from '$lib/server/organiser/event-rows';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { csvFileName, dashboard, dashboardCsv } from '$lib/server/organiser/results';
import { csvQuery } from '$lib/organiser/contract';

export const prerender = false;

/** The dashboard as CSV for a spreadsheet or the accountant (?lang=nl|en&decimal=dot|comma&bom=1). */
export const GET = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const query = validate(csvQuery, Object.fromEntries(event.url.searchParams), 'query');
  const db = await getDb();
  const loaded = await loadEvent(db, organisationId, idParam(event, 'eventId'));
  const csv = dashboardCsv(await dashboard(db, loaded), {
    language: query.lang,
    decimal: query.decimal,
    bom: query.bom === '1',
  });
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${csvFileName(loaded)}"`,
      'cache-control': 'no-store',
    },
  });
});
