// For the specs: the export worker's own code behind a real MessageChannel.
import { serveXlsx, type FromWorker, type ToWorker, type WorkerLike } from './file-worker-protocol';

/**
 * The worker's own code (serveXlsx) behind a real MessageChannel: every message crosses by
 * structured clone, as to a Web Worker, and the Blob comes back as a handle. Counts the pages
 * posted and not yet answered.
 */
export function channelWorker(): WorkerLike & { mostAhead: number; terminated: boolean } {
  const { port1, port2 } = new MessageChannel();
  const handle = serveXlsx((message) => port2.postMessage(message));
  port2.onmessage = (event: MessageEvent<ToWorker>) => handle(event.data);
  let ahead = 0;
  const worker = {
    mostAhead: 0,
    terminated: false,
    postMessage(message: ToWorker) {
      if (message.type === 'xml') worker.mostAhead = Math.max(worker.mostAhead, ++ahead);
      port1.postMessage(message);
    },
    addEventListener(type: 'message' | 'error', listener: (event: never) => void) {
      if (type !== 'message') return;
      port1.addEventListener('message', (event) => {
        if ((event.data as FromWorker).type === 'added') ahead--;
        (listener as (event: MessageEvent<FromWorker>) => void)(event);
      });
      port1.start();
    },
    terminate() {
      worker.terminated = true;
      port1.close();
      port2.close();
    },
  };
  return worker;
}
