// The real server process on embedded PGlite: one process per data folder, clean SIGTERM.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { PGLITE_DATA_DIR } from './env';

function startServer(dataDir: string, port: number) {
  const child = spawn(process.execPath, ['scripts/start.js'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const listening = async () => {
    await expect.poll(() => output, { timeout: 60_000 }).toContain('Listening on');
  };
  return { child, exited, listening, output: () => output };
}

test('a second server on the same data folder refuses to start, naming the folder and the pid', async ({
  baseURL,
}) => {
  const second = startServer(PGLITE_DATA_DIR, 4176);
  const code = await second.exited;
  expect(code).toBe(1);
  expect(second.output()).toContain(`The data folder ${resolve(PGLITE_DATA_DIR)} is in use`);
  expect(second.output()).toMatch(/\(pid \d+\)/);
  // The running server is unharmed.
  const response = await fetch(`${baseURL}/api/me`);
  expect(response.status).toBe(401);
});

test('SIGTERM: the server closes the database, releases the folder and exits 0', async () => {
  // Two starts on a fresh folder (each: a durable first sync of the cluster, migrations).
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'kraam-sigterm-'));
  try {
    const server = startServer(dataDir, 4177);
    await server.listening();
    expect(existsSync(join(dataDir, 'kraam.lock'))).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(existsSync(join(dataDir, 'kraam.lock'))).toBe(false);
    // And the folder opens again.
    const again = startServer(dataDir, 4177);
    await again.listening();
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
