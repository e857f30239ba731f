// The cash book per event day (issue 9, src/lib/domain/cashbook.ts): opened with a float,
// cash sales and a refund in it, an expense and a private withdrawal, the warning before it
// would go negative, the count by notes and coins, the difference, and the numbered day
// report; offline, and once online the server has it. Runs on a server of its own
// (playwright.config.ts, project 'cashbook'): the maker here signs up first.
import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { seriousViolations } from './pages/screens';
import { untilControlled } from './pages/service-worker';
import { Shell } from './pages/shell';
import { setUpStall } from './pages/stall-setup';
import { SyncStatusPanel } from './pages/sync-status';
import { TillPage } from './pages/till-page';

async function sell(till: TillPage, name: string, times: number, exact: string): Promise<void> {
  await till.add(name, times);
  await till.payWithQuickAmount(`Gepast ${exact}`);
  await till.complete();
  await expect(till.payment).toBeHidden();
}

/** The value (dd) beside a term (dt) in a region. */
function figure(page: Page, term: string | RegExp) {
  return page
    .getByRole('main')
    .getByRole('term')
    .filter({ hasText: term })
    .locator('xpath=following-sibling::dd[1]');
}

/** The day reports the server feeds to the maker's devices that read the cash book. */
async function serverReports(request: APIRequestContext) {
  const response = await request.post('/api/sync/pull', {
    data: {
      protocol: 1,
      deviceId: randomUUID(),
      cursor: null,
      limit: 1000,
      features: ['cashbook'],
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  const body = (await response.json()) as { changes: { entity: string; data: unknown }[] };
  return body.changes
    .filter((c) => c.entity === 'cash_report')
    .map(
      (c) =>
        c.data as {
          number: number;
          countedCents: number;
          differenceCents: number;
          movements: { description: string }[];
          pieces: Record<string, number> | null;
        },
    );
}

test('Dutch, 360 px, offline: open the day with a float, sell for cash, refund one, an expense and a private withdrawal, the warning before negative, count by notes and coins, close to report nr. 1; online the server has it', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await setUpStall(page, {
    stallName: 'Bakkerij Noor',
    cashRounding: false,
    event: 'Wintermarkt Oost',
    products: [{ name: 'Desembrood', price: '3,50', vat: '9% btw' }],
  });
  const shell = new Shell(page);
  const sync = new SyncStatusPanel(page);
  await sync.open();
  await sync.backup.click();
  await page.getByRole('button', { name: 'Nog geen account? Maak er een' }).click();
  await page.getByLabel('Je naam').fill('Noor');
  await page.getByLabel('E-mail').fill('noor@example.org');
  await page.getByLabel('Wachtwoord').fill('desembrood-2026');
  await page.getByLabel('Naam van je organisatie').fill('Stichting Wintermarkt');
  await page.getByRole('button', { name: 'Account maken', exact: true }).click();
  await expect(page.getByText('Ingelogd als Noor (noor@example.org)')).toBeVisible();
  const till = new TillPage(page);
  await till.goto();
  await till.expectReady();
  // The offline reloads below are served by the service worker: wait until it controls the page.
  await untilControlled(page);
  await till.expectReady();

  await context.setOffline(true);
  await expect(shell.status).toContainText('Offline');
  await shell.goTo('Verkopen');
  await page.getByRole('link', { name: 'Kasboek van deze dag' }).click();
  await expect(page.getByRole('heading', { name: 'Kasboek', level: 1 })).toBeVisible();
  expect(await seriousViolations(page), 'cash book, not open').toEqual([]);
  await page.getByLabel('Wisselgeld bij de start (€)').fill('50');
  await page.getByRole('button', { name: 'Dag openen' }).click();
  await expect(page.getByRole('heading', { name: '0 kasmutaties' })).toBeVisible();

  // Three loaves in two cash sales, then the second sale refunded whole.
  await shell.goTo('Kassa');
  await sell(till, 'Desembrood', 2, '€ 7,00');
  await sell(till, 'Desembrood', 1, '€ 3,50');
  await shell.goTo('Verkopen');
  await page.getByRole('button', { name: /^Bon #\u2066?(?:[A-Z]+-)?2\u2069? bekijken$/ }).click();
  const saleDialog = page.getByRole('dialog', { name: /^Bon / });
  await saleDialog.getByRole('button', { name: 'Terugbetalen', exact: true }).click();
  const refund = page.getByRole('dialog', { name: /^Terugbetalen van bon / });
  await refund.getByRole('textbox', { name: 'Reden' }).fill('Verkeerd brood');
  await refund.getByRole('button', { name: 'Terugbetaling vastleggen' }).click();
  await expect(saleDialog.getByRole('status')).toContainText('terugbetaald');
  await saleDialog.getByRole('button', { name: 'Terug', exact: true }).click();

  await page.getByRole('link', { name: 'Kasboek van deze dag' }).click();
  await expect(figure(page, 'Wisselgeld bij de start')).toHaveText(/€\s50,00/);
  await expect(figure(page, 'Contante verkopen')).toHaveText(/€\s10,50/);
  await expect(figure(page, 'Contant terugbetaald')).toHaveText(/3,50/);
  await expect(figure(page, 'Hoort in de geldla').first()).toHaveText(/€\s57,00/);

  await page.getByLabel('Soort').selectOption({ label: 'Uitgave, contant betaald' });
  await page.getByLabel('Omschrijving').fill('Koffie voor de buren');
  await page.getByLabel('Bedrag (€)').fill('2,50');
  await page.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(page.getByRole('heading', { name: '1 kasmutatie' })).toBeVisible();

  // A private withdrawal of € 60 would take the drawer € 5,50 below zero: warned before saving.
  await page.getByLabel('Soort').selectOption({ label: 'Privé opname' });
  await page.getByLabel('Omschrijving').fill('Lunch');
  await page.getByLabel('Bedrag (€)').fill('60');
  await expect(page.getByRole('alert')).toContainText(/€\s5,50 onder nul/);
  await expect(page.getByRole('button', { name: 'Vastleggen' })).toBeDisabled();
  expect(await seriousViolations(page), 'cash book with the warning').toEqual([]);
  await page.getByLabel('Bedrag (€)').fill('20');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(page.getByRole('heading', { name: '2 kasmutaties' })).toBeVisible();
  await expect(figure(page, 'Hoort in de geldla').first()).toHaveText(/€\s34,50/);

  // The count by notes and coins: € 20 + € 10 + 2 × € 2 = € 34,00, so € 0,50 is missing.
  await expect(page.getByRole('radio', { name: 'Per biljet en munt' })).toBeChecked();
  await page.getByLabel('Aantal biljetten van € 20,00').fill('1');
  await page.getByLabel('Aantal biljetten van € 10,00').fill('1');
  await page.getByLabel('Aantal munten van € 2,00').fill('2');
  const count = page.getByRole('form', { name: 'Tellen en de dag afsluiten' });
  await expect(figure(page, 'Geteld').last()).toHaveText(/€\s34,00/);
  await expect(count.getByRole('term').filter({ hasText: 'Verschil' })).toBeVisible();
  await expect(figure(page, 'Verschil')).toHaveText(/[-−]\s*(€\s*)?0,50/);
  expect(await seriousViolations(page), 'the count').toEqual([]);
  await page.getByRole('button', { name: 'Dag afsluiten' }).click();

  // The numbered report, read-only.
  await expect(page.getByRole('heading', { name: 'Dagrapport nr. 1' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Dag afsluiten' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Vastleggen' })).toHaveCount(0);
  await expect(page.getByRole('main')).toContainText('Koffie voor de buren');
  await expect(figure(page, 'Verschil')).toHaveText(/[-−]\s*(€\s*)?0,50/);
  expect(await seriousViolations(page), 'the day report').toEqual([]);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Dagrapport nr. 1' })).toBeVisible();

  // Online again: the server has the report, for the maker's other devices.
  await context.setOffline(false);
  await expect(shell.status).toContainText('alle verkopen verstuurd', { timeout: 30_000 });
  await expect.poll(async () => (await serverReports(context.request)).length).toBe(1);
  const [report] = await serverReports(context.request);
  expect(report).toMatchObject({
    number: 1,
    countedCents: 3400,
    differenceCents: -50,
    pieces: { '2000': 1, '1000': 1, '200': 2 },
  });
  expect(report?.movements.map((m) => m.description)).toEqual(['Koffie voor de buren', 'Lunch']);
});

test('Arabic, 360 px, right to left, offline: open, the warning before negative, count by total, the numbered report; axe clean', async ({
  page,
  context,
}) => {
  await setUpStall(page, {
    stallName: 'Atelier Samira',
    cashRounding: false,
    event: 'Ramadanmarkt',
    products: [{ name: 'Dadels', price: '3,50', vat: '9% btw' }],
  });
  const till = new TillPage(page);
  await till.goto();
  await sell(till, 'Dadels', 2, '€ 7,00');
  const shell = new Shell(page);
  await shell.switchLanguage('Taal', 'العربية');
  await shell.expectDocumentLanguage('ar', 'rtl');
  await untilControlled(page);
  await shell.expectDocumentLanguage('ar', 'rtl');
  await context.setOffline(true);
  await shell.goTo('المبيعات');
  await page.getByRole('link', { name: 'دفتر النقد لهذا اليوم' }).click();
  await expect(page.getByRole('heading', { name: 'دفتر النقد', level: 1 })).toBeVisible();
  await page.getByLabel('النقد الافتتاحي (€)').fill('10');
  await page.getByRole('button', { name: 'افتح اليوم' }).click();
  await expect(page.getByRole('heading', { name: '0 حركة نقدية' })).toBeVisible();
  await page.getByLabel('النوع').selectOption({ label: 'إيداع في البنك' });
  await page.getByLabel('الوصف').fill('إلى البنك');
  await page.getByLabel('المبلغ (€)').fill('20');
  await expect(page.getByRole('alert')).toContainText('لا يجوز أن يكون دفتر النقد سالبًا');
  expect(await seriousViolations(page), 'cash book (ar) with the warning').toEqual([]);
  await page.getByLabel('المبلغ (€)').fill('15');
  await page.getByRole('button', { name: 'تسجيل' }).click();
  await expect(page.getByRole('heading', { name: 'حركة نقدية واحدة' })).toBeVisible();
  await page.getByRole('radio', { name: 'المجموع فقط' }).check();
  await page.getByLabel('المجموع المعدود (€)').fill('2');
  await page.getByRole('button', { name: 'أغلق اليوم' }).click();
  await expect(page.getByRole('heading', { name: 'تقرير اليوم رقم 1' })).toBeVisible();
  // Nothing in the page is wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await seriousViolations(page), 'day report (ar)').toEqual([]);
});
