// Stall fees paid online (docs/payments.md, "Stall fees paid online"), against the local fake
// Stripe, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: the maker's own fee, a session on
// the platform's account, and the webhook's faults (twice, another maker's, another amount,
// forged, a connected account's, Stripe failing while the session is made).
import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { testDbKinds } from '$lib/server/db/testing';
import { feeCheckouts, feePayments, stripeEvents } from '$lib/server/db/schema';
import { setFeePaid, assign } from '$lib/server/organiser/assignments';
import { loadEvent } from '$lib/server/organiser/event-rows';
import { eventFees } from '$lib/server/organiser/results';
import { organisationWithMakers, publishedEvent } from '$lib/server/organiser/testing';
import { addMember, createUser } from '../sync/testing';
import { payStallFee, stallFee } from './fees';
import { runReconciliation } from './reconcile';
import { apiError, usePaymentsServer } from './testing';

describe.each(testDbKinds())('stall fees paid online on %s', (kind) => {
  const h = usePaymentsServer(kind);

  /** An organisation whose event charges € 25,00 per stall; makers 0 and 1 each have one. */
  async function feeEvent() {
    const org = await organisationWithMakers(h.t.db, 3, 'Stichting Wintermarkt');
    const { event, stalls } = await publishedEvent(h.t.db, org.organisationId, 2, {
      stallFeeDefaultCents: 2500,
    });
    for (const [i, stall] of stalls.entries()) {
      await assign(h.t.db, org.organisationId, event.id, {
        stallId: stall.id,
        makerId: org.makers[i]!.makerId,
      });
    }
    return { org, event, maker: org.makers[0]!, other: org.makers[1]!, free: org.makers[2]! };
  }

  async function paidRow(eventId: string, makerId: string) {
    const [row] = await h.t.db
      .select()
      .from(feePayments)
      .where(and(eq(feePayments.eventId, eventId), eq(feePayments.makerId, makerId)));
    return row;
  }

  async function organiserLine(organisationId: string, eventId: string, makerId: string) {
    const event = await loadEvent(h.t.db, organisationId, eventId);
    return (await eventFees(h.t.db, event)).fees.makers.find((l) => l.makerId === makerId);
  }

  const outcome = async (id: string) =>
    (await h.t.db.select().from(stripeEvents).where(eq(stripeEvents.id, id)))[0]?.outcome;

  /** The maker pays: the session Kraam made, completed at the fake. */
  async function paySession(userId: string, eventId: string) {
    const answer = await payStallFee(h.context, userId, eventId);
    const session = h.fake.sessionOfSecret(answer.embedded.clientSecret);
    if (!session) throw new Error('no fee session');
    return { answer, session };
  }

  it('[fee] the maker sees their own fee; "Pay now" is Embedded Checkout on the PLATFORM’s account (no Stripe-Account), for exactly what is owed, naming the event and maker', async () => {
    const { event, maker } = await feeEvent();
    expect(await stallFee(h.context, maker.userId, event.id)).toEqual({
      eventId: event.id,
      dueCents: 2500,
      paidCents: 0,
      owedCents: 2500,
      reference: null,
      payable: true,
    });
    const { answer, session } = await paySession(maker.userId, event.id);
    expect(answer).toMatchObject({
      amountCents: 2500,
      embedded: { publishableKey: 'pk_test_kraam', stripeAccount: null },
    });
    expect(session).toMatchObject({
      account: null,
      ui_mode: 'embedded_page',
      amount_total: 2500,
      metadata: {
        kraam_kind: 'stall_fee',
        kraam_event_id: event.id,
        kraam_maker_id: maker.makerId,
      },
    });
    const call = h.fake.requests.findLast((r) => r.path === '/v1/checkout/sessions');
    expect(call?.stripeAccount).toBeNull();
    expect(call?.params.payment_method_types).toBeUndefined();
    // Tapped again: the same session.
    const again = await payStallFee(h.context, maker.userId, event.id);
    expect(again.embedded.clientSecret).toBe(answer.embedded.clientSecret);
  });

  it('[fee][webhook] paid: credited once with Stripe’s reference; the organiser’s table shows it paid; delivered twice or completed again, nothing more', async () => {
    const { org, event, maker } = await feeEvent();
    const { session } = await paySession(maker.userId, event.id);
    const completed = h.fake.complete(session.id);
    expect(await h.fake.deliver(completed)).toBe(200);
    expect(await outcome(completed.id)).toBe('applied');
    const row = await paidRow(event.id, maker.makerId);
    expect(row?.paidCents).toBe(2500);
    expect(row?.reference).toMatch(/^pi_test_/);
    expect(await organiserLine(org.organisationId, event.id, maker.makerId)).toMatchObject({
      paidCents: 2500,
      outstandingCents: 0,
      status: 'paid',
    });
    expect(await stallFee(h.context, maker.userId, event.id)).toMatchObject({
      owedCents: 0,
      reference: row?.reference,
      payable: false,
    });
    // The same event again: a no-op. The session completed again (another event id): ignored.
    expect(await h.fake.deliver(completed)).toBe(200);
    const second = h.fake.complete(session.id);
    expect(await h.fake.deliver(second)).toBe(200);
    expect(await outcome(second.id)).toBe('ignored');
    expect((await paidRow(event.id, maker.makerId))?.paidCents).toBe(2500);
    // Nothing left to pay: "Pay now" is refused.
    expect((await apiError(payStallFee(h.context, maker.userId, event.id))).status).toBe(404);
  });

  it('[fee][webhook] for another maker or event than Kraam made the session for, or from a connected account: nothing credited', async () => {
    const { event, maker, other } = await feeEvent();
    const { session } = await paySession(maker.userId, event.id);
    const relabelled = h.fake.complete(session.id);
    (relabelled.data.object as Stripe.Checkout.Session).metadata = {
      kraam_kind: 'stall_fee',
      kraam_event_id: event.id,
      kraam_maker_id: other.makerId,
    };
    expect(await h.fake.deliver(relabelled)).toBe(200);
    expect(await outcome(relabelled.id)).toBe('wrong-account');
    const connected = h.fake.complete(session.id);
    (connected as { account?: string }).account = 'acct_test_someone_else';
    expect(await h.fake.deliver(connected)).toBe(200);
    expect(await outcome(connected.id)).toBe('wrong-account');
    expect(await paidRow(event.id, other.makerId)).toBeUndefined();
    expect(await paidRow(event.id, maker.makerId)).toBeUndefined();
    // A session Kraam never made (metadata saying "stall fee" is not enough): unknown.
    const stranger = h.fake.event(
      'checkout.session.completed',
      {
        ...session,
        id: 'cs_test_not_ours',
        payment_status: 'paid',
        status: 'complete',
      },
      null,
    );
    expect(await h.fake.deliver(stranger)).toBe(200);
    expect(await outcome(stranger.id)).toBe('unknown-sale');
    expect(await paidRow(event.id, maker.makerId)).toBeUndefined();
  });

  it('[fee][webhook] a different amount is not credited (flagged); a forged signature is refused (401)', async () => {
    const { event, maker, other } = await feeEvent();
    const { session } = await paySession(maker.userId, event.id);
    const less = h.fake.complete(session.id, { amountTotal: 2499 });
    expect(await h.fake.deliver(less)).toBe(200);
    expect(await outcome(less.id)).toBe('amount-mismatch');
    expect(await paidRow(event.id, maker.makerId)).toBeUndefined();
    const [row] = await h.t.db
      .select()
      .from(feeCheckouts)
      .where(eq(feeCheckouts.sessionId, session.id));
    expect(row?.status).toBe('mismatch');

    const second = await paySession(other.userId, event.id);
    const forged = h.fake.complete(second.session.id);
    expect(await h.fake.deliver(forged, 'whsec_not_the_secret')).toBe(401);
    expect(await outcome(forged.id)).toBeUndefined();
    expect(await paidRow(event.id, other.makerId)).toBeUndefined();
  });

  it('[fee] only what is owed: part paid by hand leaves the rest to pay; paid in full by hand before the webhook, the payment credits nothing more', async () => {
    const { org, event, maker } = await feeEvent();
    await setFeePaid(h.t.db, org.organisationId, event.id, maker.makerId, 1000);
    const { answer, session } = await paySession(maker.userId, event.id);
    expect(answer.amountCents).toBe(1500);
    await setFeePaid(h.t.db, org.organisationId, event.id, maker.makerId, 2500);
    expect(await h.fake.deliver(h.fake.complete(session.id))).toBe(200);
    expect((await paidRow(event.id, maker.makerId))?.paidCents).toBe(2500);
  });

  it('[fee][authz] a maker pays only their own fee: a helper cannot pay for the maker; a maker without a stall there, or of another organisation, has no fee there (404)', async () => {
    const { org, event, maker, free } = await feeEvent();
    const helper = await createUser(h.t.db, 'Helper');
    await addMember(h.t.db, {
      userId: helper,
      organisationId: org.organisationId,
      role: 'helper',
      makerId: maker.makerId,
    });
    const refused = await apiError(payStallFee(h.context, helper, event.id));
    expect([403, 409]).toContain(refused.status);
    expect([403, 409]).toContain((await apiError(stallFee(h.context, helper, event.id))).status);
    expect((await apiError(payStallFee(h.context, free.userId, event.id))).status).toBe(404);
    const elsewhere = await feeEvent();
    expect((await apiError(stallFee(h.context, elsewhere.maker.userId, event.id))).status).toBe(
      404,
    );
    expect((await apiError(payStallFee(h.context, maker.userId, 'no-such-event'))).status).toBe(
      404,
    );
    expect(
      h.fake.requests.filter((r) => r.params.client_reference_id === `fee-${event.id}`),
    ).toEqual([]);
  });

  /** The reconciliation job's one run, as the server runs it, ten minutes from now. */
  const reconcileLater = () =>
    runReconciliation({ ...h.context, now: () => Date.now() + 10 * 60 * 1000 });

  async function feeSession(sessionId: string) {
    const [row] = await h.t.db
      .select()
      .from(feeCheckouts)
      .where(eq(feeCheckouts.sessionId, sessionId));
    return row;
  }

  it('[fee][reconcile][fault] the webhook never comes: the reconciliation job asks Stripe and credits the fee with the payment’s reference; a recent session is left alone', async () => {
    const { org, event, maker, other } = await feeEvent();
    const { session } = await paySession(maker.userId, event.id);
    h.fake.complete(session.id); // paid at Stripe; the webhook is lost
    // Not stale yet (just made): not asked about.
    await runReconciliation(h.context);
    expect((await feeSession(session.id))?.status).toBe('open');
    expect(await paidRow(event.id, maker.makerId)).toBeUndefined();

    const report = await reconcileLater();
    expect(report.fees).toMatchObject({ failed: 0 });
    expect(report.fees.changed).toBeGreaterThanOrEqual(1);
    const row = await paidRow(event.id, maker.makerId);
    expect(row?.paidCents).toBe(2500);
    expect(row?.reference).toBe(h.fake.sessions.get(session.id)?.payment_intent);
    expect(row?.reference).toMatch(/^pi_test_/);
    expect(await feeSession(session.id)).toMatchObject({
      status: 'paid',
      reference: row?.reference,
      creditedCents: 2500,
    });
    expect(await organiserLine(org.organisationId, event.id, maker.makerId)).toMatchObject({
      status: 'paid',
      outstandingCents: 0,
    });
    // Asked on the platform's account (no Stripe-Account), about this very session.
    const asked = h.fake.requests.filter((r) => r.path === `/v1/checkout/sessions/${session.id}`);
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(asked.every((r) => r.method === 'GET' && r.stripeAccount === null)).toBe(true);
    // Another maker's open fee session at Stripe is untouched by this one's answer.
    const second = await paySession(other.userId, event.id);
    await reconcileLater();
    expect((await feeSession(second.session.id))?.status).toBe('open');
    expect(await paidRow(event.id, other.makerId)).toBeUndefined();
  });

  it('[fee][reconcile][fault] the webhook comes after the reconciliation credited the fee: a no-op (credited once)', async () => {
    const { event, maker } = await feeEvent();
    const { session } = await paySession(maker.userId, event.id);
    const completed = h.fake.complete(session.id);
    await reconcileLater();
    expect((await paidRow(event.id, maker.makerId))?.paidCents).toBe(2500);
    expect(await h.fake.deliver(completed)).toBe(200);
    expect(await outcome(completed.id)).toBe('ignored');
    expect((await paidRow(event.id, maker.makerId))?.paidCents).toBe(2500);
    expect((await feeSession(session.id))?.creditedCents).toBe(2500);
    // And run again: nothing more either.
    await reconcileLater();
    expect((await paidRow(event.id, maker.makerId))?.paidCents).toBe(2500);
  });

  it('[fee][reconcile][fault] the session expired and its webhook was lost: the job marks it expired, nothing credited, and "Pay now" makes a new session', async () => {
    const { event, maker } = await feeEvent();
    const { answer, session } = await paySession(maker.userId, event.id);
    h.fake.expire(session.id); // expired at Stripe; the webhook is lost
    await reconcileLater();
    expect((await feeSession(session.id))?.status).toBe('expired');
    expect(await paidRow(event.id, maker.makerId)).toBeUndefined();
    const again = await payStallFee(h.context, maker.userId, event.id);
    expect(again.embedded.clientSecret).not.toBe(answer.embedded.clientSecret);
    // The expired webhook arriving late changes nothing.
    const late = h.fake.event('checkout.session.expired', { ...session, status: 'expired' }, null);
    expect(await h.fake.deliver(late)).toBe(200);
    expect(await outcome(late.id)).toBe('ignored');
  });

  it('[fee][reconcile][fault] Stripe failing while the job asks leaves the fee session open, to be asked again', async () => {
    const { event, maker } = await feeEvent();
    const { session } = await paySession(maker.userId, event.id);
    h.fake.complete(session.id);
    h.fake.fail(`/v1/checkout/sessions/${session.id}`, 'error500', 1000);
    const report = await reconcileLater();
    expect(report.fees.failed).toBeGreaterThan(0);
    expect((await feeSession(session.id))?.status).toBe('open');
    h.fake.clearFaults();
    await reconcileLater();
    expect((await paidRow(event.id, maker.makerId))?.paidCents).toBe(2500);
  });

  it('[fee][fault] Stripe answering 500 or never while the session is made: 502, nothing stored', async () => {
    const { event, maker } = await feeEvent();
    for (const fault of ['error500', 'hang'] as const) {
      h.fake.fail('/v1/checkout/sessions', fault, 2);
      const error = await apiError(payStallFee(h.context, maker.userId, event.id));
      expect(error.status).toBe(502);
      expect(
        await h.t.db.select().from(feeCheckouts).where(eq(feeCheckouts.eventId, event.id)),
      ).toEqual([]);
    }
    expect((await payStallFee(h.context, maker.userId, event.id)).amountCents).toBe(2500);
  });
});
