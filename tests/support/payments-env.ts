// The Stripe settings of the browser tests' payments server (playwright.config.ts) and of
// the fake Stripe it talks to: test values, shared by the config and tests/e2e/payments.e2e.ts.
export const FAKE_STRIPE_PORT = Number(process.env.FAKE_STRIPE_PORT ?? 5512);
/**
 * The second fake Stripe, of the offline payments suite (its own server, so each suite's
 * first sign-up founds its organisation): tests/e2e/offline-payments.e2e.ts.
 */
export const FAKE_STRIPE_OFFLINE_PORT = Number(
  process.env.FAKE_STRIPE_OFFLINE_PORT ?? FAKE_STRIPE_PORT + 100,
);
/** Never a real key: the test fails if it ever reaches a page or the client bundle. */
export const E2E_STRIPE_SECRET_KEY = 'sk_test_e2e_never_in_a_browser_4242';
export const E2E_WEBHOOK_SECRETS = {
  platform: 'whsec_e2e_platform_secret',
  connect: 'whsec_e2e_connect_secret',
};

export function stripeServerEnv(fakePort = FAKE_STRIPE_PORT): Record<string, string> {
  return {
    STRIPE_SECRET_KEY: E2E_STRIPE_SECRET_KEY,
    STRIPE_PUBLISHABLE_KEY: 'pk_test_e2e_publishable',
    STRIPE_WEBHOOK_SECRET: E2E_WEBHOOK_SECRETS.platform,
    STRIPE_CONNECT_WEBHOOK_SECRET: E2E_WEBHOOK_SECRETS.connect,
    STRIPE_API_BASE: `http://127.0.0.1:${fakePort}`,
    STRIPE_TIMEOUT_MS: '3000',
  };
}
