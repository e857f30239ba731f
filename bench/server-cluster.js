// A throwaway PostgreSQL 15 cluster for the server benchmarks: initdb into a temporary
// folder, serve it on 127.0.0.1 only, stop and delete it afterwards (also if the benchmark
// process exits early). PostgreSQL refuses to run as root, so as root the cluster belongs to
// the `postgres` user (docs/stack-notes.md, "CI on a fresh machine").
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

const BIN = process.env.PG_BIN ?? '/usr/local/bin';

/** A TCP port nobody listens on right now (loopback). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const quote = (word) => `'${String(word).replaceAll("'", `'\\''`)}'`;

/**
 * Starts the cluster. Resolves to `{ url, version, stop() }`, or to `{ skipped }` with the
 * reason when PostgreSQL is not available here (the benchmarks then print that reason).
 */
export async function startCluster() {
  for (const tool of ['initdb', 'pg_ctl']) {
    if (!existsSync(join(BIN, tool))) return { skipped: `${join(BIN, tool)} not found` };
  }
  const asRoot = process.getuid?.() === 0;
  const folder = mkdtempSync(join(tmpdir(), 'kraam-bench-pg-'));
  const data = join(folder, 'data');
  const run = (tool, args) => {
    const command = [join(BIN, tool), ...args];
    const options = { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 };
    return asRoot
      ? execFileSync(
          'su',
          ['postgres', '-s', '/bin/sh', '-c', command.map(quote).join(' ')],
          options,
        )
      : execFileSync(command[0], command.slice(1), options);
  };
  let running = false;
  const stopNow = () => {
    if (running) {
      running = false;
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch {
        // Already gone: nothing left to stop.
      }
    }
    rmSync(folder, { recursive: true, force: true });
  };
  // An early exit (an exception, Ctrl-C) must not leave a server or its files behind.
  const onExit = () => stopNow();
  const onSignal = () => {
    stopNow();
    process.exit(130);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const forget = () => {
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  try {
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(folder, uid, gid);
    }
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    const port = await freePort();
    // Stock settings (fsync and synchronous_commit on): an acknowledged commit is durable.
    const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1`;
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(folder, 'log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      'start',
    ]);
    running = true;
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    const [row] = await admin`show server_version`;
    await admin.end({ timeout: 5 });
    return {
      url,
      version: String(row?.server_version ?? '?'),
      async stop() {
        stopNow();
        forget();
      },
    };
  } catch (error) {
    const detail = error?.stderr?.toString().trim() || (error?.message ?? String(error));
    stopNow();
    forget();
    return {
      skipped: `could not start a PostgreSQL cluster: ${detail.split('\n').slice(-3).join(' ')}`,
    };
  }
}

/** A fresh, empty database on the cluster; returns its URL. */
export async function createDatabase(clusterUrl, name) {
  const admin = postgres(clusterUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
