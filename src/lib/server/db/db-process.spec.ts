// Process-level guarantees of the embedded database, proven with real child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataFolderLock, DataFolderLockedError, LOCK_FILE_NAME } from './lock';
import { openDatabase } from './open';
import { serverMeta } from './schema/org';

const CHILD = resolve('src/lib/server/db/fixtures/db-child.ts');
const LOCK_CHILD = resolve('src/lib/server/db/fixtures/lock-child.mjs');

interface Child {
  process: ChildProcess;
  /** Resolves with the first reported message that has the given key. */
  waitFor(key: string): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

const children: ChildProcess[] = [];
const folders: string[] = [];

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'kraam-db-'));
  folders.push(folder);
  return folder;
}

function startChild(dataDir: string, ...args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const messages: Record<string, unknown>[] = [];
  const waiters: { key: string; resolve: (m: Record<string, unknown>) => void }[] = [];
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    let newline: number;
    while ((newline = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, newline);
      stdout = stdout.slice(newline + 1);
      const message = JSON.parse(line) as Record<string, unknown>;
      messages.push(message);
      for (const waiter of waiters.filter((w) => w.key in message)) waiter.resolve(message);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return {
    process: child,
    exited,
    stderr: () => stderr,
    waitFor(key) {
      const seen = messages.find((m) => key in m);
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<Record<string, unknown>>((resolveWait) =>
          waiters.push({ key, resolve: resolveWait }),
        ),
        exited.then(({ code }) => {
          throw new Error(`child exited (${code}) before reporting "${key}": ${stderr}`);
        }),
      ]);
    },
  };
}

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('embedded database process rules', () => {
  it('refuses a second process on the same data folder, naming the folder and the pid', async () => {
    const dataDir = tempFolder();
    const first = startChild(dataDir, 'hold');
    const { pid } = await first.waitFor('ready');

    const second = startChild(dataDir, 'hold');
    const { code } = await second.exited;
    expect(code).not.toBe(0);
    expect(second.stderr()).toContain(`data folder ${dataDir} is in use`);
    expect(second.stderr()).toContain(`pid ${String(pid)}`);
    // The first one is unharmed and still holds the folder.
    expect(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8').split('\n')[0]).toBe(String(pid));
    first.process.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
  }, 120_000);

  it('closes cleanly on SIGTERM and releases the lock', async () => {
    const dataDir = tempFolder();
    const child = startChild(dataDir, 'commit', 'before-sigterm');
    await child.waitFor('committed');
    child.process.kill('SIGTERM');
    await child.waitFor('closed');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);

    const reopened = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const rows = await reopened.db
        .select()
        .from(serverMeta)
        .where(eq(serverMeta.key, 'before-sigterm'));
      expect(rows).toHaveLength(1);
    } finally {
      await reopened.close();
    }
  }, 120_000);

  it('[G4] an acknowledged commit is durable: SIGKILL right after it, reopen, row present', async () => {
    const dataDir = tempFolder();
    const child = startChild(dataDir, 'commit', 'acknowledged');
    await child.waitFor('committed');
    child.process.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
    // The dead process's lock is left behind and must be reclaimed on reopen.
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(true);

    const reopened = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const rows = await reopened.db
        .select()
        .from(serverMeta)
        .where(eq(serverMeta.key, 'acknowledged'));
      expect(rows.map((r) => r.value)).toEqual(['committed']);
    } finally {
      await reopened.close();
    }
  }, 120_000);
});

