// The 24-hour path of the stall's payment link (docs/payments.md step 7; SPEC.md "Settling a
// payment on the link") on PGlite and (with TEST_DATABASE_URL) PostgreSQL, against the local
// fake Stripe: a payment never confirmed is settled by the maker (written off, or received
// another way); Stripe's webhook after the settlement, and before it; a second settlement of
// the same sale; another maker's sale; an unknown sale; hostile fields. Every order ends the
// same as the rule in src/lib/domain/link-settlement.ts says.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LINK_SETTLE_AFTER_MS } from '$lib/domain/link-payment';
import { uuidv7 } from '$lib/domain/ids';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { linkSettlements, stripeAccounts } from '$lib/server/db/schema';
import { ApiError } from '$lib/server/http';
import { RawDevice, type SaleRecord } from '$lib/sync/testing/factories';
import { LINK_SETTLEMENTS_FEATURE, PROTOCOL_VERSION, type Change } from '$lib/sync/protocol';
import type { Mutation } from '$lib/domain/types';
import { FakeStripe } from '../../../../tests/support/fake-stripe';
import { handlePull } from '../sync/pull';
import { createUser, push } from '../sync/testing';
import { createStripe, stripeConfigFromEnv } from './config';
import { ensurePaymentLink } from './link';
import { paymentSplits } from '../organiser/figures';
import { linkPaymentStandings } from './link-webhook';
import { startConnect, type PaymentsContext } from './service';
import { handleWebhook } from './webhook';

const WEBHOOK_SECRET = 'whsec_test_platform';
const CONNECT_SECRET = 'whsec_test_connect';

