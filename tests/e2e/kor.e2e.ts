import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { CatalogEventsPage, CatalogProductsPage } from './pages/catalog-app';
import { Shell } from './pages/shell';
import { TillPage } from './pages/till-page';

/**
 * The small-business scheme (KOR): the maker answers once (welcome, Settings), new products
 * start at the rate that follows, and a maker in the KOR sees the year's turnover against the
 * EUR 20,000 limit on the sales screen, with a warning from 80% (src/lib/domain/kor.ts).
 * At 360 px (the config's viewport), in Dutch and Arabic.
 */

async function seriousViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, where).toEqual([]);
}

/** The screen fits 360 px: nothing scrolls sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('main *')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.right > width + 0.5 || box.left < -0.5;
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent?.slice(0, 40)}`);
  });
  expect(wide).toEqual([]);
}

async function startWelcome(page: Page, language: string, sellLink: RegExp): Promise<void> {
  await page.goto('/');
  await page.waitForURL('**/welcome');
  await page.getByRole('button', { name: language }).click();
  await page.getByRole('link', { name: sellLink }).click();
}

test('Dutch: choosing the KOR at the start makes a new product start without VAT, and the tracker warns at 80% of the limit (then in Arabic)', async ({
  page,
}) => {
  await startWelcome(page, 'Nederlands', /^Ik verkoop op een kraam/);
  await expect(page.getByRole('heading', { name: 'Hoe heet je kraam?' })).toBeVisible();
  await page.getByLabel('Naam van je kraam of merk').fill('Quiltatelier Noor');
  const question = page.getByRole('group', {
    name: 'Gebruik je de kleineondernemersregeling (KOR)?',
  });
  await expect(question).toBeVisible();
  await question.getByRole('radio', { name: /^Ja, ik gebruik de KOR/ }).check();
  await seriousViolations(page, 'welcome, name step, nl');
  await expectNoSidewaysScroll(page);
  await page.getByRole('button', { name: 'Beginnen' }).click();
  await page.waitForURL('**/events');

  await new CatalogEventsPage(page).create({ name: 'Wintermarkt', place: 'Utrecht' });
  await expect(
    page.getByRole('status').filter({ hasText: 'Je verkoopt nu op Wintermarkt.' }),
  ).toBeVisible();

  const products = new CatalogProductsPage(page);
  await products.goto();
  await products.startNew();
  await expect(page.getByRole('radio', { name: /^geen btw \(KOR\)/ })).toBeChecked();
  await expect(page.getByRole('radio', { name: /^21% btw/ })).not.toBeChecked();
  await seriousViolations(page, 'new product, nl');
  await products.form.fill({ name: 'Quilt', price: '15999,99' });
  await products.form.save();
  await expect(page.getByRole('status').filter({ hasText: 'Quilt is opgeslagen.' })).toBeVisible();
  await products.add({ name: 'Kaart', price: '0,01' });

  // EUR 15,999.99: just under 80%, no warning yet.
  const till = new TillPage(page);
  await till.goto();
  await till.add('Quilt');
  await till.payWithQuickAmount(/^Gepast/);
  await till.complete();
  await expect(till.completedStatus).toContainText('Voltooid — bon #1');

  await page.goto('/sales');
  const tracker = page.getByRole('region', { name: /^Omzet \d{4} en de KOR-grens$/ });
  await expect(tracker).toBeVisible();
  await expect(tracker).toContainText('€ 15.999,99 van € 20.000,00 (79%)');
  await expect(tracker).toContainText('Nog € 4.000,01 tot de grens.');
  await expect(tracker.getByRole('status')).toHaveCount(0);
  // The results name the scheme: "btw-vrijgesteld (KOR)".
  await expect(page.getByRole('region', { name: 'Btw per tarief' })).toContainText(
    'btw-vrijgesteld (KOR)',
  );

  // One cent more: EUR 16,000.00 is 80%, and the warning explains what passing means.
  await till.goto();
  await till.add('Kaart');
  await till.payWithQuickAmount(/^Gepast/);
  await till.complete();
  await expect(till.completedStatus).toContainText('Voltooid — bon #2');
  await page.goto('/sales');
  await expect(tracker).toContainText('€ 16.000,00 van € 20.000,00 (80%)');
  const warning = tracker.getByRole('status');
  await expect(warning).toContainText(
    'Let op: je omzet komt dicht bij de KOR-grens. Nog € 4.000,00 te gaan.',
  );
  await expect(warning).toContainText('vanaf die verkoop btw rekenen');
  await seriousViolations(page, 'sales with the KOR tracker, nl');
  await expectNoSidewaysScroll(page);

  // In Arabic, right to left.
  const shell = new Shell(page);
  await shell.switchLanguage('Taal', 'العربية');
  await shell.expectDocumentLanguage('ar', 'rtl');
  const arabicTracker = page.getByRole('region', {
    name: /^دخل المبيعات لعام \d{4} وحد نظام KOR$/,
  });
  await expect(arabicTracker).toBeVisible();
  await expect(arabicTracker.getByRole('status')).toContainText(
    'انتبه: دخلك من المبيعات يقترب من حد نظام KOR.',
  );
  await seriousViolations(page, 'sales with the KOR tracker, ar');
  await expectNoSidewaysScroll(page);
  await page.goto('/settings');
  await expect(
    page.getByRole('group', { name: 'هل تستخدم نظام المشاريع الصغيرة (KOR)؟' }).getByRole('radio', {
      name: /^نعم، أستخدم نظام KOR/,
    }),
  ).toBeChecked();
  await seriousViolations(page, 'settings, ar');
});

