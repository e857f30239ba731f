// Restoring a backup must leave a working feed (README "Backups", SPEC.md "Restoring a
// backup"): the backup commands in scripts/db.js, and the server's own repair at start for a
// database restored from a cluster whose transaction ids had counted further.
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getServerEpoch, queryRows, type Db, type DbKind } from '$lib/server/db';
import { LOCK_FILE_NAME } from '$lib/server/db/lock';
import { openDatabase } from '$lib/server/db/open';
import { createPostgresDatabase, testDbKinds } from '$lib/server/db/testing';
import type { OpenedDatabase } from '$lib/server/db/types';
import { TestDevice } from '$lib/sync/testing/device';
import type { SyncTransport } from '$lib/sync/transport';
import { createInProcessTransport } from './in-process-transport';
import { count, createUser } from './testing';

const run = promisify(execFile);
const CLI = resolve('scripts/db.js');

/** Where a server database lives, so it can be closed, backed up, restored and reopened. */
interface Place {
  env: Record<string, string>;
  open(): Promise<OpenedDatabase>;
  drop(): Promise<void>;
}

async function place(kind: DbKind): Promise<Place> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'kraam-restore-'));
    return {
      env: { DATA_DIR: dir },
      open: () => openDatabase({ kind: 'pglite', dataDir: dir }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const database = await createPostgresDatabase();
  return {
    env: { DATABASE_URL: database.url },
    open: () => openDatabase({ kind: 'postgres', url: database.url, poolSize: 2 }),
    drop: () => database.drop(),
  };
}

/** Runs `node scripts/db.js …` the way `npm run backup -- <file>` does, against `target`. */
async function cli(target: Place, ...args: string[]) {
  return cliWith([], target, ...args);
}

async function cliWith(nodeArgs: string[], target: Place, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  try {
    const { stdout } = await run('node', [...nodeArgs, CLI, ...args], {
      env: { ...env, ...target.env },
    });
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/**
 * What a pg_dump taken on a cluster that had counted further looks like once restored here:
 * every feed row carries a transaction id this cluster has not handed out yet.
 */
async function fromAClusterThatCountedFurther(db: Db): Promise<void> {
  await db.execute(
    sql.raw(`update sync_changes set txid = (txid::text::numeric + 1000000000)::text::xid8`),
  );
}

async function heldBeyondHorizon(db: Db): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from sync_changes
        where txid >= pg_snapshot_xmin(pg_current_snapshot())`,
  );
  return rows[0]?.n ?? 0;
}

/** A transport whose server database can be swapped (the server restarted on another one). */
function switchable(userId: string) {
  let current: SyncTransport | null = null;
  const transport: SyncTransport = {
    push: (request) => (current ? current.push(request) : Promise.reject(new Error('down'))),
    pull: (request) => (current ? current.pull(request) : Promise.reject(new Error('down'))),
  };
  return {
    transport,
    connect(db: Db) {
      current = createInProcessTransport({ db, userId: () => userId });
    },
  };
}

async function saleCount(device: TestDevice, eventId: string): Promise<number> {
  const sales = await device.store.listSales(eventId, { limit: 1000 });
  expect(new Set(sales.map((s) => s.id)).size).toBe(sales.length);
  return sales.length;
}

/** A maker with a synced device: 5 sales on the server, a pull cursor on the device. */
async function makerWithHistory(db: Db) {
  const userId = await createUser(db);
  const link = switchable(userId);
  link.connect(db);
  const device = await TestDevice.create({ transport: link.transport });
  const product = await device.addProduct();
  const event = await device.addEvent();
  await device.setStock(event.id, product.id, 100);
  for (let i = 0; i < 5; i++) await device.sell(event.id, [{ product }]);
  await device.settle();
  expect((await device.store.getSyncState()).cursor).not.toBeNull();
  return { userId, link, device, product, event };
}

/** After the restore: the old device, a fresh one, and new sales all agree; each sale once. */
async function expectWorkingFeed(db: Db, history: Awaited<ReturnType<typeof makerWithHistory>>) {
  const { link, device, product, event } = history;
  link.connect(db);
  // Sold while the server was being restored.
  for (let i = 0; i < 2; i++) await device.sell(event.id, [{ product }]);
  await device.settle();
  const fresh = await TestDevice.create({ transport: link.transport, makerId: device.makerId });
  await fresh.settle();
  expect(await saleCount(fresh, event.id)).toBe(7);
  // New changes after the restore reach both devices.
  await device.sell(event.id, [{ product }]);
  await device.settle();
  await fresh.settle();
  expect(await saleCount(device, event.id)).toBe(8);
  expect(await saleCount(fresh, event.id)).toBe(8);
  expect(await count(db, 'sales', `maker_id = '${device.makerId}'`)).toBe(8);
  expect((await fresh.store.getSummary(event.id)).salesCount).toBe(8);
  const levels = async (d: TestDevice) =>
    (await d.store.listEventStock(event.id)).find((r) => r.productId === product.id)?.level;
  expect(await levels(device)).toBe(92);
  expect(await levels(fresh)).toBe(92);
}

describe.each(testDbKinds())('restoring a backup on %s', (kind) => {
  const places: Place[] = [];
  const opened: OpenedDatabase[] = [];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kraam-backups-'));
  });
  afterAll(async () => {
    for (const db of opened) await db.close().catch(() => {});
    for (const p of places) await p.drop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function newPlace() {
    const p = await place(kind);
    places.push(p);
    return p;
  }

  async function open(p: Place) {
    const db = await p.open();
    opened.push(db);
    return db;
  }

  it('[G5] a database restored from a cluster whose transaction ids had counted further: at start the server renumbers the feed and rotates the epoch, and old and fresh devices sync everything', async () => {
    const home = await newPlace();
    const first = await open(home);
    const history = await makerWithHistory(first.db);
    const epoch = await getServerEpoch(first.db);
    await fromAClusterThatCountedFurther(first.db);
    await first.close();

    const restarted = await open(home);
    expect(await heldBeyondHorizon(restarted.db)).toBe(0);
    expect(await getServerEpoch(restarted.db)).not.toBe(epoch);
    await expectWorkingFeed(restarted.db, history);
  }, 120_000);

  it('[G5] npm run backup / restore: a backup restored into a fresh database keeps a working feed; restoring over a database that holds data is refused', async () => {
    const source = await newPlace();
    const first = await open(source);
    const history = await makerWithHistory(first.db);
    const epoch = await getServerEpoch(first.db);
    await fromAClusterThatCountedFurther(first.db);
    await first.close();
    const file = join(dir, `kraam-${kind}.backup`);
    const backup = await cli(source, 'backup', file);
    expect(backup, backup.output).toMatchObject({ ok: true });

    const target = await newPlace();
    const restore = await cli(target, 'restore', file);
    expect(restore, restore.output).toMatchObject({ ok: true });
    expect(restore.output).toMatch(/renumbered/);
    // Again into the same database: refused, nothing touched.
    const again = await cli(target, 'restore', file);
    expect(again.ok).toBe(false);
    expect(again.output).toMatch(/already holds/);

    const restored = await open(target);
    // The command did the work, not the server's safety net.
    expect(await heldBeyondHorizon(restored.db)).toBe(0);
    expect(await getServerEpoch(restored.db)).not.toBe(epoch);
    await expectWorkingFeed(restored.db, history);
  }, 120_000);

  /** A database of the same kind that holds no Kraam tables, backed up with npm run backup. */
  async function foreignBackup(file: string) {
    const foreign = await newPlace();
    if (kind === 'pglite') {
      const folder = join(foreign.env.DATA_DIR!, 'pglite');
      mkdirSync(folder, { recursive: true });
      const db = new PGlite(folder);
      await db.query('create table notes (body text)');
      await db.close();
    } else {
      const client = postgres(foreign.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      await client.unsafe('create table notes (body text)');
      await client.end({ timeout: 5 });
    }
    const backup = await cli(foreign, 'backup', file);
    expect(backup, backup.output).toMatchObject({ ok: true });
  }

  it('npm run restore of a file that is not a Kraam backup says so and leaves the target as it was: a real backup restores into it afterwards', async () => {
    const source = await newPlace();
    await (await open(source)).close();
    const real = join(dir, `real-${kind}.backup`);
    expect(await cli(source, 'backup', real)).toMatchObject({ ok: true });
    const foreign = join(dir, `foreign-${kind}.backup`);
    await foreignBackup(foreign);
    const junk = join(dir, `junk-${kind}.backup`);
    writeFileSync(junk, 'hello, I am not a backup\n');

    const target = await newPlace();
    for (const file of [junk, foreign]) {
      const refused = await cli(target, 'restore', file);
      expect(refused.ok, refused.output).toBe(false);
      expect(refused.output).toMatch(/is not a Kraam backup/);
      // A clear line, not a stack trace.
      expect(refused.output).not.toMatch(/\n\s+at /);
    }
    const restore = await cli(target, 'restore', real);
    expect(restore, restore.output).toMatchObject({ ok: true });
    const restored = await open(target);
    expect(await count(restored.db, 'sync_changes')).toBeGreaterThanOrEqual(0);
    const tables = await queryRows<{ name: string | null }>(
      restored.db,
      sql`select to_regclass('public.notes')::text as name`,
    );
    expect(tables[0]?.name ?? null).toBeNull();
  }, 120_000);

  it('npm run backup into a folder that does not exist, and npm run restore of a folder, fail with one clear line', async () => {
    const source = await newPlace();
    await (await open(source)).close();
    const backup = await cli(source, 'backup', join(dir, 'no-such-folder', 'kraam.backup'));
    expect(backup.ok).toBe(false);
    expect(backup.output).toMatch(/no-such-folder/);
    expect(backup.output).not.toMatch(/\n\s+at /);
    const target = await newPlace();
    const restore = await cli(target, 'restore', dir);
    expect(restore.ok).toBe(false);
    expect(restore.output).not.toMatch(/\n\s+at /);
    expect(restore.output).toMatch(/directory/);
  }, 120_000);

  it('[G2] npm run rotate-epoch gives the server a new epoch; a device re-sends what it has, each sale once', async () => {
    const home = await newPlace();
    let server = await open(home);
    const history = await makerWithHistory(server.db);
    const epoch = await getServerEpoch(server.db);
    // PGlite is one process per folder: the command refuses while the server holds it.
    if (kind === 'pglite') {
      const refused = await cli(home, 'rotate-epoch');
      expect(refused.ok).toBe(false);
      expect(refused.output).toMatch(/in use/);
      await server.close();
    }
    const rotated = await cli(home, 'rotate-epoch');
    expect(rotated, rotated.output).toMatchObject({ ok: true });
    if (kind === 'pglite') server = await open(home);
    expect(await getServerEpoch(server.db)).not.toBe(epoch);
    const { device, link, event, product } = history;
    link.connect(server.db);
    await device.sell(event.id, [{ product }]);
    await device.settle();
    expect(await count(server.db, 'sales', `maker_id = '${device.makerId}'`)).toBe(6);
    expect(await saleCount(device, event.id)).toBe(6);
  }, 120_000);
});

/** Every file under `folder`, relative to it. */
function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(join(folder, prefix), { withFileTypes: true }).flatMap((entry) => {
    const name = join(prefix, entry.name);
    if (entry.isDirectory()) return filesUnder(folder, name);
    return entry.isFile() ? [name] : [];
  });
}

describe('the backup commands on a PGlite data folder, as careful as the server', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kraam-db-commands-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function folderWithDatabase(name: string): Promise<Place> {
    const dataDir = join(dir, name);
    mkdirSync(dataDir);
    const here: Place = {
      env: { DATA_DIR: dataDir },
      open: () => openDatabase({ kind: 'pglite', dataDir }),
      drop: async () => {},
    };
    await (await here.open()).close();
    return here;
  }

  /** Runs the command with every fsync(2) recorded (tests/support/fsync-log.js). */
  async function cliRecordingFsync(target: Place, ...args: string[]) {
    const log = join(dir, `fsync-${randomUUID()}.json`);
    const result = await cliWith(
      ['--import', resolve('tests/support/fsync-log.js')],
      { ...target, env: { ...target.env, FSYNC_LOG: log } },
      ...args,
    );
    return { ...result, synced: JSON.parse(readFileSync(log, 'utf8')) as string[] };
  }

  it('[fault 26] a stale lock that a live process is replacing right now is left to it: the command refuses and the lock stays as it was', async () => {
    const home = await folderWithDatabase('replacing');
    const dead = spawnSync('node', ['-e', '0']).pid!;
    const lockPath = join(home.env.DATA_DIR!, LOCK_FILE_NAME);
    const staleToken = randomUUID();
    writeFileSync(lockPath, `${dead}\n${staleToken}\n`);
    // A live process (this one) holds the guard: it is replacing the stale lock (lock.js).
    const guard = `${lockPath}.${staleToken}~1`;
    writeFileSync(guard, `${process.pid}\n${randomUUID()}\n`);
    const backup = await cli(home, 'backup', join(dir, 'replacing.backup'));
    expect(backup.ok, backup.output).toBe(false);
    expect(backup.output).toMatch(/try again/);
    expect(backup.output).not.toMatch(/\n\s+at /);
    expect(readFileSync(lockPath, 'utf8')).toBe(`${dead}\n${staleToken}\n`);
    expect(existsSync(join(dir, 'replacing.backup'))).toBe(false);
    // Once the replacer is gone, the stale lock is reclaimed and the backup runs.
    rmSync(guard);
    const again = await cli(home, 'backup', join(dir, 'replacing.backup'));
    expect(again, again.output).toMatchObject({ ok: true });
    expect(existsSync(lockPath)).toBe(false);
  }, 120_000);

  it('[G4] npm run restore puts every restored file and the backup itself on the disk; rotate-epoch commits with fsync', async () => {
    const source = await folderWithDatabase('source');
    const file = join(dir, 'durable.backup');
    const backup = await cliRecordingFsync(source, 'backup', file);
    expect(backup, backup.output).toMatchObject({ ok: true });
    expect(backup.synced).toContain(`${file}.partial`);
    expect(backup.synced).toContain(dir);

    const target: Place = { ...source, env: { DATA_DIR: join(dir, 'target') } };
    const restore = await cliRecordingFsync(target, 'restore', file);
    expect(restore, restore.output).toMatchObject({ ok: true });
    const folder = join(dir, 'target', 'pglite');
    const files = filesUnder(folder);
    expect(files.length).toBeGreaterThan(100);
    const synced = new Set(restore.synced);
    // Synced in the staging folder, before it was moved into place, and the move itself.
    const unsynced = files.filter((name) => !synced.has(join(`${folder}.restoring`, name)));
    expect(unsynced).toEqual([]);
    expect(synced).toContain(join(dir, 'target'));

    const rotate = await cliRecordingFsync(target, 'rotate-epoch');
    expect(rotate, rotate.output).toMatchObject({ ok: true });
    expect(rotate.synced.some((path) => path.includes('/pg_wal/'))).toBe(true);
  }, 120_000);
});
