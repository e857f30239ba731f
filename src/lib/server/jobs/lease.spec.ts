// One runner at a time across server processes (lease.ts), on PGlite and PostgreSQL. On
// PostgreSQL the two "processes" are two separate connection pools on one database; PGlite
// is one process per data folder, so there both share its one connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '$lib/server/db/open';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import type { Db } from '$lib/server/db/types';
import { reconcileExclusively, RECONCILE_JOB } from '$lib/server/payments/reconcile';
import { createScheduler, newHolder, releaseLease, runExclusively, takeLease } from './lease';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testDbKinds())('job leases on %s', (kind) => {
  let t: TestDb;
  let other: { db: Db; close(): Promise<void> } | null = null;
  /** The two server processes' databases. */
  let a: Db;
  let b: Db;

  beforeAll(async () => {
    t = await createTestDb(kind);
    a = t.db;
    if (kind === 'postgres' && t.url) {
      other = await openDatabase({ kind: 'postgres', url: t.url, poolSize: 4 });
      b = other.db;
    } else {
      b = t.db;
    }
  }, 120_000);
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  it('[jobs] of many tries at once from two processes exactly one runs the job; afterwards the next may', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    const job = async () => {
      running += 1;
      runs += 1;
      most = Math.max(most, running);
      await sleep(150);
      running -= 1;
      return 'done';
    };
    const tries = await Promise.all(
      Array.from({ length: 12 }, (_, i) => runExclusively(i % 2 ? a : b, 'test-once', job)),
    );
    expect(tries.filter((r) => r.ran)).toEqual([{ ran: true, result: 'done' }]);
    expect(runs).toBe(1);
    expect(most).toBe(1);
    // Given back at the end: the next try (from the other process) runs it again.
    expect((await runExclusively(b, 'test-once', job)).ran).toBe(true);
    expect((await runExclusively(a, 'test-once', job)).ran).toBe(true);
  });

  it('[jobs] a long job keeps its lease by renewing it; the other process never runs meanwhile', async () => {
    let otherRan = false;
    const long = runExclusively(a, 'test-long', () => sleep(1500), { leaseMs: 600 });
    await sleep(50);
    for (let i = 0; i < 8; i++) {
      const run = await runExclusively(b, 'test-long', async () => (otherRan = true), {
        leaseMs: 600,
      });
      expect(run.ran).toBe(false);
      await sleep(150);
    }
    expect((await long).ran).toBe(true);
    expect(otherRan).toBe(false);
  });

  it('[jobs] a holder that crashed (never gives the lease back) holds it only until it lapses', async () => {
    const crashed = newHolder();
    expect(await takeLease(a, 'test-crash', crashed, 200)).toBe(true);
    expect(await takeLease(b, 'test-crash', newHolder(), 200)).toBe(false);
    await sleep(300);
    const next = newHolder();
    expect(await takeLease(b, 'test-crash', next, 200)).toBe(true);
    // The crashed process coming back cannot give away a lease that is no longer its own.
    await releaseLease(a, 'test-crash', crashed);
    expect(await takeLease(a, 'test-crash', newHolder(), 200)).toBe(false);
  });

  it('[jobs] bad job names and lease lengths are refused before anything is written', async () => {
    for (const name of ['', 'Upper', 'a b', 'x\u0000', 'x'.repeat(101), '-lead']) {
      await expect(takeLease(a, name, newHolder())).rejects.toThrow(/job name/);
    }
    for (const leaseMs of [0, -1, 1.5, 2 ** 31 * 1000, Number.NaN]) {
      await expect(takeLease(a, 'test-bad', newHolder(), leaseMs)).rejects.toThrow(/lease/);
    }
  });

  it('[jobs] two processes scheduling the same job every 40 ms never run it at the same time', async () => {
    let running = 0;
    let most = 0;
    const ranIn = { a: 0, b: 0 };
    const run = (where: 'a' | 'b') => async () => {
      running += 1;
      ranIn[where] += 1;
      most = Math.max(most, running);
      await sleep(120);
      running -= 1;
    };
    // Each process has its own scheduler (module state): two stand in for two processes.
    const inA = createScheduler();
    const inB = createScheduler();
    const stopA = inA({ name: 'test-scheduled', everyMs: 40, db: async () => a, run: run('a') });
    // Scheduling it again in the same process is a no-op: still one timer.
    inA({ name: 'test-scheduled', everyMs: 40, db: async () => a, run: run('a') });
    const stopB = inB({ name: 'test-scheduled', everyMs: 40, db: async () => b, run: run('b') });
    await sleep(1200);
    stopA();
    stopB();
    await sleep(300);
    expect(ranIn.a + ranIn.b).toBeGreaterThanOrEqual(3);
    expect(most).toBe(1);
  });

  it('[jobs] the payments reconciliation does not run while another process runs it', async () => {
    const context = { db: b, stripe: null, origin: 'http://kraam.test' };
    const holder = newHolder();
    expect(await takeLease(a, RECONCILE_JOB, holder)).toBe(true);
    expect(await reconcileExclusively(context)).toEqual({ ran: false });
    await releaseLease(a, RECONCILE_JOB, holder);
    expect(await reconcileExclusively(context)).toEqual({
      ran: true,
      result: { checked: 0, changed: 0, failed: 0 },
    });
  });
});
