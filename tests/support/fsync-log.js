// Loaded with `node --import` by specs that must see which files a command put on the disk:
// every fsync(2) made through node:fs is recorded by path and written, as a JSON list, to the
// file named by FSYNC_LOG when the process exits. Linux only (/proc/self/fd).
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const target = process.env.FSYNC_LOG;
if (target) {
  /** @type {string[]} */
  const synced = [];
  const { fsyncSync, readlinkSync, writeFileSync } = fs;
  fs.fsyncSync = (fd) => {
    try {
      synced.push(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      synced.push(`fd:${fd}`);
    }
    return fsyncSync(fd);
  };
  syncBuiltinESMExports();
  process.on('exit', () => writeFileSync(target, JSON.stringify(synced)));
}
