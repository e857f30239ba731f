// Finds the Chromium the browser tests run in, so `npm test` on a machine without one stops at
// once with the command that installs one there, instead of failing deep inside Playwright
// after lint, svelte-check, the unit tests and a build. The same finder picks the executable
// in playwright.config.ts, playwright.api.config.ts and bench/chromium.js.
//
// Order: CHROMIUM_PATH (when set, it must exist: a typo is said, not silently replaced), the
// system's Chromium or Chrome, then Playwright's own browser (`npx playwright install`).
//
// `node scripts/find-browser.js` prints nothing and exits 0 when a browser is found; otherwise
// it prints why and the install command on stderr and exits 1.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where systems put Chromium or Chrome, in the order they are tried. */
export const SYSTEM_BROWSERS = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
  ],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  ],
};

/**
 * @typedef {{ path: string, source: 'CHROMIUM_PATH' | 'system' | 'playwright' }} FoundBrowser
 * @typedef {{ found: FoundBrowser } | { found: null, reason: string }} BrowserSearch
 */

/**
 * Pure: where the browser is, given what exists.
 * @param {{
 *   env: Record<string, string | undefined>,
 *   platform: string,
 *   exists: (path: string) => boolean,
 *   playwrightPath: string | null,
 * }} where
 * @returns {BrowserSearch}
 */
export function searchBrowser({ env, platform, exists, playwrightPath }) {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    if (exists(configured)) return { found: { path: configured, source: 'CHROMIUM_PATH' } };
    return {
      found: null,
      reason: `CHROMIUM_PATH is set to ${configured}, which does not exist.`,
    };
  }
  for (const path of SYSTEM_BROWSERS[/** @type {'linux'} */ (platform)] ?? []) {
    if (exists(path)) return { found: { path, source: 'system' } };
  }
  if (playwrightPath && exists(playwrightPath)) {
    return { found: { path: playwrightPath, source: 'playwright' } };
  }
  return { found: null, reason: 'No Chromium or Chrome was found on this machine.' };
}

/**
 * Pure: the one command that gets a browser on this system. `osRelease` is the text of
 * /etc/os-release (empty when there is none).
 * @param {{ platform: string, osRelease: string }} system
 */
export function installCommand({ platform, osRelease }) {
  if (platform !== 'linux') return 'npx playwright install chromium';
  /** @param {string} name */
  const field = (name) =>
    (osRelease.match(new RegExp(`^${name}=("?)([^"\\n]*)\\1$`, 'm'))?.[2] ?? '').toLowerCase();
  const ids = [field('ID'), ...field('ID_LIKE').split(/\s+/)].filter(Boolean);
  const is = (/** @type {string} */ name) => ids.includes(name);
  // Ubuntu's apt package is a transitional one that installs the snap.
  if (is('ubuntu')) return 'sudo snap install chromium';
  if (is('debian')) return 'sudo apt-get install -y chromium';
  if (is('fedora') || is('rhel') || is('centos')) return 'sudo dnf install -y chromium';
  if (is('arch')) return 'sudo pacman -S --noconfirm chromium';
  if (is('alpine')) return 'sudo apk add chromium';
  if (is('opensuse') || is('suse')) return 'sudo zypper install -y chromium';
  return 'npx playwright install chromium';
}

/**
 * Pure: the message for a machine without a browser.
 * @param {string} reason
 * @param {string} command
 */
export function missingBrowserMessage(reason, command) {
  return [
    `The browser tests need Chromium. ${reason}`,
    `Install it with:`,
    ``,
    `  ${command}`,
    ``,
    `or set CHROMIUM_PATH to a Chromium or Chrome executable.`,
  ].join('\n');
}

/** Playwright's own Chromium (where `npx playwright install` puts it), or null. */
async function playwrightChromium() {
  try {
    const { chromium } = await import('@playwright/test');
    return chromium.executablePath() || null;
  } catch {
    return null;
  }
}

/**
 * The browser on this machine, for a caller that has Playwright's `chromium` at hand (the
 * Playwright configs): the path to launch, or null with the reason.
 * @param {string | null} playwrightPath `chromium.executablePath()`
 */
export function findBrowserWith(playwrightPath, env = process.env) {
  return searchBrowser({ env, platform: process.platform, exists: existsSync, playwrightPath });
}

/** The browser on this machine: the path to launch, or null with the reason. */
export async function findBrowser(env = process.env) {
  return findBrowserWith(await playwrightChromium(), env);
}

function readOsRelease() {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return '';
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const search = await findBrowser();
  if (!search.found) {
    const command = installCommand({ platform: process.platform, osRelease: readOsRelease() });
    console.error(missingBrowserMessage(search.reason, command));
    process.exit(1);
  }
}
