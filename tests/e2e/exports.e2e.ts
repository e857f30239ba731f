// The accountant's exports (issue 9): a maker exports a quarter's sales journal offline, as
// Dutch CSV and as xlsx, in Dutch and in Arabic at 360 px; the test reads the downloaded
// files and checks their amounts add up to the sales summary, a refund as a negative row.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Download, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import { parseCsv } from '../../src/lib/domain/organiser/csv';
import { SalesPage } from './pages/sales-page';
import { untilControlled } from './pages/service-worker';
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

/** The current quarter in Amsterdam, as the screen offers it by default. */
function thisQuarter(): { year: number; quarter: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: 'numeric',
  }).formatToParts(Date.now());
  const year = Number(parts.find((p) => p.type === 'year')?.value);
  const month = Number(parts.find((p) => p.type === 'month')?.value);
  return { year, quarter: Math.floor((month - 1) / 3) + 1 };
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<Download> {
  const waiting = page.waitForEvent('download');
  await click();
  return waiting;
}

const cents = (text: string) => Math.round(Number(text.replace(',', '.')) * 100);

/** The xlsx's first sheet as rows of cell texts (shared strings resolved). */
function xlsxRows(bytes: Uint8Array): string[][] {
  const files = unzipSync(bytes);
  const shared = [
    ...strFromU8(files['xl/sharedStrings.xml'] ?? new Uint8Array()).matchAll(
      /<si>(?:<t[^>]*>)?([\s\S]*?)(?:<\/t>)?<\/si>/g,
    ),
  ].map((m) => m[1] ?? '');
  const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
  return [...sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<c([^>]*)>([\s\S]*?)<\/c>/g)].map(([, attributes, body]) => {
      const value =
        /<v>([\s\S]*?)<\/v>/.exec(body ?? '')?.[1] ??
        /<t[^>]*>([\s\S]*?)<\/t>/.exec(body ?? '')?.[1] ??
        '';
      return /t="s"/.test(attributes ?? '') ? (shared[Number(value)] ?? '') : value;
    }),
  );
}

