import { expect, test, type Locator, type Page } from '@playwright/test';
import { seriousViolations } from './pages/screens';
import { SalesPage } from './pages/sales-page';
import { setUpStall } from './pages/stall-setup';
import { TillPage } from './pages/till-page';
import { Shell } from './pages/shell';

// The customer's phone speaks Dutch: the receipt opens in the phone's language.
test.use({ viewport: { width: 360, height: 740 }, locale: 'nl-NL' });

/** The value (dd) beside a term (dt) on the receipt. */
function fact(scope: Locator, term: string | RegExp): Locator {
  return scope
    .getByRole('term')
    .filter({ hasText: term })
    .locator('xpath=following-sibling::dd[1]');
}

/** Opens the QR dialog's link (the URL the QR code holds) and returns it. */
async function receiptUrlFromDialog(page: Page, receipt: number): Promise<string> {
  const dialog = page.getByRole('dialog', { name: `Bon #${receipt} voor de klant` });
  await expect(dialog).toBeVisible();
  await expect(
    dialog.getByRole('img', { name: `QR-code met de link naar bon #${receipt}` }),
  ).toBeVisible();
  const href = await dialog
    .getByRole('link', { name: 'Bon openen op deze telefoon' })
    .getAttribute('href');
  expect(href).toMatch(/\/r#1\.[A-Za-z0-9_-]+$/);
  return href as string;
}

test('receipts: sell offline, give the receipt QR, open it offline in Dutch, Arabic and Tigrinya; the server never sees it', async ({
  page,
  context,
}) => {
  await setUpStall(page, {
    stallName: 'Theehuis Amal',
    cashRounding: true,
    event: 'Bazaar West',
    products: [
      { name: 'Muntthee', price: '2,48', vat: '9% btw' },
      { name: 'Theeglas', price: '4,00', vat: '21% btw' },
      { name: 'Kaars', price: '8,00', vat: 'geen btw (KOR)' },
    ],
  });

  // The maker's numbers, checked with a clear message, then saved.
  await page.goto('/settings');
  const kvk = page.getByRole('textbox', { name: 'KvK-nummer (niet verplicht)' });
  const vat = page.getByRole('textbox', { name: 'Btw-nummer (niet verplicht)' });
  await kvk.fill('1234');
  await vat.fill('NL12B01');
  await page.getByRole('button', { name: 'Bongegevens bewaren' }).click();
  await expect(kvk).toHaveAttribute('aria-invalid', 'true');
  await expect(kvk).toHaveAccessibleDescription(/precies 8 cijfers/);
  await expect(vat).toHaveAccessibleDescription(/NL, 9 cijfers, B en 2 cijfers/);
  await kvk.fill('1234 5678');
  await vat.fill('nl123456789b01');
  await page.getByRole('button', { name: 'Bongegevens bewaren' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'De instellingen zijn opgeslagen.' }),
  ).toBeVisible();

  const till = new TillPage(page);
  await till.goto();
  await new Shell(page).waitForServiceWorkerControl();

  // Every request from here on, the service worker's included.
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));

  await context.setOffline(true);
  await page.reload();
  await till.expectReady();

  // 2 x 2,48 + 4,00 = 8,96, rounded to 8,95 in cash; paid with 10 euros.
  await till.add('Muntthee', 2);
  await till.add('Theeglas');
  await till.payWithQuickAmount('€ 10,00');
  await till.complete();
  await till.expectCompleted(1, '€ 1,05');

  // The QR code library is not part of the till's first load: it arrives when asked for.
  const beforeReceipt = requests.length;
  expect(requests.some((request) => /qrcode/i.test(request))).toBe(false);
  await page.getByRole('button', { name: 'Bon voor de klant' }).click();
  const url = await receiptUrlFromDialog(page, 1);
  expect(requests.slice(beforeReceipt).filter((request) => request.endsWith('.js'))).not.toEqual(
    [],
  );
  const dialog = page.getByRole('dialog', { name: 'Bon #1 voor de klant' });
  expect(await seriousViolations(page), 'QR dialog').toEqual([]);
  await dialog.getByRole('button', { name: 'Sluiten' }).click();
  const fragment = url.slice(url.indexOf('#') + 1);

  // The customer's phone: a new page of the same context, still offline.
  const receiptPage = await context.newPage();
  await receiptPage.goto(url);
  const receipt = receiptPage.getByRole('article');
  await expect(receiptPage.getByRole('heading', { level: 1, name: 'Bon #1' })).toBeVisible();
  await expect(receipt.getByText('Theehuis Amal')).toBeVisible();
  await expect(fact(receipt, 'KvK-nummer')).toHaveText('12345678');
  await expect(fact(receipt, 'Btw-nummer')).toHaveText('NL123456789B01');
  const year = String(new Date().getFullYear());
  await expect(fact(receipt, 'Datum en tijd')).toContainText(year);
  await expect(fact(receipt, 'Datum en tijd')).toHaveText(/\d{2}:\d{2}$/);
  const lines = receipt.getByRole('table', { name: 'Gekochte artikelen' });
  await expect(lines.getByRole('row', { name: /Muntthee/ })).toContainText('2 × € 2,48');
  await expect(lines.getByRole('row', { name: /Muntthee/ })).toContainText('€ 4,96');
  await expect(lines.getByRole('row', { name: /Theeglas/ })).toContainText('€ 4,00');
  await expect(lines.getByRole('row', { name: /Totaal/ })).toContainText('€ 8,96');
  // VAT per rate: 4,00 at 21% holds 0,69; 4,96 at 9% holds 0,41.
  await expect(fact(receipt, '21% btw over € 4,00')).toHaveText('€ 0,69');
  await expect(fact(receipt, '9% btw over € 4,96')).toHaveText('€ 0,41');
  await expect(fact(receipt, 'Afronding contant')).toContainText('0,01');
  await expect(fact(receipt, 'Te betalen')).toHaveText('€ 8,95');
  await expect(fact(receipt, 'Contant ontvangen')).toHaveText('€ 10,00');
  await expect(fact(receipt, 'Wisselgeld')).toHaveText('€ 1,05');
  await expect(receiptPage.getByRole('button', { name: 'Afdrukken' })).toBeVisible();
  // Headless Chromium has no navigator.share: the page offers to copy the link instead.
  await expect(receiptPage.getByRole('button', { name: 'Link kopiëren' })).toBeVisible();
  expect(await seriousViolations(receiptPage), 'receipt page in Dutch').toEqual([]);

  // The customer reads it in Arabic (right to left), then in Tigrinya.
  const language = receiptPage.getByRole('combobox', { name: 'Taal van de bon' });
  await language.selectOption('ar');
  await expect(receiptPage.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(receiptPage.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(receiptPage.getByRole('heading', { level: 1, name: 'الإيصال رقم 1' })).toBeVisible();
  await expect(fact(receipt, 'رقم السجل التجاري (KvK)')).toHaveText('12345678');
  await expect(fact(receipt, 'الباقي')).toContainText('1.05');
  expect(await seriousViolations(receiptPage), 'receipt page in Arabic').toEqual([]);
  await receiptPage.getByRole('combobox', { name: 'لغة الإيصال' }).selectOption('ti');
  await expect(receiptPage.locator('html')).toHaveAttribute('lang', 'ti');
  await expect(receiptPage.locator('html')).toHaveAttribute('dir', 'ltr');
  // Tigrinya month names (browsers have no Tigrinya dates: src/lib/domain/locales.ts).
  await expect(
    receipt
      .locator('dd')
      .filter({ hasText: /[\u1200-\u137F]/ })
      .first(),
  ).toBeVisible();
  await expect(receipt.getByText('Theehuis Amal')).toBeVisible();

  // A second sale, all without VAT (KOR), shown again later from the sales list.
  await till.add('Kaars');
  await till.payWithQuickAmount('€ 10,00');
  await till.complete();
  await till.expectCompleted(2, '€ 2,00');
  const sales = new SalesPage(page);
  await sales.goto();
  await page.getByRole('button', { name: 'Bon #2 voor de klant' }).click();
  const korUrl = await receiptUrlFromDialog(page, 2);
  await receiptPage.goto(korUrl);
  await receiptPage.getByRole('combobox').selectOption('nl');
  await expect(receiptPage.getByRole('heading', { level: 1, name: 'Bon #2' })).toBeVisible();
  await expect(receiptPage.getByText('btw-vrijgesteld (KOR)')).toBeVisible();

  // The receipt never left the phones: no request carried its data.
  const korFragment = korUrl.slice(korUrl.indexOf('#') + 1);
  for (const data of [fragment, korFragment]) {
    const probe = data.slice(2, 42);
    expect(requests.filter((request) => request.includes(probe))).toEqual([]);
  }
  expect(requests.filter((request) => request.includes('Muntthee'))).toEqual([]);
});

