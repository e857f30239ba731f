// Electronic payments against the local fake Stripe (tests/support/fake-stripe.ts), on PGlite
// and (with TEST_DATABASE_URL) PostgreSQL: connecting, a Checkout Session per sale, and the
// webhook's faults (docs/payments.md): delivered twice, out of order, before the device
// synced the sale, for an unknown sale, for another maker's sale, forged, a different
// amount, and Stripe answering 500 or never while a session is made.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { checkoutPayments, stripeAccounts, stripeEvents } from '$lib/server/db/schema';
import { ApiError } from '$lib/server/http';
import { RawDevice } from '$lib/sync/testing/factories';
import { checkoutSettled, type CheckoutRequest } from '$lib/payments/contract';
import { FakeStripe } from '../../../../tests/support/fake-stripe';
import { addMember, createOrganisation, createUser, push } from '../sync/testing';
import { createStripe, stripeConfigFromEnv, type StripeConfig } from './config';
import {
  cancelCheckout,
  checkoutStatus,
  createCheckout,
  paymentsStatus,
  refreshConnect,
  startConnect,
  type PaymentsContext,
} from './service';
import { handleWebhook } from './webhook';
import { reconcileCheckouts } from './reconcile';

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

describe('stripe configuration', () => {
  it('without STRIPE_SECRET_KEY payments are off (cash only)', () => {
    expect(stripeConfigFromEnv({})).toBeNull();
  });

  it('a secret key without the publishable key or a webhook secret is refused at start', () => {
    expect(() => stripeConfigFromEnv({ STRIPE_SECRET_KEY: 'sk_test_abc' })).toThrow(
      /STRIPE_PUBLISHABLE_KEY/,
    );
    expect(() =>
      stripeConfigFromEnv({
        STRIPE_SECRET_KEY: 'sk_test_abc',
        STRIPE_PUBLISHABLE_KEY: 'pk_test_abc',
      }),
    ).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => stripeConfigFromEnv({ STRIPE_SECRET_KEY: 'pk_test_abc' })).toThrow(
      /STRIPE_SECRET_KEY/,
    );
  });
});

