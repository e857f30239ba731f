// Plain JavaScript on purpose: the server (open.ts, migrate.ts) and the backup commands
// (scripts/db.js, which run with production dependencies only and no build step) read a
// DATABASE_URL the same way.
//
// A PostgreSQL server on the same machine is reached most cheaply through its Unix socket
// (docs/benchmarks.md, "fifth pass"). libpq, and so psql, pg_dump and pg_restore, take the
// socket's folder as `host` in the URL's query: postgres://kraam@/kraam?host=/var/run/postgresql.
// postgres.js does not: it would send `host` on to the server as a setting (which refuses
// it) and cannot read a URL without a host name. So the folder is taken out of the URL here
// and given to postgres.js as its `host` option (it then connects to
// <folder>/.s.PGSQL.<port>, the port from the URL, 5432 without one).

/**
 * The URL postgres.js can read and the Unix socket folder it names (null: TCP as written).
 * @param {string} url
 * @returns {{ url: string; socketFolder: string | null }}
 */
export function splitSocketFolder(url) {
  const query = url.indexOf('?');
  if (query < 0) return { url, socketFolder: null };
  const params = new URLSearchParams(url.slice(query + 1));
  const host = params.get('host');
  if (host === null || !host.startsWith('/')) return { url, socketFolder: null };
  params.delete('host');
  // postgres://user@/db or postgres://user@:5433/db: no host name; postgres.js needs one
  // (unused: the socket is used instead).
  const base = url
    .slice(0, query)
    .replace(/^(postgres(?:ql)?:\/\/(?:[^@/?#]*@)?)(?=[:/]|$)/, '$1localhost');
  const rest = params.toString();
  return { url: rest ? `${base}?${rest}` : base, socketFolder: host };
}

/**
 * postgres.js's arguments for a DATABASE_URL (which may name a Unix socket's folder).
 * @template {Record<string, unknown>} T
 * @param {string} url
 * @param {T} options
 * @returns {[string, T & { host?: string }]}
 */
export function postgresArguments(url, options) {
  const { url: plain, socketFolder } = splitSocketFolder(url);
  return [plain, socketFolder === null ? options : { ...options, host: socketFolder }];
}
