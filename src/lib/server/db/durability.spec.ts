// G4 on embedded PGlite: an acknowledged commit is on the disk, not only in the page cache.
// (PostgreSQL keeps its own defaults, fsync and synchronous_commit on.) The strace proof, host
// fsync(2) calls counted per commit, is `node bench/run.js durability` (docs/benchmarks.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from '.';
import { DurableNodeFS } from './durable-fs';
import { openDatabase } from './open';
import { PgliteWorkerClient } from './pglite-worker-client';
import { serverMeta } from './schema/org';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** The WAL fsync count of PGlite's durable file layer, in this thread or in the worker's. */
async function walSyncsOf(client: unknown): Promise<number> {
  if (client instanceof PgliteWorkerClient) {
    const count = await client.walSyncs();
    expect(count).not.toBeNull();
    return count!;
  }
  const fs = (client as PGlite).fs;
  expect(fs).toBeInstanceOf(DurableNodeFS);
  return (fs as DurableNodeFS).walSyncs;
}

describe.each([
  ['in a worker thread (KRAAM_PGLITE_WORKER=1)', true],
  ['on the main thread (the default)', undefined],
])('durable commits on PGlite %s', (_, worker) => {
  it('[G4] PGlite in a data folder runs with fsync on and syncs the WAL to the disk before each commit returns', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kraam-durable-'));
    folders.push(dataDir);
    const opened = await openDatabase({ kind: 'pglite', dataDir, worker });
    // The default runs PGlite on the main thread; KRAAM_PGLITE_WORKER=1 in its worker thread.
    const client = (opened.db as unknown as { $client: unknown }).$client;
    expect(client instanceof PgliteWorkerClient).toBe(worker === true);
    try {
      const settings = await queryRows<{ name: string; setting: string }>(
        opened.db,
        sql`select name, setting from pg_settings
            where name in ('fsync', 'synchronous_commit', 'wal_sync_method') order by name`,
      );
      expect(settings).toEqual([
        { name: 'fsync', setting: 'on' },
        { name: 'synchronous_commit', setting: 'on' },
        // The only method that reaches the host: fdatasync is a stub in PGlite's emscripten.
        { name: 'wal_sync_method', setting: 'fsync' },
      ]);

      // Drizzle keeps its driver as $client (not part of the engine-neutral Db type).
      const commits = 20;
      for (let i = 0; i < commits; i++) {
        const before = await walSyncsOf(client);
        await opened.db.transaction(async (tx) => {
          await tx.insert(serverMeta).values({ key: `durable-${i}`, value: String(i) });
        });
        // Each commit returned only after a host fsync(2) of the WAL.
        expect(await walSyncsOf(client)).toBeGreaterThan(before);
      }
      // A read commits nothing and needs no flush.
      const idle = await walSyncsOf(client);
      await opened.db.select().from(serverMeta);
      expect(await walSyncsOf(client)).toBe(idle);
    } finally {
      await opened.close();
    }
  }, 60_000);
});
