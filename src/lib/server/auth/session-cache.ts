// A short-lived, bounded memory of which Cookie header belongs to which signed-in user, so
// an API request (a device's push or pull every few seconds) does not ask the database for
// its session and user every time (docs/benchmarks.md, issue 11: two of a one-sale push's
// round trips). The memberships are still read for every request (session.ts), so a role
// or a removed membership counts at once.
//
// Correctness first:
//   - an entry is only made from what better-auth answered for exactly that Cookie header,
//     and is used only until the earlier of its TTL and the session's own expiry;
//   - every request that may end or change a session or its user (any non-GET to
//     /api/auth/*: sign-out, revoking sessions, changing the password or the user; deleting
//     the account) forgets EVERYTHING, before it runs and again after it finished, and a
//     lookup that started before such a forget never stores what it found (a generation
//     count), so a signed-out or deleted session stops working at once on this process;
//   - on another process sharing the database (several servers on PostgreSQL) a session
//     ended elsewhere keeps working here until this process's entry is older than the TTL
//     (SESSION_CACHE_SECONDS, default 30; 0 turns the cache off).
import type { SessionInfo, SessionUser } from './session';

export interface CachedSession {
  user: SessionUser;
  session: SessionInfo;
}

interface Entry {
  value: CachedSession;
  /** When this entry stops being used (ms since the epoch): TTL or session expiry. */
  until: number;
}

/** Longer Cookie headers are not remembered (a bounded key). */
const MAX_KEY_LENGTH = 4096;

export interface SessionCacheOptions {
  /** How long an entry is used; 0 turns the cache off. */
  ttlMs: number;
  /** At most this many entries; the oldest goes first. */
  maxEntries: number;
  now?: () => number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: SessionCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.ttlMs > 0 && this.options.maxEntries > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** What was remembered for this Cookie header, if still valid. */
  get(cookie: string): CachedSession | null {
    const entry = this.entries.get(cookie);
    if (!entry) return null;
    if (entry.until <= this.now()) {
      this.entries.delete(cookie);
      return null;
    }
    return entry.value;
  }

  /** A token to pass to `set`: taken BEFORE the lookup whose answer is stored. */
  begin(): number {
    return this.generation;
  }

  /** Remembers a lookup's answer, unless something was forgotten since it began. */
  set(cookie: string, value: CachedSession, began: number): void {
    if (!this.enabled || began !== this.generation || cookie.length > MAX_KEY_LENGTH) return;
    const until = Math.min(this.now() + this.options.ttlMs, Date.parse(value.session.expiresAt));
    if (!(until > this.now())) return;
    this.entries.delete(cookie);
    this.entries.set(cookie, { value, until });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  /** Forgets every entry, and every lookup still under way. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /**
   * Runs a request that may end or change sessions (see `changesSessions`): forgets all
   * before it and again after it (whether it succeeded or not).
   */
  async around<T>(run: () => Promise<T>): Promise<T> {
    this.clear();
    try {
      return await run();
    } finally {
      this.clear();
    }
  }
}

/** Does this request to better-auth (under /api/auth) possibly end or change a session? */
export function changesSessions(method: string, pathname: string): boolean {
  const inAuth = pathname === '/api/auth' || pathname.startsWith('/api/auth/');
  return inAuth && method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/** The cache settings from the environment: SESSION_CACHE_SECONDS (default 30, 0: off). */
export function sessionCacheOptions(env: NodeJS.ProcessEnv = process.env): SessionCacheOptions {
  const raw = env.SESSION_CACHE_SECONDS?.trim();
  const seconds = raw === undefined || raw === '' ? 30 : Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
    throw new Error(
      `SESSION_CACHE_SECONDS must be a number of seconds from 0 (off) to 3600, not "${raw}".`,
    );
  }
  return { ttlMs: seconds * 1000, maxEntries: 10_000 };
}

let processCache: SessionCache | null = null;

/** This process's cache (the hooks and the account deletion share it). */
export function processSessionCache(): SessionCache {
  processCache ??= new SessionCache(sessionCacheOptions());
  return processCache;
}