describe.each(testDbKinds())('payments on %s', (kind) => {
  let t: TestDb;
  let fake: FakeStripe;
  let context: PaymentsContext;
  let config: StripeConfig;

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
    const parsed = stripeConfigFromEnv({
      STRIPE_SECRET_KEY: 'sk_test_kraam',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_kraam',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
      STRIPE_API_BASE: base,
      STRIPE_TIMEOUT_MS: '400',
    });
    if (!parsed) throw new Error('no config');
    config = parsed;
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

  /** A maker whose phone synced once (so the server knows the stall), with a product. */
  async function maker() {
    const userId = await createUser(t.db);
    const device = new RawDevice();
    const product = device.product({ priceCents: 350 });
    const event = device.event();
    await push(
      t.db,
      userId,
      device.request(device.queue(device.eventUpsert(event), device.productUpsert(product))),
    );
    return { userId, device, product, event };
  }

  /** A maker whose Stripe account is connected and ready. */
  async function readyMaker() {
    const m = await maker();
    await startConnect(context, m.userId);
    const [row] = await t.db
      .select()
      .from(stripeAccounts)
      .where(eq(stripeAccounts.makerId, m.device.makerId));
    if (!row) throw new Error('no account row');
    expect(await fake.deliver(fake.updateAccount(row.accountId, true))).toBe(200);
    return { ...m, accountId: row.accountId };
  }

  function checkoutRequest(
    m: { event: { id: string }; product: { id: string; name: string } },
    quantity = 3,
    saleId = uuidv7(),
  ): CheckoutRequest {
    return {
      saleId,
      eventId: m.event.id,
      stallName: 'Bakkerij Noor',
      lines: [
        {
          productId: m.product.id,
          name: m.product.name,
          unitPriceCents: 350,
          vatRate: 9,
          quantity,
          discount: { kind: 'none' },
        },
      ],
      cartDiscount: { kind: 'none' },
      totalCents: 350 * quantity,
    };
  }

  async function paidSale() {
    const m = await readyMaker();
    const request = checkoutRequest(m);
    const answer = await createCheckout(context, m.userId, request);
    const session = fake.sessionFor(request.saleId);
    if (!session) throw new Error('no session');
    return { ...m, request, answer, session };
  }

  const eventsStored = async (id: string) =>
    (await t.db.select().from(stripeEvents).where(eq(stripeEvents.id, id)))[0];

  it('[connect] a Standard account is made once per maker; status goes not connected → details needed → ready', async () => {
    const m = await maker();
    expect((await paymentsStatus(context, m.userId)).state).toBe('not-connected');
    const first = await startConnect(context, m.userId);
    const again = await startConnect(context, m.userId);
    expect(first.url).toContain('/onboarding/acct_');
    const made = fake.requests.filter((r) => r.path === '/v1/accounts' && r.method === 'POST');
    const mine = made.filter((r) => r.idempotencyKey === `kraam-account-${m.device.makerId}`);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.params.type).toBe('standard');
    expect(new URL(again.url).pathname).toBe(new URL(first.url).pathname);
    expect((await paymentsStatus(context, m.userId)).state).toBe('details-needed');

    const accountId = new URL(first.url).pathname.split('/').pop() ?? '';
    const older = fake.updateAccount(accountId, false);
    (older as { created: number }).created -= 60;
    expect(await fake.deliver(fake.updateAccount(accountId, true))).toBe(200);
    expect((await paymentsStatus(context, m.userId)).state).toBe('ready');
    // An older account.updated delivered late does not undo the newer one.
    expect(await fake.deliver(older)).toBe(200);
    expect((await paymentsStatus(context, m.userId)).state).toBe('ready');
    expect((await eventsStored(older.id))?.outcome).toBe('stale');
  });

  it('[connect] back from onboarding, a refresh asks Stripe (no webhook needed)', async () => {
    const m = await maker();
    const { url } = await startConnect(context, m.userId);
    const accountId = new URL(url).pathname.split('/').pop() ?? '';
    fake.updateAccount(accountId, true); // not delivered: the webhook is late
    expect((await refreshConnect(context, m.userId)).state).toBe('ready');
  });

  it('[authz] a helper cannot connect the maker’s account; an account with no stall cannot either', async () => {
    const m = await maker();
    const helper = await createUser(t.db, 'Helper');
    const org = await createOrganisation(t.db);
    await addMember(t.db, {
      userId: m.userId,
      organisationId: org,
      role: 'maker',
      makerId: m.device.makerId,
    });
    await addMember(t.db, {
      userId: helper,
      organisationId: org,
      role: 'helper',
      makerId: m.device.makerId,
    });
    const refused = await apiError(startConnect(context, helper));
    expect(refused.status === 403 || refused.status === 409).toBe(true);
    const nobody = await createUser(t.db, 'Nobody');
    expect((await apiError(startConnect(context, nobody))).code).toBe('no_stall');
  });

  it('[checkout] a session on the maker’s own account for exactly the sale, the sale id as client_reference_id and idempotency key', async () => {
    const m = await readyMaker();
    const request = checkoutRequest(m);
    const answer = await createCheckout(context, m.userId, request);
    expect(answer).toMatchObject({ saleId: request.saleId, state: 'open', amountCents: 1050 });
    const call = fake.requests.find(
      (r) => r.path === '/v1/checkout/sessions' && r.params.client_reference_id === request.saleId,
    );
    expect(call?.stripeAccount).toBe(m.accountId);
    expect(call?.idempotencyKey).toBe(`kraam-checkout-${request.saleId}`);
    const session = fake.sessionFor(request.saleId);
    expect(session?.amount_total).toBe(1050);
    expect(session?.line_items).toEqual([
      { name: 'Brood', description: 'Bakkerij Noor', unit_amount: 350, quantity: 3 },
    ]);
    expect(answer.url).toBe(session?.url);
    // Asked again (a lost answer): the same session, no second one.
    const again = await createCheckout(context, m.userId, request);
    expect(again.url).toBe(answer.url);
    expect(
      [...fake.sessions.values()].filter((s) => s.client_reference_id === request.saleId),
    ).toHaveLength(1);
  });

  it('[checkout] the server recomputes the amount: a total that does not match the lines is refused, nothing made', async () => {
    const m = await readyMaker();
    const request = { ...checkoutRequest(m), totalCents: 1 };
    const error = await apiError(createCheckout(context, m.userId, request));
    expect(error.status).toBe(422);
    expect(error.issues?.[0]?.path).toBe('totalCents');
    expect(fake.sessionFor(request.saleId)).toBeUndefined();
    const small = {
      ...checkoutRequest(m),
      lines: [{ ...checkoutRequest(m).lines[0]!, unitPriceCents: 10, quantity: 1 }],
      totalCents: 10,
    };
    expect((await apiError(createCheckout(context, m.userId, small))).status).toBe(422);
  });

  it('[checkout] a maker not connected (or not ready) cannot take card payments', async () => {
    const m = await maker();
    expect((await apiError(createCheckout(context, m.userId, checkoutRequest(m)))).code).toBe(
      'not_connected',
    );
    await startConnect(context, m.userId);
    expect((await apiError(createCheckout(context, m.userId, checkoutRequest(m)))).code).toBe(
      'not_connected',
    );
  });

  it('[fault] Stripe answering 500 while the session is made: 502, nothing stored; a retry makes exactly one session', async () => {
    const m = await readyMaker();
    const request = checkoutRequest(m);
    fake.fail('/v1/checkout/sessions', 'error500', 2); // the SDK's one retry fails too
    const error = await apiError(createCheckout(context, m.userId, request));
    expect(error.status).toBe(502);
    expect(error.code).toBe('stripe_unavailable');
    expect(
      await t.db.select().from(checkoutPayments).where(eq(checkoutPayments.saleId, request.saleId)),
    ).toEqual([]);
    const answer = await createCheckout(context, m.userId, request);
    expect(answer.state).toBe('open');
  });

  it('[fault] Stripe never answering while the session is made: 502 within the timeout, nothing stored', async () => {
    const m = await readyMaker();
    const request = checkoutRequest(m);
    fake.fail('/v1/checkout/sessions', 'hang', 2);
    const started = Date.now();
    const error = await apiError(createCheckout(context, m.userId, request));
    expect(error.status).toBe(502);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(
      await t.db.select().from(checkoutPayments).where(eq(checkoutPayments.saleId, request.saleId)),
    ).toEqual([]);
  });

  it('[webhook] completed: the payment is paid; delivered twice, the second is a no-op', async () => {
    const { userId, request, session } = await paidSale();
    const completed = fake.complete(session.id);
    expect(await fake.deliver(completed)).toBe(200);
    const paid = await checkoutStatus(context, userId, request.saleId);
    expect(paid).toMatchObject({
      state: 'paid',
      paidCents: 1050,
      amountMismatch: false,
      url: null,
    });
    expect(checkoutSettled(paid)).toBe(true);
    const again = await handleWebhook(
      context,
      JSON.stringify(completed),
      fake.sign(JSON.stringify(completed)),
    );
    expect(again.outcome).toBe('duplicate');
    expect(
      await t.db.select().from(stripeEvents).where(eq(stripeEvents.id, completed.id)),
    ).toHaveLength(1);
  });

  it('[webhook] out of order: expired after completed stays paid; completed after expired becomes paid', async () => {
    const a = await paidSale();
    const completedA = fake.complete(a.session.id);
    const expiredA = fake.event(
      'checkout.session.expired',
      { ...a.session, status: 'expired' },
      a.accountId,
    );
    await fake.deliver(completedA);
    await fake.deliver(expiredA);
    expect((await checkoutStatus(context, a.userId, a.request.saleId)).state).toBe('paid');

    const b = await paidSale();
    const expiredB = fake.event(
      'checkout.session.expired',
      { ...b.session, status: 'expired', payment_status: 'unpaid' },
      b.accountId,
    );
    const completedB = fake.complete(b.session.id);
    await fake.deliver(expiredB);
    expect((await checkoutStatus(context, b.userId, b.request.saleId)).state).toBe('expired');
    await fake.deliver(completedB);
    expect((await checkoutStatus(context, b.userId, b.request.saleId)).state).toBe('paid');
  });

  it('[webhook] a delayed method: completed unpaid is processing, then succeeded is paid or failed is failed', async () => {
    const a = await paidSale();
    await fake.deliver(fake.complete(a.session.id, { delayed: true }));
    expect((await checkoutStatus(context, a.userId, a.request.saleId)).state).toBe('processing');
    await fake.deliver(fake.asyncOutcome(a.session.id, true));
    expect((await checkoutStatus(context, a.userId, a.request.saleId)).state).toBe('paid');
    const b = await paidSale();
    await fake.deliver(fake.complete(b.session.id, { delayed: true }));
    await fake.deliver(fake.asyncOutcome(b.session.id, false));
    expect((await checkoutStatus(context, b.userId, b.request.saleId)).state).toBe('failed');
  });

  it('[webhook] before the device synced the sale: the payment is paid; the sale synced later is stored as paid by phone/card', async () => {
    const { userId, device, product, event, request, session } = await paidSale();
    await fake.deliver(fake.complete(session.id));
    expect((await checkoutStatus(context, userId, request.saleId)).state).toBe('paid');
    const cash = device.sale(event.id, [{ product, quantity: 3 }]);
    const id = request.saleId;
    const qrSale = {
      ...cash,
      sale: {
        ...cash.sale,
        id,
        payments: [
          { method: 'qr' as const, amountCents: 1050, tenderedCents: null, changeCents: null },
        ],
      },
      lines: cash.lines.map((l) => ({ ...l, saleId: id })),
      movements: cash.movements.map((mv) => ({ ...mv, saleId: id })),
    };
    const answer = await push(t.db, userId, device.request(device.queue(qrSale)));
    expect(answer.results.every((r) => r.status === 'applied')).toBe(true);
  });

  it('[webhook] for an unknown sale: stored once, changes nothing', async () => {
    const { accountId } = await readyMaker();
    const stranger = fake.event(
      'checkout.session.completed',
      {
        id: 'cs_test_unknown',
        object: 'checkout.session',
        client_reference_id: uuidv7(),
        payment_status: 'paid',
        amount_total: 100,
        currency: 'eur',
      },
      accountId,
    );
    expect(await fake.deliver(stranger)).toBe(200);
    expect((await eventsStored(stranger.id))?.outcome).toBe('unknown-sale');
  });

  it('[webhook] for another maker’s sale: an event from maker B’s account never touches maker A’s payment', async () => {
    const a = await paidSale();
    const b = await readyMaker();
    const forgedCompletion = fake.event(
      'checkout.session.completed',
      { ...a.session, status: 'complete', payment_status: 'paid' },
      b.accountId,
    );
    expect(await fake.deliver(forgedCompletion)).toBe(200);
    expect((await eventsStored(forgedCompletion.id))?.outcome).toBe('wrong-account');
    expect((await checkoutStatus(context, a.userId, a.request.saleId)).state).toBe('open');
  });

  it('[webhook] a forged signature is refused with 401 and nothing is stored', async () => {
    const { session, userId, request } = await paidSale();
    const completed = fake.complete(session.id);
    expect(await fake.deliver(completed, 'whsec_someone_else')).toBe(401);
    const body = JSON.stringify(completed);
    expect((await apiError(handleWebhook(context, body, null))).status).toBe(401);
    // A valid signature of another body does not cover this one.
    const tampered = body.replace('"amount_total":1050', '"amount_total":1');
    expect((await apiError(handleWebhook(context, tampered, fake.sign(body)))).status).toBe(401);
    expect(await eventsStored(completed.id)).toBeUndefined();
    expect((await checkoutStatus(context, userId, request.saleId)).state).toBe('open');
  });

  it('[webhook] the platform endpoint’s secret is accepted too', async () => {
    const { session, userId, request } = await paidSale();
    expect(await fake.deliver(fake.complete(session.id), WEBHOOK_SECRET)).toBe(200);
    expect((await checkoutStatus(context, userId, request.saleId)).state).toBe('paid');
  });

  it('[webhook] a different amount paid is flagged: the till does not complete the sale', async () => {
    const { session, userId, request } = await paidSale();
    await fake.deliver(fake.complete(session.id, { amountTotal: 1049 }));
    const answer = await checkoutStatus(context, userId, request.saleId);
    expect(answer).toMatchObject({ state: 'paid', paidCents: 1049, amountMismatch: true });
    expect(checkoutSettled(answer)).toBe(false);
  });

  it('[cancel] the maker cancels: the session expires at Stripe; paid just before, the answer says paid', async () => {
    const a = await paidSale();
    expect((await cancelCheckout(context, a.userId, a.request.saleId)).state).toBe('expired');
    expect(fake.sessions.get(a.session.id)?.status).toBe('expired');
    const b = await paidSale();
    fake.complete(b.session.id); // paid at Stripe, webhook not here yet
    expect((await cancelCheckout(context, b.userId, b.request.saleId)).state).toBe('paid');
  });

  it('[authz] another maker can neither see, cancel nor reuse a maker’s payment', async () => {
    const a = await paidSale();
    const b = await readyMaker();
    expect((await apiError(checkoutStatus(context, b.userId, a.request.saleId))).status).toBe(404);
    expect((await apiError(cancelCheckout(context, b.userId, a.request.saleId))).status).toBe(404);
    const reuse = checkoutRequest(b, 3, a.request.saleId);
    expect((await apiError(createCheckout(context, b.userId, reuse))).code).toBe('sale_taken');
    expect(fake.sessions.get(a.session.id)?.status).toBe('open');
  });

  it('[off] without Stripe keys: status off, every payment action says cash only', async () => {
    const m = await maker();
    const off: PaymentsContext = { db: t.db, stripe: null, origin: 'http://kraam.test' };
    expect(await paymentsStatus(off, m.userId)).toEqual({ state: 'off', publishableKey: null });
    expect((await apiError(startConnect(off, m.userId))).code).toBe('payments_off');
    expect((await apiError(createCheckout(off, m.userId, checkoutRequest(m)))).code).toBe(
      'payments_off',
    );
    expect((await apiError(handleWebhook(off, '{}', 'x'))).status).toBe(404);
  });

  it('[reconcile] a lost webhook: a payment not heard of for a while is asked about at Stripe and becomes paid or expired; a recent one is left alone', async () => {
    const a = await paidSale();
    const b = await paidSale();
    const c = await paidSale();
    fake.complete(a.session.id); // paid at Stripe; the webhook is lost
    fake.expire(b.session.id); // expired at Stripe; the webhook is lost
    // c: still open at Stripe.
    const later = Date.now() + 10 * 60 * 1000;
    const report = await reconcileCheckouts({ ...context, now: () => later }, { limit: 1000 });
    expect(report.failed).toBe(0);
    expect((await checkoutStatus(context, a.userId, a.request.saleId)).state).toBe('paid');
    expect((await checkoutStatus(context, b.userId, b.request.saleId)).state).toBe('expired');
    expect((await checkoutStatus(context, c.userId, c.request.saleId)).state).toBe('open');
    // The webhook arriving late afterwards changes nothing.
    expect(await fake.deliver(fake.complete(a.session.id))).toBe(200);
    expect((await checkoutStatus(context, a.userId, a.request.saleId)).state).toBe('paid');
    // Not stale yet: not asked about.
    const d = await paidSale();
    fake.complete(d.session.id);
    await reconcileCheckouts(context);
    expect((await checkoutStatus(context, d.userId, d.request.saleId)).state).toBe('open');
  });

  it('[reconcile] Stripe failing during reconciliation leaves the payment as it was, to be asked again', async () => {
    const a = await paidSale();
    fake.complete(a.session.id);
    fake.fail('/v1/checkout/sessions', 'error500', 1000);
    const later = Date.now() + 10 * 60 * 1000;
    const report = await reconcileCheckouts({ ...context, now: () => later }, { limit: 1000 });
    expect(report.failed).toBeGreaterThan(0);
    expect((await checkoutStatus(context, a.userId, a.request.saleId)).state).toBe('open');
  });
});