describe.each(testDbKinds())('settling a payment on the link (24-hour path) on %s', (kind) => {
  let t: TestDb;
  let fake: FakeStripe;
  let context: PaymentsContext;

  beforeAll(async () => {
    t = await createTestDb(kind);
    fake = new FakeStripe({
      webhookSecret: CONNECT_SECRET,
      deliver: async (body, signature) => {
        try {
          await handleWebhook(context, body, signature);
          return 200;
        } catch (error) {
          if (error instanceof ApiError) return error.status;
          throw error;
        }
      },
    });
    const base = await fake.start();
    const config = stripeConfigFromEnv({
      STRIPE_SECRET_KEY: 'sk_test_kraam',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_kraam',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
      STRIPE_API_BASE: base,
      STRIPE_TIMEOUT_MS: '400',
    });
    if (!config) throw new Error('no config');
    context = {
      db: t.db,
      stripe: { config, stripe: createStripe(config) },
      origin: 'http://kraam.test',
    };
  }, 120_000);
  afterAll(async () => {
    await fake?.stop();
    await t?.close();
  });
  afterEach(() => fake.clearFaults());

  /** A maker whose phone synced once and whose Stripe account is ready. */
  async function readyMaker() {
    const userId = await createUser(t.db);
    const device = new RawDevice();
    const product = device.product({ priceCents: 350 });
    const event = device.event();
    await push(
      t.db,
      userId,
      device.request(device.queue(device.eventUpsert(event), device.productUpsert(product))),
    );
    await startConnect(context, userId);
    const [row] = await t.db
      .select()
      .from(stripeAccounts)
      .where(eq(stripeAccounts.makerId, device.makerId));
    if (!row) throw new Error('no account row');
    expect(await fake.deliver(fake.updateAccount(row.accountId, true))).toBe(200);
    return { userId, device, product, event, accountId: row.accountId };
  }

  /** A maker with their link, and a sale of 3 × € 3,50 paid on it (not synced yet). */
  async function linkSale() {
    const m = await readyMaker();
    const link = await ensurePaymentLink(context, m.userId, { stallName: 'Bakkerij Noor' });
    const cash = m.device.sale(m.event.id, [{ product: m.product, quantity: 3 }]);
    const record: SaleRecord = {
      ...cash,
      sale: {
        ...cash.sale,
        payments: [
          {
            method: 'qr',
            amountCents: 1050,
            tenderedCents: null,
            changeCents: null,
            via: 'link',
          },
        ],
      },
    };
    return { ...m, link, record, saleId: record.sale.id };
  }

  const syncSale = async (m: Awaited<ReturnType<typeof linkSale>>) => {
    const answer = await push(t.db, m.userId, m.device.request(m.device.queue(m.record)));
    expect(answer.results.map((r) => r.status)).toEqual(['applied']);
  };
  /** Every page of the feed (on PostgreSQL a page can be held back by another test's transaction). */
  async function pullEvery(userId: string, deviceId: string, features?: string[]) {
    const changes: Change[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const answer = await handlePull(t.db, userId, {
        protocol: PROTOCOL_VERSION,
        deviceId,
        cursor,
        limit: 1000,
        ...(features ? { features } : {}),
      });
      changes.push(...answer.changes);
      cursor = answer.cursor;
      if (!answer.hasMore) return { changes };
      if (answer.changes.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the feed never ended');
  }
  const standing = async (m: { device: RawDevice }, saleId: string) =>
    (await linkPaymentStandings(t.db, m.device.makerId, [saleId])).get(saleId);
  const settledRows = async (saleId: string) =>
    t.db.select().from(linkSettlements).where(eq(linkSettlements.saleId, saleId));
  /** The maker settles, a day after the sale, from the phone that sold it (or `device`). */
  const settle = async (
    m: Awaited<ReturnType<typeof linkSale>>,
    overrides: Parameters<RawDevice['settlementOf']>[1] = {},
    device: RawDevice = m.device,
  ) => {
    const mutation = device.settlementOf(m.record, {
      at: m.record.sale.createdAt + LINK_SETTLE_AFTER_MS,
      ...overrides,
    });
    const answer = await push(t.db, m.userId, device.request(device.queue(mutation)));
    return { mutation, result: answer.results[0] };
  };
  const pay = (m: Awaited<ReturnType<typeof linkSale>>, amount = 1050) =>
    fake.deliver(fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount }));

  it('(fault: never, the 24-hour path) a payment never confirmed: the maker writes it off a day later; the server keeps it, awaiting no more', async () => {
    const m = await linkSale();
    await syncSale(m);
    expect(await standing(m, m.saleId)).toEqual({ state: 'awaiting', flag: null, method: null });
    const { mutation, result } = await settle(m, { note: 'Klant is weggelopen' });
    expect(result).toMatchObject({ status: 'applied' });
    expect(await standing(m, m.saleId)).toEqual({
      state: 'written_off',
      flag: null,
      method: null,
    });
    const rows = await settledRows(m.saleId);
    expect(rows.map((r) => [r.id, r.outcome, r.method, r.note, r.makerId])).toEqual([
      [mutation.settlement.id, 'written_off', null, 'Klant is weggelopen', m.device.makerId],
    ]);
  });

  it('(fault: never) received in cash after all: the part counts as cash on the server too', async () => {
    const m = await linkSale();
    await syncSale(m);
    const { result } = await settle(m, { outcome: 'received_other_way', method: 'cash' });
    expect(result?.status).toBe('applied');
    expect(await standing(m, m.saleId)).toEqual({
      state: 'received_other_way',
      flag: null,
      method: 'cash',
    });
  });

  it('[settle] the webhook after a write-off confirms the sale, flagged "paid after write-off"; after "received in cash", flagged "paid twice" (nothing refunded by itself)', async () => {
    const off = await linkSale();
    await syncSale(off);
    await settle(off);
    expect(await pay(off)).toBe(200);
    expect(await standing(off, off.saleId)).toEqual({
      state: 'confirmed',
      flag: 'paid_after_write_off',
      method: null,
    });
    const cash = await linkSale();
    await syncSale(cash);
    await settle(cash, { outcome: 'received_other_way', method: 'cash' });
    const refundsBefore = fake.requests.filter((r) => r.path.startsWith('/v1/refunds')).length;
    expect(await pay(cash)).toBe(200);
    expect(await standing(cash, cash.saleId)).toEqual({
      state: 'received_other_way',
      flag: 'paid_twice',
      method: 'cash',
    });
    expect(fake.requests.filter((r) => r.path.startsWith('/v1/refunds'))).toHaveLength(
      refundsBefore,
    );
  });

  it('[settle] the webhook before the settlement (the device did not know): the settlement is kept and both orders end the same', async () => {
    const first = await linkSale();
    await syncSale(first);
    expect(await pay(first)).toBe(200);
    expect((await settle(first)).result?.status).toBe('applied');
    const second = await linkSale();
    await syncSale(second);
    await settle(second);
    expect(await pay(second)).toBe(200);
    expect(await standing(first, first.saleId)).toEqual(await standing(second, second.saleId));
    expect(await standing(first, first.saleId)).toMatchObject({
      state: 'confirmed',
      flag: 'paid_after_write_off',
    });
  });

  it('[settle] a second settlement of the same sale (another phone of the maker): rejected with the reason, the first counts, the queue goes on', async () => {
    const m = await linkSale();
    await syncSale(m);
    const { mutation: first } = await settle(m);
    const phone = new RawDevice({ makerId: m.device.makerId });
    const later = phone.settlementOf(m.record, { outcome: 'received_other_way', method: 'cash' });
    const next = phone.stock(m.event.id, m.product.id, 5, 'restock');
    const answer = await push(t.db, m.userId, phone.request(phone.queue(later, next)));
    expect(answer.results.map((r) => r.status)).toEqual(['rejected', 'applied']);
    expect(answer.results[0]?.reason).toMatch(/already settled \(written off\)/);
    expect((await settledRows(m.saleId)).map((r) => r.id)).toEqual([first.settlement.id]);
    // The same settlement again is a duplicate, not a second row.
    const again = await push(t.db, m.userId, m.device.request(m.device.queue(first as Mutation)));
    expect(again.results.map((r) => r.status)).toEqual(['duplicate']);
    expect(await standing(m, m.saleId)).toMatchObject({ state: 'written_off' });
  });

  it('[settle] another maker’s sale is answered exactly like an unknown sale: rejected, nothing stored', async () => {
    const a = await linkSale();
    await syncSale(a);
    const b = await linkSale();
    const theirs = b.device.settlementOf(a.record);
    const answer = await push(t.db, b.userId, b.device.request(b.device.queue(theirs)));
    expect(answer.results[0]).toMatchObject({
      status: 'rejected',
      reason: `unknown sale ${a.saleId}`,
    });
    const unknown: SaleRecord = { ...b.record, sale: { ...b.record.sale, id: uuidv7() } };
    const none = await push(
      t.db,
      b.userId,
      b.device.request(b.device.queue(b.device.settlementOf(unknown))),
    );
    expect(none.results[0]).toMatchObject({
      status: 'rejected',
      reason: `unknown sale ${unknown.sale.id}`,
    });
    expect(await settledRows(a.saleId)).toEqual([]);
    expect(await standing(a, a.saleId)).toMatchObject({ state: 'awaiting' });
  });

  it('[G7] hostile settlements are rejected with the field named and never wedge the queue: NUL, broken UTF-16, 201 characters, a method on a write-off, none on "received", another device, a cash sale', async () => {
    const m = await linkSale();
    await syncSale(m);
    const cashSale = m.device.sale(m.event.id, [{ product: m.product, quantity: 1 }]);
    const other = new RawDevice({ makerId: m.device.makerId });
    const hostile: Mutation[] = [
      m.device.settlementOf(m.record, { note: 'a\u0000b' }),
      m.device.settlementOf(m.record, { note: 'a\ud800b' }),
      m.device.settlementOf(m.record, { note: 'x'.repeat(201) }),
      m.device.settlementOf(m.record, { method: 'cash' }),
      m.device.settlementOf(m.record, { outcome: 'received_other_way', method: null }),
      m.device.settlementOf(m.record, { deviceId: other.deviceId }),
      m.device.settlementOf(m.record, { at: 2 ** 53 }),
      cashSale,
      m.device.settlementOf(cashSale),
    ];
    const answer = await push(t.db, m.userId, m.device.request(m.device.queue(...hostile)));
    const statuses = answer.results.map((r) => r.status);
    expect(statuses).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'applied',
      'rejected',
    ]);
    expect(answer.results[2]?.reason).toMatch(/note/);
    expect(answer.results[3]?.reason).toMatch(/method/);
    expect(answer.results[5]?.reason).toMatch(/another device/);
    expect(answer.results[8]?.reason).toMatch(/not paid on the payment link/);
    expect(await settledRows(m.saleId)).toEqual([]);
    // Still settles normally afterwards.
    expect((await settle(m)).result?.status).toBe('applied');
  });

  it('[pull] the maker’s other phones that read link-settlements learn the settlement; an older app’s pull never meets it; another maker never', async () => {
    const m = await linkSale();
    await syncSale(m);
    const { mutation } = await settle(m, { outcome: 'received_other_way', method: 'other' });
    const phone = new RawDevice({ makerId: m.device.makerId });
    const now = await pullEvery(m.userId, phone.deviceId, [LINK_SETTLEMENTS_FEATURE]);
    const settled = now.changes.filter((c) => c.entity === 'link_settlement');
    expect(settled.map((c) => c.data)).toEqual([mutation.settlement]);
    const older = await pullEvery(m.userId, phone.deviceId);
    expect(older.changes.some((c) => c.entity === 'link_settlement')).toBe(false);
    const other = await readyMaker();
    const theirs = await pullEvery(other.userId, other.device.deviceId, [LINK_SETTLEMENTS_FEATURE]);
    expect(theirs.changes.some((c) => c.entity === 'link_settlement')).toBe(false);
  });

  it('[settle] a summary made on the server splits like the device: written off and received in cash leave awaiting (paymentSplits)', async () => {
    const m = await linkSale();
    await syncSale(m);
    const second = m.device.sale(m.event.id, [{ product: m.product, quantity: 1 }]);
    const cash: SaleRecord = {
      ...second,
      sale: {
        ...second.sale,
        payments: [
          { method: 'qr', amountCents: 350, tenderedCents: null, changeCents: null, via: 'link' },
        ],
      },
    };
    await push(t.db, m.userId, m.device.request(m.device.queue(cash)));
    const split = async () =>
      (await paymentSplits(t.db, [m.event.id])).get(m.event.id)?.get(m.device.makerId);
    const before = await split();
    expect(before?.phoneOrCard).toEqual({ count: 0, cents: 0 });
    expect(before?.awaiting).toEqual({ count: 2, cents: 1400 });
    await settle(m);
    const viaCash = m.device.settlementOf(cash, {
      outcome: 'received_other_way',
      method: 'cash',
    });
    await push(t.db, m.userId, m.device.request(m.device.queue(viaCash)));
    const after = await split();
    expect(after).toMatchObject({
      awaiting: { count: 0, cents: 0 },
      writtenOff: { count: 1, cents: 1050 },
      cash: { count: 1, cents: 350 },
      phoneOrCard: { count: 0, cents: 0 },
    });
  });
});