test('a maker exports this quarter offline: the Dutch CSV and the xlsx journal add up to the summary, the refund a negative row; in Arabic at 360 px too, axe clean', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await setUpStall(page, {
    stallName: 'Keramiek Lina',
    cashRounding: false,
    event: 'Kerstmarkt Noord',
    products: [
      { name: 'Kom', price: '12,50', vat: '21% btw' },
      { name: 'Koekjes', price: '3,00', vat: '9% btw' },
    ],
  });
  const till = new TillPage(page);
  await till.goto();
  await sell(
    till,
    [
      ['Kom', 1],
      ['Koekjes', 2],
    ],
    '€ 18,50',
  );
  await sell(till, [['Kom', 2]], '€ 25,00');
  // Offline, the service worker serves the screens: wait until it controls the page.
  await untilControlled(page);
  await till.expectReady();

  // Offline from here on: refund one bowl of receipt 2, then export.
  await context.setOffline(true);
  const shell = new Shell(page);
  await shell.goTo('Verkopen');
  const sales = new SalesPage(page);
  await sales.expectReady();
  await page.getByRole('button', { name: /^Bon #\u2066?(?:[A-Z]+-)?2\u2069? bekijken$/ }).click();
  const saleDialog = page.getByRole('dialog', { name: /^Bon #/ });
  await saleDialog.getByRole('button', { name: 'Terugbetalen', exact: true }).click();
  const refund = page.getByRole('dialog', { name: /^Terugbetalen van bon/ });
  await refund.getByRole('radio', { name: 'Gekozen artikelen' }).check();
  await refund.getByRole('spinbutton', { name: /^Kom: hoeveel terug/ }).fill('1');
  await refund.getByRole('textbox', { name: 'Reden' }).fill('=Barst in de rand');
  await refund.getByRole('button', { name: 'Terugbetaling vastleggen' }).click();
  await expect(saleDialog.getByRole('status')).toContainText('terugbetaald');
  await saleDialog.getByRole('button', { name: 'Terug', exact: true }).click();
  await sales.expectFigures({ Omzet: '€ 31,00' });

  await page.getByRole('link', { name: 'Exporteren voor je boekhouder' }).click();
  await expect(page.getByRole('heading', { name: 'Exporteren', level: 1 })).toBeVisible();
  const { year, quarter } = thisQuarter();
  await page.getByLabel('Wat wil je exporteren?').selectOption({
    label: 'Verkoopjournaal: elke regel van elke bon, terugbetalingen als min-regels',
  });
  await page.getByLabel('Periode').selectOption({ label: 'Een kwartaal' });
  await page.getByLabel('Jaar').selectOption(String(year));
  await page.getByLabel('Kwartaal', { exact: true }).selectOption(String(quarter));
  await page.getByLabel('Bestandsformaat').selectOption('csv-nl');
  expect(await seriousViolations(page), 'export screen').toEqual([]);
  // The xlsx is compressed in the export's Web Worker (precached, allowed by the CSP, offline);
  // the CSV is made on the page.
  const workers: { url: string; closed: boolean }[] = [];
  page.on('worker', (worker) => {
    const seen = { url: worker.url(), closed: false };
    workers.push(seen);
    worker.on('close', () => (seen.closed = true));
  });
  // Refused by the CSP, or the app's own code not loaded. (Offline, a background sync's
  // request to /api/ fails too and says so in the console: that is not the export's.)
  const refused: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    const from = message.location().url;
    if (
      /Content Security Policy/i.test(text) ||
      (/Failed to load/i.test(text) && !/\/api\//.test(from))
    )
      refused.push(`${text} (${from})`);
  });
  const csv = await downloaded(page, () =>
    page.getByRole('button', { name: 'Downloaden' }).click(),
  );
  expect(csv.suggestedFilename()).toBe(`kraam-verkoopjournaal-${year}-K${quarter}.csv`);
  await expect(page.getByRole('main').getByRole('status')).toHaveText(
    `Klaar: ${csv.suggestedFilename()}`,
  );
  const bytes = await readFile((await csv.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parseCsv(bytes.toString('utf8'), { delimiter: ';' });
  expect(header?.slice(0, 5)).toEqual(['datum', 'tijd', 'bonnummer', 'soort', 'product']);
  expect(rows.map((r) => [r[3], r[4], r[5], r[7]])).toEqual([
    ['verkoop', 'Kom', '1', '12,50'],
    ['verkoop', 'Koekjes', '2', '6,00'],
    ['verkoop', 'Kom', '2', '25,00'],
    ['terugbetaling', 'Kom', '-1', '-12,50'],
  ]);
  // The reason cannot run as a formula.
  expect(rows[3]?.[12]).toBe("'=Barst in de rand");
  expect(rows.reduce((sum, r) => sum + cents(r[7]!), 0)).toBe(3100);
  expect(workers).toEqual([]);

  await page.getByLabel('Bestandsformaat').selectOption('xlsx');
  const xlsx = await downloaded(page, () =>
    page.getByRole('button', { name: 'Downloaden' }).click(),
  );
  expect(xlsx.suggestedFilename()).toBe(`kraam-verkoopjournaal-${year}-K${quarter}.xlsx`);
  const sheet = xlsxRows(new Uint8Array(await readFile((await xlsx.path())!)));
  expect(sheet[0]?.slice(0, 4)).toEqual(['datum', 'tijd', 'bonnummer', 'soort']);
  expect(sheet.slice(1).map((r) => Number(r[7]))).toEqual([12.5, 6, 25, -12.5]);
  expect(sheet.slice(1).reduce((sum, r) => sum + Math.round(Number(r[7]) * 100), 0)).toBe(3100);
  expect(workers.map((w) => new URL(w.url).pathname)).toEqual([
    expect.stringMatching(/^\/_app\/immutable\/workers\/file\.worker-[\w-]+\.js$/),
  ]);
  await expect.poll(() => workers[0]?.closed).toBe(true);
  expect(refused).toEqual([]);

  // Arabic, right to left, still offline, at 360 px.
  await shell.switchLanguage('Taal', 'العربية');
  await shell.expectDocumentLanguage('ar', 'rtl');
  await expect(page.getByRole('heading', { name: 'التصدير', level: 1 })).toBeVisible();
  await page.getByLabel('الفترة').selectOption({ label: 'ربع سنة' });
  await page.getByLabel('السنة').selectOption(String(year));
  await page.getByLabel('الربع', { exact: true }).selectOption(String(quarter));
  await page.getByLabel('صيغة الملف').selectOption('csv-nl');
  expect(await seriousViolations(page), 'export screen (ar)').toEqual([]);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(360);
  const arabic = await downloaded(page, () => page.getByRole('button', { name: 'تنزيل' }).click());
  expect(arabic.suggestedFilename()).toBe(`kraam-verkoopjournaal-${year}-K${quarter}.csv`);
  const arabicRows = parseCsv((await readFile((await arabic.path())!)).toString('utf8'), {
    delimiter: ';',
  }).slice(1);
  expect(arabicRows.reduce((sum, r) => sum + cents(r[7]!), 0)).toBe(3100);
  await page.getByLabel('صيغة الملف').selectOption('xlsx');
  const arabicXlsx = await downloaded(page, () =>
    page.getByRole('button', { name: 'تنزيل' }).click(),
  );
  const arabicSheet = xlsxRows(new Uint8Array(await readFile((await arabicXlsx.path())!)));
  // The xlsx has English headers outside Dutch; the same figures.
  expect(arabicSheet[0]?.[0]).toBe('date');
  expect(arabicSheet.slice(1).map((r) => Number(r[7]))).toEqual([12.5, 6, 25, -12.5]);
});

/** The number of pages of a PDF (its page objects). */
function pdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
}

test('the printable A4 report of an event and of the year: the hour chart, revenue per month, VAT per rate, refunds and the KvK and VAT numbers; printed to a sane PDF', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await setUpStall(page, {
    stallName: 'Atelier Noor',
    cashRounding: false,
    event: 'Wintermarkt West',
    products: [
      { name: 'Vaas', price: '20,00', vat: '21% btw' },
      { name: 'Jam', price: '4,50', vat: '9% btw' },
    ],
  });
  await page.goto('/settings');
  await page.getByRole('textbox', { name: 'KvK-nummer (niet verplicht)' }).fill('12345678');
  await page.getByRole('textbox', { name: 'Btw-nummer (niet verplicht)' }).fill('NL123456789B01');
  await page.getByRole('button', { name: 'Bongegevens bewaren' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'De instellingen zijn opgeslagen.' }),
  ).toBeVisible();
  const till = new TillPage(page);
  await till.goto();
  await sell(
    till,
    [
      ['Vaas', 1],
      ['Jam', 2],
    ],
    '€ 29,00',
  );
  await sell(till, [['Jam', 1]], '€ 4,50');

  const shell = new Shell(page);
  await shell.goTo('Verkopen');
  await page.getByRole('link', { name: 'Exporteren voor je boekhouder' }).click();
  await page.getByLabel('Periode').selectOption({ label: 'Eén markt' });
  await page.getByRole('link', { name: 'Afdrukbaar verslag van deze markt (A4)' }).click();
  await expect(
    page.getByRole('heading', { name: 'Verslag: Wintermarkt West', level: 1 }),
  ).toBeVisible();
  const main = page.getByRole('main');
  await expect(main).toContainText('KvK-nummer 12345678');
  await expect(main).toContainText('Btw-nummer NL123456789B01');
  await expect(main.getByRole('region', { name: 'Btw per tarief' })).toContainText('21%');
  await expect(main.getByRole('figure', { name: 'Verkopen per uur' })).toBeVisible();
  await expect(main).toContainText(/Terugbetaald\s*0 · €\s0,00/);
  expect(await seriousViolations(page), 'event report').toEqual([]);
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  const eventPdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdfPages(eventPdf)).toBeGreaterThanOrEqual(1);
  expect(pdfPages(eventPdf)).toBeLessThanOrEqual(3);
  // The print hides the button; the figures stay.
  await expect(page.getByRole('button', { name: 'Afdrukken' })).toBeHidden();
  await expect(main).toContainText(/€\s33,50/);

  await page.emulateMedia({ media: 'screen' });
  const year = new Date().getFullYear();
  await page.goto(`/sales/report?year=${year}`);
  await expect(
    page.getByRole('heading', { name: `Jaaroverzicht ${year}`, level: 1 }),
  ).toBeVisible();
  await expect(page.getByRole('region', { name: 'Omzet per maand' })).toBeVisible();
  expect(await seriousViolations(page), 'year report').toEqual([]);
  const yearPdf = await page.pdf({ format: 'A4' });
  expect(pdfPages(yearPdf)).toBeGreaterThanOrEqual(1);
  expect(pdfPages(yearPdf)).toBeLessThanOrEqual(3);
});
