// Electronic payments against the local fake Stripe (tests/support/fake-stripe.ts), on PGlite
// and (with TEST_DATABASE_URL) PostgreSQL: connecting, a Checkout Session per sale, and the
// webhook's faults (docs/payments.md): delivered twice, out of order, before the device
// synced the sale, for an unknown sale, for another maker's sale, forged, a different
// amount, and Stripe answering 500 or never while a session is made.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { testDbKinds } from '$lib/server/db/testing';
import { checkoutPayments, stripeEvents } from '$lib/server/db/schema';
import { checkoutSettled } from '$lib/payments/contract';
import { addMember, createOrganisation, createUser, push } from '../sync/testing';
import { stripeConfigFromEnv } from './config';
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
import { apiError, usePaymentsServer, WEBHOOK_SECRET } from './testing';

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
  const h = usePaymentsServer(kind);

  it('[connect] a Standard account is made once per maker; status goes not connected → details needed → ready', async () => {
    const m = await h.maker();
    expect((await paymentsStatus(h.context, m.userId)).state).toBe('not-connected');
    const first = await startConnect(h.context, m.userId);
    const again = await startConnect(h.context, m.userId);
    expect(first.url).toContain('/onboarding/acct_');
    const made = h.fake.requests.filter((r) => r.path === '/v1/accounts' && r.method === 'POST');
    const mine = made.filter((r) => r.idempotencyKey === `kraam-account-${m.device.makerId}`);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.params.type).toBe('standard');
    expect(new URL(again.url).pathname).toBe(new URL(first.url).pathname);
    expect((await paymentsStatus(h.context, m.userId)).state).toBe('details-needed');

    const accountId = new URL(first.url).pathname.split('/').pop() ?? '';
    const older = h.fake.updateAccount(accountId, false);
    (older as { created: number }).created -= 60;
    expect(await h.fake.deliver(h.fake.updateAccount(accountId, true))).toBe(200);
    expect((await paymentsStatus(h.context, m.userId)).state).toBe('ready');
    // An older account.updated delivered late does not undo the newer one.
    expect(await h.fake.deliver(older)).toBe(200);
    expect((await paymentsStatus(h.context, m.userId)).state).toBe('ready');
    expect((await h.storedEvent(older.id))?.outcome).toBe('stale');
  });

  it('[connect] back from onboarding, a refresh asks Stripe (no webhook needed)', async () => {
    const m = await h.maker();
    const { url } = await startConnect(h.context, m.userId);
    const accountId = new URL(url).pathname.split('/').pop() ?? '';
    h.fake.updateAccount(accountId, true); // not delivered: the webhook is late
    expect((await refreshConnect(h.context, m.userId)).state).toBe('ready');
  });

  it('[authz] a helper cannot connect the maker’s account; an account with no stall cannot either', async () => {
    const m = await h.maker();
    const helper = await createUser(h.t.db, 'Helper');
    const org = await createOrganisation(h.t.db);
    await addMember(h.t.db, {
      userId: m.userId,
      organisationId: org,
      role: 'maker',
      makerId: m.device.makerId,
    });
    await addMember(h.t.db, {
      userId: helper,
      organisationId: org,
      role: 'helper',
      makerId: m.device.makerId,
    });
    const refused = await apiError(startConnect(h.context, helper));
    expect(refused.status === 403 || refused.status === 409).toBe(true);
    const nobody = await createUser(h.t.db, 'Nobody');
    expect((await apiError(startConnect(h.context, nobody))).code).toBe('no_stall');
  });

  it('[checkout] a session on the maker’s own account for exactly the sale, the sale id as client_reference_id and idempotency key', async () => {
    const m = await h.readyMaker();
    const request = h.checkoutRequest(m);
    const answer = await createCheckout(h.context, m.userId, request);
    expect(answer).toMatchObject({ saleId: request.saleId, state: 'open', amountCents: 1050 });
    const call = h.fake.requests.find(
      (r) => r.path === '/v1/checkout/sessions' && r.params.client_reference_id === request.saleId,
    );
    expect(call?.stripeAccount).toBe(m.accountId);
    expect(call?.idempotencyKey).toBe(`kraam-checkout-${request.saleId}`);
    const session = h.fake.sessionFor(request.saleId);
    expect(session?.amount_total).toBe(1050);
    expect(session?.line_items).toEqual([
      { name: 'Brood', description: 'Bakkerij Noor', unit_amount: 350, quantity: 3 },
    ]);
    expect(answer.url).toBe(session?.url);
    // Asked again (a lost answer): the same session, no second one.
    const again = await createCheckout(h.context, m.userId, request);
    expect(again.url).toBe(answer.url);
    expect(
      [...h.fake.sessions.values()].filter((s) => s.client_reference_id === request.saleId),
    ).toHaveLength(1);
  });

  it('[checkout] the server recomputes the amount: a total that does not match the lines is refused, nothing made', async () => {
    const m = await h.readyMaker();
    const request = { ...h.checkoutRequest(m), totalCents: 1 };
    const error = await apiError(createCheckout(h.context, m.userId, request));
    expect(error.status).toBe(422);
    expect(error.issues?.[0]?.path).toBe('totalCents');
    expect(h.fake.sessionFor(request.saleId)).toBeUndefined();
    const small = {
      ...h.checkoutRequest(m),
      lines: [{ ...h.checkoutRequest(m).lines[0]!, unitPriceCents: 10, quantity: 1 }],
      totalCents: 10,
    };
    expect((await apiError(createCheckout(h.context, m.userId, small))).status).toBe(422);
  });

  it('[checkout] a maker not connected (or not ready) cannot take card payments', async () => {
    const m = await h.maker();
    expect((await apiError(createCheckout(h.context, m.userId, h.checkoutRequest(m)))).code).toBe(
      'not_connected',
    );
    await startConnect(h.context, m.userId);
    expect((await apiError(createCheckout(h.context, m.userId, h.checkoutRequest(m)))).code).toBe(
      'not_connected',
    );
  });

  it('[fault] Stripe answering 500 while the session is made: 502, nothing stored; a retry makes exactly one session', async () => {
    const m = await h.readyMaker();
    const request = h.checkoutRequest(m);
    h.fake.fail('/v1/checkout/sessions', 'error500', 2); // the SDK's one retry fails too
    const error = await apiError(createCheckout(h.context, m.userId, request));
    expect(error.status).toBe(502);
    expect(error.code).toBe('stripe_unavailable');
    expect(
      await h.t.db
        .select()
        .from(checkoutPayments)
        .where(eq(checkoutPayments.saleId, request.saleId)),
    ).toEqual([]);
    const answer = await createCheckout(h.context, m.userId, request);
    expect(answer.state).toBe('open');
  });

  it('[fault] Stripe never answering while the session is made: 502 within the timeout, nothing stored', async () => {
    const m = await h.readyMaker();
    const request = h.checkoutRequest(m);
    h.fake.fail('/v1/checkout/sessions', 'hang', 2);
    const started = Date.now();
    const error = await apiError(createCheckout(h.context, m.userId, request));
    expect(error.status).toBe(502);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(
      await h.t.db
        .select()
        .from(checkoutPayments)
        .where(eq(checkoutPayments.saleId, request.saleId)),
    ).toEqual([]);
  });

  it('[webhook] completed: the payment is paid; delivered twice, the second is a no-op', async () => {
    const { userId, request, session } = await h.checkoutSale();
    const completed = h.fake.complete(session.id);
    expect(await h.fake.deliver(completed)).toBe(200);
    const paid = await checkoutStatus(h.context, userId, request.saleId);
    expect(paid).toMatchObject({
      state: 'paid',
      paidCents: 1050,
      amountMismatch: false,
      url: null,
    });
    expect(checkoutSettled(paid)).toBe(true);
    const again = await handleWebhook(
      h.context,
      JSON.stringify(completed),
      h.fake.sign(JSON.stringify(completed)),
    );
    expect(again.outcome).toBe('duplicate');
    expect(
      await h.t.db.select().from(stripeEvents).where(eq(stripeEvents.id, completed.id)),
    ).toHaveLength(1);
  });

  it('[webhook] out of order: expired after completed stays paid; completed after expired becomes paid', async () => {
    const a = await h.checkoutSale();
    const completedA = h.fake.complete(a.session.id);
    const expiredA = h.fake.event(
      'checkout.session.expired',
      { ...a.session, status: 'expired' },
      a.accountId,
    );
    await h.fake.deliver(completedA);
    await h.fake.deliver(expiredA);
    expect((await checkoutStatus(h.context, a.userId, a.request.saleId)).state).toBe('paid');

    const b = await h.checkoutSale();
    const expiredB = h.fake.event(
      'checkout.session.expired',
      { ...b.session, status: 'expired', payment_status: 'unpaid' },
      b.accountId,
    );
    const completedB = h.fake.complete(b.session.id);
    await h.fake.deliver(expiredB);
    expect((await checkoutStatus(h.context, b.userId, b.request.saleId)).state).toBe('expired');
    await h.fake.deliver(completedB);
    expect((await checkoutStatus(h.context, b.userId, b.request.saleId)).state).toBe('paid');
  });

  it('[webhook] a delayed method: completed unpaid is processing, then succeeded is paid or failed is failed', async () => {
    const a = await h.checkoutSale();
    await h.fake.deliver(h.fake.complete(a.session.id, { delayed: true }));
    expect((await checkoutStatus(h.context, a.userId, a.request.saleId)).state).toBe('processing');
    await h.fake.deliver(h.fake.asyncOutcome(a.session.id, true));
    expect((await checkoutStatus(h.context, a.userId, a.request.saleId)).state).toBe('paid');
    const b = await h.checkoutSale();
    await h.fake.deliver(h.fake.complete(b.session.id, { delayed: true }));
    await h.fake.deliver(h.fake.asyncOutcome(b.session.id, false));
    expect((await checkoutStatus(h.context, b.userId, b.request.saleId)).state).toBe('failed');
  });

  it('[webhook] before the device synced the sale: the payment is paid; the sale synced later is stored as paid by phone/card', async () => {
    const m = await h.checkoutSale();
    const { userId, device, request, session } = m;
    await h.fake.deliver(h.fake.complete(session.id));
    expect((await checkoutStatus(h.context, userId, request.saleId)).state).toBe('paid');
    const qrSale = h.phoneSale(m);
    const answer = await push(h.t.db, userId, device.request(device.queue(qrSale)));
    expect(answer.results.every((r) => r.status === 'applied')).toBe(true);
  });

  it('[webhook] for an unknown sale: stored once, changes nothing', async () => {
    const { accountId } = await h.readyMaker();
    const stranger = h.fake.event(
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
    expect(await h.fake.deliver(stranger)).toBe(200);
    expect((await h.storedEvent(stranger.id))?.outcome).toBe('unknown-sale');
  });

  it('[webhook] for another maker’s sale: an event from maker B’s account never touches maker A’s payment', async () => {
    const a = await h.checkoutSale();
    const b = await h.readyMaker();
    const forgedCompletion = h.fake.event(
      'checkout.session.completed',
      { ...a.session, status: 'complete', payment_status: 'paid' },
      b.accountId,
    );
    expect(await h.fake.deliver(forgedCompletion)).toBe(200);
    expect((await h.storedEvent(forgedCompletion.id))?.outcome).toBe('wrong-account');
    expect((await checkoutStatus(h.context, a.userId, a.request.saleId)).state).toBe('open');
  });

  it('[webhook] a forged signature is refused with 401 and nothing is stored', async () => {
    const { session, userId, request } = await h.checkoutSale();
    const completed = h.fake.complete(session.id);
    expect(await h.fake.deliver(completed, 'whsec_someone_else')).toBe(401);
    const body = JSON.stringify(completed);
    expect((await apiError(handleWebhook(h.context, body, null))).status).toBe(401);
    // A valid signature of another body does not cover this one.
    const tampered = body.replace('"amount_total":1050', '"amount_total":1');
    expect((await apiError(handleWebhook(h.context, tampered, h.fake.sign(body)))).status).toBe(
      401,
    );
    expect(await h.storedEvent(completed.id)).toBeUndefined();
    expect((await checkoutStatus(h.context, userId, request.saleId)).state).toBe('open');
  });

  it('[webhook] the platform endpoint’s secret is accepted too', async () => {
    const { session, userId, request } = await h.checkoutSale();
    expect(await h.fake.deliver(h.fake.complete(session.id), WEBHOOK_SECRET)).toBe(200);
    expect((await checkoutStatus(h.context, userId, request.saleId)).state).toBe('paid');
  });

  it('[webhook] a different amount paid is flagged: the till does not complete the sale', async () => {
    const { session, userId, request } = await h.checkoutSale();
    await h.fake.deliver(h.fake.complete(session.id, { amountTotal: 1049 }));
    const answer = await checkoutStatus(h.context, userId, request.saleId);
    expect(answer).toMatchObject({ state: 'paid', paidCents: 1049, amountMismatch: true });
    expect(checkoutSettled(answer)).toBe(false);
  });

  it('[cancel] the maker cancels: the session expires at Stripe; paid just before, the answer says paid', async () => {
    const a = await h.checkoutSale();
    expect((await cancelCheckout(h.context, a.userId, a.request.saleId)).state).toBe('expired');
    expect(h.fake.sessions.get(a.session.id)?.status).toBe('expired');
    const b = await h.checkoutSale();
    h.fake.complete(b.session.id); // paid at Stripe, webhook not here yet
    expect((await cancelCheckout(h.context, b.userId, b.request.saleId)).state).toBe('paid');
  });

  it('[authz] another maker can neither see, cancel nor reuse a maker’s payment', async () => {
    const a = await h.checkoutSale();
    const b = await h.readyMaker();
    expect((await apiError(checkoutStatus(h.context, b.userId, a.request.saleId))).status).toBe(
      404,
    );
    expect((await apiError(cancelCheckout(h.context, b.userId, a.request.saleId))).status).toBe(
      404,
    );
    const reuse = h.checkoutRequest(b, 3, a.request.saleId);
    expect((await apiError(createCheckout(h.context, b.userId, reuse))).code).toBe('sale_taken');
    expect(h.fake.sessions.get(a.session.id)?.status).toBe('open');
  });

  it('[off] without Stripe keys: status off, every payment action says cash only', async () => {
    const m = await h.maker();
    const off: PaymentsContext = { db: h.t.db, stripe: null, origin: 'http://kraam.test' };
    expect(await paymentsStatus(off, m.userId)).toEqual({ state: 'off', publishableKey: null });
    expect((await apiError(startConnect(off, m.userId))).code).toBe('payments_off');
    expect((await apiError(createCheckout(off, m.userId, h.checkoutRequest(m)))).code).toBe(
      'payments_off',
    );
    expect((await apiError(handleWebhook(off, '{}', 'x'))).status).toBe(404);
  });

  it('[reconcile] a lost webhook: a payment not heard of for a while is asked about at Stripe and becomes paid or expired; a recent one is left alone', async () => {
    const a = await h.checkoutSale();
    const b = await h.checkoutSale();
    const c = await h.checkoutSale();
    h.fake.complete(a.session.id); // paid at Stripe; the webhook is lost
    h.fake.expire(b.session.id); // expired at Stripe; the webhook is lost
    // c: still open at Stripe.
    const later = Date.now() + 10 * 60 * 1000;
    const report = await reconcileCheckouts({ ...h.context, now: () => later }, { limit: 1000 });
    expect(report.failed).toBe(0);
    expect((await checkoutStatus(h.context, a.userId, a.request.saleId)).state).toBe('paid');
    expect((await checkoutStatus(h.context, b.userId, b.request.saleId)).state).toBe('expired');
    expect((await checkoutStatus(h.context, c.userId, c.request.saleId)).state).toBe('open');
    // The webhook arriving late afterwards changes nothing.
    expect(await h.fake.deliver(h.fake.complete(a.session.id))).toBe(200);
    expect((await checkoutStatus(h.context, a.userId, a.request.saleId)).state).toBe('paid');
    // Not stale yet: not asked about.
    const d = await h.checkoutSale();
    h.fake.complete(d.session.id);
    await reconcileCheckouts(h.context);
    expect((await checkoutStatus(h.context, d.userId, d.request.saleId)).state).toBe('open');
  });

  it('[reconcile] Stripe failing during reconciliation leaves the payment as it was, to be asked again', async () => {
    const a = await h.checkoutSale();
    h.fake.complete(a.session.id);
    h.fake.fail('/v1/checkout/sessions', 'error500', 1000);
    const later = Date.now() + 10 * 60 * 1000;
    const report = await reconcileCheckouts({ ...h.context, now: () => later }, { limit: 1000 });
    expect(report.failed).toBeGreaterThan(0);
    expect((await checkoutStatus(h.context, a.userId, a.request.saleId)).state).toBe('open');
  });
});
