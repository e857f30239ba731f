import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';

const port = Number(process.env.E2E_PORT ?? 4173);
const dataDir = process.env.E2E_DATA_DIR ?? 'tmp/e2e-data';
/**
 * Tests that found an organisation (the first sign-up on a fresh server) each get a server
 * of their own, so they never race for being first: the device tests (sync) on `port`, the
 * organiser tests (tests/e2e/organiser*.e2e.ts) on `port + 1`, and the organiser's people
 * and editions (tests/e2e/organiser-people.e2e.ts, issue 12) on `port + 2`.
 */
const organiserPort = port + 1;
const peoplePort = port + 2;
const organiserTests = /organiser.*\.e2e\.ts$/;
const peopleTests = /organiser-people\.e2e\.ts$/;

function server(serverPort: number, folder: string) {
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
    },
  };
}

/** Debian's Chromium (CI and this machine); Playwright's own browser on a developer laptop. */
function chromiumPath(): string | undefined {
  const candidate = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : undefined;
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
      testIgnore: organiserTests,
      use: { viewport: { width: 360, height: 740 } },
    },
    {
      name: 'organiser',
      testMatch: organiserTests,
      testIgnore: peopleTests,
      use: { baseURL: `http://127.0.0.1:${organiserPort}`, viewport: { width: 360, height: 740 } },
    },
    {
      name: 'organiser-people',
      testMatch: peopleTests,
      use: { baseURL: `http://127.0.0.1:${peoplePort}`, viewport: { width: 1280, height: 800 } },
    },
  ],
  // On an EMPTY data folder every run (tests/e2e/start-server.js): the first sign-up on a
  // fresh server founds the organisation, and the sync tests rely on being that first one.
  webServer: [
    server(port, dataDir),
    server(organiserPort, `${dataDir}-organiser`),
    server(peoplePort, `${dataDir}-people`),
  ],
});
