// Runs the fake Stripe (fake-stripe.ts) as a process of its own for the browser tests
// (playwright.config.ts, project 'payments'): `npx tsx tests/support/fake-stripe-server.ts`.
import { FakeStripe } from './fake-stripe';

const port = Number(process.env.FAKE_STRIPE_PORT ?? '5512');
const webhookUrl = process.env.FAKE_STRIPE_WEBHOOK_URL;
const webhookSecret = process.env.FAKE_STRIPE_WEBHOOK_SECRET;
if (!webhookUrl || !webhookSecret) {
  throw new Error('FAKE_STRIPE_WEBHOOK_URL and FAKE_STRIPE_WEBHOOK_SECRET must be set');
}
const fake = new FakeStripe({ port, webhookUrl, webhookSecret });
await fake.start();
console.log(`fake Stripe on ${fake.baseUrl}, webhooks to ${webhookUrl}`);
const stop = () => void fake.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
