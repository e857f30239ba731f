// Backups of the server database (README "Backups"). Same configuration as the server:
// DATABASE_URL set -> PostgreSQL (pg_dump and pg_restore from PATH, or from PG_BIN);
// otherwise the embedded PGlite database in DATA_DIR (default ./data).
//
//   npm run backup -- <file>     write a backup of the database to <file>
//   npm run restore -- <file>    restore <file> into an EMPTY database (a fresh DATA_DIR, or a
//                                freshly created PostgreSQL database), renumber its change
//                                feed for this cluster and give it a new epoch
//   npm run rotate-epoch         give the server a new epoch: every device re-sends what it
//                                has and pulls again from the beginning (SPEC.md, epoch rule)
//
// PGlite allows one process per data folder: stop the server first (the commands refuse
// while it runs). Production dependencies only, no build needed.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { durablePgliteOptions, fsyncPath, fsyncTree } from '../src/lib/server/db/durable-fs.js';
import { acquireDataFolderLock, DataFolderLockedError } from '../src/lib/server/db/lock.js';
import { postgresArguments } from '../src/lib/server/db/postgres-url.js';
import { prepareRestoredDatabase, rotateEpoch } from '../src/lib/server/db/restore.js';

const USAGE = `usage: npm run backup -- <file> | npm run restore -- <file> | npm run rotate-epoch`;

class CommandError extends Error {}

// --- PGlite --------------------------------------------------------------------------------

const dataDir = () => resolve(process.env.DATA_DIR || 'data');
const pgliteFolder = () => join(dataDir(), 'pglite');

/**
 * The server's own lock (src/lib/server/db/lock.js), taken the same way: refuse while a server
 * holds the folder, and replace a stale lock only as the server does (never delete it by name).
 */
function lockDataFolder() {
  const folder = dataDir();
  mkdirSync(folder, { recursive: true });
  try {
    return acquireDataFolderLock(folder).release;
  } catch (error) {
    if (error instanceof DataFolderLockedError) {
      throw new CommandError(
        `The data folder ${folder} is in use by a Kraam server (pid ${error.pid}): stop it first.`,
      );
    }
    // Another process is replacing a stale lock right now (lock.js): nothing was touched.
    if (error instanceof Error && !('code' in error)) {
      throw new CommandError(`${error.message} Nothing was changed: try again in a moment.`);
    }
    throw error;
  }
}

/** Opens the live database folder as the server does: every commit (and the shutdown checkpoint) on the disk. */
async function withPglite(folder, fn) {
  const release = lockDataFolder();
  try {
    const db = new PGlite(durablePgliteOptions(folder));
    try {
      await db.waitReady;
      return await fn(db);
    } finally {
      await db.close();
    }
  } finally {
    release();
  }
}

/** A finished backup file is on the disk under its final name, or not there at all. */
function publishDurably(partial, file) {
  fsyncPath(partial);
  renameSync(partial, file);
  fsyncPath(dirname(file));
}

const pgliteQuery = (tx) => async (text) => (await tx.query(text)).rows;

function requirePgliteDatabase() {
  if (!existsSync(join(pgliteFolder(), 'PG_VERSION'))) {
    throw new CommandError(`There is no database in ${pgliteFolder()} (check DATA_DIR).`);
  }
}

