import { chromium, defineConfig, devices } from '@playwright/test';
import { findBrowserWith } from './scripts/find-browser.js';
import {
  E2E_WEBHOOK_SECRETS,
  FAKE_STRIPE_OFFLINE_PORT,
  FAKE_STRIPE_PORT,
  stripeServerEnv,
} from './tests/support/payments-env';

const port = Number(process.env.E2E_PORT ?? 4173);
const dataDir = process.env.E2E_DATA_DIR ?? 'tmp/e2e-data';

/**
 * Tests that found an organisation (the first sign-up on a fresh server) each get a server
 * of their own, so they never race for being first. The device tests (sync) run on `port`;
 * each suite below on the next port, in this order, with its own empty data folder.
 */
const ownServers = [
  // The organiser tests (tests/e2e/organiser*.e2e.ts, except those listed after them).
  { name: 'organiser', tests: /organiser.*\.e2e\.ts$/, width: 360, height: 740 },
  // The first-minutes walks: an organiser founds the bazaar from the first screen.
  { name: 'first-minutes', tests: /first-minutes\.e2e\.ts$/, width: 360, height: 740 },
  // The organiser's safety tests: undo, confirmations, on a laptop and a tablet.
  { name: 'organiser-safe', tests: /organiser-safe\.e2e\.ts$/, width: 1280, height: 800 },
  // The organiser's people and editions: applications, invitations, editions compared.
  { name: 'organiser-people', tests: /organiser-people\.e2e\.ts$/, width: 1280, height: 800 },
  // The maker's books: a sale corrected, synced to the server the maker founded.
  { name: 'books', tests: /books\.e2e\.ts$/, width: 360, height: 740 },
  // The cash book: a day counted and closed, synced to the server the maker founded.
  { name: 'cashbook', tests: /cashbook\.e2e\.ts$/, width: 360, height: 740 },
  // Payments by phone or card, against the local fake Stripe (tests/support/fake-stripe.ts).
  { name: 'payments', tests: /payments\.e2e\.ts$/, width: 360, height: 740 },
  // The stall's payment link offline, with a fake Stripe of its own (docs/payments.md).
  { name: 'offline-payments', tests: /offline-payments\.e2e\.ts$/, width: 360, height: 740 },
  { name: 'my-data', tests: /my-data\.e2e\.ts$/, width: 360, height: 740 },
  // A new phone's first sync of thousands of sales, with its progress (issue 11).
  { name: 'first-sync', tests: /first-sync-progress\.e2e\.ts$/, width: 360, height: 740 },
  // Split payment, Embedded Checkout on the maker's phone and stall fees paid online: a
  // founder of its own (the fake Stripe sends its webhooks here too).
  { name: 'splitpay', tests: /split-payments\.e2e\.ts$/, width: 360, height: 740 },
].map((suite, index) => ({ ...suite, port: port + 1 + index }));

/** The servers with Stripe keys, which the first fake Stripe sends its webhooks to. */
const STRIPE_SUITES = ['payments', 'splitpay'];
const stripePorts = ownServers.filter((s) => STRIPE_SUITES.includes(s.name)).map((s) => s.port);
/** The offline payment link's suite has a fake Stripe of its own. */
const offlinePaymentsPort = port + 1 + ownServers.findIndex((s) => s.name === 'offline-payments');

function server(serverPort: number, folder: string, extraEnv: Record<string, string> = {}) {
  return {
    command: 'node tests/e2e/start-server.js',
    url: `http://127.0.0.1:${serverPort}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      HOST: '127.0.0.1',
      PORT: String(serverPort),
      ORIGIN: `http://127.0.0.1:${serverPort}`,
      E2E_FRESH_DATA_DIR: folder,
      ...extraEnv,
    },
  };
}

/**
 * The browser scripts/find-browser.js finds (CHROMIUM_PATH, the system's, Playwright's own);
 * `npm test` runs that script first and stops with the install command when there is none.
 */
function chromiumPath(): string | undefined {
  const search = findBrowserWith(chromium.executablePath());
  return search.found?.path;
}

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: /.*\.e2e\.ts$/,
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 360, height: 740 },
    trace: 'off',
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: ownServers.map((suite) => suite.tests),
      use: { viewport: { width: 360, height: 740 } },
    },
    ...ownServers.map((suite) => ({
      name: suite.name,
      testMatch: suite.tests,
      // A file matched by a later suite runs there only.
      testIgnore: ownServers.slice(ownServers.indexOf(suite) + 1).map((later) => later.tests),
      use: {
        baseURL: `http://127.0.0.1:${suite.port}`,
        viewport: { width: suite.width, height: suite.height },
      },
    })),
  ],
  // On an EMPTY data folder every run (tests/e2e/start-server.js): the first sign-up on a
  // fresh server founds the organisation, and the sync tests rely on being that first one.
  webServer: [
    server(port, dataDir),
    ...ownServers.map((suite) =>
      server(
        suite.port,
        `${dataDir}-${suite.name}`,
        STRIPE_SUITES.includes(suite.name)
          ? stripeServerEnv()
          : suite.name === 'offline-payments'
            ? stripeServerEnv(FAKE_STRIPE_OFFLINE_PORT)
            : {},
      ),
    ),
    {
      command: 'npx tsx tests/support/fake-stripe-server.ts',
      url: `http://127.0.0.1:${FAKE_STRIPE_PORT}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        FAKE_STRIPE_PORT: String(FAKE_STRIPE_PORT),
        // Each server answers events of sessions it does not know as `unknown-sale` (200).
        FAKE_STRIPE_WEBHOOK_URL: stripePorts
          .map((p) => `http://127.0.0.1:${p}/api/stripe/webhook`)
          .join(' '),
        FAKE_STRIPE_WEBHOOK_SECRET: E2E_WEBHOOK_SECRETS.connect,
      },
    },
    {
      command: 'npx tsx tests/support/fake-stripe-server.ts',
      url: `http://127.0.0.1:${FAKE_STRIPE_OFFLINE_PORT}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        FAKE_STRIPE_PORT: String(FAKE_STRIPE_OFFLINE_PORT),
        FAKE_STRIPE_WEBHOOK_URL: `http://127.0.0.1:${offlinePaymentsPort}/api/stripe/webhook`,
        FAKE_STRIPE_WEBHOOK_SECRET: E2E_WEBHOOK_SECRETS.connect,
      },
    },
  ],
});
