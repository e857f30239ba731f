// Fixtures for the sync specs: accounts, organisations, pushing and pulling as a device
// would, and a fingerprint of everything sync stores. Test code only.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { uuidv7 } from '$lib/domain/ids';
import type { MarketEvent } from '$lib/domain/types';
import { queryRows, type Db } from '$lib/server/db';
import { memberships, organisations, user, type Role } from '$lib/server/db/schema';
import type { Change, PullResponse, PushRequestOut, PushResponse } from '$lib/sync/protocol';
import { PROTOCOL_VERSION } from '$lib/sync/protocol';
import { RawDevice } from '$lib/sync/testing/factories';
import { handlePull } from './pull';
import { handlePush } from './push';

export async function createUser(db: Db, name = 'Maker'): Promise<string> {
  const id = uuidv7();
  await db.insert(user).values({ id, name, email: `${id}@example.test` });
  return id;
}

export async function createOrganisation(db: Db, name = 'Stichting Test'): Promise<string> {
  const [row] = await db.insert(organisations).values({ name }).returning({ id: organisations.id });
  if (!row) throw new Error('no organisation');
  return row.id;
}

export async function addMember(
  db: Db,
  member: { userId: string; organisationId: string; role: Role; makerId?: string | null },
): Promise<void> {
  await db.insert(memberships).values({ ...member, makerId: member.makerId ?? null });
}

/** A published event of an organisation, as the organiser's screens make it. */
export function orgEvent(organisationId: string): MarketEvent {
  return {
    id: uuidv7(),
    organisationId,
    seriesId: null,
    name: 'Voorjaarsbazaar',
    date: '2026-04-04',
    place: 'Plein',
    opensAt: null,
    closesAt: null,
    status: 'published',
    origin: 'server',
    createdAt: 1,
    updatedAt: 1,
  };
}

/** A door one side waits at (`wait`) until the other opens it (`open`): to order a race. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

export function push(
  db: Db,
  userId: string | null,
  request: PushRequestOut,
): Promise<PushResponse> {
  return handlePush(db, userId, JSON.parse(JSON.stringify(request)));
}

/** Pulls every page from `cursor` on; returns the changes and where it ended. */
export async function pullAll(
  db: Db,
  userId: string,
  deviceId: string,
  cursor: string | null = null,
  limit = 500,
): Promise<{ changes: Change[]; cursor: string | null; last: PullResponse }> {
  const changes: Change[] = [];
  for (let page = 0; page < 10_000; page++) {
    const last = await handlePull(db, userId, {
      protocol: PROTOCOL_VERSION,
      deviceId,
      cursor,
      limit,
    });
    changes.push(...last.changes);
    cursor = last.cursor;
    if (!last.hasMore) return { changes, cursor, last };
    // Held back by a transaction open elsewhere on the cluster (another test): wait a moment.
    if (last.changes.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the feed never ended');
}

/** Server-clock columns (they record when, not what) are left out of the fingerprint. */
const TABLES: { name: string; drop: string[] }[] = [
  { name: 'makers', drop: ['created_at'] },
  // highest_seq is what a device announced it made, not data it sent: kept even when a
  // push stops at a gap (that is how a lost device's gap is noticed, SPEC.md G3).
  { name: 'sync_devices', drop: ['created_at', 'last_push_at', 'highest_seq'] },
  { name: 'sync_mutations', drop: ['received_at'] },
  { name: 'events', drop: ['server_updated_at'] },
  { name: 'stalls', drop: [] },
  { name: 'stall_assignments', drop: [] },
  { name: 'products', drop: ['server_updated_at'] },
  { name: 'product_history', drop: ['changed_at'] },
  { name: 'sales', drop: ['received_at'] },
  { name: 'sale_lines', drop: [] },
  { name: 'refunds', drop: ['received_at'] },
  { name: 'refund_lines', drop: [] },
  { name: 'stock_movements', drop: ['received_at'] },
  { name: 'event_stock', drop: [] },
  { name: 'sync_changes', drop: ['created_at', 'txid'] },
  { name: 'memberships', drop: ['created_at'] },
];

/** A fingerprint of everything sync stores: equal fingerprints, equal data. */
export async function stateHash(db: Db): Promise<string> {
  const hash = createHash('sha256');
  for (const table of TABLES) {
    const rows = await queryRows<{ rows: string }>(
      db,
      sql.raw(
        `select coalesce(string_agg(r, E'\\n' order by r), '') as rows from ` +
          `(select (to_jsonb(t) - '{${table.drop.join(',')}}'::text[])::text as r from "${table.name}" t) s`,
      ),
    );
    hash.update(`${table.name}:${rows[0]?.rows ?? ''}\n`);
  }
  return hash.digest('hex');
}

export async function count(db: Db, table: string, where = 'true'): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql.raw(`select count(*)::int as n from "${table}" where ${where}`),
  );
  return rows[0]?.n ?? 0;
}

/**
 * A new maker whose device pushed an event, a product and `n` sales of it (the pull specs'
 * set-up): the maker's user id, the device, what it pushed and the sales' ids.
 */
export async function makerWithSales(db: Db, n: number) {
  const userId = await createUser(db);
  const device = new RawDevice();
  const product = device.product();
  const event = device.event();
  const saleMutations = Array.from({ length: n }, () => device.sale(event.id, [{ product }]));
  await push(
    db,
    userId,
    device.request(
      device.queue(device.eventUpsert(event), device.productUpsert(product), ...saleMutations),
    ),
  );
  return { userId, device, product, event, saleIds: saleMutations.map((m) => m.sale.id) };
}

/**
 * A maker's device whose first push set up an event and three products (P1-P3 at 1, 2 and 3
 * euros, 50 of each in stock), and its next sale of 2 of each, not yet pushed.
 */
export async function stallWithStockedSale(db: Db, userId: string) {
  const device = new RawDevice();
  const event = device.event();
  const products = [1, 2, 3].map((n) => device.product({ name: `P${n}`, priceCents: 100 * n }));
  const setup = await push(
    db,
    userId,
    device.request(
      device.queue(
        device.eventUpsert(event),
        ...products.map((p) => device.productUpsert(p)),
        ...products.map((p) => device.stock(event.id, p.id, 50, 'recount')),
      ),
      null,
    ),
  );
  const sale = device.sale(
    event.id,
    products.map((product) => ({ product, quantity: 2 })),
  );
  return { device, event, products, setup, sale };
}
