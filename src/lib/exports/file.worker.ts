/**
 * The export's Web Worker: makes the file from the rows the page posts
 * (file-worker-protocol.ts). Started by file-worker.ts, only when a maker exports.
 */
import { serveFile, type FromWorker, type ToWorker } from './file-worker-protocol';

const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
};
const handle = serveFile((message) => scope.postMessage(message));
scope.addEventListener('message', (event) => handle(event.data));
