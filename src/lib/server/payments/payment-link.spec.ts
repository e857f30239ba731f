// The stall's payment link (docs/payments.md, "Offline: the stall's payment link") against
// the local fake Stripe, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: the link made once
// per maker, Stripe failing while it is made, and the webhook of a payment on it matched to
// the maker's sale in either order, twice, out of order, never, for an unknown sale, for
// another maker's sale, from another account, forged, and with a different amount.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { linkPayments, paymentLinks, stripeAccounts, stripeEvents } from '$lib/server/db/schema';
import { ApiError } from '$lib/server/http';
import { RawDevice, type SaleRecord } from '$lib/sync/testing/factories';
import { PAYMENT_LINKS_FEATURE, PROTOCOL_VERSION, type Change } from '$lib/sync/protocol';
import { FakeStripe } from '../../../../tests/support/fake-stripe';
import { handlePull } from '../sync/pull';
import { createUser, push } from '../sync/testing';
import { createStripe, stripeConfigFromEnv } from './config';
import { ensurePaymentLink } from './link';
import { linkPaymentOutcomes } from './link-webhook';
import { reconcileLinkPayments } from './reconcile-link';
import { paymentsStatus, startConnect, type PaymentsContext } from './service';
import { handleWebhook } from './webhook';

const WEBHOOK_SECRET = 'whsec_test_platform';
const CONNECT_SECRET = 'whsec_test_connect';

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe.each(testDbKinds())('the stall’s payment link on %s', (kind) => {
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
  const outcome = async (m: { device: RawDevice }, saleId: string) =>
    (await linkPaymentOutcomes(t.db, m.device.makerId, [saleId])).get(saleId);
  const eventStored = async (id: string) =>
    (await t.db.select().from(stripeEvents).where(eq(stripeEvents.id, id)))[0];
  const sessionsOf = async (saleId: string) =>
    t.db.select().from(linkPayments).where(eq(linkPayments.saleId, saleId));

  it('[link] one reusable link per maker on their own account: a product, a price the customer types, the link; asked again, the same link', async () => {
    const m = await readyMaker();
    const before = fake.requests.length;
    const link = await ensurePaymentLink(context, m.userId, { stallName: 'Bakkerij Noor' });
    expect(link.url).toMatch(/\/link\/plink_/);
    const made = fake.requests.slice(before);
    expect(made.map((r) => r.path)).toEqual(['/v1/products', '/v1/prices', '/v1/payment_links']);
    expect(made.every((r) => r.stripeAccount === m.accountId)).toBe(true);
    expect(made.every((r) => r.idempotencyKey?.includes(m.device.makerId))).toBe(true);
    expect(made[1]?.params).toMatchObject({
      currency: 'eur',
      custom_unit_amount: { enabled: 'true', minimum: '50', maximum: '99999999' },
    });
    const again = await ensurePaymentLink(context, m.userId, { stallName: 'Bakkerij Noor' });
    expect(again).toEqual(link);
    expect(fake.requests.length).toBe(before + 3);
  });

  it('[link][status] GET /api/payments names the link the server keeps for the stall (null before it is made), so the till asks for the link only when it keeps another or none', async () => {
    const m = await readyMaker();
    expect(await paymentsStatus(context, m.userId)).toMatchObject({
      state: 'ready',
      linkId: null,
    });
    const link = await ensurePaymentLink(context, m.userId, { stallName: 'Bakkerij Noor' });
    expect(await paymentsStatus(context, m.userId)).toMatchObject({
      state: 'ready',
      linkId: link.linkId,
    });
    // Another maker sees their own (none yet), never this one's; signed out: no link named.
    const other = await readyMaker();
    expect((await paymentsStatus(context, other.userId)).linkId).toBeNull();
    expect((await paymentsStatus(context, null)).linkId).toBeUndefined();
  });

  it('[link] a maker whose account is not ready, or a server without Stripe, gets no link', async () => {
    const userId = await createUser(t.db);
    const device = new RawDevice();
    await push(t.db, userId, device.request(device.queue(device.eventUpsert(device.event()))));
    expect((await apiError(ensurePaymentLink(context, userId, { stallName: 'X' }))).code).toBe(
      'not_connected',
    );
    const off = { ...context, stripe: null };
    expect((await apiError(ensurePaymentLink(off, userId, { stallName: 'X' }))).code).toBe(
      'payments_off',
    );
  });

  it('[fault] Stripe answering 500 while the link is made: 502, nothing stored; a retry makes exactly one link', async () => {
    const m = await readyMaker();
    fake.fail('/v1/prices', 'error500', 2);
    const error = await apiError(ensurePaymentLink(context, m.userId, { stallName: 'Kraam' }));
    expect([error.status, error.code]).toEqual([502, 'stripe_unavailable']);
    expect(
      await t.db.select().from(paymentLinks).where(eq(paymentLinks.makerId, m.device.makerId)),
    ).toEqual([]);
    const links = () => [...fake.paymentLinks.values()].filter((l) => l.account === m.accountId);
    expect(links()).toHaveLength(0);
    const link = await ensurePaymentLink(context, m.userId, { stallName: 'Kraam' });
    expect(links().map((l) => l.id)).toEqual([link.linkId]);
    // The product made before the failure was reused (idempotency key), not made twice.
    expect([...fake.products.values()].filter((p) => p.account === m.accountId)).toHaveLength(1);
  });

  it('[fault] Stripe never answering while the link is made: 502 within the timeout, nothing stored', async () => {
    const m = await readyMaker();
    fake.fail('/v1/payment_links', 'hang', 2);
    const started = Date.now();
    const error = await apiError(ensurePaymentLink(context, m.userId, { stallName: 'Kraam' }));
    expect(error.status).toBe(502);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(
      await t.db.select().from(paymentLinks).where(eq(paymentLinks.makerId, m.device.makerId)),
    ).toEqual([]);
  });

  it('[webhook] a payment on the link after the sale synced: the sale is confirmed', async () => {
    const m = await linkSale();
    await syncSale(m);
    expect(await outcome(m, m.saleId)).toBe('awaiting');
    const paid = fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1050 });
    expect(await fake.deliver(paid)).toBe(200);
    expect((await eventStored(paid.id))?.outcome).toBe('applied');
    expect(await outcome(m, m.saleId)).toBe('confirmed');
  });

  it('[webhook] before the device synced the sale: stored; the sale synced later is confirmed (both orders end the same)', async () => {
    const m = await linkSale();
    expect(
      await fake.deliver(
        fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1050 }),
      ),
    ).toBe(200);
    expect(await sessionsOf(m.saleId)).toHaveLength(1);
    expect(await outcome(m, m.saleId)).toBeUndefined();
    await syncSale(m);
    expect(await outcome(m, m.saleId)).toBe('confirmed');
  });

  it('[webhook] delivered twice: the second is a no-op; out of order, a late unpaid completion never undoes the paid one', async () => {
    const m = await linkSale();
    await syncSale(m);
    const delayed = fake.payLink(m.link.linkId, {
      clientReferenceId: m.saleId,
      amount: 1050,
      delayed: true,
    });
    const session = delayed.data.object as { id: string };
    const succeeded = fake.asyncOutcome(session.id, true);
    expect(await fake.deliver(succeeded)).toBe(200);
    expect(await fake.deliver(succeeded)).toBe(200);
    expect(await fake.deliver(delayed)).toBe(200);
    expect((await sessionsOf(m.saleId)).map((s) => s.status)).toEqual(['paid']);
    expect(await outcome(m, m.saleId)).toBe('confirmed');
    const stored = await t.db.select().from(stripeEvents).where(eq(stripeEvents.id, succeeded.id));
    expect(stored).toHaveLength(1);
  });

  it('[webhook] never delivered: the sale stays awaiting confirmation (the 24-hour path)', async () => {
    const m = await linkSale();
    await syncSale(m);
    expect(await outcome(m, m.saleId)).toBe('awaiting');
  });

  it('[webhook] a different amount paid is flagged amount_mismatch, never confirmed', async () => {
    const m = await linkSale();
    await syncSale(m);
    await fake.deliver(fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1049 }));
    expect(await outcome(m, m.saleId)).toBe('amount_mismatch');
    const other = await linkSale();
    await syncSale(other);
    await fake.deliver(
      fake.payLink(other.link.linkId, {
        clientReferenceId: other.saleId,
        amount: 1050,
        currency: 'usd',
      }),
    );
    expect(await outcome(other, other.saleId)).toBe('amount_mismatch');
  });

  it('[webhook] for an unknown sale id, or none: stored once, and no sale changes', async () => {
    const m = await linkSale();
    await syncSale(m);
    const unknown = uuidv7();
    const stray = fake.payLink(m.link.linkId, { clientReferenceId: unknown, amount: 500 });
    expect(await fake.deliver(stray)).toBe(200);
    expect(await fake.deliver(stray)).toBe(200);
    expect(await sessionsOf(unknown)).toHaveLength(1);
    const bare = fake.payLink(m.link.linkId, {
      clientReferenceId: 'not-a-sale\u0000',
      amount: 500,
    });
    expect(await fake.deliver(bare)).toBe(200);
    const [row] = await t.db
      .select()
      .from(linkPayments)
      .where(eq(linkPayments.sessionId, (bare.data.object as { id: string }).id));
    expect(row?.saleId).toBeNull();
    expect(await outcome(m, m.saleId)).toBe('awaiting');
  });

  it('[webhook] for another maker’s sale: a payment on maker A’s link naming maker B’s sale never confirms B’s sale', async () => {
    const a = await linkSale();
    const b = await linkSale();
    await syncSale(b);
    await fake.deliver(fake.payLink(a.link.linkId, { clientReferenceId: b.saleId, amount: 1050 }));
    expect(await outcome(b, b.saleId)).toBe('awaiting');
    expect(await outcome(a, b.saleId)).toBeUndefined();
  });

  it('[webhook] an event from maker B’s account naming maker A’s link is refused as wrong-account, nothing stored', async () => {
    const a = await linkSale();
    const b = await readyMaker();
    await syncSale(a);
    const real = fake.payLink(a.link.linkId, { clientReferenceId: a.saleId, amount: 1050 });
    const forged = fake.event('checkout.session.completed', real.data.object, b.accountId);
    expect(await fake.deliver(forged)).toBe(200);
    expect((await eventStored(forged.id))?.outcome).toBe('wrong-account');
    expect(await sessionsOf(a.saleId)).toHaveLength(0);
    expect(await outcome(a, a.saleId)).toBe('awaiting');
  });

  it('[webhook] a forged signature is refused with 401 and nothing is stored', async () => {
    const m = await linkSale();
    await syncSale(m);
    const paid = fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1050 });
    expect(await fake.deliver(paid, 'whsec_someone_else')).toBe(401);
    expect(await eventStored(paid.id)).toBeUndefined();
    expect(await sessionsOf(m.saleId)).toHaveLength(0);
  });

  it('[pull] the maker’s devices that read payment-links learn the outcome; an older app’s pull never meets it', async () => {
    const m = await linkSale();
    await syncSale(m);
    await fake.deliver(fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1050 }));
    const pull = (features?: string[]) => pullEvery(m.userId, m.device.deviceId, features);
    const now = await pull([PAYMENT_LINKS_FEATURE]);
    const records = now.changes.filter((c) => c.entity === 'link_payment');
    expect(records).toHaveLength(1);
    expect(records[0]?.data).toMatchObject({
      saleId: m.saleId,
      paidCents: 1050,
      currency: 'eur',
      status: 'paid',
    });
    const older = await pull();
    expect(older.changes.some((c) => c.entity === 'link_payment')).toBe(false);
    // Another maker's devices never see it.
    const other = await readyMaker();
    const theirs = await pullEvery(other.userId, other.device.deviceId, [PAYMENT_LINKS_FEATURE]);
    expect(theirs.changes.some((c) => c.entity === 'link_payment')).toBe(false);
  });

  it('[reconcile] a lost webhook: a sale awaiting confirmation is looked for among the link’s sessions at Stripe and confirmed; a recent one is left alone', async () => {
    const m = await linkSale();
    await syncSale(m);
    // The customer paid, but Stripe's webhook never arrived.
    fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1050 });
    const before = fake.requests.length;
    await reconcileLinkPayments(context, { staleAfterMs: 60_000 });
    expect(fake.requests.slice(before).some((r) => r.path === '/v1/checkout/sessions')).toBe(false);
    expect(await outcome(m, m.saleId)).toBe('awaiting');
    const report = await reconcileLinkPayments(context, { staleAfterMs: -60_000 });
    expect(report.found).toBeGreaterThanOrEqual(1);
    const asked = fake.requests
      .slice(before)
      .filter((r) => r.path === '/v1/checkout/sessions' && r.stripeAccount === m.accountId);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      method: 'GET',
      params: { payment_link: m.link.linkId, status: 'complete' },
    });
    expect(await outcome(m, m.saleId)).toBe('confirmed');
  });

  it('[reconcile] Stripe failing during reconciliation leaves the sale awaiting, to be asked again', async () => {
    const m = await linkSale();
    await syncSale(m);
    fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1050 });
    fake.fail('/v1/checkout/sessions', 'error500', 100);
    const report = await reconcileLinkPayments(context, { staleAfterMs: -60_000 });
    expect(report.failed).toBeGreaterThanOrEqual(1);
    expect(await outcome(m, m.saleId)).toBe('awaiting');
    fake.clearFaults();
    await reconcileLinkPayments(context, { staleAfterMs: -60_000 });
    expect(await outcome(m, m.saleId)).toBe('confirmed');
  });
});
