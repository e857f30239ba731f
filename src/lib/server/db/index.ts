// The server process's one database, opened lazily from the environment:
//   DATABASE_URL set  -> PostgreSQL (postgres.js pool)
//   otherwise         -> embedded PGlite in DATA_DIR (default ./data), one process per folder
// Migrated before first use; closed on shutdown so adapter-node can exit (docs/stack-notes.md pitfall 6).
import { building } from '$app/environment';
import { resolve } from 'node:path';
import { openDatabase, type OpenOptions } from './open';
import { closeOnShutdown } from './shutdown';
import type { Db, DbKind, OpenedDatabase } from './types';

export { getServerEpoch, rotateServerEpoch } from './migrate';
export { DataFolderLockedError } from './lock';
export { MAX_REUSED_PARAMETERS, queryRows, ReusedStatement, reusedRows } from './rows';
export type { Db, DbKind, Tx } from './types';

/** The data folder: DATA_DIR or ./data (holds the PGlite database, its lock and the auth secret). */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.DATA_DIR || 'data');
}

export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenOptions {
  const url = env.DATABASE_URL?.trim();
  if (url) return { kind: 'postgres', url, poolSize: poolSizeFromEnv(env) };
  return { kind: 'pglite', dataDir: dataDir(env) };
}

/** Connections to PostgreSQL when DATABASE_POOL_SIZE is not set. */
export const DEFAULT_POOL_SIZE = 10;

/**
 * DATABASE_POOL_SIZE: how many connections this process opens to PostgreSQL at most (1 to
 * 100, default 10). More connections than the database's cores only queue inside it;
 * docs/benchmarks.md has what 200 devices at once gave with each size.
 */
export function poolSizeFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.DATABASE_POOL_SIZE?.trim();
  if (!text) return DEFAULT_POOL_SIZE;
  const size = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(size >= 1 && size <= 100)) {
    throw new Error(
      `DATABASE_POOL_SIZE must be a whole number from 1 to 100 (connections to PostgreSQL); it is "${text.slice(0, 40)}".`,
    );
  }
  return size;
}

let opening: Promise<OpenedDatabase> | null = null;

/** The server's database (opened and migrated on first call). Never during `vite build`. */
export function getDb(): Promise<Db> {
  return getOpenedDb().then((opened) => opened.db);
}

export function getDbKind(): Promise<DbKind> {
  return getOpenedDb().then((opened) => opened.kind);
}

function getOpenedDb(): Promise<OpenedDatabase> {
  if (building) {
    throw new Error('The database is not opened while building: prerendered pages need none.');
  }
  if (!opening) {
    opening = openDatabase(databaseOptionsFromEnv());
    opening.then(registerShutdown, () => {
      // Let a later call try again (e.g. after the other process released the folder).
      opening = null;
    });
  }
  return opening;
}

/** Closes the database if it was opened; the next getDb() opens it again. */
export async function closeDb(): Promise<void> {
  const current = opening;
  opening = null;
  if (!current) return;
  const opened = await current.catch(() => null);
  await opened?.close();
}

let shutdownRegistered = false;

function registerShutdown(): void {
  if (shutdownRegistered) return;
  shutdownRegistered = true;
  closeOnShutdown(closeDb);
}