test('receipts: a damaged or hostile link gives a clear page, never a crash or a script', async ({
  page,
}) => {
  const alerts: string[] = [];
  page.on('dialog', (d) => {
    alerts.push(d.message());
    void d.dismiss();
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const encode = (payload: unknown) =>
    `1.${Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')}`;
  const valid = [
    'Bakkerij Amal',
    null,
    null,
    9,
    1_765_029_909,
    'cash',
    [['Brood', 2, 350, 700, 9]],
    [[9, 700, 58]],
    700,
    0,
    1000,
    300,
  ];

  for (const hash of [
    '1.@@@@',
    `1.${'A'.repeat(100_000)}`,
    encode(['Bak\u202Eker', ...valid.slice(1)]),
    encode(['Bak\u0000ker', ...valid.slice(1)]),
    encode([...valid.slice(0, 3), -1, ...valid.slice(4)]),
    encode([...valid.slice(0, 8), 2 ** 53, ...valid.slice(9)]),
  ]) {
    await page.goto(`/r#${hash}`);
    await expect(
      page.getByRole('heading', { level: 1, name: 'Deze bon kan niet worden gelezen' }),
    ).toBeVisible();
    await page.goto('about:blank');
  }

  // Markup in a name is shown as text, never run.
  const script = '<img src=x onerror=alert(1)>';
  await page.goto(`/r#${encode([script, ...valid.slice(1)])}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Bon #9' })).toBeVisible();
  await expect(page.getByText(script)).toBeVisible();
  expect(alerts).toEqual([]);
  expect(errors).toEqual([]);
  expect(await seriousViolations(page)).toEqual([]);
});
