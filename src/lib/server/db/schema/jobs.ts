// Background jobs shared by every server process on one database (src/lib/server/jobs/lease.ts):
// a job runs only while its process holds the job's lease, so of several Kraam processes on
// one PostgreSQL exactly one runs it at a time. Relative imports only (drizzle-kit).
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const jobLeases = pgTable('job_leases', {
  /** The job's name, e.g. 'payments-reconcile'. */
  name: text('name').primaryKey(),
  /** Who holds it: host, process id and a random id of this run. */
  holder: text('holder').notNull(),
  /** Database time until which the lease holds; a crashed holder's lease lapses then. */
  leasedUntil: timestamp('leased_until', { withTimezone: true }).notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
});
