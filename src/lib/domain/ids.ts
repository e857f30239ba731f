/**
 * Ids are generated on the device (the till never waits for a server to hand out ids).
 * UUIDv7 (RFC 9562 §5.7): 48-bit Unix ms timestamp, version 7, 12 bits `rand_a`,
 * variant 0b10, 62 bits `rand_b`. Time-ordered ids keep IndexedDB and PostgreSQL
 * primary-key indexes append-mostly, and sort roughly by creation time.
 *
 * Monotonicity (RFC 9562 §6.2, method 1): a generator uses `rand_a` as a 12-bit counter,
 * seeded randomly each new millisecond with its top bit clear so there is room to count up.
 * Within the same millisecond, or when the wall clock steps back, the counter increments
 * on the last timestamp; on overflow the timestamp itself moves one ms ahead. So ids from
 * one generator are strictly increasing as strings, whatever the clock does.
 */

const MAX_TIMESTAMP = 2 ** 48 - 1;
const COUNTER_MAX = 0xfff;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export const UUID_V7_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function randomBytes(length: number): Uint8Array {
  // crypto.getRandomValues exists in every browser and, globally, in Node 20+.
  return crypto.getRandomValues(new Uint8Array(length));
}

function assertTimestamp(ms: number): void {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_TIMESTAMP) {
    throw new RangeError(`uuidv7: timestamp must be an integer in [0, 2^48), got ${ms}`);
  }
}

function encode(ms: number, counter: number, tail: Uint8Array): string {
  const bytes = new Uint8Array(16);
  // 48-bit big-endian timestamp; split because bitwise ops in JS are 32-bit.
  const high = Math.floor(ms / 2 ** 32);
  const low = ms % 2 ** 32;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = (low >>> 24) & 0xff;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes[6] = 0x70 | ((counter >>> 8) & 0x0f);
  bytes[7] = counter & 0xff;
  bytes.set(tail.subarray(0, 8), 8);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[bytes[i] ?? 0];
  }
  return out;
}

function randomCounterSeed(): number {
  const [a = 0, b = 0] = randomBytes(2);
  // 11 random bits: the top bit of the 12-bit counter stays clear so it can count up.
  return ((a << 8) | b) & 0x7ff;
}

/**
 * A monotonic UUIDv7 generator over the given clock: every id it returns sorts after
 * the one before, even within one millisecond or when the clock steps back.
 */
export function createUuidv7(now: () => number = Date.now): () => string {
  let lastMs = -1;
  let counter = 0;
  return () => {
    const wall = now();
    assertTimestamp(wall);
    if (wall > lastMs) {
      lastMs = wall;
      counter = randomCounterSeed();
    } else {
      counter++;
      if (counter > COUNTER_MAX) {
        lastMs++;
        assertTimestamp(lastMs);
        counter = randomCounterSeed();
      }
    }
    return encode(lastMs, counter, randomBytes(8));
  };
}

const defaultGenerator = createUuidv7();

/**
 * A new UUIDv7. Without `now` it uses the module's monotonic generator on `Date.now()`.
 * With an explicit `now` (tests, imports of old data) the id carries exactly that
 * timestamp and random bits, with no monotonic state: asking for an older time must give
 * an older id.
 */
export function uuidv7(now?: number): string {
  if (now === undefined) return defaultGenerator();
  assertTimestamp(now);
  const [a = 0, b = 0] = randomBytes(2);
  return encode(now, ((a << 8) | b) & COUNTER_MAX, randomBytes(8));
}

export function isUuidv7(value: string): boolean {
  return UUID_V7_PATTERN.test(value);
}

/** The Unix ms timestamp inside a UUIDv7 (creation time, for display or debugging). */
export function uuidv7Timestamp(id: string): number {
  if (!isUuidv7(id)) throw new RangeError(`not a UUIDv7: ${id}`);
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
