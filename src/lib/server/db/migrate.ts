// Migrations run inside the server process, at start, with production dependencies only
// (drizzle-orm's migrators, not drizzle-kit): docs/stack-notes.md pitfall 5.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { postgresArguments } from './postgres-url.js';
import { feedFromAnotherCluster, prepareRestoredDatabase, rotateEpoch } from './restore';
import { queryRows } from './rows';
import { serverMeta } from './schema/org';
import type { Db, Schema, Tx } from './types';

/** Where the generated migrations are: KRAAM_MIGRATIONS_DIR (set by scripts/start.js) or ./drizzle. */
export function migrationsFolder(): string {
  const folder = resolve(process.env.KRAAM_MIGRATIONS_DIR ?? 'drizzle');
  if (!existsSync(resolve(folder, 'meta', '_journal.json'))) {
    throw new Error(
      `No database migrations found in ${folder}. Run the server from the project folder ` +
        `(or set KRAAM_MIGRATIONS_DIR to the folder holding drizzle/meta/_journal.json).`,
    );
  }
  return folder;
}

export async function migratePgliteDb(db: PgliteDatabase<Schema>, folder: string): Promise<void> {
  await migratePglite(db, { migrationsFolder: folder });
}

// Any fixed 64-bit number: servers sharing one PostgreSQL take turns migrating.
const MIGRATION_LOCK_KEY = 7_263_110_402;

/**
 * Several server processes may start at once against one PostgreSQL: a session-level
 * advisory lock, held on its own connection, makes them migrate one after the other.
 */
export async function migratePostgresDb(
  db: PostgresJsDatabase<Schema>,
  url: string,
  folder: string,
): Promise<void> {
  const lockClient = postgres(...postgresArguments(url, { max: 1, onnotice: () => {} }));
  try {
    await lockClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(db, { migrationsFolder: folder });
  } finally {
    await lockClient.end({ timeout: 5 });
  }
}

/**
 * The server epoch: a random id made once, when the database is first migrated. A device
 * that sees a different epoch than it last synced with knows the server's data was reset
 * and re-pushes. (A restore from a backup brings back the backup's epoch: see
 * rotateServerEpoch.)
 */
export async function ensureServerEpoch(db: Db): Promise<void> {
  await db.insert(serverMeta).values({ key: 'epoch', value: randomUUID() }).onConflictDoNothing();
  await repairFeedFromAnotherCluster(db);
}

const runOn = (db: Db | Tx) => (text: string) => queryRows(db, sql.raw(text));

/**
 * A database restored from another cluster without `npm run restore` (its change feed holds
 * transaction ids this cluster never handed out) would leave the pull stuck: the server
 * renumbers the feed and rotates the epoch before it serves anyone (README "Backups").
 * Returns whether it had to.
 */
export async function repairFeedFromAnotherCluster(db: Db): Promise<boolean> {
  if (!(await feedFromAnotherCluster(runOn(db)))) return false;
  const repaired = await db.transaction(async (tx) => {
    await tx.execute(sql`lock table sync_changes in access exclusive mode`);
    // Another server starting on the same database may have done it meanwhile.
    if (!(await feedFromAnotherCluster(runOn(tx)))) return null;
    return prepareRestoredDatabase(runOn(tx));
  });
  if (repaired) {
    console.warn(
      `The change feed came from another database cluster (a restored backup): renumbered ` +
        `${repaired.renumbered} changes and gave the server a new epoch, so devices sync again.`,
    );
  }
  return repaired !== null;
}

export async function getServerEpoch(db: Db): Promise<string> {
  const rows = await db
    .select({ value: serverMeta.value })
    .from(serverMeta)
    .where(eq(serverMeta.key, 'epoch'));
  const epoch = rows[0]?.value;
  if (!epoch) throw new Error('The database has no server epoch: was it migrated?');
  return epoch;
}

/** Gives the database a new epoch, e.g. after restoring a backup, so devices re-push. */
export async function rotateServerEpoch(db: Db): Promise<string> {
  return rotateEpoch(runOn(db));
}
