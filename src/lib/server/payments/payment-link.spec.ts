// The stall's payment link (docs/payments.md, "Offline: the stall's payment link") against
// the local fake Stripe, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: the link made once
// per maker, Stripe failing while it is made, and the webhook of a payment on it matched to
// the maker's sale in either order, twice, out of order, never, for an unknown sale, for
// another maker's sale, from another account, forged, and with a different amount.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { testDbKinds } from '$lib/server/db/testing';
import { linkPayments, paymentLinks, stripeEvents } from '$lib/server/db/schema';
import { RawDevice } from '$lib/sync/testing/factories';
import { PAYMENT_LINKS_FEATURE } from '$lib/sync/protocol';
import { createUser, push } from '../sync/testing';
import { ensurePaymentLink } from './link';
import { linkPaymentOutcomes } from './link-webhook';
import { reconcileLinkPayments } from './reconcile-link';
import { paymentsStatus } from './service';
import { apiError, usePaymentsServer } from './testing';

describe.each(testDbKinds())('the stall’s payment link on %s', (kind) => {
  const h = usePaymentsServer(kind);

  const outcome = async (m: { device: RawDevice }, saleId: string) =>
    (await linkPaymentOutcomes(h.t.db, m.device.makerId, [saleId])).get(saleId);
  const sessionsOf = async (saleId: string) =>
    h.t.db.select().from(linkPayments).where(eq(linkPayments.saleId, saleId));

  it('[link] one reusable link per maker on their own account: a product, a price the customer types, the link; asked again, the same link', async () => {
    const m = await h.readyMaker();
    const before = h.fake.requests.length;
    const link = await ensurePaymentLink(h.context, m.userId, { stallName: 'Bakkerij Noor' });
    expect(link.url).toMatch(/\/link\/plink_/);
    const made = h.fake.requests.slice(before);
    expect(made.map((r) => r.path)).toEqual(['/v1/products', '/v1/prices', '/v1/payment_links']);
    expect(made.every((r) => r.stripeAccount === m.accountId)).toBe(true);
    expect(made.every((r) => r.idempotencyKey?.includes(m.device.makerId))).toBe(true);
    expect(made[1]?.params).toMatchObject({
      currency: 'eur',
      custom_unit_amount: { enabled: 'true', minimum: '50', maximum: '99999999' },
    });
    const again = await ensurePaymentLink(h.context, m.userId, { stallName: 'Bakkerij Noor' });
    expect(again).toEqual(link);
    expect(h.fake.requests.length).toBe(before + 3);
  });

  it('[link][status] GET /api/payments names the link the server keeps for the stall (null before it is made), so the till asks for the link only when it keeps another or none', async () => {
    const m = await h.readyMaker();
    expect(await paymentsStatus(h.context, m.userId)).toMatchObject({
      state: 'ready',
      linkId: null,
    });
    const link = await ensurePaymentLink(h.context, m.userId, { stallName: 'Bakkerij Noor' });
    expect(await paymentsStatus(h.context, m.userId)).toMatchObject({
      state: 'ready',
      linkId: link.linkId,
    });
    // Another maker sees their own (none yet), never this one's; signed out: no link named.
    const other = await h.readyMaker();
    expect((await paymentsStatus(h.context, other.userId)).linkId).toBeNull();
    expect((await paymentsStatus(h.context, null)).linkId).toBeUndefined();
  });

  it('[link] a maker whose account is not ready, or a server without Stripe, gets no link', async () => {
    const userId = await createUser(h.t.db);
    const device = new RawDevice();
    await push(h.t.db, userId, device.request(device.queue(device.eventUpsert(device.event()))));
    expect((await apiError(ensurePaymentLink(h.context, userId, { stallName: 'X' }))).code).toBe(
      'not_connected',
    );
    const off = { ...h.context, stripe: null };
    expect((await apiError(ensurePaymentLink(off, userId, { stallName: 'X' }))).code).toBe(
      'payments_off',
    );
  });

  it('[fault] Stripe answering 500 while the link is made: 502, nothing stored; a retry makes exactly one link', async () => {
    const m = await h.readyMaker();
    h.fake.fail('/v1/prices', 'error500', 2);
    const error = await apiError(ensurePaymentLink(h.context, m.userId, { stallName: 'Kraam' }));
    expect([error.status, error.code]).toEqual([502, 'stripe_unavailable']);
    expect(
      await h.t.db.select().from(paymentLinks).where(eq(paymentLinks.makerId, m.device.makerId)),
    ).toEqual([]);
    const links = () => [...h.fake.paymentLinks.values()].filter((l) => l.account === m.accountId);
    expect(links()).toHaveLength(0);
    const link = await ensurePaymentLink(h.context, m.userId, { stallName: 'Kraam' });
    expect(links().map((l) => l.id)).toEqual([link.linkId]);
    // The product made before the failure was reused (idempotency key), not made twice.
    expect([...h.fake.products.values()].filter((p) => p.account === m.accountId)).toHaveLength(1);
  });

  it('[fault] Stripe never answering while the link is made: 502 within the timeout, nothing stored', async () => {
    const m = await h.readyMaker();
    h.fake.fail('/v1/payment_links', 'hang', 2);
    const started = Date.now();
    const error = await apiError(ensurePaymentLink(h.context, m.userId, { stallName: 'Kraam' }));
    expect(error.status).toBe(502);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(
      await h.t.db.select().from(paymentLinks).where(eq(paymentLinks.makerId, m.device.makerId)),
    ).toEqual([]);
  });

  it('[webhook] a payment on the link after the sale synced: the sale is confirmed', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    expect(await outcome(m, m.saleId)).toBe('awaiting');
    const paid = h.fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1050 });
    expect(await h.fake.deliver(paid)).toBe(200);
    expect((await h.storedEvent(paid.id))?.outcome).toBe('applied');
    expect(await outcome(m, m.saleId)).toBe('confirmed');
  });

  it('[webhook] before the device synced the sale: stored; the sale synced later is confirmed (both orders end the same)', async () => {
    const m = await h.linkSale();
    expect(
      await h.fake.deliver(
        h.fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1050 }),
      ),
    ).toBe(200);
    expect(await sessionsOf(m.saleId)).toHaveLength(1);
    expect(await outcome(m, m.saleId)).toBeUndefined();
    await h.syncSale(m);
    expect(await outcome(m, m.saleId)).toBe('confirmed');
  });

  it('[webhook] delivered twice: the second is a no-op; out of order, a late unpaid completion never undoes the paid one', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    const delayed = h.fake.payLink(m.link.linkId, {
      clientReferenceId: m.saleId,
      amount: 1050,
      delayed: true,
    });
    const session = delayed.data.object as { id: string };
    const succeeded = h.fake.asyncOutcome(session.id, true);
    expect(await h.fake.deliver(succeeded)).toBe(200);
    expect(await h.fake.deliver(succeeded)).toBe(200);
    expect(await h.fake.deliver(delayed)).toBe(200);
    expect((await sessionsOf(m.saleId)).map((s) => s.status)).toEqual(['paid']);
    expect(await outcome(m, m.saleId)).toBe('confirmed');
    const stored = await h.t.db
      .select()
      .from(stripeEvents)
      .where(eq(stripeEvents.id, succeeded.id));
    expect(stored).toHaveLength(1);
  });

  it('[webhook] never delivered: the sale stays awaiting confirmation (the 24-hour path)', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    expect(await outcome(m, m.saleId)).toBe('awaiting');
  });

  it('[webhook] a different amount paid is flagged amount_mismatch, never confirmed', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    await h.fake.deliver(
      h.fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1049 }),
    );
    expect(await outcome(m, m.saleId)).toBe('amount_mismatch');
    const other = await h.linkSale();
    await h.syncSale(other);
    await h.fake.deliver(
      h.fake.payLink(other.link.linkId, {
        clientReferenceId: other.saleId,
        amount: 1050,
        currency: 'usd',
      }),
    );
    expect(await outcome(other, other.saleId)).toBe('amount_mismatch');
  });

  it('[webhook] for an unknown sale id, or none: stored once, and no sale changes', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    const unknown = uuidv7();
    const stray = h.fake.payLink(m.link.linkId, { clientReferenceId: unknown, amount: 500 });
    expect(await h.fake.deliver(stray)).toBe(200);
    expect(await h.fake.deliver(stray)).toBe(200);
    expect(await sessionsOf(unknown)).toHaveLength(1);
    const bare = h.fake.payLink(m.link.linkId, {
      clientReferenceId: 'not-a-sale\u0000',
      amount: 500,
    });
    expect(await h.fake.deliver(bare)).toBe(200);
    const [row] = await h.t.db
      .select()
      .from(linkPayments)
      .where(eq(linkPayments.sessionId, (bare.data.object as { id: string }).id));
    expect(row?.saleId).toBeNull();
    expect(await outcome(m, m.saleId)).toBe('awaiting');
  });

  it('[webhook] for another maker’s sale: a payment on maker A’s link naming maker B’s sale never confirms B’s sale', async () => {
    const a = await h.linkSale();
    const b = await h.linkSale();
    await h.syncSale(b);
    await h.fake.deliver(
      h.fake.payLink(a.link.linkId, { clientReferenceId: b.saleId, amount: 1050 }),
    );
    expect(await outcome(b, b.saleId)).toBe('awaiting');
    expect(await outcome(a, b.saleId)).toBeUndefined();
  });

  it('[webhook] an event from maker B’s account naming maker A’s link is refused as wrong-account, nothing stored', async () => {
    const a = await h.linkSale();
    const b = await h.readyMaker();
    await h.syncSale(a);
    const real = h.fake.payLink(a.link.linkId, { clientReferenceId: a.saleId, amount: 1050 });
    const forged = h.fake.event('checkout.session.completed', real.data.object, b.accountId);
    expect(await h.fake.deliver(forged)).toBe(200);
    expect((await h.storedEvent(forged.id))?.outcome).toBe('wrong-account');
    expect(await sessionsOf(a.saleId)).toHaveLength(0);
    expect(await outcome(a, a.saleId)).toBe('awaiting');
  });

  it('[webhook] a forged signature is refused with 401 and nothing is stored', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    const paid = h.fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1050 });
    expect(await h.fake.deliver(paid, 'whsec_someone_else')).toBe(401);
    expect(await h.storedEvent(paid.id)).toBeUndefined();
    expect(await sessionsOf(m.saleId)).toHaveLength(0);
  });

  it('[pull] the maker’s devices that read payment-links learn the outcome; an older app’s pull never meets it', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    await h.fake.deliver(
      h.fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1050 }),
    );
    const pull = (features?: string[]) => h.pullEvery(m.userId, m.device.deviceId, features);
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
    const other = await h.readyMaker();
    const theirs = await h.pullEvery(other.userId, other.device.deviceId, [PAYMENT_LINKS_FEATURE]);
    expect(theirs.changes.some((c) => c.entity === 'link_payment')).toBe(false);
  });

  it('[reconcile] a lost webhook: a sale awaiting confirmation is looked for among the link’s sessions at Stripe and confirmed; a recent one is left alone', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    // The customer paid, but Stripe's webhook never arrived.
    h.fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1050 });
    const before = h.fake.requests.length;
    await reconcileLinkPayments(h.context, { staleAfterMs: 60_000 });
    expect(h.fake.requests.slice(before).some((r) => r.path === '/v1/checkout/sessions')).toBe(
      false,
    );
    expect(await outcome(m, m.saleId)).toBe('awaiting');
    const report = await reconcileLinkPayments(h.context, { staleAfterMs: -60_000 });
    expect(report.found).toBeGreaterThanOrEqual(1);
    const asked = h.fake.requests
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
    const m = await h.linkSale();
    await h.syncSale(m);
    h.fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount: 1050 });
    h.fake.fail('/v1/checkout/sessions', 'error500', 100);
    const report = await reconcileLinkPayments(h.context, { staleAfterMs: -60_000 });
    expect(report.failed).toBeGreaterThanOrEqual(1);
    expect(await outcome(m, m.saleId)).toBe('awaiting');
    h.fake.clearFaults();
    await reconcileLinkPayments(h.context, { staleAfterMs: -60_000 });
    expect(await outcome(m, m.saleId)).toBe('confirmed');
  });
});
