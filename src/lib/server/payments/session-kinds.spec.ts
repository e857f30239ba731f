// The webhook's table of Checkout Session kinds (session-kinds.ts), against the local fake
// Stripe, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: every session event type × every
// kind (sale, stall's payment link, stall fee) reaches that kind's rule and changes exactly
// that kind's record; the same event from another account never applies; a session of no kind
// is stored and ignored with a log line, never a 500.
import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { testDbKinds } from '$lib/server/db/testing';
import {
  checkoutPayments,
  feeCheckouts,
  feePayments,
  linkPayments,
  stripeEvents,
} from '$lib/server/db/schema';
import { assign } from '$lib/server/organiser/assignments';
import { organisationWithMakers, publishedEvent } from '$lib/server/organiser/testing';
import { payStallFee } from './fees';
import { ensurePaymentLink } from './link';
import { createCheckout } from './service';
import { SESSION_EVENT_TYPES, SESSION_KINDS, type SessionEventType } from './session-kinds';
import { usePaymentsServer } from './testing';

type Kind = 'sale' | 'link-payment' | 'stall-fee';

/** What each event type does to a session of each kind (the record's state afterwards). */
const EXPECTED: Record<
  Kind,
  Record<SessionEventType, { outcome: string; state: string | null }>
> = {
  sale: {
    'checkout.session.completed': { outcome: 'applied', state: 'paid' },
    'checkout.session.async_payment_succeeded': { outcome: 'applied', state: 'paid' },
    'checkout.session.async_payment_failed': { outcome: 'applied', state: 'failed' },
    'checkout.session.expired': { outcome: 'applied', state: 'expired' },
  },
  'link-payment': {
    'checkout.session.completed': { outcome: 'applied', state: 'paid' },
    'checkout.session.async_payment_succeeded': { outcome: 'applied', state: 'paid' },
    'checkout.session.async_payment_failed': { outcome: 'applied', state: 'failed' },
    // An expired link session is no payment: nothing stored.
    'checkout.session.expired': { outcome: 'ignored', state: null },
  },
  'stall-fee': {
    'checkout.session.completed': { outcome: 'applied', state: 'paid' },
    'checkout.session.async_payment_succeeded': { outcome: 'applied', state: 'paid' },
    'checkout.session.async_payment_failed': { outcome: 'applied', state: 'failed' },
    'checkout.session.expired': { outcome: 'applied', state: 'expired' },
  },
};

