/**
 * The xlsx sheet's gzip on the server (src/lib/exports/xlsx.ts takes it as `gzip`): Node's zlib
 * at level 3 instead of CompressionStream's fixed level 6. A year's 88 MB of sheet XML
 * deflates in 0.26 s of CPU instead of 0.6 s, for 8.3 MB instead of 7.35 MB (measured:
 * docs/benchmarks.md, the accountant's exports).
 */
import { createGzip } from 'node:zlib';

export function serverGzip(): ReadableWritablePair<Uint8Array, Uint8Array> {
  const gzip = createGzip({ level: 3 });
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      // The writer reads as it writes (src/lib/exports/xlsx.ts): what zlib gives is taken.
      gzip.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
      gzip.on('end', () => controller.close());
      gzip.on('error', (error) => controller.error(error));
    },
  });
  const writable = new WritableStream<Uint8Array>({
    write: (chunk) =>
      new Promise<void>((resolve, reject) =>
        gzip.write(chunk, (error) => (error ? reject(error) : resolve())),
      ),
    close: () => new Promise<void>((resolve) => gzip.end(resolve)),
    abort: (reason) => {
      gzip.destroy(reason instanceof Error ? reason : new Error(String(reason)));
    },
  });
  return { readable, writable };
}
