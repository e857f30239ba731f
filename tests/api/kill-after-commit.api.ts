// docs/sync-faults.md fault 1 with a real process and a real kill: the server commits a push and dies
// (SIGKILL) before its answer is written; the device never hears back, so it sends the same
// batch again to the restarted server. Nothing may count twice [G2], and what was committed
// before the kill must be there [G4]. On PGlite and on PostgreSQL.
//
// The kill comes from the test-only fault hook (src/lib/server/sync/fault.ts), enabled by
// starting this server process with KRAAM_FAULT=exit-after-commit:<n>.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, request, test, type APIRequestContext } from '@playwright/test';
import postgres from 'postgres';
import { RawDevice, type SaleRecord } from '../../src/lib/sync/testing/factories';
import { PGLITE_PORT, POSTGRES_PORT } from './env';
import { PASSWORD } from './world';

type Store = { env: Record<string, string>; drop(): Promise<void> };

/** A fresh store for the server: a PGlite data folder, or a new PostgreSQL database. */
async function freshStore(kind: 'pglite' | 'postgres'): Promise<Store> {
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'kraam-kill-'));
    return {
      env: { DATA_DIR: dataDir },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const server = process.env.TEST_DATABASE_URL;
  if (!server) throw new Error('the postgres project needs TEST_DATABASE_URL');
  const name = `kraam_kill_${randomBytes(4).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    // One secret for both lives of the server, so the session survives the restart.
    env: { DATABASE_URL: url.toString(), BETTER_AUTH_SECRET: randomBytes(32).toString('hex') },
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

function startServer(port: number, env: Record<string, string>) {
  const child = spawn(process.execPath, ['scripts/start.js'], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: `http://127.0.0.1:${port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  const listening = () => expect.poll(() => output, { timeout: 60_000 }).toContain('Listening on');
  return { child, exited, listening, output: () => output };
}

interface PushAnswer {
  acknowledgedUpTo: number;
  epoch: string;
  results: { seq: number; status: string }[];
}

test('[G2][G4] the server is killed after COMMIT, before its answer: the device pushes the same batch again, each sale counts once (fault 1, real kill)', async () => {
  test.setTimeout(180_000);
  const kind = test.info().project.name.endsWith('postgres') ? 'postgres' : 'pglite';
  // Ports of their own, next to this run's API servers.
  const port = (kind === 'pglite' ? PGLITE_PORT : POSTGRES_PORT) + 20;
  const baseURL = `http://127.0.0.1:${port}`;
  const store = await freshStore(kind);
  let client: APIRequestContext | null = null;
  const servers: ReturnType<typeof startServer>[] = [];
  try {
    // The second push that commits kills the server before it answers.
    const first = startServer(port, { ...store.env, KRAAM_FAULT: 'exit-after-commit:2' });
    servers.push(first);
    await first.listening();
    client = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
    const signUp = await client.post('/api/auth/sign-up/email', {
      data: { email: `killed-${kind}@example.org`, password: PASSWORD, name: 'Maker' },
    });
    expect(signUp.status(), await signUp.text()).toBe(200);

    const device = new RawDevice();
    const event = device.event();
    const bread = device.product({ name: 'Brood', priceCents: 350 });
    const setup = device.queue(
      device.eventUpsert(event),
      device.productUpsert(bread),
      device.stock(event.id, bread.id, 100, 'recount'),
    );
    const answered = await client.post('/api/sync/push', { data: device.request(setup, null) });
    expect(answered.status(), await answered.text()).toBe(200);
    const { epoch } = (await answered.json()) as PushAnswer;

    const sales: SaleRecord[] = Array.from({ length: 5 }, (_, i) =>
      device.sale(event.id, [{ product: bread, quantity: i + 1 }]),
    );
    const batch = device.request(device.queue(...sales), epoch);
    // Committed, then the process dies: the connection drops, no answer.
    await expect(client.post('/api/sync/push', { data: batch })).rejects.toThrow();
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    // Restarted on the same data (the dead server's PGlite lock is reclaimed), no fault.
    const second = startServer(port, store.env);
    servers.push(second);
    await second.listening();
    const again = await client.post('/api/sync/push', { data: batch });
    expect(again.status(), await again.text()).toBe(200);
    const answer = (await again.json()) as PushAnswer;
    // The numbers were consumed by the commit before the kill: all five are duplicates.
    expect(answer.acknowledgedUpTo).toBe(batch.mutations.at(-1)?.seq);
    expect(answer.results.map((r) => r.status)).toEqual(sales.map(() => 'duplicate'));

    // Another device of the same account pulls everything: each sale exactly once.
    const reader = new RawDevice();
    let cursor: string | null = null;
    const pulledSales: string[] = [];
    for (let page = 0; page < 20; page++) {
      const pull = await client.post('/api/sync/pull', {
        data: { protocol: 1, deviceId: reader.deviceId, cursor },
      });
      expect(pull.status(), await pull.text()).toBe(200);
      const body = (await pull.json()) as {
        changes: { entity: string; data: { sale?: { id: string } } }[];
        cursor: string | null;
        hasMore: boolean;
      };
      for (const change of body.changes) {
        if (change.entity === 'sale' && change.data.sale) pulledSales.push(change.data.sale.id);
      }
      cursor = body.cursor;
      if (!body.hasMore) break;
    }
    expect(pulledSales.sort()).toEqual(sales.map((s) => s.sale.id).sort());

    // The next sale applies as the next number: the queue is not wedged.
    const next = device.request(device.queue(device.sale(event.id, [{ product: bread }])), epoch);
    const nextAnswer = await client.post('/api/sync/push', { data: next });
    expect(nextAnswer.status()).toBe(200);
    expect(((await nextAnswer.json()) as PushAnswer).results.map((r) => r.status)).toEqual([
      'applied',
    ]);
  } finally {
    await client?.dispose();
    for (const server of servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    }
    await store.drop();
  }
});
