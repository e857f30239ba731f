// Stripe configuration from the environment (README, "Configuration"). Without a secret key
// Kraam runs exactly as before: cash only. The secret key and the webhook secrets live only
// here, on the server; the browser gets at most the publishable key (paymentsStatus).
import Stripe from 'stripe';

export interface StripeConfig {
  secretKey: string;
  publishableKey: string;
  /** The platform endpoint's secret and the Connect endpoint's (either may sign an event). */
  webhookSecrets: string[];
  /** Test-only: where the SDK sends its requests instead of api.stripe.com (the fake). */
  apiBase: URL | null;
  /** How long one Stripe request may take before the till is told to take cash. */
  timeoutMs: number;
}

export class StripeConfigError extends Error {
  override name = 'StripeConfigError';
}

/** The configuration, or null when Stripe is not configured (cash only). */
export function stripeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StripeConfig | null {
  const secretKey = env.STRIPE_SECRET_KEY?.trim() ?? '';
  if (secretKey === '') return null;
  if (!/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/.test(secretKey)) {
    throw new StripeConfigError(
      'STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_… or sk_live_…).',
    );
  }
  const publishableKey = env.STRIPE_PUBLISHABLE_KEY?.trim() ?? '';
  if (!/^pk_(test|live)_[A-Za-z0-9_]+$/.test(publishableKey)) {
    throw new StripeConfigError(
      'STRIPE_PUBLISHABLE_KEY must be set with STRIPE_SECRET_KEY (a pk_test_… or pk_live_… key).',
    );
  }
  const webhookSecrets = [env.STRIPE_WEBHOOK_SECRET, env.STRIPE_CONNECT_WEBHOOK_SECRET]
    .map((s) => s?.trim() ?? '')
    .filter((s) => s !== '');
  if (webhookSecrets.length === 0) {
    throw new StripeConfigError(
      'STRIPE_WEBHOOK_SECRET (and STRIPE_CONNECT_WEBHOOK_SECRET) must be set with STRIPE_SECRET_KEY: ' +
        'without webhooks no payment could ever be confirmed.',
    );
  }
  const base = env.STRIPE_API_BASE?.trim() ?? '';
  return {
    secretKey,
    publishableKey,
    webhookSecrets,
    apiBase: base === '' ? null : new URL(base),
    timeoutMs: Number(env.STRIPE_TIMEOUT_MS ?? '') || 10_000,
  };
}

/** The SDK pointed at Stripe, or at STRIPE_API_BASE in tests. */
export function createStripe(config: StripeConfig): Stripe {
  const base = config.apiBase;
  return new Stripe(config.secretKey, {
    timeout: config.timeoutMs,
    // Every write carries an idempotency key of ours, so one retry can never charge twice.
    maxNetworkRetries: 1,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'http:' ? ('http' as const) : ('https' as const),
        }
      : {}),
  });
}

let cached: { config: StripeConfig; stripe: Stripe } | null | undefined;

/** The server's configuration and client (read once per process). */
export function serverStripe(): { config: StripeConfig; stripe: Stripe } | null {
  if (cached === undefined) {
    const config = stripeConfigFromEnv();
    cached = config ? { config, stripe: createStripe(config) } : null;
  }
  return cached;
}
