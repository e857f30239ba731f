// THE way to run a background job once across server processes (README, "Running more than
// one server"). Several identical Kraam processes may share one PostgreSQL; a job such as the
// payments reconciliation (src/lib/server/payments/reconcile.ts) must then run in one of them
// at a time, not in each. A job runs only while its process holds the job's row in
// `job_leases`:
//  - taking it is one atomic UPSERT that succeeds only when nobody holds it or the holder's
//    lease has lapsed (`leased_until` is database time, so the processes' clocks do not matter);
//  - while the job runs, its holder renews the lease every third of its length;
//  - when the job ends the holder gives the lease back; a process that crashed mid-run loses
//    it when it lapses (`leaseMs`, default 2 minutes), and the next tick elsewhere runs it.
// The same rows work on PGlite (one process per data folder; the lease still keeps a slow run
// and the next tick of the same process apart). Not a PostgreSQL advisory lock: a session-level
// lock would need one pooled connection held for the whole run (a Stripe call can take
// seconds) and is re-entrant within one session (PGlite has exactly one).
//
// To add a job: `scheduleJob({ name, everyMs, db: getDb, run })` from the server's init
// (src/hooks.server.ts), or `runExclusively(db, name, run)` for one run now. The job itself
// must still be safe to run twice in a row (a lease can lapse under a process that stalls
// longer than `leaseMs`): apply each change with a forward-only, idempotent rule, as the
// reconciliation does.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { and, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/types';
import { jobLeases } from '../db/schema';

/** How long a lease holds without renewal: a crashed holder blocks the job this long at most. */
export const DEFAULT_LEASE_MS = 2 * 60 * 1000;

const NAME_MAX = 100;

function checkName(name: string): void {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || name.length > NAME_MAX) {
    throw new Error(`A job name is lower-case letters, digits and '-', at most ${NAME_MAX}.`);
  }
}

function checkLease(leaseMs: number): void {
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 10 || leaseMs > 24 * 3600 * 1000) {
    throw new Error('A lease lasts between 10 ms and a day (whole milliseconds).');
  }
}

/** A holder id for one run: which machine and process, and a random part. */
export function newHolder(): string {
  return `${hostname().slice(0, 60)}:${process.pid}:${randomUUID()}`;
}

const until = (leaseMs: number) => sql`now() + make_interval(secs => ${leaseMs / 1000})`;

/** Takes the job's lease for `holder` when nobody holds it (or the lease lapsed). */
export async function takeLease(
  db: Db,
  name: string,
  holder: string,
  leaseMs = DEFAULT_LEASE_MS,
): Promise<boolean> {
  checkName(name);
  checkLease(leaseMs);
  const rows = await db
    .insert(jobLeases)
    .values({ name, holder, leasedUntil: until(leaseMs), startedAt: sql`now()` })
    .onConflictDoUpdate({
      target: jobLeases.name,
      set: { holder, leasedUntil: until(leaseMs), startedAt: sql`now()` },
      // Evaluated on the row as it is after any concurrent taker committed: one wins.
      setWhere: lte(jobLeases.leasedUntil, sql`now()`),
    })
    .returning({ holder: jobLeases.holder });
  return rows[0]?.holder === holder;
}

/** Extends the holder's lease; false when it is no longer theirs (it lapsed and was taken). */
export async function renewLease(
  db: Db,
  name: string,
  holder: string,
  leaseMs = DEFAULT_LEASE_MS,
): Promise<boolean> {
  checkLease(leaseMs);
  const rows = await db
    .update(jobLeases)
    .set({ leasedUntil: until(leaseMs) })
    .where(and(eq(jobLeases.name, name), eq(jobLeases.holder, holder)))
    .returning({ holder: jobLeases.holder });
  return rows.length > 0;
}

/** Gives the lease back (only the holder's own: a lapsed lease taken by another is theirs). */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db
    .update(jobLeases)
    .set({ leasedUntil: sql`now()` })
    .where(and(eq(jobLeases.name, name), eq(jobLeases.holder, holder)));
}

export type ExclusiveRun<T> = { ran: true; result: T } | { ran: false };

/**
 * Runs `job` if this process can take the job's lease, holding (and renewing) it until the job
 * ends; otherwise does nothing and answers `{ ran: false }` (another process runs it now).
 */
export async function runExclusively<T>(
  db: Db,
  name: string,
  job: () => Promise<T>,
  options: { leaseMs?: number; holder?: string } = {},
): Promise<ExclusiveRun<T>> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const holder = options.holder ?? newHolder();
  if (!(await takeLease(db, name, holder, leaseMs))) return { ran: false };
  const renewing = setInterval(
    () => {
      renewLease(db, name, holder, leaseMs).then(
        (held) => {
          if (!held) console.error(`Job ${name}: its lease lapsed while it ran.`);
        },
        (error: unknown) =>
          console.error(`Job ${name}: renewing its lease failed: ${String(error)}`),
      );
    },
    Math.max(5, Math.floor(leaseMs / 3)),
  );
  renewing.unref();
  try {
    return { ran: true, result: await job() };
  } finally {
    clearInterval(renewing);
    await releaseLease(db, name, holder).catch(() => {
      // The lease lapses by itself.
    });
  }
}

export interface ScheduledJob {
  name: string;
  /** How often each process tries; one of them runs it. */
  everyMs: number;
  leaseMs?: number;
  db: () => Promise<Db>;
  run: () => Promise<unknown>;
}

/**
 * A scheduler: one timer per job name (a server process has one, `scheduleJob`; a test makes
 * one per simulated process).
 */
export function createScheduler(): (job: ScheduledJob) => () => void {
  const scheduled = new Map<string, ReturnType<typeof setInterval>>();
  return (job) => {
    checkName(job.name);
    const stop = () => {
      const timer = scheduled.get(job.name);
      if (timer) clearInterval(timer);
      scheduled.delete(job.name);
    };
    if (scheduled.has(job.name)) return stop;
    const timer = setInterval(() => {
      void job
        .db()
        .then((db) => runExclusively(db, job.name, job.run, { leaseMs: job.leaseMs }))
        .catch((error: unknown) => {
          console.error(`Job ${job.name} failed: ${String(error)}`);
        });
    }, job.everyMs);
    timer.unref();
    scheduled.set(job.name, timer);
    return stop;
  };
}

/**
 * Every `everyMs` this process tries to run the job under its lease (once per process and
 * name; the timer never keeps the process alive). Returns a function that stops it.
 */
export const scheduleJob = createScheduler();
