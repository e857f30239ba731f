// Launches Debian's Chromium (or Playwright's own on a laptop) for the benchmarks.
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // performance.memory in whole bytes (the exports benchmark's heap peak), not rounded buckets.
  '--enable-precise-memory-info',
];

export function executablePath() {
  const candidate = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : undefined;
}

export function launch(options = {}) {
  return chromium.launch({ executablePath: executablePath(), args: chromiumArgs, ...options });
}

export function launchPersistent(userDataDir, options = {}) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: executablePath(),
    args: chromiumArgs,
    ...options,
  });
}
