// A payments server against the local fake Stripe (tests/support/fake-stripe.ts) for specs
// beside payments.spec.ts: registers its own beforeAll/afterAll in the calling describe.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { createTestDb, type TestDb } from '$lib/server/db/testing';
import type { DbKind } from '$lib/server/db/types';
import { stripeAccounts } from '$lib/server/db/schema';
import { ApiError } from '$lib/server/http';
import { RawDevice } from '$lib/sync/testing/factories';
import type { CheckoutRequest } from '$lib/payments/contract';
import { FakeStripe } from '../../../../tests/support/fake-stripe';
import { createUser, push } from '../sync/testing';
import { createStripe, stripeConfigFromEnv } from './config';
import { startConnect, type PaymentsContext } from './service';
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
}

export function usePaymentsServer(kind: DbKind): PaymentsHarness {
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
  return h;
}
