// Content-Security-Policy checks for the browser tests.
import { expect, type Page } from '@playwright/test';

/** Collects every CSP violation the page reports (console and securitypolicyviolation). */
export async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('__reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation(text: string): void })
        .__reportCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  return violations;
}

/**
 * Proves a policy is in force: an inline script injected into the page does not run, and
 * both the console and the page report it (reports arrive asynchronously: wait for both).
 */
export async function expectInlineScriptBlocked(page: Page, violations: string[]): Promise<void> {
  const before = violations.length;
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.body.append(script);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran, 'an injected inline script must not run').toBe(false);
  await expect.poll(() => violations.length - before).toBe(2);
}
