import { myDataZipStream } from '$lib/domain/my-data';
import { requireUser } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { myDataFileName, myDataSource } from '$lib/server/accounts/my-data';
import { api } from '$lib/server/http';

export const prerender = false;

/** "Download all my data": a zip of everything the server holds about the signed-in person. */
export const GET = api(async (event) => {
  const user = requireUser(event);
  const db = await getDb();
  const now = Date.now();
  return new Response(myDataZipStream(await myDataSource(db, user.id, { now })), {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${myDataFileName(now)}"`,
      'cache-control': 'no-store',
    },
  });
});
