/**
 * Starts the `.xlsx` export's Web Worker (file.worker.ts, bundled by Vite as its own script under
 * /_app/immutable/workers/, precached with the app's other scripts and allowed by the CSP's
 * `worker-src 'self'`), or null where the platform has no Worker: the export then makes its
 * file on the page, with the same code (file-builder.ts).
 */
import type { WorkerLike } from './file-worker-protocol';

export function startFileWorker(): WorkerLike | null {
  if (typeof Worker === 'undefined') return null;
  return new Worker(new URL('./file.worker.ts', import.meta.url), {
    type: 'module',
    name: 'kraam-export',
  }) as WorkerLike;
}
