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
//
// libpq also reads where and as whom to connect from the query (`port`, `dbname`, `user`,
// `password`, over what the URL says before it: postgres://kraam@/kraam?host=/tmp&port=5433).
// postgres.js would send those on as settings too, which the server refuses (or, for `port`
// beside a socket folder, connect to .s.PGSQL.5432 first): they are given to postgres.js as
// its options instead, so the server reaches the database pg_dump and pg_restore back up.

/**
 * A keyword's value in the query; given more than once, the last (as libpq reads it).
 * @param {URLSearchParams} params
 * @param {string} keyword
 * @returns {string | null}
 */
function lastOf(params, keyword) {
  const values = params.getAll(keyword);
  return values.length > 0 ? (values[values.length - 1] ?? null) : null;
}

/**
 * The URL postgres.js can read and the Unix socket folder it names (null: TCP as written).
 * @param {string} url
 * @returns {{ url: string; socketFolder: string | null }}
 */
export function splitSocketFolder(url) {
  const query = url.indexOf('?');
  if (query < 0) return { url, socketFolder: null };
  const params = new URLSearchParams(url.slice(query + 1));
  const host = lastOf(params, 'host');
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
  const { url: rest, keywords } = splitConnectionKeywords(plain);
  return [
    rest,
    { ...options, ...(socketFolder === null ? {} : { host: socketFolder }), ...keywords },
  ];
}

/** libpq's keywords in a URL's query that say where and as whom to connect: postgres.js's names. */
const CONNECTION_KEYWORDS = /** @type {const} */ ({
  port: 'port',
  dbname: 'database',
  user: 'username',
  password: 'password',
});

/**
 * The URL without libpq's connection keywords in its query, and them as postgres.js's options.
 * @param {string} url
 * @returns {{ url: string; keywords: { port?: number; database?: string; username?: string; password?: string } }}
 */
function splitConnectionKeywords(url) {
  const query = url.indexOf('?');
  if (query < 0) return { url, keywords: {} };
  const params = new URLSearchParams(url.slice(query + 1));
  /** @type {Record<string, string | number>} */
  const keywords = {};
  for (const [keyword, option] of Object.entries(CONNECTION_KEYWORDS)) {
    const value = lastOf(params, keyword);
    if (value === null) continue;
    params.delete(keyword);
    if (keyword === 'port') {
      const port = /^\d{1,5}$/.test(value) ? Number(value) : 0;
      if (port < 1 || port > 65535) {
        throw new Error(`DATABASE_URL: port "${value}" is not a port number (1 to 65535).`);
      }
      keywords[option] = port;
    } else keywords[option] = value;
  }
  const rest = params.toString();
  const base = url.slice(0, query);
  return { url: rest ? `${base}?${rest}` : base, keywords };
}
