/**
 * The export's Web Worker and the page, one contract: the page reads the period's pages from
 * the device store and posts each page's rows; the worker makes the file (file-builder.ts:
 * the `.xlsx`'s sheet XML and its deflate, or the CSV's text) and hands back the finished Blob.
 * Reading and writing so run on two threads at once (docs/benchmarks.md, "Fifth round").
 *
 * Messages, in order: the page sends `start`, then `rows` per page, then `end`; the worker
 * answers `ready` (the builder made), `added` per page, `done` with the Blob, or `failed`
 * (and nothing after it). The page keeps at most `AHEAD` pages in flight, so memory holds a
 * page or two of rows, never the period. Rows go by structured clone (strings, numbers and
 * `{ cents }` objects); the Blob comes back as a handle, its bytes not copied.
 */
import { fileBuilder, type FileBuilder, type FileSpec, type Rows } from './file-builder';

export type ToWorker =
  | { type: 'start'; spec: FileSpec }
  | { type: 'rows'; rows: Rows }
  | { type: 'end' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'added' }
  | { type: 'done'; blob: Blob }
  | { type: 'failed'; message: string };

/** Pages posted to the worker and not yet written, at most. */
export const AHEAD = 2;

/**
 * The worker's side: one file per worker. Returns the message handler; messages are handled
 * one after the other (a page is written before the next is taken).
 */
export function serveFile(post: (message: FromWorker) => void): (message: ToWorker) => void {
  let builder: FileBuilder | null = null;
  let failed = false;
  let chain = Promise.resolve();
  const step = async (message: ToWorker): Promise<void> => {
    switch (message.type) {
      case 'start':
        if (builder) throw new Error('export worker: already started');
        builder = await fileBuilder(message.spec);
        post({ type: 'ready' });
        return;
      case 'rows':
        if (!builder) throw new Error('export worker: rows before start');
        await builder.add(message.rows);
        post({ type: 'added' });
        return;
      case 'end':
        if (!builder) throw new Error('export worker: end before start');
        post({ type: 'done', blob: await builder.finish() });
        return;
      default:
        throw new Error('export worker: unknown message');
    }
  };
  return (message) => {
    chain = chain.then(async () => {
      if (failed) return;
      try {
        await step(message);
      } catch (error) {
        failed = true;
        post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
    });
  };
}

/** What the page needs of a Worker (a real one, or the specs' MessagePort). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

/**
 * The page's side: a FileBuilder whose work is done by `worker`. Resolves once the worker is
 * ready; rejects if it cannot start (the caller then makes the file on the page).
 * The worker is terminated once the file is done or has failed.
 */
export async function workerFileBuilder(worker: WorkerLike, spec: FileSpec): Promise<FileBuilder> {
  let error: Error | null = null;
  let inFlight = 0;
  const waiting: { resolve: (value: FromWorker) => void; reject: (e: Error) => void }[] = [];
  const fail = (e: Error) => {
    error ??= e;
    worker.terminate();
    for (const w of waiting.splice(0)) w.reject(error);
  };
  worker.addEventListener('message', (event) => {
    const message = event.data;
    if (message.type === 'failed') fail(new Error(message.message));
    else waiting.shift()?.resolve(message);
  });
  worker.addEventListener('error', (event) => {
    const message = (event as ErrorEvent).message;
    fail(new Error(`export worker: ${message || 'it could not start'}`));
  });
  /** The worker's next answer (they come in the order of the messages sent). */
  const next = () =>
    error
      ? Promise.reject(error)
      : new Promise<FromWorker>((resolve, reject) => waiting.push({ resolve, reject }));
  const answer = next();
  worker.postMessage({ type: 'start', spec });
  await answer;
  let added: Promise<FromWorker>[] = [];
  return {
    async add(rows) {
      if (error) throw error;
      while (inFlight >= AHEAD) {
        await added.shift();
        inFlight--;
      }
      const answer = next();
      // Awaited above or in finish; a failure meanwhile is thrown there, not left unhandled.
      answer.catch(() => {});
      added.push(answer);
      inFlight++;
      worker.postMessage({ type: 'rows', rows });
    },
    async finish() {
      await Promise.all(added);
      added = [];
      const done = next();
      worker.postMessage({ type: 'end' });
      const message = await done;
      worker.terminate();
      if (message.type !== 'done') throw new Error('export worker: no file');
      return message.blob;
    },
  };
}
