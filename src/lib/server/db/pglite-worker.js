// The embedded database in its own thread (issue 11): PGlite (PostgreSQL compiled to WASM) runs
// here, in a worker_threads Worker, so its statements no longer take turns with SvelteKit and
// the push's JavaScript on the server's main thread. The main thread talks to it through
// PgliteWorkerClient (pglite-worker-client.js), which Drizzle's PGlite driver accepts.
// Plain JavaScript on purpose: Node starts this file itself, beside the built server.
//
// Messages (each answered once, with the same id):
//   { id, op: 'query', text, params, rowMode, rawTypes, tx }  -> PGlite's Results
//   { id, op: 'exec', text, tx }                              -> PGlite's Results[]
//   { id, op: 'begin' } -> a transaction id; { id, op: 'commit' | 'rollback', tx }
//   { id, op: 'walSyncs' } -> DurableNodeFS's count (null when not durable)
//   { id, op: 'close' }
// Answers: { id, ok: true, result } or { id, ok: false, error } (every field of PGlite's error).
//
// PGlite runs one transaction at a time and queues everything else behind it; the worker keeps
// each transaction open inside pg.transaction() until its commit or rollback arrives, so the
// queueing is PGlite's own, exactly as in one thread. The data folder's lock is taken by the
// main thread (lock.js knows the locks of its process); the durable options are durable-fs.js's.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { durablePgliteOptions, fsyncTree, hasCluster } from './durable-fs.js';
import { StatementReusingPGlite } from './pglite-statements.js';

if (!parentPort) throw new Error('pglite-worker.js runs as a worker thread only.');
const port = parentPort;

/** @type {{ folder: string | null; durability: 'fsync' | 'off' }} */
const { folder, durability } = workerData;

/** @type {import('./durable-fs.js').DurableNodeFS | null} */
let durableFs = null;
/** @type {string | null} */
let freshCluster = null;
/** @type {PGlite} */
let pg;
/**
 * The same client as on the main thread (open.ts): statements run by name (pglite-statements.js)
 * unless KRAAM_PGLITE_REUSE=0.
 * @param {import('@electric-sql/pglite').PGliteOptions} [options]
 */
const newPglite = (options) =>
  process.env.KRAAM_PGLITE_REUSE?.trim() === '0'
    ? new PGlite(options)
    : new StatementReusingPGlite(options);
if (folder === null) pg = newPglite();
else if (durability === 'off') pg = newPglite({ dataDir: folder });
else {
  if (!hasCluster(folder)) freshCluster = folder;
  const options = durablePgliteOptions(folder);
  durableFs = options.fs;
  pg = newPglite(options);
}

const ready = (async () => {
  await pg.waitReady;
  // PGlite's initdb copies a fresh cluster in without fsync: put it on the disk once, before
  // anything is acknowledged (later writes go through Postgres's own fsync calls).
  if (freshCluster !== null) fsyncTree(freshCluster);
})();
// Answered through the first message's error; never an unhandled rejection meanwhile.
ready.catch(() => {});

/** @param {string} value */
const raw = (value) => value;

/**
 * The caller's own parsers are functions (they cannot cross threads): the worker leaves those
 * types as PostgreSQL's text, and the client applies the caller's parsers to them.
 * @param {number[] | undefined} rawTypes
 */
function rawParsers(rawTypes) {
  /** @type {Record<number, (value: string) => string>} */
  const parsers = {};
  for (const type of rawTypes ?? []) parsers[type] = raw;
  return parsers;
}

/**
 * @typedef {object} OpenTransaction
 * @property {import('@electric-sql/pglite').Transaction} tx
 * @property {() => void} commit
 * @property {(reason: unknown) => void} rollback
 * @property {Promise<unknown>} done
 */
/** @type {Map<number, OpenTransaction>} */
const transactions = new Map();
let nextTransaction = 1;
const ROLLED_BACK = Symbol('rolled back');

/** Starts a transaction and answers its id once PGlite has run BEGIN (after any before it). */
function begin() {
  const id = nextTransaction++;
  return new Promise((answer, fail) => {
    let started = false;
    /** @type {Partial<OpenTransaction>} */
    const entry = {};
    entry.done = pg.transaction(
      (tx) =>
        new Promise((commit, rollback) => {
          started = true;
          Object.assign(entry, { tx, commit, rollback });
          transactions.set(id, /** @type {OpenTransaction} */ (entry));
          answer(id);
        }),
    );
    entry.done.catch((error) => {
      if (!started) fail(error);
    });
  });
}

/** @param {unknown} id */
function transaction(id) {
  const entry = transactions.get(Number(id));
  if (!entry) throw new Error(`PGlite worker: transaction ${String(id)} is not open.`);
  return entry;
}

/** @param {{ tx?: number }} message */
function target(message) {
  return message.tx === undefined ? pg : transaction(message.tx).tx;
}

/** @param {any} message */
async function run(message) {
  await ready;
  switch (message.op) {
    case 'query': {
      const result = await target(message).query(message.text, message.params, {
        rowMode: message.rowMode,
        parsers: rawParsers(message.rawTypes),
      });
      return result;
    }
    case 'exec':
      return target(message).exec(message.text);
    case 'begin':
      return begin();
    case 'commit': {
      const entry = transaction(message.tx);
      entry.commit();
      try {
        await entry.done;
      } finally {
        transactions.delete(message.tx);
      }
      return null;
    }
    case 'rollback': {
      const entry = transaction(message.tx);
      entry.rollback(ROLLED_BACK);
      try {
        await entry.done;
      } catch (error) {
        if (error !== ROLLED_BACK) throw error;
      } finally {
        transactions.delete(message.tx);
      }
      return null;
    }
    case 'walSyncs':
      return durableFs?.walSyncs ?? null;
    case 'close':
      if (!pg.closed) await pg.close();
      return null;
    default:
      throw new Error(`PGlite worker: unknown operation ${String(message.op)}`);
  }
}

/**
 * Every field of the error that can cross threads (PGlite's: code, constraint, detail, …).
 * @param {unknown} error
 */
function serializeError(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  /** @type {Record<string, unknown>} */
  const out = { message: error.message, name: error.name, stack: error.stack };
  for (const [key, value] of Object.entries(error)) {
    if (key === 'queryOptions' || typeof value === 'function') continue;
    try {
      out[key] = structuredClone(value);
    } catch {
      // a field that cannot cross threads is left out
    }
  }
  return out;
}

port.on('message', (/** @type {any} */ message) => {
  const fail = (/** @type {unknown} */ error) =>
    port.postMessage({ id: message.id, ok: false, error: serializeError(error) });
  run(message).then((result) => {
    try {
      port.postMessage({ id: message.id, ok: true, result });
    } catch (error) {
      fail(error); // an answer that cannot cross threads (DataCloneError)
    }
  }, fail);
});
