// The Content-Security-Policy is on and the app works under it: a till sale (with a product
// photo, downscaled on the device), the organiser area and a public page report no CSP
// violation, while an injected inline script is refused.
import { expect, test } from '@playwright/test';
import { makePng } from './pages/catalog-files';
import { expectInlineScriptBlocked, watchCsp } from './pages/csp';
import { setUpStall } from './pages/stall-setup';
import { Shell } from './pages/shell';
import { TillPage } from './pages/till-page';

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
