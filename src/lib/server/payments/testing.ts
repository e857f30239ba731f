// A payments server against the local fake Stripe (tests/support/fake-stripe.ts) for the
// payments specs: registers its own beforeAll/afterAll/afterEach in the calling describe.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { createTestDb, type TestDb } from '$lib/server/db/testing';
import type { DbKind } from '$lib/server/db/types';
import { stripeAccounts, stripeEvents } from '$lib/server/db/schema';
import { ApiError } from '$lib/server/http';
import { RawDevice, type SaleRecord } from '$lib/sync/testing/factories';
import { PROTOCOL_VERSION, type Change } from '$lib/sync/protocol';
import type { CheckoutRequest } from '$lib/payments/contract';
import { FakeStripe } from '../../../../tests/support/fake-stripe';
import { handlePull } from '../sync/pull';
import { createUser, push } from '../sync/testing';
import { createStripe, stripeConfigFromEnv } from './config';
import { ensurePaymentLink } from './link';
import { createCheckout, startConnect, type PaymentsContext } from './service';
import { handleWebhook } from './webhook';

export const WEBHOOK_SECRET = 'whsec_test_platform';
export const CONNECT_SECRET = 'whsec_test_connect';

export async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

export interface PaymentsHarness {
  t: TestDb;
  fake: FakeStripe;
  context: PaymentsContext;
  /** A maker whose phone synced once (so the server knows the stall), with a product. */
  maker(): Promise<{
    userId: string;
    device: RawDevice;
    product: ReturnType<RawDevice['product']>;
    event: ReturnType<RawDevice['event']>;
  }>;
  /** A maker whose Stripe account is connected and ready. */
  readyMaker(): Promise<Awaited<ReturnType<PaymentsHarness['maker']>> & { accountId: string }>;
  /** A checkout request for `quantity` × the maker's € 3,50 product. */
  checkoutRequest(
    m: { event: { id: string }; product: { id: string; name: string } },
    quantity?: number,
    saleId?: string,
  ): CheckoutRequest;
  /** A ready maker's checkout of 3 × € 3,50: the session Kraam made at Stripe, not paid yet. */
  checkoutSale(): Promise<CheckoutSale>;
  /** What the maker's phone records for that checkout once paid: the sale, by phone/card. */
  phoneSale(m: CheckoutSale): SaleRecord;
  /** A ready maker with their payment link, and a sale of 3 × € 3,50 paid on it (not synced yet). */
  linkSale(): Promise<LinkSale>;
  /** Pushes the link sale from the phone that made it; the server applies it. */
  syncSale(m: LinkSale): Promise<void>;
  /** Every page of the feed (on PostgreSQL a page can be held back by another test's transaction). */
  pullEvery(userId: string, deviceId: string, features?: string[]): Promise<{ changes: Change[] }>;
  /** The Stripe event stored under `id`, if any. */
  storedEvent(id: string): Promise<typeof stripeEvents.$inferSelect | undefined>;
}

export type CheckoutSale = Awaited<ReturnType<PaymentsHarness['readyMaker']>> & {
  request: CheckoutRequest;
  answer: Awaited<ReturnType<typeof createCheckout>>;
  session: NonNullable<ReturnType<FakeStripe['sessionFor']>>;
};

export type LinkSale = Awaited<ReturnType<PaymentsHarness['readyMaker']>> & {
  link: Awaited<ReturnType<typeof ensurePaymentLink>>;
  record: SaleRecord;
  saleId: string;
};

export interface PaymentsServerOptions {
  /** The server's clock (PaymentsContext.now); the real one when left out. */
  now?: () => number;
}

export function usePaymentsServer(
  kind: DbKind,
  options: PaymentsServerOptions = {},
): PaymentsHarness {
  const h = {} as PaymentsHarness;
  beforeAll(async () => {
    h.t = await createTestDb(kind);
    h.fake = new FakeStripe({
      webhookSecret: CONNECT_SECRET,
      deliver: async (body, signature) => {
        try {
          await handleWebhook(h.context, body, signature);
          return 200;
        } catch (error) {
          if (error instanceof ApiError) return error.status;
          throw error;
        }
      },
    });
    const base = await h.fake.start();
    const config = stripeConfigFromEnv({
      STRIPE_SECRET_KEY: 'sk_test_kraam',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_kraam',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
      STRIPE_API_BASE: base,
      STRIPE_TIMEOUT_MS: '400',
    });
    if (!config) throw new Error('no config');
    h.context = {
      db: h.t.db,
      stripe: { config, stripe: createStripe(config) },
      origin: 'http://kraam.test',
      ...(options.now ? { now: options.now } : {}),
    };
  }, 120_000);
  afterAll(async () => {
    await h.fake?.stop();
    await h.t?.close();
  });
  afterEach(() => h.fake.clearFaults());

  h.maker = async () => {
    const userId = await createUser(h.t.db);
    const device = new RawDevice();
    const product = device.product({ priceCents: 350 });
    const event = device.event();
    await push(
      h.t.db,
      userId,
      device.request(device.queue(device.eventUpsert(event), device.productUpsert(product))),
    );
    return { userId, device, product, event };
  };
  h.readyMaker = async () => {
    const m = await h.maker();
    await startConnect(h.context, m.userId);
    const [row] = await h.t.db
      .select()
      .from(stripeAccounts)
      .where(eq(stripeAccounts.makerId, m.device.makerId));
    if (!row) throw new Error('no account row');
    expect(await h.fake.deliver(h.fake.updateAccount(row.accountId, true))).toBe(200);
    return { ...m, accountId: row.accountId };
  };
  h.checkoutRequest = (m, quantity = 3, saleId = uuidv7()) => ({
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
  });
  h.checkoutSale = async () => {
    const m = await h.readyMaker();
    const request = h.checkoutRequest(m);
    const answer = await createCheckout(h.context, m.userId, request);
    const session = h.fake.sessionFor(request.saleId);
    if (!session) throw new Error('no session');
    return { ...m, request, answer, session };
  };
  h.phoneSale = ({ device, event, product, request }) => {
    const cash = device.sale(event.id, [{ product, quantity: 3 }]);
    const id = request.saleId;
    return {
      ...cash,
      sale: {
        ...cash.sale,
        id,
        payments: [{ method: 'qr', amountCents: 1050, tenderedCents: null, changeCents: null }],
      },
      lines: cash.lines.map((l) => ({ ...l, saleId: id })),
      movements: cash.movements.map((mv) => ({ ...mv, saleId: id })),
    };
  };
  h.linkSale = async () => {
    const m = await h.readyMaker();
    const link = await ensurePaymentLink(h.context, m.userId, { stallName: 'Bakkerij Noor' });
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
  };
  h.syncSale = async (m) => {
    const answer = await push(h.t.db, m.userId, m.device.request(m.device.queue(m.record)));
    expect(answer.results.map((r) => r.status)).toEqual(['applied']);
  };
  h.pullEvery = async (userId, deviceId, features) => {
    const changes: Change[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const answer = await handlePull(h.t.db, userId, {
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
  };
  h.storedEvent = async (id) =>
    (await h.t.db.select().from(stripeEvents).where(eq(stripeEvents.id, id)))[0];
  return h;
}
