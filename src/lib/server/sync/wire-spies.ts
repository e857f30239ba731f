// Spies for the specs that count what a sync request costs the database (round-trips.spec.ts,
// pull-round-trips.spec.ts): the statements Drizzle sends, the texts it builds, and the
// PostgreSQL wire messages written to the socket (docs/benchmarks.md, "fifth pass: Node's CPU
// per push" and "the pull per request").
import { Socket } from 'node:net';
import { PgDialect } from 'drizzle-orm/pg-core';
import { PglitePreparedQuery } from 'drizzle-orm/pglite/session';
import { PostgresJsPreparedQuery } from 'drizzle-orm/postgres-js/session';
import { vi } from 'vitest';

/** The statement texts Drizzle sends while `run` runs (BEGIN and COMMIT are not counted). */
export async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const spies = [PglitePreparedQuery, PostgresJsPreparedQuery].flatMap((Query) =>
    (['execute', 'all'] as const).map((method) => {
      const original = Query.prototype[method] as (...args: unknown[]) => unknown;
      return vi.spyOn(Query.prototype, method).mockImplementation(function (
        this: { queryString?: string },
        ...args: unknown[]
      ) {
        sent.push(this.queryString ?? '');
        return original.apply(this, args) as never;
      });
    }),
  );
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return sent;
}

/** The statement texts Drizzle builds (from its query builders and `sql`) while `run` runs. */
export async function builtOf(run: () => Promise<unknown>): Promise<string[]> {
  const built: string[] = [];
  const original = PgDialect.prototype.sqlToQuery;
  const spy = vi.spyOn(PgDialect.prototype, 'sqlToQuery').mockImplementation(function (
    this: PgDialect,
    ...args
  ) {
    const query = original.apply(this, args);
    built.push(query.sql);
    return query;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return built;
}

/** The PostgreSQL wire messages written to any socket while `run` runs, one string a write. */
export async function socketWritesOf(run: () => Promise<unknown>): Promise<string[]> {
  const writes: string[] = [];
  const socketWrite = Socket.prototype.write;
  const spy = vi.spyOn(Socket.prototype, 'write').mockImplementation(function (
    this: Socket,
    chunk: unknown,
    ...rest: unknown[]
  ) {
    if (Buffer.isBuffer(chunk) || chunk instanceof Uint8Array) {
      const buffer = Buffer.from(chunk);
      let letters = '';
      for (let at = 0; at + 5 <= buffer.length; at += 1 + buffer.readUInt32BE(at + 1)) {
        letters += String.fromCharCode(buffer[at]!);
      }
      writes.push(letters);
    }
    return socketWrite.apply(this, [chunk, ...rest] as never);
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return writes;
}
