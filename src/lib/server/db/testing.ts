// Test databases for server specs: every suite runs on embedded PGlite and, when
// TEST_DATABASE_URL points at a PostgreSQL server (CI), on PostgreSQL as well:
//   describe.each(testDbKinds())('... on %s', (kind) => { ... createTestDb(kind) ... })
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase } from './open';
import type { Db, DbKind } from './types';

export interface TestDb {
  db: Db;
  kind: DbKind;
  /** For postgres: the URL of this test's own database (e.g. to hand to a child process). */
  url: string | null;
  close(): Promise<void>;
}

/** ['pglite'], plus 'postgres' when TEST_DATABASE_URL is set. REQUIRE_POSTGRES=1 makes it mandatory. */
export function testDbKinds(env: NodeJS.ProcessEnv = process.env): DbKind[] {
  if (env.TEST_DATABASE_URL) return ['pglite', 'postgres'];
  if (env.REQUIRE_POSTGRES === '1') {
    throw new Error(
      'REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL half of the server ' +
        'tests would be skipped silently. Start a PostgreSQL server and set TEST_DATABASE_URL.',
    );
  }
  return ['pglite'];
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('createTestDb("postgres") needs TEST_DATABASE_URL.');
  return url;
}

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh database on TEST_DATABASE_URL's server (dropped again by `drop()`). */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = adminUrl();
  const name = `kraam_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return {
    url: withDatabase(server, name),
    async drop() {
      const dropper = postgres(server, { max: 1, onnotice: () => {} });
      try {
        // FORCE: a test that failed midway may have left a connection behind.
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    },
  };
}

/** A migrated, empty database of the given kind; `close()` removes every trace of it. */
export async function createTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === 'pglite') {
    // KRAAM_TEST_PGLITE_WORKER=1 runs the specs' PGlite in a worker thread, as the server does.
    const worker = process.env.KRAAM_TEST_PGLITE_WORKER === '1';
    const opened = await openDatabase({ kind: 'pglite-memory', worker });
    return { ...opened, url: null };
  }
  const database = await createPostgresDatabase();
  try {
    const opened = await openDatabase({ kind: 'postgres', url: database.url, poolSize: 4 });
    return {
      db: opened.db,
      kind: opened.kind,
      url: database.url,
      async close() {
        try {
          await opened.close();
        } finally {
          await database.drop();
        }
      },
    };
  } catch (error) {
    await database.drop().catch(() => {});
    throw error;
  }
}
