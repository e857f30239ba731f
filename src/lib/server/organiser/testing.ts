// Fixtures for the organiser specs: an organisation with an organiser and makers, events
// with dates that are always in the future, and makers selling through real sync pushes.
// Test code only.
import { eq } from 'drizzle-orm';
import { uuidv7 } from '$lib/domain/ids';
import type { Membership } from '$lib/server/accounts';
import type { Db } from '$lib/server/db';
import { memberships, makers as makerTable } from '$lib/server/db/schema';
import { addMember, createOrganisation, createUser, push } from '$lib/server/sync/testing';
import { RawDevice } from '$lib/sync/testing/factories';
import type { Change } from '$lib/sync/protocol';
import { readChanges } from '$lib/server/sync/change-feed';
import { createEvent, changeEventStatus } from './events';
import { createStall } from './stall-map';
import type { CreateEventBody } from '$lib/organiser/contract';

/** A date `days` from now (YYYY-MM-DD, UTC), so "date in the past" never bites a test. */
export function futureDate(days = 30): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export interface TestMaker {
  userId: string;
  makerId: string;
  membership: Membership;
}

export interface TestOrganisation {
  organisationId: string;
  organiser: Membership;
  makers: TestMaker[];
}

export async function organisationWithMakers(
  db: Db,
  makerCount: number,
  name = 'Stichting Test',
): Promise<TestOrganisation> {
  const organisationId = await createOrganisation(db, name);
  const organiserId = await createUser(db, 'Organiser');
  await addMember(db, { userId: organiserId, organisationId, role: 'organiser' });
  const makers: TestMaker[] = [];
  for (let i = 0; i < makerCount; i++) {
    const userId = await createUser(db, `Maker ${i + 1}`);
    const makerId = uuidv7();
    await db.insert(makerTable).values({ id: makerId, ownerUserId: userId });
    await addMember(db, { userId, organisationId, role: 'maker', makerId });
    makers.push({ userId, makerId, membership: await membershipOf(db, userId, name) });
  }
  return {
    organisationId,
    organiser: await membershipOf(db, organiserId, name),
    makers,
  };
}

export async function membershipOf(db: Db, userId: string, name = ''): Promise<Membership> {
  const [row] = await db.select().from(memberships).where(eq(memberships.userId, userId));
  if (!row) throw new Error(`no membership for ${userId}`);
  return {
    id: row.id,
    userId: row.userId,
    organisationId: row.organisationId,
    organisationName: name,
    role: row.role,
    makerId: row.makerId,
  };
}

export const DETAILS = {
  name: 'Pop-up Bazaar',
  opensAt: '11:00',
  closesAt: '17:00',
  place: 'Damplein 1, Leidschendam',
  description: 'Makers uit de buurt.',
} as const;

export async function draftEvent(
  db: Db,
  organisationId: string,
  overrides: Partial<CreateEventBody> = {},
) {
  return createEvent(db, organisationId, { ...DETAILS, date: futureDate(), ...overrides });
}

/** A published event with `stallCount` 1x1 stalls in a row (labels 1, 2, 3 …). */
export async function publishedEvent(
  db: Db,
  organisationId: string,
  stallCount: number,
  overrides: Partial<CreateEventBody> = {},
) {
  const event = await draftEvent(db, organisationId, overrides);
  const stalls = [];
  for (let i = 0; i < stallCount; i++) {
    stalls.push(await createStall(db, organisationId, event.id, { x: i * 2, y: 0 }));
  }
  await changeEventStatus(db, organisationId, event.id, 'published');
  return { event, stalls };
}

/** Sells `amounts` (cents, one sale each) for the maker at the event, through a real push. */
export async function sell(
  db: Db,
  maker: TestMaker,
  eventId: string,
  amounts: readonly number[],
  now?: () => number,
): Promise<void> {
  const device = new RawDevice({ makerId: maker.makerId, ...(now ? { now } : {}) });
  const mutations = [];
  for (const cents of amounts) {
    const product = device.product({ priceCents: cents, name: `Item ${cents}` });
    mutations.push(device.productUpsert(product), device.sale(eventId, [{ product }]));
  }
  const answer = await push(db, maker.userId, device.request(device.queue(...mutations)));
  const rejected = answer.results.filter((r) => r.status === 'rejected');
  if (rejected.length > 0) throw new Error(`push rejected: ${JSON.stringify(rejected)}`);
}

/**
 * Every change in the feed a scope may see, read to the end. Other tests share the PostgreSQL
 * cluster (and so its snapshot horizon): a transaction open elsewhere holds changes back for a
 * moment (`hasMore` with a short page, src/lib/sync/SPEC.md "The cursor rule"), so this reads
 * on until nothing is held back, as a device does.
 */
export async function feedFor(
  db: Db,
  scope: { makerIds?: string[]; organisationIds?: string[] },
): Promise<Change[]> {
  const feedScope = {
    makerIds: scope.makerIds ?? [],
    organisationIds: scope.organisationIds ?? [],
  };
  const changes: Change[] = [];
  let from = { txid: '0', id: '0' };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const page = await readChanges(db, feedScope, from, 10_000);
    changes.push(...page.changes);
    from = page.next;
    if (!page.hasMore) return changes;
    if (Date.now() > deadline) throw new Error('the feed was still held back after 30 s');
    if (page.changes.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
