/**
 * The `.xlsx` export's Web Worker: compresses the sheet XML the page posts into the file
 * (file-worker-protocol.ts). Started by file-worker.ts, only when a maker exports an `.xlsx`.
 */
import { serveXlsx, type FromWorker, type ToWorker } from './file-worker-protocol';

const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
};
const handle = serveXlsx((message) => scope.postMessage(message));
scope.addEventListener('message', (event) => handle(event.data));