describe.each(testDbKinds())('webhook session kinds on %s', (kind) => {
  const h = usePaymentsServer(kind);
  afterEach(() => vi.restoreAllMocks());

  const outcome = async (id: string) =>
    (await h.t.db.select().from(stripeEvents).where(eq(stripeEvents.id, id)))[0]?.outcome;

  /** A fresh session of `kind`; `state()` reads Kraam's record of it (null: none). */
  async function sessionOf(kind: Kind): Promise<{
    session: Stripe.Checkout.Session;
    account: string | null;
    state: () => Promise<string | null>;
    credited?: () => Promise<number | null>;
  }> {
    if (kind === 'sale') {
      const m = await h.readyMaker();
      const request = h.checkoutRequest(m);
      await createCheckout(h.context, m.userId, request);
      const fake = h.fake.sessionFor(request.saleId);
      if (!fake) throw new Error('no sale session');
      return {
        session: fake as unknown as Stripe.Checkout.Session,
        account: m.accountId,
        state: async () =>
          (
            await h.t.db
              .select()
              .from(checkoutPayments)
              .where(eq(checkoutPayments.saleId, request.saleId))
          )[0]?.status ?? null,
      };
    }
    if (kind === 'link-payment') {
      const m = await h.readyMaker();
      const link = await ensurePaymentLink(h.context, m.userId, { stallName: 'Bakkerij Noor' });
      // The customer's session on the link (the fake makes it complete; the event is ours).
      const paid = h.fake.payLink(link.linkId, { clientReferenceId: uuidv7(), amount: 700 });
      const session = paid.data.object as Stripe.Checkout.Session;
      return {
        session,
        account: m.accountId,
        state: async () =>
          (
            await h.t.db.select().from(linkPayments).where(eq(linkPayments.sessionId, session.id))
          )[0]?.status ?? null,
      };
    }
    const org = await organisationWithMakers(h.t.db, 1, 'Stichting Wintermarkt');
    const { event, stalls } = await publishedEvent(h.t.db, org.organisationId, 1, {
      stallFeeDefaultCents: 2500,
    });
    const maker = org.makers[0]!;
    await assign(h.t.db, org.organisationId, event.id, {
      stallId: stalls[0]!.id,
      makerId: maker.makerId,
    });
    const answer = await payStallFee(h.context, maker.userId, event.id);
    const fake = h.fake.sessionOfSecret(answer.embedded.clientSecret);
    if (!fake) throw new Error('no fee session');
    return {
      session: fake as unknown as Stripe.Checkout.Session,
      account: null,
      state: async () =>
        (await h.t.db.select().from(feeCheckouts).where(eq(feeCheckouts.sessionId, fake.id)))[0]
          ?.status ?? null,
      credited: async () =>
        (
          await h.t.db
            .select()
            .from(feePayments)
            .where(and(eq(feePayments.eventId, event.id), eq(feePayments.makerId, maker.makerId)))
        )[0]?.paidCents ?? null,
    };
  }

  /** The event Stripe sends of `type` for this session, as paid as the type implies. */
  function eventFor(
    type: SessionEventType,
    session: Stripe.Checkout.Session,
    account: string | null,
  ) {
    const paid = type === 'checkout.session.completed' || type.endsWith('succeeded');
    return h.fake.event(
      type,
      {
        ...session,
        status: type === 'checkout.session.expired' ? 'expired' : 'complete',
        payment_status: paid ? 'paid' : 'unpaid',
        payment_intent: session.payment_intent ?? `pi_test_${session.id.slice(-12)}`,
      },
      account,
    );
  }

  it('[webhook][kinds] the table: a stall fee, then a payment on the stall’s link, then a sale’s session; each says how every session event applies', () => {
    expect(SESSION_KINDS.map((k) => k.name)).toEqual(['stall-fee', 'link-payment', 'sale']);
    for (const k of SESSION_KINDS) expect(k.handles).toEqual([...SESSION_EVENT_TYPES]);
  });

  for (const sessionKind of ['sale', 'link-payment', 'stall-fee'] as const) {
    for (const type of SESSION_EVENT_TYPES) {
      it(`[webhook][kinds] ${type} × ${sessionKind}: that kind’s rule applies it; from another account it never applies`, async () => {
        const { session, account, state, credited } = await sessionOf(sessionKind);
        const before = await state();
        // The same event from another account first: nothing changes.
        const stranger = eventFor(type, session, 'acct_test_another_maker');
        expect(await h.fake.deliver(stranger)).toBe(200);
        const refused = await outcome(stranger.id);
        expect(refused).toBe(
          EXPECTED[sessionKind][type].outcome === 'ignored' ? 'ignored' : 'wrong-account',
        );
        expect(await state()).toBe(before);
        if (credited) expect(await credited()).toBeNull();
        // From the right account (the platform's own for a stall fee): applied by its rule.
        const own = eventFor(type, session, account);
        expect(await h.fake.deliver(own)).toBe(200);
        expect(await outcome(own.id)).toBe(EXPECTED[sessionKind][type].outcome);
        expect(await state()).toBe(EXPECTED[sessionKind][type].state);
        if (credited) {
          expect(await credited()).toBe(EXPECTED[sessionKind][type].state === 'paid' ? 2500 : null);
        }
      });
    }
  }

  it('[webhook][kinds] a session of no kind Kraam knows is stored and ignored with a log line, never a 500', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = await h.readyMaker();
    const request = h.checkoutRequest(m);
    await createCheckout(h.context, m.userId, request);
    const known = h.fake.sessionFor(request.saleId);
    if (!known) throw new Error('no session');
    const stranger = h.fake.event(
      'checkout.session.completed',
      {
        ...known,
        id: 'cs_test_made_elsewhere',
        status: 'complete',
        payment_status: 'paid',
        metadata: { kraam_kind: 'something_new' },
      },
      m.accountId,
    );
    expect(await h.fake.deliver(stranger)).toBe(200);
    expect(await outcome(stranger.id)).toBe('unknown-sale');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('cs_test_made_elsewhere'));
    // And the sale's own session is untouched.
    const [row] = await h.t.db
      .select()
      .from(checkoutPayments)
      .where(eq(checkoutPayments.saleId, request.saleId));
    expect(row?.status).toBe('open');
  });
});
