// PGlite allows one process per data folder (docs/stack-notes.md pitfall 5): a second server on the
// same folder would not see the first one's writes and could corrupt the database. Each
// process takes an exclusive lock file holding its pid; a lock left by a dead process is
// reclaimed, a live one makes the second process refuse to start.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE_NAME = 'kraam.lock';

export class DataFolderLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${folder} is in use by another Kraam server (pid ${pid}). ` +
        `Only one process may open an embedded database folder: stop that process, ` +
        `or give this one its own DATA_DIR (or a DATABASE_URL).`,
    );
    this.name = 'DataFolderLockedError';
  }
}

export interface DataFolderLock {
  readonly path: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Lock files this process holds, so a second open inside one process is refused too. */
const heldHere = new Set<string>();

/** Takes the folder's lock (the folder must exist) or throws DataFolderLockedError. */
export function acquireDataFolderLock(folder: string): DataFolderLock {
  const path = join(folder, LOCK_FILE_NAME);
  if (heldHere.has(path)) throw new DataFolderLockedError(folder, process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readPid(path);
      if (holder !== null && holder !== process.pid && isAlive(holder)) {
        throw new DataFolderLockedError(folder, holder);
      }
      // Stale (dead pid, or unreadable because its writer died mid-write): reclaim it.
      // A lock with our own pid that this process does not hold is stale too: in a container
      // the restarted server often gets the same pid (1) as the one that crashed.
      try {
        unlinkSync(path);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
      }
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    heldHere.add(path);
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        heldHere.delete(path);
        // Only remove the file if it is still ours.
        if (readPid(path) === process.pid) unlinkSync(path);
      },
    };
  }
  throw new Error(`Could not take the lock ${path}: it keeps reappearing.`);
}
