/**
 * A misbehaving network between device and server, for fault tests (docs/sync-faults.md fault 3): it
 * loses answers after the server handled the request, sends some requests twice at once,
 * and holds copies of others back to deliver them later, out of order. Seeded, so a
 * failing run can be replayed.
 */
import type { PullRequest, PushRequestOut } from '../protocol';
import { TransportError, type SyncTransport } from '../transport';

export interface LossyOptions {
  /** Probability that the answer is lost after the server handled the request. */
  dropResponse: number;
  /** Probability that a request is sent twice, concurrently. */
  duplicate: number;
  /** Probability that a copy of a request is held back and delivered later. */
  delay: number;
  random: () => number;
}

export interface LossyTransport extends SyncTransport {
  /** Delivers every held-back copy (call before checking the end state). */
  flush(): Promise<void>;
  readonly stats: {
    requests: number;
    dropped: number;
    duplicated: number;
    delayed: number;
    replayed: number;
  };
}

/** A small seeded PRNG (mulberry32): the same seed gives the same faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createLossyTransport(inner: SyncTransport, options: LossyOptions): LossyTransport {
  const held: PushRequestOut[] = [];
  const stats = { requests: 0, dropped: 0, duplicated: 0, delayed: 0, replayed: 0 };
  const { random } = options;
  const quietly = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      () => undefined,
    );

  const replayOne = () => {
    if (held.length === 0) return Promise.resolve();
    const [request] = held.splice(Math.floor(random() * held.length), 1);
    stats.replayed += 1;
    return request ? quietly(inner.push(request)) : Promise.resolve();
  };

  return {
    stats,
    async push(request) {
      stats.requests += 1;
      const copy = structuredClone(request);
      const extra: Promise<unknown>[] = [];
      // A request held back earlier arrives now, racing this one.
      if (held.length > 0 && random() < 0.5) extra.push(replayOne());
      const roll = random();
      if (roll < options.duplicate) {
        stats.duplicated += 1;
        extra.push(quietly(inner.push(structuredClone(copy))));
      } else if (roll < options.duplicate + options.delay) {
        stats.delayed += 1;
        held.push(structuredClone(copy));
      }
      const [result] = await Promise.allSettled([inner.push(copy), ...extra]);
      if (result.status === 'rejected') throw result.reason;
      if (random() < options.dropResponse) {
        stats.dropped += 1;
        throw new TransportError('offline', 'the answer was lost on the way back');
      }
      return result.value;
    },
    async pull(request: PullRequest) {
      const page = await inner.pull(request);
      if (random() < options.dropResponse) {
        stats.dropped += 1;
        throw new TransportError('offline', 'the answer was lost on the way back');
      }
      return page;
    },
    async flush() {
      while (held.length > 0) await replayOne();
    },
  };
}
