// "My sales" (issue 9, history across events): a maker with sales at two events, one of them
// partly refunded, compares them side by side, offline, in Dutch and in Arabic at 360 px; the
// figures are those of each event's own summary on the sales screen.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { CatalogEventsPage } from './pages/catalog-app';
import { SalesPage } from './pages/sales-page';
import { Shell } from './pages/shell';
import { setUpStall } from './pages/stall-setup';
import { TillPage } from './pages/till-page';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function sell(till: TillPage, items: [string, number][], exact: string): Promise<void> {
  for (const [name, times] of items) await till.add(name, times);
  await till.payWithQuickAmount(`Gepast ${exact}`);
  await till.complete();
  await expect(till.payment).toBeHidden();
}

/** Text as a person reads it: money has no-break spaces, Arabic may carry direction marks. */
function normalize(text: string): string {
  return text
    .replace(/[\u200e\u200f\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

async function rows(page: Page, table: string): Promise<string[][]> {
  const found = page.getByRole('table', { name: table }).locator('tbody tr');
  const texts: string[][] = [];
  for (const row of await found.all()) {
    texts.push((await row.locator('th, td').allInnerTexts()).map(normalize));
  }
  return texts;
}

test('My sales: two events side by side, one refunded, offline, in Dutch and in Arabic at 360 px; the figures are those of each event’s summary', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await setUpStall(page, {
    stallName: 'Atelier Noor',
    cashRounding: false,
    event: 'Voorjaarsmarkt',
    products: [
      { name: 'Sjaal', price: '25,00', vat: '21% btw' },
      { name: 'Zeep', price: '4,50', vat: '21% btw' },
    ],
  });
  const till = new TillPage(page);
  const shell = new Shell(page);
  const sales = new SalesPage(page);
  await till.goto();
  await new Shell(page).waitForServiceWorkerControl();
  await context.setOffline(true);

  // Voorjaarsmarkt: two scarves and a soap (#1), a soap (#2).
  await till.goto();
  await sell(
    till,
    [
      ['Sjaal', 2],
      ['Zeep', 1],
    ],
    '€ 54,50',
  );
  await sell(till, [['Zeep', 1]], '€ 4,50');
  await sales.goto();
  await sales.expectFigures({ Omzet: '€ 59,00', Verkopen: '2' });

  // Zomermarkt: a scarf (#3), two soaps (#4), then one soap of #4 goes back.
  const events = new CatalogEventsPage(page);
  await events.goto();
  await events.create({ name: 'Zomermarkt', place: 'Utrecht' });
  await events.select('Zomermarkt');
  await till.goto();
  await sell(till, [['Sjaal', 1]], '€ 25,00');
  await sell(till, [['Zeep', 2]], '€ 9,00');
  await sales.goto();
  await page.getByRole('button', { name: /^Bon #\u2066?4\u2069? bekijken$/ }).click();
  const saleDialog = page.getByRole('dialog', { name: /^Bon #\u2066?4\u2069?$/ });
  await saleDialog.getByRole('button', { name: 'Terugbetalen', exact: true }).click();
  const refund = page.getByRole('dialog', { name: /^Terugbetalen van bon/ });
  await refund.getByRole('radio', { name: 'Gekozen artikelen' }).check();
  await refund.getByRole('spinbutton', { name: 'Zeep: hoeveel terug (hoogstens 2)' }).fill('1');
  await refund.getByRole('textbox', { name: 'Reden' }).fill('Verkeerde geur');
  await refund.getByRole('button', { name: 'Terugbetaling vastleggen' }).click();
  await expect(saleDialog.getByRole('status')).toContainText('terugbetaald');
  await saleDialog.getByRole('button', { name: 'Terug', exact: true }).click();
  await sales.expectFigures({
    Omzet: '€ 29,50',
    Verkopen: '2',
    'Gemiddelde verkoop': '€ 14,75',
    Artikelen: '2',
  });

  // From the sales screen to My sales, still offline, after a cold start.
  await page.getByRole('link', { name: 'Mijn verkopen over alle evenementen' }).click();
  await expect(page.getByRole('heading', { name: 'Mijn verkopen', level: 1 })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Mijn verkopen', level: 1 })).toBeVisible();
  const year = page.getByRole('region', { name: /tot nu toe$/ });
  const figure = (region: typeof year, term: string) =>
    region
      .getByRole('term')
      .filter({ hasText: new RegExp(`^${term}$`) })
      .locator('xpath=following-sibling::dd[1]');
  await expect(figure(year, 'Omzet')).toHaveText('€ 88,50');
  await expect(figure(year, 'Verkopen')).toHaveText('4');
  await expect(figure(year, 'Gemiddelde verkoop')).toHaveText('€ 22,13');
  await expect(page.getByText('2 evenementen met verkopen')).toBeVisible();
  const perEvent = await rows(page, 'Omzet per evenement');
  expect(perEvent.map((r) => [r[0]?.split(' ')[0], r[1], r[2]])).toEqual([
    // Both on today's date: by name.
    ['Voorjaarsmarkt', '2', '€ 59,00'],
    ['Zomermarkt', '2', '€ 29,50'],
  ]);
  const best = page.getByRole('region', { name: /^Best verkocht in / });
  await expect(best.getByRole('listitem').first()).toContainText('Sjaal');

  // Side by side: the first event in the list, the next beside it; no series on this phone.
  const compare = page.getByRole('region', { name: 'Twee evenementen naast elkaar' });
  await expect(compare.getByRole('combobox', { name: 'Eerste evenement' })).toHaveValue(/.+/);
  await expect(compare).toContainText('hoort niet bij een reeks');
  const sideBySide = await rows(page, 'Twee evenementen naast elkaar');
  expect(sideBySide.slice(0, 4)).toEqual([
    ['Omzet', '€ 59,00', '€ 29,50', '+€ 29,50'],
    ['Verkopen', '2', '2', '0'],
    ['Artikelen', '4', '2', '+2'],
    ['Gemiddelde verkoop', '€ 29,50', '€ 14,75', '+€ 14,75'],
  ]);
  expect(sideBySide.find((r) => r[0] === 'Terugbetaald')).toEqual([
    'Terugbetaald',
    '€ 0,00 · 0 terugbetalingen',
    '€ 4,50 · 1 terugbetaling',
    '−€ 4,50',
  ]);
  // The other way round: pick the summer market first.
  const pick = async (name: string, event: string) => {
    const select = compare.getByRole('combobox', { name });
    const value = await select.locator('option', { hasText: event }).getAttribute('value');
    await select.selectOption(value ?? '');
  };
  await pick('Eerste evenement', 'Zomermarkt');
  await pick('Tweede evenement', 'Voorjaarsmarkt');
  expect((await rows(page, 'Twee evenementen naast elkaar'))[0]).toEqual([
    'Omzet',
    '€ 29,50',
    '€ 59,00',
    '−€ 29,50',
  ]);
  await page.getByText('Als tabel tonen').click();
  expect(await seriousViolations(page), 'My sales (nl)').toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // Arabic, right to left, still offline.
  await shell.switchLanguage('Taal', 'العربية');
  await shell.expectDocumentLanguage('ar', 'rtl');
  await expect(page.getByRole('heading', { name: 'مبيعاتي', level: 1 })).toBeVisible();
  await expect(page.getByText(/^2 فعاليتان فيهما مبيعات$/)).toBeVisible();
  const arCompare = page.getByRole('region', { name: 'فعاليتان جنبًا إلى جنب' });
  await expect(arCompare.getByRole('combobox', { name: 'الفعالية الأولى' })).toBeVisible();
  const arRows = await rows(page, 'فعاليتان جنبًا إلى جنب');
  expect(arRows[0]?.[0]).toBe('الإيرادات');
  expect(arRows[0]?.slice(1).map((c) => c.replace(/[^0-9,.٫+−-]/g, ''))).toEqual([
    expect.stringMatching(/^29[.,٫]50$/),
    expect.stringMatching(/^59[.,٫]00$/),
    expect.stringMatching(/^−29[.,٫]50$/),
  ]);
  expect(await seriousViolations(page), 'My sales (ar)').toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
