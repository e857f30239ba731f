// Refunds of payments by phone or card through Stripe's Refund API (docs/payments.md
// "Refunds"), against the local fake Stripe, on PGlite and (with TEST_DATABASE_URL)
// PostgreSQL: a refund pushed twice, Stripe answering 500 or never, the charge.refunded
// webhook before and after the device's refund, for another maker's charge, forged, more than
// was paid, and hostile refund fields.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import type { Mutation } from '$lib/domain/types';
import { openDatabase } from '$lib/server/db/open';
import { testDbKinds } from '$lib/server/db/testing';
import { newHolder, releaseLease, takeLease } from '$lib/server/jobs/lease';
import { electronicRefunds, refunds, stripeEvents } from '$lib/server/db/schema';
import { RawDevice } from '$lib/sync/testing/factories';
import { PROTOCOL_VERSION, type Change } from '$lib/sync/protocol';
import { handlePull } from '../sync/pull';
import { createUser, push } from '../sync/testing';
import { dashboardRefundId, nudgeRefunds, REFUNDS_JOB, sendPendingRefunds } from './refunds';
import { usePaymentsServer } from './testing';

type RefundRecord = Extract<Mutation, { type: 'refund.record' }>;

describe.each(testDbKinds())('refunds by phone/card on %s', (kind) => {
  /** The job's clock: the real one, moved on by later(). */
  let offset = 0;
  const h = usePaymentsServer(kind, { now: () => Date.now() + offset });
  afterEach(() => {
    h.fake.refundStatus = 'succeeded';
  });

  /** Lets the retry job's clock move on (past any backoff and lease). */
  const later = (ms = 2 * 60 * 60_000) => {
    offset += ms;
  };

  /** A ready maker whose customer paid a sale of 3 × € 3,50 by phone, synced from the till. */
  async function paidAndSynced() {
    const m = await h.checkoutSale();
    const { userId, device, accountId, session } = m;
    expect(await h.fake.deliver(h.fake.complete(session.id))).toBe(200);
    const sale = h.phoneSale(m);
    const answer = await push(h.t.db, userId, device.request(device.queue(sale)));
    expect(answer.results.map((r) => r.status)).toEqual(['applied']);
    return {
      userId,
      device,
      sale,
      accountId,
      intent: session.payment_intent ?? '',
    };
  }

  async function pushOne(userId: string, device: RawDevice, mutation: Mutation) {
    const answer = await push(h.t.db, userId, device.request(device.queue(mutation)));
    return answer.results[0];
  }

  const refundRequests = (refundId: string) =>
    h.fake.requests.filter(
      (r) => r.path === '/v1/refunds' && r.idempotencyKey === `kraam-refund-${refundId}`,
    );
  const rowOf = async (refundId: string) =>
    (
      await h.t.db.select().from(electronicRefunds).where(eq(electronicRefunds.refundId, refundId))
    )[0];

  /** Every refund and refund status the maker's devices pull (paging past held-back rows). */
  async function statusChanges(userId: string): Promise<Change[]> {
    const { changes } = await h.pullEvery(userId, uuidv7(), ['refunds', 'refund-status']);
    return changes.filter((c) => c.entity === 'refund_status' || c.entity === 'refund');
  }

  it('[refund] a partial refund of a sale paid by phone/card goes to Stripe after the push committed, on the maker’s account, idempotent by the refund’s id; pushed twice, one Stripe refund', async () => {
    const m = await paidAndSynced();
    const refund: RefundRecord = m.device.refundOf(m.sale, [{ position: 0, quantity: 1 }]);
    expect((await pushOne(m.userId, m.device, refund))?.status).toBe('applied');
    // Nothing is asked of Stripe inside the push: the row waits, pending.
    expect(refundRequests(refund.refund.id)).toHaveLength(0);
    expect((await rowOf(refund.refund.id))?.status).toBe('pending');

    await sendPendingRefunds(h.context);
    const [call] = refundRequests(refund.refund.id);
    expect(call?.stripeAccount).toBe(m.accountId);
    expect(call?.params).toMatchObject({
      payment_intent: m.intent,
      amount: '350',
      metadata: { kraam_refund_id: refund.refund.id, kraam_sale_id: m.sale.sale.id },
    });
    expect(h.fake.refundsOf(m.intent).map((r) => r.amount)).toEqual([350]);
    expect(await rowOf(refund.refund.id)).toMatchObject({ status: 'refunded', amountCents: 350 });

    // The same mutation again (a lost answer): a duplicate, and no second refund at Stripe.
    const again = await push(
      h.t.db,
      m.userId,
      m.device.request([{ seq: m.device.seq, mutation: refund }]),
    );
    expect(again.results[0]?.status).toBe('duplicate');
    later();
    await sendPendingRefunds(h.context);
    expect(h.fake.refundsOf(m.intent)).toHaveLength(1);

    // Every device of the maker learns the outcome (pull feature 'refund-status').
    const changes = await statusChanges(m.userId);
    const last = changes.filter((c) => c.entity === 'refund_status').at(-1);
    expect(last?.data).toEqual({
      refundId: refund.refund.id,
      saleId: m.sale.sale.id,
      state: 'refunded',
      amountCents: 350,
      reason: null,
      origin: 'device',
      recordId: null,
    });
    // An app that does not read it never meets it.
    const old = await handlePull(h.t.db, m.userId, {
      protocol: PROTOCOL_VERSION,
      deviceId: uuidv7(),
      cursor: null,
      limit: 1000,
      features: ['refunds'],
    });
    expect(old.changes.some((c) => c.entity === 'refund_status')).toBe(false);
  });

  it('[fault] Stripe answering 500: the refund stays pending; the job tries again later and refunds exactly once', async () => {
    const m = await paidAndSynced();
    const refund = m.device.refundOf(m.sale, 'all');
    await pushOne(m.userId, m.device, refund);
    h.fake.fail('/v1/refunds', 'error500', 2); // the SDK's one retry fails too
    const first = await sendPendingRefunds(h.context);
    expect(first.pending).toBe(1);
    expect(await rowOf(refund.refund.id)).toMatchObject({ status: 'pending', attempts: 1 });
    // Not due yet: the job leaves it alone.
    await sendPendingRefunds(h.context);
    expect(refundRequests(refund.refund.id)).toHaveLength(2);
    later();
    await sendPendingRefunds(h.context);
    expect(await rowOf(refund.refund.id)).toMatchObject({ status: 'refunded', attempts: 2 });
    expect(h.fake.refundsOf(m.intent).map((r) => r.amount)).toEqual([1050]);
  });

  it('[fault] Stripe never answering: pending within the timeout; the retry refunds once', async () => {
    const m = await paidAndSynced();
    const refund = m.device.refundOf(m.sale, [{ position: 0, quantity: 2 }]);
    await pushOne(m.userId, m.device, refund);
    h.fake.fail('/v1/refunds', 'hang', 2);
    const started = Date.now();
    await sendPendingRefunds(h.context);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await rowOf(refund.refund.id))?.status).toBe('pending');
    later();
    await sendPendingRefunds(h.context);
    expect((await rowOf(refund.refund.id))?.status).toBe('refunded');
    expect(h.fake.refundsOf(m.intent).map((r) => r.amount)).toEqual([700]);
  });

  it('[refund] two runs of the job at once send a refund once (one attempt at a time)', async () => {
    const m = await paidAndSynced();
    const refund = m.device.refundOf(m.sale, 'all');
    await pushOne(m.userId, m.device, refund);
    await Promise.all([sendPendingRefunds(h.context), sendPendingRefunds(h.context)]);
    expect(refundRequests(refund.refund.id)).toHaveLength(1);
    expect(h.fake.refundsOf(m.intent)).toHaveLength(1);
  });

  it('[webhook] charge.refunded after the device’s refund was sent: the same refund, never recorded twice', async () => {
    const m = await paidAndSynced();
    const refund = m.device.refundOf(m.sale, [{ position: 0, quantity: 1 }]);
    await pushOne(m.userId, m.device, refund);
    h.fake.refundStatus = 'pending';
    await sendPendingRefunds(h.context);
    expect((await rowOf(refund.refund.id))?.status).toBe('pending');
    const [made] = h.fake.refundsOf(m.intent);
    if (!made) throw new Error('no refund at Stripe');
    made.status = 'succeeded';
    const event = h.fake.chargeRefunded(m.intent);
    expect(await h.fake.deliver(event)).toBe(200);
    expect(await rowOf(refund.refund.id)).toMatchObject({
      status: 'refunded',
      stripeRefundId: made.id,
    });
    // Delivered twice: a no-op.
    expect(await h.fake.deliver(event)).toBe(200);
    const rows = await h.t.db
      .select()
      .from(electronicRefunds)
      .where(eq(electronicRefunds.saleId, m.sale.sale.id));
    expect(rows).toHaveLength(1);
    expect(
      await h.t.db.select().from(refunds).where(eq(refunds.saleId, m.sale.sale.id)),
    ).toHaveLength(1);
  });

  it('[webhook] charge.refunded before the device’s refund (the whole sale refunded in the dashboard): one refund record the devices pull; the till’s own refund of it later is refused and nothing is sent twice', async () => {
    const m = await paidAndSynced();
    const { refund: made, event } = h.fake.dashboardRefund(m.intent, 1050);
    expect(await h.fake.deliver(event)).toBe(200);
    expect(await h.fake.deliver(h.fake.chargeRefunded(m.intent))).toBe(200); // told again
    const id = dashboardRefundId(made.id);
    const stored = await h.t.db.select().from(refunds).where(eq(refunds.saleId, m.sale.sale.id));
    expect(stored.map((r) => [r.id, r.totalCents, r.method])).toEqual([[id, 1050, 'qr']]);
    const changes = await statusChanges(m.userId);
    expect(changes.filter((c) => c.entity === 'refund').map((c) => c.data)).toEqual([
      expect.objectContaining({ refund: expect.objectContaining({ id, totalCents: 1050 }) }),
    ]);
    expect(changes.filter((c) => c.entity === 'refund_status').at(-1)?.data).toMatchObject({
      refundId: id,
      state: 'refunded',
      origin: 'dashboard',
      recordId: id,
    });
    const own = m.device.refundOf(m.sale, 'all');
    expect(await pushOne(m.userId, m.device, own)).toMatchObject({
      status: 'rejected',
      reason: 'the refund is more than remains of the sale',
    });
    await sendPendingRefunds(h.context);
    expect(h.fake.refundsOf(m.intent)).toHaveLength(1);
  });

  it('[webhook] a partial refund in the dashboard stays money only; the till’s refund of that amount is matched to it, not sent again', async () => {
    const m = await paidAndSynced();
    const { refund: made, event } = h.fake.dashboardRefund(m.intent, 350);
    expect(await h.fake.deliver(event)).toBe(200);
    const dashboard = await rowOf(dashboardRefundId(made.id));
    expect(dashboard).toMatchObject({ origin: 'dashboard', recordId: null, amountCents: 350 });
    const own = m.device.refundOf(m.sale, [{ position: 0, quantity: 1 }]);
    await pushOne(m.userId, m.device, own);
    await sendPendingRefunds(h.context);
    expect(refundRequests(own.refund.id)).toHaveLength(0);
    expect((await rowOf(own.refund.id))?.status).toBe('refunded');
    expect((await rowOf(dashboardRefundId(made.id)))?.matchedRefundId).toBe(own.refund.id);
    expect(h.fake.refundsOf(m.intent)).toHaveLength(1);
  });

  it('[refund] more than was paid by phone/card is refused with a clear message, and nothing is sent', async () => {
    const m = await paidAndSynced();
    const { event } = h.fake.dashboardRefund(m.intent, 500);
    await h.fake.deliver(event);
    const own = m.device.refundOf(m.sale, 'all');
    await pushOne(m.userId, m.device, own);
    const report = await sendPendingRefunds(h.context);
    expect(report.failed).toBe(1);
    const row = await rowOf(own.refund.id);
    expect(row?.status).toBe('failed');
    expect(row?.failureReason).toMatch(/More than was paid by phone or card: 1050 cents paid, 500/);
    expect(refundRequests(own.refund.id)).toHaveLength(0);
    const last = (await statusChanges(m.userId)).filter((c) => c.entity === 'refund_status').at(-1);
    expect(last?.data).toMatchObject({ refundId: own.refund.id, state: 'failed' });
  });

  it('[webhook] a refund Stripe reports failed later (refund.updated) is failed with Stripe’s reason on every device', async () => {
    const m = await paidAndSynced();
    const own = m.device.refundOf(m.sale, 'all');
    await pushOne(m.userId, m.device, own);
    await sendPendingRefunds(h.context);
    const [made] = h.fake.refundsOf(m.intent);
    if (!made) throw new Error('no refund');
    expect(
      await h.fake.deliver(h.fake.updateRefund(made.id, 'failed', 'expired_or_canceled_card')),
    ).toBe(200);
    expect(await rowOf(own.refund.id)).toMatchObject({
      status: 'failed',
      failureReason: 'Stripe: expired_or_canceled_card',
    });
    // An older "succeeded" delivered late does not undo it.
    await h.fake.deliver(
      h.fake.event(
        'refund.updated',
        { ...made, status: 'succeeded', account: undefined },
        m.accountId,
      ),
    );
    expect((await rowOf(own.refund.id))?.status).toBe('failed');
  });

  it('[authz] charge.refunded for another maker’s charge, or forged, changes nothing', async () => {
    const a = await paidAndSynced();
    const b = await paidAndSynced();
    const { event } = h.fake.dashboardRefund(a.intent, 1050);
    const foreign = h.fake.event('charge.refunded', event.data.object, b.accountId);
    expect(await h.fake.deliver(foreign)).toBe(200);
    expect((await h.storedEvent(foreign.id))?.outcome).toBe('wrong-account');
    const forged = h.fake.event('charge.refunded', event.data.object, a.accountId);
    expect(await h.fake.deliver(forged, 'whsec_wrong')).toBe(401);
    expect(
      await h.t.db.select().from(stripeEvents).where(eq(stripeEvents.id, forged.id)),
    ).toHaveLength(0);
    expect(
      await h.t.db
        .select()
        .from(electronicRefunds)
        .where(eq(electronicRefunds.saleId, a.sale.sale.id)),
    ).toHaveLength(0);
    expect(
      await h.t.db.select().from(refunds).where(eq(refunds.saleId, a.sale.sale.id)),
    ).toHaveLength(0);
  });

  it('[authz] another maker cannot refund this maker’s sale: rejected like an unknown sale, nothing sent to Stripe', async () => {
    const a = await paidAndSynced();
    const intruder = await createUser(h.t.db, 'Intruder');
    const device = new RawDevice();
    await push(h.t.db, intruder, device.request(device.queue(device.eventUpsert(device.event()))));
    const stolen = { ...a.device.refundOf(a.sale, 'all') };
    const refund = { ...stolen.refund, deviceId: device.deviceId, makerId: device.makerId };
    const result = await pushOne(intruder, device, {
      ...stolen,
      refund,
      movements: stolen.movements.map((mv) => ({ ...mv, deviceId: device.deviceId })),
    });
    expect(result).toMatchObject({ status: 'rejected', reason: `unknown sale ${a.sale.sale.id}` });
    await sendPendingRefunds(h.context);
    expect(h.fake.refundsOf(a.intent)).toHaveLength(0);
    expect(await rowOf(refund.id)).toBeUndefined();
  });

  it('[G7] hostile refund fields (2^31, 2^53, negative, NUL, lone surrogate) are rejected, nothing goes to Stripe, and the queue goes on', async () => {
    const m = await paidAndSynced();
    const base = m.device.refundOf(m.sale, [{ position: 0, quantity: 1 }]);
    const line = base.refund.lines[0]!;
    const hostile: RefundRecord[] = [
      { ...base, refund: { ...base.refund, totalCents: 2 ** 53 } },
      {
        ...base,
        refund: { ...base.refund, totalCents: -350, lines: [{ ...line, amountCents: -350 }] },
      },
      { ...base, refund: { ...base.refund, lines: [{ ...line, quantity: 2 ** 31 }] } },
      { ...base, refund: { ...base.refund, itemCount: 2 ** 31 } },
      { ...base, refund: { ...base.refund, reason: 'kapot\u0000' } },
      { ...base, refund: { ...base.refund, reason: 'kapot\ud800' } },
      { ...base, refund: { ...base.refund, id: 'not-a-uuid' } },
    ];
    const answer = await push(h.t.db, m.userId, m.device.request(m.device.queue(...hostile, base)));
    expect(answer.results.map((r) => r.status)).toEqual([
      ...hostile.map(() => 'rejected'),
      'applied',
    ]);
    await sendPendingRefunds(h.context);
    expect(h.fake.refundsOf(m.intent).map((r) => r.amount)).toEqual([350]);
  });

  it('[refund][jobs] the refunds job runs under its lease (job_leases): while another process holds it, a nudge sends nothing; given back, the refund is sent once', async () => {
    const m = await paidAndSynced();
    const refund = m.device.refundOf(m.sale, 'all');
    await pushOne(m.userId, m.device, refund);
    const holder = newHolder();
    expect(await takeLease(h.t.db, REFUNDS_JOB, holder)).toBe(true);
    try {
      // Tried, and once more shortly after: both find the job held elsewhere.
      await nudgeRefunds(async () => h.context, 100);
      expect(refundRequests(refund.refund.id)).toHaveLength(0);
      expect(await rowOf(refund.refund.id)).toMatchObject({ status: 'pending', attempts: 0 });
    } finally {
      await releaseLease(h.t.db, REFUNDS_JOB, holder);
    }
    await nudgeRefunds(async () => h.context);
    expect((await rowOf(refund.refund.id))?.status).toBe('refunded');
    expect(refundRequests(refund.refund.id)).toHaveLength(1);
    expect(h.fake.refundsOf(m.intent).map((r) => r.amount)).toEqual([1050]);
  });

  it('[refund][jobs] two server processes (two module instances, two connection pools) nudged at once: one runs the job, the other waits; each refund is sent to Stripe once, one after the other', async () => {
    const one = await paidAndSynced();
    const two = await paidAndSynced();
    const first = one.device.refundOf(one.sale, 'all');
    const second = two.device.refundOf(two.sale, 'all');
    await pushOne(one.userId, one.device, first);
    await pushOne(two.userId, two.device, second);
    // The other process: its own copy of every module (no shared state), its own pool.
    vi.resetModules();
    const otherProcess = await import('./refunds');
    vi.resetModules();
    const pool =
      kind === 'postgres' && h.t.url
        ? await openDatabase({ kind: 'postgres', url: h.t.url, poolSize: 4 })
        : null;
    try {
      const otherContext = { ...h.context, db: pool?.db ?? h.t.db };
      // Stripe hangs on the first refund (and the SDK's retry): a run takes ~1 s.
      h.fake.fail('/v1/refunds', 'hang', 2);
      const here = nudgeRefunds(async () => h.context);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The other process finds the job running; its one retry (200 ms on) too.
      await Promise.all([here, otherProcess.nudgeRefunds(async () => otherContext, 200)]);
      const sent = h.fake.requests.filter((r) => r.path === '/v1/refunds');
      const order = sent.map((r) =>
        r.idempotencyKey === `kraam-refund-${first.refund.id}` ? 'first' : 'second',
      );
      // One runner: the second refund only after the first one's attempt (hang, retry) ended.
      expect(order.slice(-3)).toEqual(['first', 'first', 'second']);
      expect(refundRequests(second.refund.id)).toHaveLength(1);
      expect(h.fake.refundsOf(two.intent)).toHaveLength(1);
      expect((await rowOf(first.refund.id))?.status).toBe('pending');
    } finally {
      await pool?.close();
    }
  });
});
