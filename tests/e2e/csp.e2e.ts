// The Content-Security-Policy is on and the app works under it: a till sale (with a product
// photo, downscaled on the device), the organiser area and a public page report no CSP
// violation, while an injected inline script is refused.
import { expect, test, type Page } from '@playwright/test';
import { makePng } from './pages/catalog-files';
import { setUpStall } from './pages/stall-setup';
import { Shell } from './pages/shell';
import { TillPage } from './pages/till-page';

/** Collects every CSP violation the page reports (console and securitypolicyviolation). */
async function watchCsp(page: Page): Promise<string[]> {
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
async function expectInlineScriptBlocked(page: Page, violations: string[]): Promise<void> {
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

test('a till sale with a product photo runs under the Content-Security-Policy without a single violation', async ({
  page,
}) => {
  const violations = await watchCsp(page);
  await setUpStall(page, {
    stallName: 'Bakkerij Noor',
    cashRounding: false,
    event: 'Buurtmarkt Oost',
    products: [
      {
        name: 'Desembrood',
        price: '3,50',
        vat: '9% btw',
        photo: {
          name: 'brood.png',
          mimeType: 'image/png',
          buffer: makePng(1200, 800, [180, 120, 60]),
        },
      },
    ],
  });
  const till = new TillPage(page);
  await new Shell(page).goTo('Kassa');
  await till.expectReady();
  await expect(till.tile('Desembrood').locator('img')).toBeVisible();
  await till.add('Desembrood');
  await till.payWithQuickAmount(/Gepast/);
  await till.complete();
  await till.expectCompleted(1, '€ 0,00');
  // A fresh load of a device screen (the prerendered shell with its hashed start script).
  await page.reload();
  await till.expectReady();
  expect(violations).toEqual([]);

  await expectInlineScriptBlocked(page, violations);
});

test('the organiser area and a public page load under the Content-Security-Policy without a violation', async ({
  page,
}) => {
  const violations = await watchCsp(page);
  await page.goto('/organise');
  // Signed out: the organiser area's scripts ask the API and then ask for a sign-in.
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('link', { name: /^(Inloggen|Sign in)$/ })).toBeVisible();
  expect(violations).toEqual([]);
  await expectInlineScriptBlocked(page, violations);

  violations.length = 0;
  const response = await page.goto('/m/no-such-maker');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});
