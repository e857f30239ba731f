// Split payments (part cash, the rest by phone or card) and Embedded Checkout on the maker's
// phone, against the local fake Stripe, on PGlite and (with TEST_DATABASE_URL) PostgreSQL
// (docs/payments.md, "Split payment" and "On this phone").
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDbKinds } from '$lib/server/db/testing';
import { checkoutPayments } from '$lib/server/db/schema';
import { ApiError, checkInput } from '$lib/server/http';
import { checkoutSettled, CheckoutRequestSchema } from '$lib/payments/contract';
import { push } from '../sync/testing';
import { checkoutStatus, createCheckout } from './service';
import { apiError, usePaymentsServer } from './testing';

function inputError(value: unknown): ApiError {
  try {
    checkInput(CheckoutRequestSchema, value);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the input to be refused');
}

describe.each(testDbKinds())('split payment and Embedded Checkout on %s', (kind) => {
  const h = usePaymentsServer(kind);
  const stored = async (saleId: string) =>
    h.t.db.select().from(checkoutPayments).where(eq(checkoutPayments.saleId, saleId));

  it('[split] a session for exactly the electronic part, naming the lines, the stall and the cash part; paid for that amount it settles', async () => {
    const m = await h.readyMaker();
    const request = { ...h.checkoutRequest(m), amountCents: 647 }; // 1050 - 403 in cash
    const answer = await createCheckout(h.context, m.userId, request);
    expect(answer).toMatchObject({ state: 'open', amountCents: 647 });
    const session = h.fake.sessionFor(request.saleId);
    expect(session?.amount_total).toBe(647);
    expect(session?.line_items).toEqual([
      {
        name: `Rest na contant: 3 × ${m.product.name}`,
        description: 'Bakkerij Noor',
        unit_amount: 647,
        quantity: 1,
      },
    ]);
    expect(session?.metadata).toMatchObject({
      kraam_sale_id: request.saleId,
      kraam_cash_part_cents: '403',
    });
    expect(await h.fake.deliver(h.fake.complete(session?.id ?? ''))).toBe(200);
    const paid = await checkoutStatus(h.context, m.userId, request.saleId);
    expect(paid).toMatchObject({ state: 'paid', paidCents: 647, amountMismatch: false });
    expect(checkoutSettled(paid)).toBe(true);
  });

  it('[split] the electronic part is 50 cents..the total: too small, larger than the total, negative, NUL, huge and 2^53 are refused naming amountCents; nothing is made', async () => {
    const m = await h.readyMaker();
    for (const amountCents of [0, 49, 1051, 99_999_999]) {
      const request = { ...h.checkoutRequest(m), amountCents };
      const error = await apiError(createCheckout(h.context, m.userId, request));
      expect(error.status, String(amountCents)).toBe(422);
      expect(error.issues?.[0]?.path).toBe('amountCents');
      expect(h.fake.sessionFor(request.saleId)).toBeUndefined();
      expect(await stored(request.saleId)).toEqual([]);
    }
    // The edges are accepted: 50 cents, and the whole total.
    const smallest = { ...h.checkoutRequest(m), amountCents: 50 };
    expect((await createCheckout(h.context, m.userId, smallest)).amountCents).toBe(50);
    const whole = { ...h.checkoutRequest(m), amountCents: 1050 };
    expect((await createCheckout(h.context, m.userId, whole)).amountCents).toBe(1050);
    // At the edge of the API (the route's readInput): not a whole number of cents in range.
    for (const amountCents of [-1, 1.5, 2 ** 31, 2 ** 53, '50\u0000', '647', null]) {
      const error = inputError({ ...h.checkoutRequest(m), amountCents });
      expect([400, 422], String(amountCents)).toContain(error.status);
      expect(error.issues?.some((i) => i.path === 'amountCents')).toBe(true);
    }
  });

  it('[split] the same sale asked again with another electronic part is refused (409), the first session stays', async () => {
    const m = await h.readyMaker();
    const request = { ...h.checkoutRequest(m), amountCents: 600 };
    const first = await createCheckout(h.context, m.userId, request);
    const again = await createCheckout(h.context, m.userId, request);
    expect(again.url).toBe(first.url);
    const other = await apiError(
      createCheckout(h.context, m.userId, { ...request, amountCents: 700 }),
    );
    expect(other.status).toBe(409);
    expect(other.code).toBe('sale_taken');
    expect((await stored(request.saleId))[0]?.amountCents).toBe(600);
  });

  it('[split][fault] Stripe answering 500 or never while the electronic part is made: 502, nothing stored, and the sale can still be recorded in cash', async () => {
    const m = await h.readyMaker();
    for (const fault of ['error500', 'hang'] as const) {
      const request = { ...h.checkoutRequest(m), amountCents: 647 };
      h.fake.fail('/v1/checkout/sessions', fault, 2);
      const error = await apiError(createCheckout(h.context, m.userId, request));
      expect(error.status).toBe(502);
      expect(error.code).toBe('stripe_unavailable');
      expect(await stored(request.saleId)).toEqual([]);
    }
    // The maker finishes in cash: an ordinary cash sale applies.
    const cash = m.device.sale(m.event.id, [{ product: m.product, quantity: 3 }]);
    const answer = await push(h.t.db, m.userId, m.device.request(m.device.queue(cash)));
    expect(answer.results.map((r) => r.status)).toEqual(['applied']);
  });

  it('[split][sync] a split sale (cash part rounded, the rest by phone/card) applies; one whose rounding is not the cash part’s is rejected and the queue goes on', async () => {
    const m = await h.maker();
    const cashPart = { cashPartCents: 403, tenderedCents: 500, cashRounding: true };
    const split = m.device.sale(m.event.id, [{ product: m.product, quantity: 3 }], {
      payment: { method: 'split', ...cashPart },
    });
    expect(split.sale.payments.map((p) => [p.method, p.amountCents])).toEqual([
      ['cash', 405],
      ['qr', 647],
    ]);
    const wrong = m.device.sale(m.event.id, [{ product: m.product, quantity: 3 }], {
      payment: { method: 'split', ...cashPart },
    });
    // 404 in cash for a cash part of 403 (rounding +1): not THE 5-cent rule (403 -> 405).
    const broken = {
      ...wrong,
      sale: {
        ...wrong.sale,
        roundingCents: 1,
        paidCents: 1051,
        payments: [
          { method: 'cash' as const, amountCents: 404, tenderedCents: 500, changeCents: 96 },
          { method: 'qr' as const, amountCents: 647, tenderedCents: null, changeCents: null },
        ],
      },
    };
    const after = m.device.sale(m.event.id, [{ product: m.product }]);
    const answer = await push(
      h.t.db,
      m.userId,
      m.device.request(m.device.queue(split, broken, after)),
    );
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(answer.results[1]?.reason).toMatch(/5-cent rule/);
  });

  it('[embedded] uiMode embedded: an Embedded Checkout session (return_url, no success_url) on the maker’s account; the answer carries the publishable key, the client secret and the account, never a page URL', async () => {
    const m = await h.readyMaker();
    const request = { ...h.checkoutRequest(m), uiMode: 'embedded' as const };
    const answer = await createCheckout(h.context, m.userId, request);
    const session = h.fake.sessionFor(request.saleId);
    expect(session?.ui_mode).toBe('embedded_page');
    expect(session?.return_url).toBe('http://kraam.test/till');
    expect(session?.success_url).toBeNull();
    expect(session?.account).toBe(m.accountId);
    expect(answer.url).toBeNull();
    expect(answer.embedded).toEqual({
      publishableKey: 'pk_test_kraam',
      clientSecret: session?.client_secret,
      stripeAccount: m.accountId,
    });
    expect(JSON.stringify(answer)).not.toContain('sk_test');
    // Asked again after a lost answer: the same session and secret.
    const again = await createCheckout(h.context, m.userId, request);
    expect(again.embedded?.clientSecret).toBe(answer.embedded?.clientSecret);
    // A hosted page for the same sale is another payment: refused.
    const hosted = await apiError(
      createCheckout(h.context, m.userId, { ...request, uiMode: 'hosted' }),
    );
    expect(hosted.code).toBe('sale_taken');
    // The watch (GET) never hands the secret out again; completion is the webhook's.
    expect((await checkoutStatus(h.context, m.userId, request.saleId)).embedded).toBeUndefined();
    expect(await h.fake.deliver(h.fake.complete(session?.id ?? ''))).toBe(200);
    expect(checkoutSettled(await checkoutStatus(h.context, m.userId, request.saleId))).toBe(true);
  });

  it('[embedded] a split part can be paid embedded too', async () => {
    const m = await h.readyMaker();
    const request = { ...h.checkoutRequest(m), amountCents: 500, uiMode: 'embedded' as const };
    const answer = await createCheckout(h.context, m.userId, request);
    expect(answer.amountCents).toBe(500);
    expect(h.fake.sessionFor(request.saleId)?.amount_total).toBe(500);
  });
});