describe('data folder lock', () => {
  async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => child.on('exit', done));
    return child.pid ?? 999_999;
  }

  it('reclaims a lock left by a dead process', async () => {
    const folder = tempFolder();
    writeFileSync(join(folder, LOCK_FILE_NAME), `${await deadPid()}\n`);
    const lock = acquireDataFolderLock(folder);
    expect(readFileSync(lock.path, 'utf8').split('\n')[0]).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('reclaims an unreadable lock (its writer died mid-write)', () => {
    const folder = tempFolder();
    writeFileSync(join(folder, LOCK_FILE_NAME), '');
    const lock = acquireDataFolderLock(folder);
    lock.release();
  });

  it('takes over a stale lock whose first replacer died mid-way (its guard left behind)', async () => {
    const folder = tempFolder();
    const dead = await deadPid();
    const staleToken = '00000000-0000-4000-8000-000000000001';
    writeFileSync(join(folder, LOCK_FILE_NAME), `${dead}\n${staleToken}\n`);
    // A replacer took the guard for that lock and died before renaming its file over it.
    const guard = join(folder, `${LOCK_FILE_NAME}.${staleToken}~1`);
    writeFileSync(guard, `${dead}\n00000000-0000-4000-8000-000000000002\n`);
    const lock = acquireDataFolderLock(folder);
    expect(readFileSync(lock.path, 'utf8').split('\n')[0]).toBe(String(process.pid));
    expect(readdirSync(folder)).toEqual([LOCK_FILE_NAME]);
    lock.release();
    expect(readdirSync(folder)).toEqual([]);
  });

  it('refuses a second open of the same folder inside one process', () => {
    const folder = tempFolder();
    const lock = acquireDataFolderLock(folder);
    try {
      expect(() => acquireDataFolderLock(folder)).toThrow(DataFolderLockedError);
    } finally {
      lock.release();
    }
    acquireDataFolderLock(folder).release();
  });

  /** lock.js is plain JavaScript importing only Node's built-ins: plain-node contenders load it as is. */
  const lockModule = resolve('src/lib/server/db/lock.js');

  /** Starts `count` contenders, lets them all try at one instant, returns what each said. */
  async function race(lockModule: string, folder: string, count: number): Promise<string[]> {
    const contenders = Array.from({ length: count }, () => {
      const child = spawn(process.execPath, [LOCK_CHILD, lockModule, folder], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      children.push(child);
      let out = '';
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const lines: string[] = [];
      const waiting: (() => void)[] = [];
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        let newline: number;
        while ((newline = out.indexOf('\n')) >= 0) {
          lines.push(out.slice(0, newline));
          out = out.slice(newline + 1);
          for (const wake of waiting.splice(0)) wake();
        }
      });
      const exited = new Promise<void>((done) => child.on('exit', () => done()));
      const line = async (n: number): Promise<string> => {
        while (lines.length <= n) {
          await Promise.race([
            new Promise<void>((wake) => waiting.push(wake)),
            exited.then(() => {
              if (lines.length <= n) throw new Error(`contender exited early: ${err}`);
            }),
          ]);
        }
        return lines[n] ?? '';
      };
      return { child, line, exited };
    });
    for (const c of contenders) expect(await c.line(0)).toBe('ready');
    for (const c of contenders) c.child.stdin.write('go\n');
    const answers = await Promise.all(contenders.map((c) => c.line(1)));
    for (const c of contenders) c.child.stdin.end();
    await Promise.all(contenders.map((c) => c.exited));
    return answers;
  }

  it('[fault 26] 12 processes started at once on one folder, fresh or with a stale lock: exactly one holds it, every time', async () => {
    const trials = 16;
    const holders: number[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const folder = tempFolder();
      // Half the trials start on a fresh folder, half on the lock a crashed server left.
      if (trial % 2 === 1) writeFileSync(join(folder, LOCK_FILE_NAME), `${await deadPid()}\n`);
      const answers = await race(lockModule, folder, 12);
      expect(answers.filter((a) => a.startsWith('error'))).toEqual([]);
      holders.push(answers.filter((a) => a === 'held').length);
      // Every refusal names a live contender; nothing is left in the folder but the lock
      // (all contenders exited, so the lock is stale now, and no temporary files).
      expect(readdirSync(folder).filter((name) => name !== LOCK_FILE_NAME)).toEqual([]);
    }
    expect(holders).toEqual(Array.from({ length: trials }, () => 1));
  }, 240_000);
});