test('Arabic: not in the KOR with 9% at the start makes a new product start at 9%; Settings switches to the KOR', async ({
  page,
}) => {
  await startWelcome(page, 'العربية', /^أبيع في كشك/);
  await expect(page.getByRole('heading', { name: 'ما اسم كشكك؟' })).toBeVisible();
  await page.getByLabel('اسم كشكك أو علامتك التجارية').fill('مخبز نور');
  await page.getByRole('radio', { name: /^لا، أحسب الضريبة/ }).check();
  const rate = page.getByRole('group', { name: 'ما نسبة الضريبة التي تحسبها عادةً؟' });
  await expect(rate).toBeVisible();
  // Without a rate the step says what is missing and stays.
  await page.getByRole('button', { name: 'ابدأ' }).click();
  await expect(rate).toHaveAccessibleDescription(/اختر نسبة الضريبة التي تحسبها عادةً\./);
  await expect(page).toHaveURL(/step=name/);
  await rate.getByRole('radio', { name: /^ضريبة 9%/ }).check();
  await seriousViolations(page, 'welcome, name step with the rate, ar');
  await expectNoSidewaysScroll(page);
  await page.getByRole('button', { name: 'ابدأ' }).click();
  await page.waitForURL('**/events');

  await page.goto('/products/new');
  await expect(page.getByRole('heading', { name: 'منتج جديد' })).toBeVisible();
  await expect(page.getByRole('radio', { name: /^ضريبة 9%/ })).toBeChecked();
  await seriousViolations(page, 'new product, ar');

  // No tracker outside the KOR.
  await page.goto('/settings');
  const question = page.getByRole('group', { name: 'هل تستخدم نظام المشاريع الصغيرة (KOR)؟' });
  await expect(question.getByRole('radio', { name: /^لا، أحسب الضريبة/ })).toBeChecked();
  await question.getByRole('radio', { name: /^نعم، أستخدم نظام KOR/ }).check();
  await seriousViolations(page, 'settings, ar');
  await expectNoSidewaysScroll(page);
  const section = page.getByRole('region', { name: 'الضريبة ونظام KOR' });
  await section.getByRole('button', { name: 'حفظ اختيار الضريبة' }).click();
  await expect(section.getByRole('status')).toHaveText('تم حفظ الإعدادات.');

  await page.goto('/products/new');
  await expect(page.getByRole('radio', { name: /^بدون ضريبة \(KOR\)/ })).toBeChecked();
});
