// The browser finder `npm test` runs before anything else (scripts/find-browser.js).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  installCommand,
  missingBrowserMessage,
  searchBrowser,
} from '../../scripts/find-browser.js';

const only =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';
const FEDORA = 'NAME="Fedora Linux"\nID=fedora\n';
const ROCKY = 'ID="rocky"\nID_LIKE="rhel centos fedora"\n';
const ARCH = 'NAME="Arch Linux"\nID=arch\n';
const ALPINE = 'ID=alpine\n';

describe('searchBrowser', () => {
  const playwrightPath = '/home/me/.cache/ms-playwright/chromium-1/chrome-linux64/chrome';

  it('takes CHROMIUM_PATH first when it exists', () => {
    const search = searchBrowser({
      env: { CHROMIUM_PATH: '/opt/chrome/chrome' },
      platform: 'linux',
      exists: only('/opt/chrome/chrome', '/usr/bin/chromium'),
      playwrightPath,
    });
    expect(search.found).toEqual({ path: '/opt/chrome/chrome', source: 'CHROMIUM_PATH' });
  });

  it('says so when CHROMIUM_PATH names nothing (never silently another browser)', () => {
    const search = searchBrowser({
      env: { CHROMIUM_PATH: '/opt/typo/chrome' },
      platform: 'linux',
      exists: only('/usr/bin/chromium'),
      playwrightPath,
    });
    expect(search).toEqual({
      found: null,
      reason: 'CHROMIUM_PATH is set to /opt/typo/chrome, which does not exist.',
    });
  });

  it("takes the system's Chromium, then Chrome, before Playwright's own", () => {
    const find = (...paths: string[]) =>
      searchBrowser({ env: {}, platform: 'linux', exists: only(...paths), playwrightPath }).found;
    expect(find('/usr/bin/chromium', playwrightPath)?.path).toBe('/usr/bin/chromium');
    expect(find('/usr/bin/chromium-browser')?.path).toBe('/usr/bin/chromium-browser');
    expect(find('/usr/bin/google-chrome', playwrightPath)).toEqual({
      path: '/usr/bin/google-chrome',
      source: 'system',
    });
    expect(find(playwrightPath)).toEqual({ path: playwrightPath, source: 'playwright' });
  });

  it('finds nothing on a machine without any browser', () => {
    const search = searchBrowser({
      env: { CHROMIUM_PATH: '' },
      platform: 'linux',
      exists: () => false,
      playwrightPath,
    });
    expect(search).toEqual({
      found: null,
      reason: 'No Chromium or Chrome was found on this machine.',
    });
  });

  it('looks where each system keeps its browser', () => {
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(
      searchBrowser({ env: {}, platform: 'darwin', exists: only(mac), playwrightPath: null }).found
        ?.path,
    ).toBe(mac);
    expect(
      searchBrowser({
        env: {},
        platform: 'darwin',
        exists: only('/usr/bin/chromium'),
        playwrightPath: null,
      }).found,
    ).toBeNull();
  });
});

describe('installCommand', () => {
  it('names the one command for the system', () => {
    const linux = (osRelease: string) => installCommand({ platform: 'linux', osRelease });
    expect(linux(DEBIAN)).toBe('sudo apt-get install -y chromium');
    expect(linux(UBUNTU)).toBe('sudo snap install chromium');
    expect(linux(FEDORA)).toBe('sudo dnf install -y chromium');
    expect(linux(ROCKY)).toBe('sudo dnf install -y chromium');
    expect(linux(ARCH)).toBe('sudo pacman -S --noconfirm chromium');
    expect(linux(ALPINE)).toBe('sudo apk add chromium');
    expect(linux('')).toBe('npx playwright install chromium');
    expect(installCommand({ platform: 'darwin', osRelease: '' })).toBe(
      'npx playwright install chromium',
    );
    expect(installCommand({ platform: 'win32', osRelease: '' })).toBe(
      'npx playwright install chromium',
    );
  });

  it('puts the command on a line of its own in the message', () => {
    const message = missingBrowserMessage('No Chromium.', 'sudo apt-get install -y chromium');
    expect(message.split('\n')).toContain('  sudo apt-get install -y chromium');
  });
});

describe('node scripts/find-browser.js', () => {
  it('stops at once (exit 1) with the command when no browser is there', () => {
    let failure: { status: number; stderr: string } | null = null;
    try {
      execFileSync(process.execPath, ['scripts/find-browser.js'], {
        env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
        stdio: 'pipe',
      });
    } catch (error) {
      const e = error as { status: number; stderr: Buffer };
      failure = { status: e.status, stderr: e.stderr.toString() };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toContain('The browser tests need Chromium.');
    expect(failure?.stderr).toMatch(/^ {2}\S.*chromium$/m);
  });

  it('is quiet and succeeds where a browser is', () => {
    const out = execFileSync(process.execPath, ['scripts/find-browser.js'], {
      env: { ...process.env, CHROMIUM_PATH: process.execPath },
      stdio: 'pipe',
    });
    expect(out.toString()).toBe('');
  });
});

describe('npm test', () => {
  it('looks for the browser before anything else', async () => {
    const { default: pkg } = (await import('../../package.json')) as {
      default: { scripts: Record<string, string> };
    };
    for (const script of ['test', 'test:e2e', 'test:api']) {
      expect(pkg.scripts[script]?.startsWith('node scripts/find-browser.js && ')).toBe(true);
    }
  });
});
