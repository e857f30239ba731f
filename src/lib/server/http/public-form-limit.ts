// Rate limit of the public forms (a maker's application to an event): like the sign-in limit
// (src/lib/server/auth/sign-in-limit.ts) it is kept in the database, so it holds across
// restarts and several server processes. Each request is counted BEFORE its input is read
// (a burst sent at once gets no more than one sent slowly), per form and client address, in
// a fixed window: one atomic UPSERT starts a new window when the old one is over, otherwise
// adds one. Beyond `max` in a window: 429 with Retry-After until the window ends.
import { lt, sql } from 'drizzle-orm';
import type { Db } from '../db/types';
import { publicFormAttempts } from '../db/schema';
import { ApiError } from './errors';

export interface FormLimit {
  max: number;
  windowSeconds: number;
}

/** Applications: 10 per quarter hour per address (a person fixing typos stays well below). */
export const APPLICATION_LIMIT: FormLimit = { max: 10, windowSeconds: 15 * 60 };

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * Counts one request of `form` from `address` and throws 429 when it is one too many.
 * A request without a known address shares one bucket with every other such request.
 */
export async function countFormRequest(
  db: Db,
  form: string,
  address: string | null,
  now = new Date(),
  limit: FormLimit = APPLICATION_LIMIT,
): Promise<void> {
  const key = `${form}:${(address ?? 'unknown').slice(0, 100)}`;
  const windowStart = new Date(now.getTime() - limit.windowSeconds * 1000);
  const [row] = await db
    .insert(publicFormAttempts)
    .values({ key, count: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: publicFormAttempts.key,
      set: {
        count: sql`case when ${publicFormAttempts.windowStartedAt} <= ${at(windowStart)} then 1
          else ${publicFormAttempts.count} + 1 end`,
        windowStartedAt: sql`case when ${publicFormAttempts.windowStartedAt} <= ${at(windowStart)}
          then ${at(now)} else ${publicFormAttempts.windowStartedAt} end`,
      },
    })
    .returning({
      count: publicFormAttempts.count,
      windowStartedAt: publicFormAttempts.windowStartedAt,
    });
  // Forget windows that are over (the table holds one quarter hour's addresses at most).
  await db.delete(publicFormAttempts).where(lt(publicFormAttempts.windowStartedAt, windowStart));
  if (!row || row.count <= limit.max) return;
  const seconds = Math.max(
    1,
    Math.ceil((row.windowStartedAt.getTime() + limit.windowSeconds * 1000 - now.getTime()) / 1000),
  );
  const minutes = Math.ceil(seconds / 60);
  throw new ApiError(
    429,
    'rate_limited',
    `Too many requests from your address: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    undefined,
    { 'retry-after': String(seconds) },
  );
}
