// Opens (and migrates) the server database: embedded PGlite in a data folder by default,
// PostgreSQL through postgres.js when a URL is given. One schema, one code path.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { durablePgliteOptions, fsyncTree, hasCluster } from './durable-fs';
import { acquireDataFolderLock } from './lock';
import { postgresArguments } from './postgres-url.js';
import { PgliteWorkerClient } from './pglite-worker-client';
import { StatementReusingPGlite } from './pglite-statements.js';
import { ensureServerEpoch, migratePgliteDb, migratePostgresDb, migrationsFolder } from './migrate';
import * as schema from './schema';
import type { Db, OpenedDatabase } from './types';

export type OpenOptions =
  | { kind: 'postgres'; url: string; migrations?: string; poolSize?: number }
  | {
      kind: 'pglite';
      dataDir: string;
      migrations?: string;
      /**
       * 'fsync' (the default, and what the server uses): every acknowledged commit is on the
       * disk (durable-fs.js). 'off' is PGlite's own default, where a power loss can take
       * acknowledged commits: only for the benchmark that measures what durability costs.
       */
      durability?: 'fsync' | 'off';
      /** PGlite in a worker thread (off by default; see pgliteWorkerFromEnv). */
      worker?: boolean;
    }
  | {
      kind: 'pglite-memory';
      migrations?: string;
      /** In-process by default (the specs); true for the contract suite of the worker client. */
      worker?: boolean;
    };

/**
 * KRAAM_PGLITE_WORKER: whether the embedded database runs in its own thread ("1") or on the
 * server's main thread (the default: on a quiet machine the messages between the threads cost
 * more than they free). docs/benchmarks.md, "Speed (issue 11), fifth pass: PGlite off the main
 * thread".
 */
export function pgliteWorkerFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.KRAAM_PGLITE_WORKER?.trim() === '1';
}

/** KRAAM_PGLITE_REUSE=0: PGlite's own `query` (each statement parsed again), for the A/B bench. */
function newPglite(options?: PGliteOptions): PGlite {
  return process.env.KRAAM_PGLITE_REUSE?.trim() === '0'
    ? new PGlite(options)
    : new StatementReusingPGlite(options);
}

/** The client both ways run: PGlite itself, or its worker-thread twin (same calls). */
type PgliteClient = PGlite | PgliteWorkerClient;

/** Where the embedded database lives inside the data folder (beside the lock and secrets). */
export function pgliteFolder(dataDir: string): string {
  return join(resolve(dataDir), 'pglite');
}

async function openPglite(
  dataDir: string | null,
  migrations: string,
  durability: 'fsync' | 'off' = 'fsync',
  worker = false,
): Promise<OpenedDatabase> {
  let release = () => {};
  let client: PgliteClient;
  let freshCluster: string | null = null;
  if (dataDir === null) {
    client = worker ? new PgliteWorkerClient({ folder: null }) : newPglite();
  } else {
    // PGlite does not create parent folders (docs/stack-notes.md pitfall 4).
    const folder = resolve(dataDir);
    mkdirSync(folder, { recursive: true });
    // Taken here, on the main thread, also when PGlite runs in the worker: lock.js knows
    // which locks its own process holds, so a second open in this process is refused too.
    release = acquireDataFolderLock(folder).release;
    const pgdata = pgliteFolder(folder);
    // The worker opens the folder with the same durable options (and fsyncs a fresh cluster).
    if (worker) client = new PgliteWorkerClient({ folder: pgdata, durability });
    else if (durability === 'off') client = newPglite({ dataDir: pgdata });
    else {
      if (!hasCluster(pgdata)) freshCluster = pgdata;
      client = newPglite(durablePgliteOptions(pgdata));
    }
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      if (!client.closed) await client.close();
    } finally {
      release();
    }
  };
  try {
    await client.waitReady;
    // PGlite's initdb copies a fresh cluster in without fsync: put it on the disk once,
    // before anything is acknowledged (later writes go through Postgres's own fsync calls).
    if (freshCluster !== null) fsyncTree(freshCluster);
    // The worker client answers every call Drizzle's PGlite driver makes (pglite-client.spec.ts).
    const db = drizzlePglite({ client: client as PGlite, schema });
    await migratePgliteDb(db, migrations);
    await ensureServerEpoch(db);
    return { db, kind: 'pglite', close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

async function openPostgres(
  url: string,
  migrations: string,
  poolSize: number,
): Promise<OpenedDatabase> {
  // Notices ("relation already exists, skipping") are noise in the server log.
  const client = postgres(...postgresArguments(url, { max: poolSize, onnotice: () => {} }));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await client.end({ timeout: 5 });
  };
  try {
    const db = drizzlePostgres({ client, schema });
    await migratePostgresDb(db, url, migrations);
    await ensureServerEpoch(db);
    return { db, kind: 'postgres', close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

/** Opens and migrates a database. The caller owns it and must `close()` it. */
export async function openDatabase(options: OpenOptions): Promise<OpenedDatabase> {
  const migrations = options.migrations ?? migrationsFolder();
  switch (options.kind) {
    case 'postgres':
      return openPostgres(options.url, migrations, options.poolSize ?? 10);
    case 'pglite':
      return openPglite(
        options.dataDir,
        migrations,
        options.durability,
        options.worker ?? pgliteWorkerFromEnv(),
      );
    case 'pglite-memory':
      return openPglite(null, migrations, 'fsync', options.worker ?? false);
  }
}

export type { Db };
