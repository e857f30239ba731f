export { serverStripe, stripeConfigFromEnv, createStripe, type StripeConfig } from './config';
export {
  cancelCheckout,
  checkoutStatus,
  createCheckout,
  paymentsStatus,
  refreshConnect,
  startConnect,
  type PaymentsContext,
} from './service';
export { handleWebhook } from './webhook';
export { ensurePaymentLink } from './link';

import { publicOrigin } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { serverStripe } from './config';
import type { PaymentsContext } from './service';

/** The running server's payments context (its database, Stripe client and public origin). */
export async function serverPayments(): Promise<PaymentsContext> {
  return { db: await getDb(), stripe: serverStripe(), origin: publicOrigin() };
}
