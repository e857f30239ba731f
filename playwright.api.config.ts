// HTTP-level tests of the real built server (no browser: Playwright's `request` fixture),
// on embedded PGlite and, when TEST_DATABASE_URL is set, on PostgreSQL too.
// Each server gets a fresh database (tests/api/start-server.js).
import { chromium, defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { findBrowserWith } from './scripts/find-browser.js';
import { PGLITE_DATA_DIR, PGLITE_PORT, POSTGRES_PORT } from './tests/api/env';

const postgresUrl = process.env.TEST_DATABASE_URL;
if (!postgresUrl && process.env.REQUIRE_POSTGRES === '1') {
  throw new Error(
    'REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: refusing to skip PostgreSQL.',
  );
}

type Server = NonNullable<Extract<PlaywrightTestConfig['webServer'], unknown[]>>[number];

function server(port: number, env: Record<string, string>): Server {
  const origin = `http://127.0.0.1:${port}`;
  return {
    command: 'node tests/api/start-server.js',
    url: `${origin}/api/me`,
    // /api/me answers 401 when nobody is signed in: any answer means the server is up.
    reuseExistingServer: false,
    timeout: 90_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      ORIGIN: origin,
      // As behind a reverse proxy: the tests give each actor its own client address so
      // the per-address sign-up and sign-in rate limits apply per actor.
      ADDRESS_HEADER: 'x-forwarded-for',
      ...env,
    },
  };
}

// Each server gets a setup project that builds the test world (world.setup.ts) first.
function projectsFor(name: string, port: number, testIgnore?: RegExp) {
  const use = { baseURL: `http://127.0.0.1:${port}` };
  return [
    { name: `setup-${name}`, testMatch: /world\.setup\.ts$/, use },
    {
      name: `api-${name}`,
      use,
      dependencies: [`setup-${name}`],
      ...(testIgnore ? { testIgnore } : {}),
    },
  ];
}

/**
 * The browser scripts/find-browser.js finds (CHROMIUM_PATH, the system's, Playwright's own);
 * `npm test` runs that script first and stops with the install command when there is none.
 */
function chromiumPath(): string | undefined {
  const search = findBrowserWith(chromium.executablePath());
  return search.found?.path;
}

const projects = [
  ...projectsFor('pglite', PGLITE_PORT),
  // The account screens in a real browser, on the PGlite server's world.
  {
    name: 'ui-pglite',
    testMatch: /.*\.ui\.ts$/,
    dependencies: ['setup-pglite'],
    // A cold page load (app shell, service worker, device store) is slow on a busy CI box.
    expect: { timeout: 15_000 },
    use: {
      baseURL: `http://127.0.0.1:${PGLITE_PORT}`,
      browserName: 'chromium' as const,
      locale: 'en-US',
      viewport: { width: 360, height: 740 },
      screenshot: 'only-on-failure' as const,
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
  },
];
const webServer: Server[] = [
  server(PGLITE_PORT, { API_DB: 'pglite', API_DATA_DIR: PGLITE_DATA_DIR }),
];
if (postgresUrl) {
  // Starting a second server on the PGlite folder is a PGlite-only concern.
  projects.push(...projectsFor('postgres', POSTGRES_PORT, /server-process\.api\.ts$/));
  webServer.push(server(POSTGRES_PORT, { API_DB: 'postgres', TEST_DATABASE_URL: postgresUrl }));
}

export default defineConfig({
  testDir: 'tests/api',
  testMatch: /.*\.api\.ts$/,
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  reporter: [['list']],
  projects,
  webServer,
});
