// Durable commits on embedded PGlite (guarantee G4 in src/lib/sync/SPEC.md). Plain JavaScript on
// purpose: the server (open.ts) and the backup commands (scripts/db.js, production dependencies
// only, no build step) open a data folder the same durable way.
//
// Out of the box PGlite 0.5 in a Node data folder never asks the disk to keep anything:
//   1. it starts Postgres with `-F` (`fsync = off`, see `PGlite.defaultStartParams`);
//   2. its emscripten NODEFS layer has no `fsync` stream operation, so even with `fsync = on`
//      Postgres's fsync() is answered "done" without a host call (`_fd_sync` returns 0 when the
//      stream has no fsync), and its fdatasync() (the default `wal_sync_method` on Linux) is a
//      stub that returns 0 (`___syscall_fdatasync`);
//   3. `relaxedDurability` only decides whether PGlite awaits `syncToFs()`, which is empty
//      for NodeFS: it changes nothing here.
// A commit is then written to the OS page cache only: a power loss can take sales the server
// has already acknowledged (upstream: electric-sql/pglite issue 1107).
//
// What this file does instead, so that Postgres's own durability rules apply unchanged:
//   - start Postgres without `-F`, with `fsync = on`, `synchronous_commit = on` and
//     `wal_sync_method = fsync` (the one method that reaches the stream's fsync operation);
//   - give NODEFS an `fsync` stream operation that calls the host's fsync(2) on the file's
//     descriptor (directories, which NODEFS may open without one, are opened and synced by
//     path), and counts each call;
//   - once, when the data folder was just created, fsync every file and folder PGlite's initdb
//     wrote (that copy never passes through Postgres's own fsync calls).
// Postgres then flushes the WAL with fsync(2) before COMMIT returns, exactly as a native
// server does. `npm run bench -- durability` counts the host fsync calls per commit with
// strace; docs/benchmarks.md has the figures and what it costs.
import { closeSync, fsyncSync, lstatSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

/**
 * Postgres start parameters: PGlite's own, minus `-F`, plus explicit durability settings.
 * @type {readonly string[]}
 */
export const DURABLE_START_PARAMS = [
  ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
  '-c',
  'fsync=on',
  '-c',
  'synchronous_commit=on',
  '-c',
  'wal_sync_method=fsync',
];

/**
 * The slice of emscripten's NODEFS this file touches.
 * @typedef {{ nfd?: number; node: unknown }} NodefsStream
 * @typedef {object} Nodefs
 * @property {{ fsync?: (stream: NodefsStream) => number }} stream_ops
 * @property {(node: unknown) => string} realPath
 * @property {(operation: () => number) => number} tryFSOperation
 */

/**
 * fsync(2) of a path (a file or a folder), through its own short-lived descriptor.
 * @param {string} path
 */
export function fsyncPath(path) {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * fsync(2) of every file and folder under `folder` (files first, then their folder).
 * @param {string} folder
 * @returns {number} how many were synced
 */
export function fsyncTree(folder) {
  let count = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) count += fsyncTree(path);
    else if (entry.isFile()) {
      fsyncPath(path);
      count++;
    }
  }
  fsyncPath(folder);
  return count + 1;
}

/** PGlite's NodeFS whose fsync reaches the disk. One per PGlite instance. */
export class DurableNodeFS extends NodeFS {
  /** Host fsync(2) calls on WAL segments (`pg_wal/…`): at least one per committed write. */
  walSyncs = 0;

  /**
   * @param {PGlite} pg
   * @param {Parameters<NodeFS['init']>[1]} emscriptenOptions
   * @returns {ReturnType<NodeFS['init']>}
   */
  async init(pg, emscriptenOptions) {
    const result = await super.init(pg, emscriptenOptions);
    const preRun = result.emscriptenOpts.preRun ?? [];
    /** @param {unknown} mod */
    const install = (mod) => {
      const nodefs = /** @type {{ NODEFS?: Nodefs }} */ (mod).NODEFS;
      if (!nodefs) throw new Error('PGlite changed: its module has no NODEFS to make durable');
      nodefs.stream_ops.fsync = (stream) =>
        nodefs.tryFSOperation(() => {
          /** @type {string | null} */
          let path = null;
          if (typeof stream.nfd === 'number') fsyncSync(stream.nfd);
          else fsyncPath((path = nodefs.realPath(stream.node)));
          path ??= nodefs.realPath(stream.node);
          if (path.includes('/pg_wal/')) this.walSyncs++;
          return 0;
        });
    };
    result.emscriptenOpts.preRun = [install, ...(Array.isArray(preRun) ? preRun : [preRun])];
    return result;
  }
}

/**
 * Whether `folder` already holds a Postgres cluster (PGlite's initdb has run there).
 * @param {string} folder
 * @returns {boolean}
 */
export function hasCluster(folder) {
  try {
    return lstatSync(join(folder, 'PG_VERSION')).isFile();
  } catch {
    return false;
  }
}

/**
 * PGlite options for a data folder whose acknowledged commits survive a power loss.
 * @param {string} folder
 * @returns {import('@electric-sql/pglite').PGliteOptions & { fs: DurableNodeFS }}
 */
export function durablePgliteOptions(folder) {
  return { fs: new DurableNodeFS(folder), startParams: [...DURABLE_START_PARAMS] };
}
