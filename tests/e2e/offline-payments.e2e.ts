// The stall's payment link with no network (docs/payments.md, "Offline: the stall's payment
// link"), against a local fake Stripe of its own (playwright.config.ts, project
// 'offline-payments'). The phone keeps the link while online; offline the till shows it as a
// QR with the sale's id, the maker confirms the customer paid, the sale is recorded awaiting
// confirmation, and once the phone syncs after the customer's payment reached the server it
// is confirmed. No request may leave this machine.
import { expect, test } from '@playwright/test';
import { connectStripe, signUpFromSyncPanel } from './pages/payments-setup';
import { SalesPage } from './pages/sales-page';
import { seriousViolations } from './pages/screens';
import { untilControlled } from './pages/service-worker';
import { Shell } from './pages/shell';
import { setUpStall } from './pages/stall-setup';
import { SyncStatusPanel } from './pages/sync-status';
import { TillPage } from './pages/till-page';
import { stayLocal } from '../support/stay-local';

test('an offline QR sale confirmed after the device syncs (Dutch); three never confirmed, a day later one written off and one received in cash, the prompt in Arabic at 360 px; and the offline payment dialog in Arabic at 360 px', async ({
  page,
  context,
  browser,
}) => {
  test.setTimeout(240_000);
  const offsite = await stayLocal(context);
  await setUpStall(page, {
    stallName: 'Bakkerij Noor',
    cashRounding: true,
    event: 'Wintermarkt Oost',
    products: [{ name: 'Desembrood', price: '3,50', vat: '9% btw', stock: '20' }],
  });

  // An account (the first on this server founds the organisation), synced once; Stripe
  // connected and ready.
  await signUpFromSyncPanel(page, {
    name: 'Noor',
    email: 'noor-offline@example.org',
    password: 'desembrood-2026',
    organisation: 'Stichting Wintermarkt',
  });
  await connectStripe(page);
  const sync = new SyncStatusPanel(page);

  // Online, the till fetches the stall's payment link and keeps it on the phone.
  const till = new TillPage(page);
  const kept = page.waitForResponse(
    (r) => r.url().endsWith('/api/payments/link') && r.status() === 200,
  );
  await till.goto();
  await kept;
  const offlineButton = page.getByRole('button', { name: 'Betalen met telefoon/pas (offline)' });
  await expect(offlineButton).toHaveCount(0);

  // No network at the stall.
  await untilControlled(page);
  await context.setOffline(true);
  await till.add('Desembrood', 2);
  await expect(
    page.getByRole('button', { name: 'Betalen met telefoon/pas', exact: true }),
  ).toHaveCount(0);
  await offlineButton.click();
  const dialog = page.getByRole('dialog', { name: 'Betalen via de betaallink van de kraam' });
  await expect(dialog.getByText('Laat de klant precies € 7,00 invullen')).toBeVisible();
  await expect(dialog.getByRole('img', { name: /QR-code van de betaallink/ })).toBeVisible();
  const link = await dialog.getByRole('link', { name: 'Betaallink openen' }).getAttribute('href');
  expect(link).toMatch(/\/link\/plink_test_\w+\?client_reference_id=[0-9a-f-]{36}$/);
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'De klant heeft op de telefoon betaald' }).click();
  await expect(dialog.getByRole('status')).toHaveText(
    'Vastgelegd, wacht op bevestiging: de bevestiging van Stripe komt binnen zodra deze telefoon synchroniseert.',
  );
  await dialog.getByRole('button', { name: 'Sluiten' }).click();
  await expect(till.completedStatus).toBeVisible();

  // The sales screen: awaiting confirmation on its own line, never counted as phone/card.
  const sales = new SalesPage(page);
  await sales.goto();
  await expect
    .poll(() => sales.tableRows('Betaalwijze'))
    .toEqual([
      ['Contant', '0', '€ 0,00'],
      ['Wacht op bevestiging', '1', '€ 7,00'],
    ]);

  // The customer pays on their own phone's network (the fake's payment link page).
  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await customer.goto(link ?? '');
  await customer.getByLabel('Amount (EUR)').fill('7.00');
  await customer.getByRole('button', { name: 'Pay' }).click();
  await expect(customer.getByRole('heading', { name: 'Paid' })).toBeVisible();
  await customerContext.close();

  // Back online: the sale goes up, Stripe's word comes down, the sale is confirmed.
  await context.setOffline(false);
  await sync.expectSynced();
  await expect
    .poll(() => sales.tableRows('Betaalwijze'), { timeout: 30_000 })
    .toEqual([
      ['Contant', '0', '€ 0,00'],
      ['Telefoon/pas', '1', '€ 7,00'],
    ]);

  // The 24-hour path (docs/payments.md step 7): three more sales on the link, offline, that
  // Stripe never confirms. A day later the sales screen asks the maker to settle them: one
  // is written off, one was paid in cash after all (the third is left for the Arabic check).
  await context.setOffline(true);
  for (let i = 0; i < 3; i++) {
    await till.goto();
    await till.add('Desembrood', 1);
    await offlineButton.click();
    await dialog.getByRole('button', { name: 'De klant heeft op de telefoon betaald' }).click();
    await dialog.getByRole('button', { name: 'Sluiten' }).click();
    await expect(till.completedStatus).toBeVisible();
  }
  await sales.goto();
  await expect
    .poll(() => sales.tableRows('Betaalwijze'))
    .toEqual([
      ['Contant', '0', '€ 0,00'],
      ['Telefoon/pas', '1', '€ 7,00'],
      ['Wacht op bevestiging', '3', '€ 10,50'],
    ]);
  const settleRegion = page.getByRole('region', {
    name: 'Na 24 uur niet bevestigd: handel het af',
  });
  await expect(settleRegion).toHaveCount(0);

  await page.clock.setFixedTime(Date.now() + 25 * 60 * 60 * 1000);
  await sales.goto();
  await expect(settleRegion).toBeVisible();
  const settleButtons = settleRegion.getByRole('button', { name: /^Verkoop .+ afhandelen$/ });
  await expect(settleButtons).toHaveCount(3);

  await settleButtons.first().click();
  const settleDialog = page.getByRole('dialog', { name: /^Verkoop .+ afhandelen$/ });
  await expect(settleDialog).toContainText('Stripe heeft de € 3,50');
  // Nothing chosen yet: the maker is asked to choose, nothing is recorded.
  await settleDialog.getByRole('button', { name: 'Afhandelen' }).click();
  await expect(settleDialog.getByRole('alert')).toHaveText('Kies wat er met het geld is gebeurd.');
  await settleDialog.getByRole('radio', { name: 'Nooit betaald: afschrijven' }).check();
  expect(await seriousViolations(page)).toEqual([]);
  await settleDialog.getByRole('button', { name: '€ 3,50 afschrijven' }).click();
  await expect(settleDialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: /afgeschreven\.$/ })).toBeVisible();

  await expect(settleButtons).toHaveCount(2);
  await settleButtons.first().click();
  await settleDialog.getByRole('radio', { name: 'Toch contant ontvangen' }).check();
  await settleDialog.getByLabel('Notitie (niet verplicht)').fill('Kwam later terug met contant');
  await settleDialog.getByRole('button', { name: '€ 3,50 als contant boeken' }).click();
  await expect(settleDialog).toBeHidden();
  await expect(settleButtons).toHaveCount(1);
  const settledSplit = [
    ['Contant', '1', '€ 3,50'],
    ['Telefoon/pas', '1', '€ 7,00'],
    ['Wacht op bevestiging', '1', '€ 3,50'],
    ['Afgeschreven', '1', '€ 3,50'],
  ];
  await expect.poll(() => sales.tableRows('Betaalwijze')).toEqual(settledSplit);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // Back to today's clock and online: the settlements go up and the split stays.
  await page.clock.setFixedTime(Date.now());
  await context.setOffline(false);
  await sales.goto();
  await sync.expectSynced();
  await expect
    .poll(() => sales.tableRows('Betaalwijze'), { timeout: 30_000 })
    .toEqual(settledSplit);

  // The prompt and its dialog in Arabic, right to left, at 360 px.
  const shell = new Shell(page);
  await shell.switchLanguage('Taal', 'العربية');
  await shell.expectDocumentLanguage('ar', 'rtl');
  await page.clock.setFixedTime(Date.now() + 25 * 60 * 60 * 1000);
  await page.goto('/sales');
  const arabicRegion = page.getByRole('region', { name: 'لم يُؤكَّد بعد 24 ساعة: قم بتسويته' });
  await arabicRegion.getByRole('button', { name: /^تسوية عملية البيع / }).click();
  const arabicSettle = page.getByRole('dialog', { name: /^تسوية عملية البيع / });
  await expect(arabicSettle.getByRole('radio', { name: 'لم يُدفع أبدًا: اشطبه' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(arabicSettle).toBeHidden();
  await page.clock.setFixedTime(Date.now());

  // Arabic, 360 px, right to left: the offline payment dialog (the till's page object waits
  // for the Dutch heading, so the page is opened by its URL).
  await page.goto('/till');
  await shell.expectDocumentLanguage('ar', 'rtl');
  await context.setOffline(true);
  await page
    .getByRole('button', { name: /Desembrood/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'الدفع بالهاتف/البطاقة (دون اتصال)' }).click();
  const arabic = page.getByRole('dialog', { name: 'الدفع عبر رابط الدفع الخاص بالكشك' });
  await expect(arabic.getByRole('button', { name: 'دفع الزبون على هاتفه' })).toBeVisible();
  await expect(arabic.getByRole('img', { name: /رمز QR/ })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await seriousViolations(page)).toEqual([]);
  await arabic.getByRole('button', { name: 'لم يدفع' }).click();
  await expect(arabic).toBeHidden();
  await context.setOffline(false);
  expect(offsite).toEqual([]);
});