async function pgliteBackup(file) {
  requirePgliteDatabase();
  await withPglite(pgliteFolder(), async (db) => {
    const dump = await db.dumpDataDir('gzip');
    const partial = `${file}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    publishDurably(partial, file);
  });
  return `Backed up ${pgliteFolder()} to ${file}.`;
}

function notABackup(file, why) {
  return new CommandError(`${file} is not a Kraam backup (${why}): nothing was restored.`);
}

/** The restored database must hold Kraam's tables; anything else is refused before it counts. */
async function requireKraamTables(query, file) {
  const [row] = await query(`select to_regclass('public.sync_changes') is not null as kraam`);
  if (row?.kraam !== true) throw notABackup(file, 'it holds no Kraam tables');
}

/**
 * Loads the backup into a folder beside the data folder and moves it into place only once it
 * is a prepared Kraam database: a file that is not a backup, or a restore that fails halfway,
 * leaves DATA_DIR as it was.
 */
async function pgliteRestore(file) {
  const folder = pgliteFolder();
  if (existsSync(folder) && readdirSync(folder).length > 0) {
    throw new CommandError(
      `${folder} already holds a database: restore into an empty DATA_DIR (or move that ` +
        `folder away first, the server stopped).`,
    );
  }
  const loadDataDir = new Blob([readFileSync(file)]);
  const staging = `${folder}.restoring`;
  const release = lockDataFolder();
  try {
    rmSync(staging, { recursive: true, force: true });
    let db;
    try {
      db = new PGlite(staging, { loadDataDir });
      await db.waitReady;
    } catch (error) {
      await db?.close().catch(() => {});
      throw notABackup(file, error instanceof Error ? error.message : String(error));
    }
    let result;
    try {
      result = await db.transaction(async (tx) => {
        await requireKraamTables(pgliteQuery(tx), file);
        return prepareRestoredDatabase(pgliteQuery(tx));
      });
    } finally {
      await db.close();
    }
    // PGlite loaded the backup without fsync: put every file on the disk before it counts,
    // then make the move into place durable too (the server only syncs a fresh cluster).
    fsyncTree(staging);
    rmSync(folder, { recursive: true, force: true });
    renameSync(staging, folder);
    fsyncPath(dataDir());
    return restored(file, folder, result);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    release();
  }
}

async function pgliteRotateEpoch() {
  requirePgliteDatabase();
  return withPglite(pgliteFolder(), (db) => db.transaction((tx) => rotateEpoch(pgliteQuery(tx))));
}

// --- PostgreSQL ----------------------------------------------------------------------------

function pgTool(name, args) {
  const command = process.env.PG_BIN ? join(process.env.PG_BIN, name) : name;
  const run = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.error) {
    throw new CommandError(
      `Could not run ${command} (${run.error.message}): install the PostgreSQL client tools ` +
        `or set PG_BIN to the folder holding ${name}.`,
    );
  }
  if (run.status !== 0) throw new CommandError(`${name} failed (exit code ${run.status}).`);
}

async function withPostgres(url, fn) {
  const sql = postgres(...postgresArguments(url, { max: 1, onnotice: () => {} }));
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const postgresQuery = (tx) => (text) => tx.unsafe(text);

async function postgresBackup(url, file) {
  const partial = `${file}.partial`;
  pgTool('pg_dump', ['--format=custom', '--no-owner', `--file=${partial}`, `--dbname=${url}`]);
  publishDurably(partial, file);
  return `Backed up the PostgreSQL database to ${file}.`;
}

/** Refuses, before anything is restored, a file pg_restore cannot read or without Kraam's feed. */
function requirePgDumpOfKraam(file) {
  const command = process.env.PG_BIN ? join(process.env.PG_BIN, 'pg_restore') : 'pg_restore';
  const list = spawnSync(command, ['--list', file], { encoding: 'utf8' });
  if (list.error) {
    throw new CommandError(
      `Could not run ${command} (${list.error.message}): install the PostgreSQL client tools ` +
        `or set PG_BIN to the folder holding pg_restore.`,
    );
  }
  if (list.status !== 0) {
    throw notABackup(file, (list.stderr || `pg_restore exit code ${list.status}`).trim());
  }
  if (!/ TABLE public sync_changes /.test(list.stdout)) {
    throw notABackup(file, 'it holds no Kraam tables');
  }
}

async function postgresRestore(url, file) {
  if (!existsSync(file)) throw new CommandError(`There is no file ${file}.`);
  await withPostgres(url, async (sql) => {
    const [row] = await sql`select to_regclass('public.sync_changes') is not null as taken`;
    if (row?.taken) {
      throw new CommandError(
        'The target database already holds Kraam tables: restore into a freshly created, ' +
          'empty database (createdb) and point DATABASE_URL at it.',
      );
    }
  });
  requirePgDumpOfKraam(file);
  pgTool('pg_restore', [
    '--no-owner',
    '--no-privileges',
    '--exit-on-error',
    '--single-transaction',
    `--dbname=${url}`,
    file,
  ]);
  const result = await withPostgres(url, (sql) =>
    sql.begin((tx) => prepareRestoredDatabase(postgresQuery(tx))),
  );
  return restored(file, 'the PostgreSQL database', result);
}

async function postgresRotateEpoch(url) {
  return withPostgres(url, (sql) => sql.begin((tx) => rotateEpoch(postgresQuery(tx))));
}

// --- commands ------------------------------------------------------------------------------

function restored(file, where, { renumbered, epoch }) {
  return (
    `Restored ${file} into ${where}: ${renumbered} feed changes renumbered for this ` +
    `database, new server epoch ${epoch}. Start the server: devices re-send what the ` +
    `backup lacks and pull everything again.`
  );
}

async function main(argv) {
  const [command, file, ...rest] = argv;
  const url = process.env.DATABASE_URL?.trim();
  const needsFile = command === 'backup' || command === 'restore';
  if (rest.length > 0 || (needsFile ? !file : file !== undefined)) throw new CommandError(USAGE);
  const target = file ? resolve(file) : '';
  switch (command) {
    case 'backup':
      return url ? postgresBackup(url, target) : pgliteBackup(target);
    case 'restore':
      if (!existsSync(target)) throw new CommandError(`There is no file ${target}.`);
      return url ? postgresRestore(url, target) : pgliteRestore(target);
    case 'rotate-epoch': {
      const epoch = url ? await postgresRotateEpoch(url) : await pgliteRotateEpoch();
      return `New server epoch ${epoch}: devices re-send what they have and pull again.`;
    }
    default:
      throw new CommandError(USAGE);
  }
}

try {
  console.log(await main(process.argv.slice(2)));
} catch (error) {
  // A file-system error (a missing folder, a directory given as a file) is one clear line too.
  const systemError = error instanceof Error && typeof error.code === 'string';
  console.error(error instanceof CommandError || systemError ? error.message : error);
  process.exit(1);
}
