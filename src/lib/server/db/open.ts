// Opens (and migrates) the server database: embedded PGlite in a data folder by default,
// PostgreSQL through postgres.js when a URL is given. One schema, one code path.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { durablePgliteOptions, fsyncTree, hasCluster } from './durable-fs';
import { acquireDataFolderLock } from './lock';
import { postgresArguments } from './postgres-url.js';
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
    }
  | { kind: 'pglite-memory'; migrations?: string };

/** Where the embedded database lives inside the data folder (beside the lock and secrets). */
export function pgliteFolder(dataDir: string): string {
  return join(resolve(dataDir), 'pglite');
}

async function openPglite(
  dataDir: string | null,
  migrations: string,
  durability: 'fsync' | 'off' = 'fsync',
): Promise<OpenedDatabase> {
  let release = () => {};
  let client: PGlite;
  let freshCluster: string | null = null;
  if (dataDir === null) {
    client = new PGlite();
  } else {
    // PGlite does not create parent folders (docs/stack-notes.md pitfall 4).
    const folder = resolve(dataDir);
    mkdirSync(folder, { recursive: true });
    release = acquireDataFolderLock(folder).release;
    const pgdata = pgliteFolder(folder);
    if (durability === 'off') client = new PGlite(pgdata);
    else {
      if (!hasCluster(pgdata)) freshCluster = pgdata;
      client = new PGlite(durablePgliteOptions(pgdata));
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
    const db = drizzlePglite({ client, schema });
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
      return openPglite(options.dataDir, migrations, options.durability);
    case 'pglite-memory':
      return openPglite(null, migrations);
  }
}

export type { Db };
