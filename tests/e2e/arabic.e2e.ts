import { expect, test, type Page } from '@playwright/test';
import { seriousViolations } from './pages/screens';
import { Shell } from './pages/shell';
import { setUpStall } from './pages/stall-setup';
import { TillPage } from './pages/till-page';

const screens = ['/till', '/products', '/events', '/sales', '/settings', '/welcome'];

/** Loads a screen and waits until its content (not a loading state) is there. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toBeAttached();
  await expect(page.getByRole('main').getByRole('status').filter({ hasText: /…$/ })).toHaveCount(0);
}

async function expectEveryScreenAccessible(
  page: Page,
  till: { product: RegExp; pay: string; clear: string },
): Promise<void> {
  for (const path of screens) {
    await open(page, path);
    expect(
      await seriousViolations(page),
      `${path} in ${await page.locator('html').getAttribute('lang')}`,
    ).toEqual([]);
  }
  // The till with a cart and the payment dialog open: the controls used most.
  await open(page, '/till');
  // A cart survives a reload (it is saved on the device): start from an empty one.
  const clear = page.getByRole('button', { name: till.clear });
  if (await clear.isVisible()) await clear.click();
  await page.getByRole('button', { name: till.product }).click();
  expect(await seriousViolations(page), 'till with a cart').toEqual([]);
  await page.getByRole('button', { name: till.pay }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await seriousViolations(page), 'payment dialog').toEqual([]);
}

test('Arabic: the till is right-to-left with Arabic labels, and every main screen passes axe in Dutch and Arabic', async ({
  page,
}) => {
  await setUpStall(page, {
    stallName: 'Atelier Samira',
    cashRounding: true,
    event: 'Ramadanmarkt',
    products: [
      { name: 'Geborduurde tas', price: '24,95', vat: '21% btw', stock: '3' },
      { name: 'Dadels', price: '3,50', vat: '9% btw' },
    ],
  });
  const shell = new Shell(page);
  await shell.expectDocumentLanguage('nl', 'ltr');
  await expectEveryScreenAccessible(page, {
    product: /^Geborduurde tas/,
    pay: 'Contant betalen',
    clear: 'Bon leegmaken',
  });

  const till = new TillPage(page);
  await till.goto();
  await shell.switchLanguage('Taal', 'العربية');
  await shell.expectDocumentLanguage('ar', 'rtl');
  await expect(page.getByRole('heading', { name: 'الصندوق', level: 1 })).toBeAttached();
  await expect(page.getByRole('button', { name: 'الدفع نقدًا' })).toBeVisible();
  await page.getByRole('button', { name: /^Dadels/ }).click();
  await expect(page.getByRole('button', { name: 'إضافة قطعة من Dadels' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'إنقاص قطعة من Dadels' })).toBeVisible();
  await expect(shell.nav.getByRole('link', { name: 'المبيعات' })).toBeVisible();

  // Mirrored: the first navigation item (the till) sits at the right-hand edge.
  const first = await shell.nav.getByRole('link').first().boundingBox();
  const last = await shell.nav.getByRole('link').last().boundingBox();
  expect(first && last && first.x > last.x).toBe(true);

  // The choice is remembered across a reload (Paraglide's cookie).
  await page.reload();
  await shell.expectDocumentLanguage('ar', 'rtl');
  await expect(page.getByRole('button', { name: 'الدفع نقدًا' })).toBeVisible();

  await expectEveryScreenAccessible(page, {
    product: /^Geborduurde tas/,
    pay: 'الدفع نقدًا',
    clear: 'إفراغ السلة',
  });
});
