// Starts the built server for the API tests on a FRESH database each run (the accounts
// rules depend on "is this the first sign-up?"), then runs scripts/start.js in this same
// process, exactly as `npm start` does.
//   API_DB=pglite   : empties API_DATA_DIR and serves embedded PGlite from it
//   API_DB=postgres : recreates the database kraam_api_test (or API_PG_DATABASE, so that
//                     several runs can share one PostgreSQL server) on TEST_DATABASE_URL's server
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

const kind = process.env.API_DB ?? 'pglite';

if (kind === 'postgres') {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) throw new Error('API_DB=postgres needs TEST_DATABASE_URL');
  // API_PG_DATABASE: a name of one's own when several people share one PostgreSQL server.
  const name = process.env.API_PG_DATABASE || 'kraam_api_test';
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad API_PG_DATABASE ${name}`);
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString('base64url');
} else {
  const dataDir = process.env.API_DATA_DIR;
  if (!dataDir) throw new Error('API_DB=pglite needs API_DATA_DIR');
  rmSync(dataDir, { recursive: true, force: true });
  process.env.DATA_DIR = dataDir;
}

// A computed specifier: type-checkers must not follow it into the built server.
await import(new URL('../../scripts/start.js', import.meta.url).href);
