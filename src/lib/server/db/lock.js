// Plain JavaScript on purpose: the server (open.ts) and the backup commands (scripts/db.js,
// which run with production dependencies only and no build step) take the lock the same way.
//
// PGlite allows one process per data folder: a second server on the same folder would not see
// the first one's writes and could corrupt the database. Each process takes an exclusive lock
// file holding its pid; a lock left by a dead process is reclaimed, a live one makes the second
// process refuse to start.
//
// Exactly one holder, also when many processes start at once (docs/sync-faults.md fault 26, tested in
// db-process.spec.ts with real processes):
//   - A lock file is never seen empty or half written. Its content, `<pid>\n<token>\n` (token:
//     a random id of this attempt), is written and fsynced to a temporary file first, then
//     published with link(2), which fails if the lock already exists.
//   - A stale lock (its pid is dead) is replaced, never deleted by name: deleting by name could
//     remove a fresh lock another process has just published in its place. To replace the stale
//     file whose token is T, a process must first publish its own temporary file as the guard
//     `kraam.lock.T~1` (link(2) again: one winner per stale lock). Only while it holds that
//     guard, and after reading T in the lock once more, does it rename(2) its file over the lock.
//     Nobody else can change a lock with token T meanwhile (its owner is dead, every other
//     replacer needs the guard), so exactly the stale file is replaced. If a guard's writer died
//     mid-way, the next process takes guard `~2`, and so on.
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE_NAME = 'kraam.lock';

export class DataFolderLockedError extends Error {
  /**
   * @param {string} folder
   * @param {number} pid
   */
  constructor(folder, pid) {
    super(
      `The data folder ${folder} is in use by another Kraam server (pid ${pid}). ` +
        `Only one process may open an embedded database folder: stop that process, ` +
        `or give this one its own DATA_DIR (or a DATABASE_URL).`,
    );
    this.name = 'DataFolderLockedError';
    this.folder = folder;
    this.pid = pid;
  }
}

/** @typedef {{ readonly path: string; release(): void }} DataFolderLock */

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else: still alive.
    return errorCode(error) === 'EPERM';
  }
}

/**
 * @param {unknown} error
 * @returns {string | undefined}
 */
function errorCode(error) {
  return /** @type {NodeJS.ErrnoException} */ (error).code;
}

/**
 * @typedef {object} LockContent
 * @property {number | null} pid
 * @property {string} token Names this very file: its token, or for a file without one (older versions), its inode.
 */

/**
 * Reads a lock (or guard) file; null when there is none. Content and identity come from one descriptor.
 * @param {string} path
 * @returns {LockContent | null}
 */
function readLock(path) {
  let fd;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    const [first = '', second = ''] = readFileSync(fd, 'utf8').split('\n');
    const pid = Number.parseInt(first.trim(), 10);
    const token = /^[0-9a-f-]{36}$/.test(second.trim())
      ? second.trim()
      : `inode-${stat.ino}-${stat.mtimeMs}`;
    return { pid: Number.isInteger(pid) && pid > 0 ? pid : null, token };
  } finally {
    closeSync(fd);
  }
}

/** @param {string} path */
function unlinkIfThere(path) {
  try {
    unlinkSync(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/** @param {number} ms */
function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Lock files this process holds, so a second open inside one process is refused too. */
/** @type {Set<string>} */
const heldHere = new Set();

/**
 * Replaces the stale lock `stale` with this process's file `mine`. True when it did; false when
 * the lock changed meanwhile or a live process is replacing it (the caller looks again).
 * @param {string} path
 * @param {LockContent} stale
 * @param {string} mine
 * @returns {boolean}
 */
function replaceStale(path, stale, mine) {
  for (let level = 1; ; level++) {
    const guard = `${path}.${stale.token}~${level}`;
    try {
      linkSync(mine, guard);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      const other = readLock(guard);
      // A live process holds this guard: it is replacing the stale lock right now.
      if (other?.pid && other.pid !== process.pid && isAlive(other.pid)) return false;
      continue; // its writer died mid-way (or it is gone already): try the next level
    }
    try {
      if (readLock(path)?.token !== stale.token) return false;
      renameSync(mine, path);
      return true;
    } finally {
      unlinkIfThere(guard);
    }
  }
}

/**
 * Removes temporary and guard files left by processes that died while taking the lock. A file
 * without a readable pid may be one a live process is writing right now: only removed when old.
 * @param {string} folder
 */
function removeLeftovers(folder) {
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(`${LOCK_FILE_NAME}.`)) continue;
    const path = join(folder, name);
    const content = readLock(path);
    if (content === null) continue;
    const stat = statSync(path, { throwIfNoEntry: false });
    const dead =
      content.pid !== null
        ? !isAlive(content.pid)
        : stat !== undefined && Date.now() - stat.mtimeMs > 60_000;
    if (dead) unlinkIfThere(path);
  }
}

/**
 * Takes the folder's lock (the folder must exist) or throws DataFolderLockedError.
 * @param {string} folder
 * @returns {DataFolderLock}
 */
export function acquireDataFolderLock(folder) {
  const path = join(folder, LOCK_FILE_NAME);
  if (heldHere.has(path)) throw new DataFolderLockedError(folder, process.pid);
  const token = randomUUID();
  const mine = join(folder, `${LOCK_FILE_NAME}.${token}.tmp`);
  const fd = openSync(mine, 'wx');
  try {
    writeSync(fd, `${process.pid}\n${token}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  let held = false;
  try {
    for (let attempt = 0; attempt < 100 && !held; attempt++) {
      try {
        linkSync(mine, path);
        held = true;
        break;
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      const current = readLock(path);
      if (current === null) continue; // released meanwhile: try again
      if (current.pid !== null && current.pid !== process.pid && isAlive(current.pid)) {
        throw new DataFolderLockedError(folder, current.pid);
      }
      // Stale (dead pid, or no readable pid). A lock with our own pid that this process does
      // not hold is stale too: in a container the restarted server often gets the same pid (1)
      // as the one that crashed.
      if (replaceStale(path, current, mine)) {
        held = true;
        break;
      }
      sleepSync(2 + Math.random() * 8);
    }
  } finally {
    unlinkIfThere(mine);
  }
  if (!held) throw new Error(`Could not take the lock ${path}: it keeps changing.`);
  heldHere.add(path);
  removeLeftovers(folder);
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      heldHere.delete(path);
      // Only remove the file if it is still ours.
      if (readLock(path)?.token === token) unlinkIfThere(path);
    },
  };
}
