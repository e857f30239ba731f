/**
 * The `.xlsx` export's Web Worker and the page, one contract. The page reads the period's
 * pages from the device store and makes each page's sheet XML (SheetXml: its batches of about
 * 64 KB, exactly those the page's own writer would compress); the worker compresses them into
 * the zip (XlsxZip: UTF-8, the platform's deflate) and hands back the finished Blob. Reading
 * and compressing so run on two threads at once (docs/benchmarks.md, "Fifth round"), and the
 * file is byte for byte the page's own.
 *
 * Why XML and not rows: a page's XML is one string per batch, copied whole (a memcpy) to the
 * worker, where rows would be structured-cloned cell by cell; measured in the fifth round.
 *
 * Messages, in order: the page sends `start`, then `xml` per page, then `end`; the worker
 * answers `ready` (the zip begun), `added` per page, `done` with the Blob, or `failed` (and
 * nothing after it). The page keeps at most `AHEAD` pages in flight, so memory holds a page or
 * two of XML, never the period. The Blob comes back as a handle, its bytes not copied.
 */
import type { FileBuilder, FileSpec, Rows } from './file-builder';
import { SheetXml, XLSX_TYPE, XlsxZip } from './xlsx';

export type ToWorker =
  | { type: 'start'; sheet: string }
  | { type: 'xml'; batches: string[] }
  | { type: 'end'; last: string };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'added' }
  | { type: 'done'; blob: Blob }
  | { type: 'failed'; message: string };

/** Pages posted to the worker and not yet compressed, at most. */
export const AHEAD = 2;

/**
 * The worker's side: one file per worker. Returns the message handler; messages are handled
 * one after the other (a page is compressed before the next is taken).
 */
export function serveXlsx(post: (message: FromWorker) => void): (message: ToWorker) => void {
  let zip: XlsxZip | null = null;
  const parts: BlobPart[] = [];
  let failed = false;
  let chain = Promise.resolve();
  const started = (): XlsxZip => {
    if (!zip) throw new Error('export worker: not started');
    return zip;
  };
  const step = async (message: ToWorker): Promise<void> => {
    switch (message.type) {
      case 'start':
        if (zip) throw new Error('export worker: already started');
        zip = new XlsxZip({ sheet: message.sheet });
        post({ type: 'ready' });
        return;
      case 'xml': {
        const z = started();
        for (const batch of message.batches) await z.push(batch);
        // A page's compressed chunks as one Blob (out of the JS heap).
        const chunks = z.take();
        if (chunks.length) parts.push(new Blob(chunks as BlobPart[]));
        post({ type: 'added' });
        return;
      }
      case 'end': {
        const z = started();
        await z.end(message.last);
        for (const chunk of z.take()) parts.push(chunk as BlobPart);
        post({ type: 'done', blob: new Blob(parts, { type: XLSX_TYPE }) });
        return;
      }
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
 * The page's side: the `.xlsx` of `spec` (its XML made here, compressed by `worker`).
 * Resolves once the worker is ready; rejects if it cannot start (the caller then makes the
 * file on the page). The worker is terminated once the file is done or has failed.
 */
export async function workerXlsxBuilder(worker: WorkerLike, spec: FileSpec): Promise<FileBuilder> {
  let error: Error | null = null;
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
  const next = () => {
    const answer = error
      ? Promise.reject(error)
      : new Promise<FromWorker>((resolve, reject) => waiting.push({ resolve, reject }));
    // Awaited later (add or finish); a failure meanwhile is thrown there, not left unhandled.
    answer.catch(() => {});
    return answer;
  };
  const ready = next();
  worker.postMessage({ type: 'start', sheet: spec.sheet });
  await ready;
  const xml = new SheetXml(spec.headers, spec.columns ? { columns: spec.columns } : {});
  const added: Promise<FromWorker>[] = [];
  return {
    async add(rows: Rows) {
      if (error) throw error;
      const batches: string[] = [];
      try {
        for (const cells of rows) {
          const batch = xml.row(cells);
          if (batch !== null) batches.push(batch);
        }
      } catch (refused) {
        // A row the writer refuses ends the export: the worker too.
        fail(refused instanceof Error ? refused : new Error(String(refused)));
        throw refused;
      }
      if (batches.length === 0) return;
      while (added.length >= AHEAD) await added.shift();
      added.push(next());
      worker.postMessage({ type: 'xml', batches });
    },
    async finish() {
      await Promise.all(added.splice(0));
      const done = next();
      worker.postMessage({ type: 'end', last: xml.end() });
      const message = await done;
      worker.terminate();
      if (message.type !== 'done') throw new Error('export worker: no file');
      return message.blob;
    },
    abort() {
      fail(new Error('export worker: the export was stopped'));
    },
  };
}
