// The main thread's side of PGlite in a worker thread (pglite-worker.js, issue 11): the slice of
// PGlite's client that Drizzle's PGlite driver and this project use (`query(text, params,
// { rowMode, parsers })`, `exec`, `transaction(callback)`, `close`, `closed`, `waitReady`),
// answered by the worker over its MessagePort. Tested against in-process PGlite by one
// contract suite (pglite-client.spec.ts).
//
// - Parsers are functions and cannot cross threads: the worker leaves the types the caller
//   parses itself as PostgreSQL's text, and this client applies the caller's parsers to them
//   (Drizzle passes ones that keep dates, timestamps and intervals as text).
// - Errors arrive with every field PGlite's carry (code, constraint, detail, …), so the push's
//   retry rules (23505, 40001, 40P01) and its messages read them as before.
// - A worker that dies fails every waiting call, and every later one, with a clear error.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Results } from '@electric-sql/pglite';

type Parser = (value: string, typeId?: number) => unknown;
export interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, Parser>;
}

/** What a transaction's callback gets: the part of PGlite's Transaction this project uses. */
export interface WorkerTransaction {
  query<R>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<R>>;
  exec(text: string): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

/** An error from the database in the worker, with every field PGlite's error carried. */
export class PgliteWorkerError extends Error {
  code?: string;
  constraint?: string;
  detail?: string;
  [field: string]: unknown;
}

/** Where the worker's script is: KRAAM_PGLITE_WORKER_SCRIPT (set by scripts/start.js) or ./src/…. */
export function pgliteWorkerScript(env: NodeJS.ProcessEnv = process.env): string {
  const path = resolve(env.KRAAM_PGLITE_WORKER_SCRIPT ?? 'src/lib/server/db/pglite-worker.js');
  if (!existsSync(path)) {
    throw new Error(
      `The embedded database's worker script is missing: ${path}. Run the server from the ` +
        `project folder (or set KRAAM_PGLITE_WORKER_SCRIPT, or leave KRAAM_PGLITE_WORKER unset).`,
    );
  }
  return path;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type Message =
  | {
      op: 'query';
      text: string;
      params: unknown[];
      rowMode: 'array' | 'object';
      rawTypes: number[];
      tx?: number;
    }
  | { op: 'exec'; text: string; tx?: number }
  | { op: 'begin' }
  | { op: 'commit' | 'rollback'; tx: number }
  | { op: 'walSyncs' | 'close' };

export interface PgliteWorkerOptions {
  /** The PGlite folder (inside the data folder), or null for a database in memory. */
  folder: string | null;
  durability?: 'fsync' | 'off';
  script?: string;
}

export class PgliteWorkerClient {
  /** The worker thread (tests stop it to see a dying worker handled). */
  readonly worker: Worker;
  readonly waitReady: Promise<void>;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #stopped: Error | null = null;
  #closing: Promise<void> | null = null;
  #closed = false;

  constructor(options: PgliteWorkerOptions) {
    this.worker = new Worker(options.script ?? pgliteWorkerScript(), {
      workerData: { folder: options.folder, durability: options.durability ?? 'fsync' },
    });
    this.worker.unref();
    this.worker.on(
      'message',
      (answer: { id: number; ok: boolean; result?: unknown; error?: Record<string, unknown> }) => {
        const pending = this.#pending.get(answer.id);
        if (!pending) return;
        this.#pending.delete(answer.id);
        if (this.#pending.size === 0) this.worker.unref();
        if (answer.ok) pending.resolve(answer.result);
        else pending.reject(toError(answer.error ?? {}));
      },
    );
    this.worker.on('error', (error) =>
      this.#stop(
        new Error(`The embedded database's worker failed: ${error.message}`, { cause: error }),
      ),
    );
    this.worker.on('exit', (code) =>
      this.#stop(new Error(`The embedded database's worker stopped (exit code ${code}).`)),
    );
    // The first answer comes once PGlite is ready (or with why it could not start).
    this.waitReady = this.#call({ op: 'walSyncs' }).then(() => undefined);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Fails every waiting call and every later one. */
  #stop(error: Error): void {
    // Unasked (not a close): every request now fails until the server is restarted.
    if (!this.#stopped && !this.#closing) console.error(error.message);
    this.#stopped ??= error;
    for (const pending of this.#pending.values()) pending.reject(this.#stopped);
    this.#pending.clear();
  }

  #call<T>(message: Message): Promise<T> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // The process stays alive while it waits for the worker, never because of an idle one.
      if (this.#pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...message, id });
    });
  }

  #closedError(): Error | null {
    return this.#closing ? new Error('PGlite is closed') : null;
  }

  async #query<T>(
    text: string,
    params: unknown[] | undefined,
    options: QueryOptions | undefined,
    tx?: number,
  ): Promise<Results<T>> {
    const closed = this.#closedError();
    if (closed) throw closed;
    const parsers = options?.parsers;
    const rawTypes = parsers ? Object.keys(parsers).map(Number) : [];
    const rowMode = options?.rowMode ?? 'object';
    const result = await this.#call<Results<T>>({
      op: 'query',
      text,
      params: params ?? [],
      rowMode,
      rawTypes,
      tx,
    });
    if (parsers && rawTypes.length > 0) applyParsers(result as Results<unknown>, parsers, rowMode);
    return result;
  }

  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.#query<T>(text, params, options);
  }

  async exec(text: string): Promise<Results[]> {
    const closed = this.#closedError();
    if (closed) throw closed;
    return this.#call<Results[]>({ op: 'exec', text });
  }

  /**
   * Runs `callback` in a transaction the worker keeps open until it ends: committed when the
   * callback returns, rolled back (and the error thrown again) when it throws. Like PGlite,
   * transactions and other statements wait for the one that is open.
   */
  async transaction<T>(callback: (tx: WorkerTransaction) => Promise<T>): Promise<T> {
    const closed = this.#closedError();
    if (closed) throw closed;
    const id = await this.#call<number>({ op: 'begin' });
    let over = false;
    const check = () => {
      if (over) throw new Error('Transaction is closed');
    };
    const tx: WorkerTransaction = {
      query: async <R>(text: string, params?: unknown[], options?: QueryOptions) => {
        check();
        return this.#query<R>(text, params, options, id);
      },
      exec: async (text: string) => {
        check();
        return this.#call<Results[]>({ op: 'exec', text, tx: id });
      },
      rollback: async () => {
        check();
        over = true;
        await this.#call({ op: 'rollback', tx: id });
      },
      get closed() {
        return over;
      },
    };
    try {
      const result = await callback(tx);
      if (!over) {
        over = true;
        await this.#call({ op: 'commit', tx: id });
      }
      return result;
    } catch (error) {
      if (!over) {
        over = true;
        await this.#call({ op: 'rollback', tx: id }).catch(() => {});
      }
      throw error;
    }
  }

  /** Host fsync(2) calls on the WAL so far (DurableNodeFS's count), null when not durable. */
  walSyncs(): Promise<number | null> {
    return this.#call<number | null>({ op: 'walSyncs' });
  }

  /** Closes PGlite (after what is already queued, as PGlite does) and stops the worker. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        if (!this.#stopped) await this.#call({ op: 'close' });
      } finally {
        this.#closed = true;
        this.#stop(new Error('PGlite is closed'));
        await this.worker.terminate();
      }
    })();
    return this.#closing;
  }
}

function toError(fields: Record<string, unknown>): PgliteWorkerError {
  const error = new PgliteWorkerError(String(fields.message ?? 'The embedded database failed.'));
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'message' || key === 'stack') continue;
    error[key] = value;
  }
  if (typeof fields.stack === 'string') {
    error.stack = `${error.stack ?? ''}\n    in the PGlite worker: ${fields.stack.split('\n').slice(1, 4).join('\n')}`;
  }
  return error;
}

function applyParsers(
  result: Results<unknown>,
  parsers: Record<number, Parser>,
  rowMode: 'array' | 'object',
): void {
  result.fields.forEach((field, index) => {
    const parse = parsers[field.dataTypeID];
    if (!parse) return;
    for (const row of result.rows as Record<string | number, unknown>[]) {
      const key = rowMode === 'array' ? index : field.name;
      const value = row[key];
      if (value !== null && value !== undefined)
        row[key] = parse(value as string, field.dataTypeID);
    }
  });
}
