import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/auth';
import { ApiError, api, validate } from '$lib/server/http';
import { booksExport } from '$lib/server/exports/books';
import { loadAccount } from '$lib/server/sync/account';
import { booksExportQuery, queryPeriod } from '$lib/exports/contract';

export const prerender = false;

/** The signed-in maker's books as a file (src/lib/exports/contract.ts). */
export const GET = api(async (event) => {
  const user = requireUser(event);
  const query = validate(booksExportQuery, Object.fromEntries(event.url.searchParams), 'query');
  if (query.kind === 'cashbook') {
    throw new ApiError(
      422,
      'not_available',
      'The cash book is exported from the device (kind: cashbook is not on the server yet).',
    );
  }
  const db = await getDb();
  const account = await loadAccount(db, user.id);
  // Only the maker's own books: a helper sells for someone else and exports nothing here.
  if (!account.sellingMakerId || account.helperOnly) {
    throw new ApiError(404, 'no_books', 'This account has no books of its own yet.');
  }
  const file = await booksExport(db, account.sellingMakerId, {
    kind: query.kind as 'journal' | 'vat',
    format: query.format as 'csv-nl' | 'csv-intl' | 'xlsx',
    period: queryPeriod(query),
    kor: query.kor === '1',
  });
  return new Response(file.body, {
    headers: {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'cache-control': 'no-store',
    },
  });
});
