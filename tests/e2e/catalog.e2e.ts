import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { CatalogEventsPage, CatalogProductsPage, CatalogWelcomePage } from './pages/catalog-app';
import { makePng } from './pages/catalog-files';

test('first run in Dutch, two products (one with a photo), edit, archive, create and select events', async ({
  page,
}) => {
  await new CatalogWelcomePage(page).completeInDutch('Bakkerij Noor', { cashRounding: true });
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');

  const products = new CatalogProductsPage(page);
  await products.goto();
  await expect(page.getByText('Nog geen producten.')).toBeVisible();

  // A 1200 x 800 camera-sized photo is stored downscaled to 512 px on its long side.
  await products.add({
    name: 'Desem brood',
    price: '3,50',
    vat: '9% btw',
    category: 'Brood',
    photo: { name: 'brood.png', mimeType: 'image/png', buffer: makePng(1200, 800, [180, 120, 60]) },
  });
  await products.add({
    name: 'Oorbellen',
    price: '12.50',
    vat: '21% btw',
    colour: 'Indigo',
  });
  await products.expectNames(['Desem brood', 'Oorbellen']);
  await expect(products.row('Desem brood')).toContainText('€ 3,50');
  await expect(products.row('Desem brood')).toContainText('9% btw');
  await expect(products.row('Oorbellen')).toContainText('€ 12,50');
  await expect(products.row('Oorbellen')).toContainText('21% btw');
  const photo = products.row('Desem brood').locator('img');
  await expect(photo).toBeVisible();
  // Visible comes before decoded: wait for the picture itself.
  await expect
    .poll(() => photo.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
    .toEqual([512, 341]);
  await expect(products.row('Oorbellen').locator('img')).toHaveCount(0);

  // Edit: new name and price; the photo stays.
  await products.open('Desem brood');
  await products.form.name.fill('Spelt desem');
  await products.form.price.fill('3,75');
  await products.form.save();
  await expect(
    page.getByRole('status').filter({ hasText: 'Spelt desem is opgeslagen.' }),
  ).toBeVisible();
  await expect(products.row('Spelt desem')).toContainText('€ 3,75');
  await expect(products.row('Spelt desem').locator('img')).toBeVisible();

  // Archive: gone from the list, back with the archived filter, marked as archived.
  await products.open('Oorbellen');
  await page.getByRole('button', { name: 'Archiveren' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Oorbellen is gearchiveerd.' }),
  ).toBeVisible();
  await products.expectNames(['Spelt desem']);
  await page.getByRole('checkbox', { name: 'Ook gearchiveerde producten tonen' }).check();
  await expect(products.row('Oorbellen')).toContainText('Gearchiveerd');
  await expect(products.row('Spelt desem')).not.toContainText('Gearchiveerd');

  // Everything survives a reload (it is on the device, not in memory).
  await page.reload();
  await expect(products.list.getByRole('link')).toHaveText(['Spelt desem']);

  // Events: the first one created becomes current; a second one is picked explicitly.
  const events = new CatalogEventsPage(page);
  await events.goto();
  await events.create({ name: 'Zomermarkt', place: 'Amsterdam', opens: '10:00', closes: '17:00' });
  await expect(
    page.getByRole('status').filter({ hasText: 'Je verkoopt nu op Zomermarkt.' }),
  ).toBeVisible();
  await expect(events.card('Zomermarkt')).toContainText('Huidig evenement');
  await expect(events.card('Zomermarkt')).toContainText('10:00–17:00');
  await events.create({ name: 'Wintermarkt', date: '2026-12-12', place: 'Utrecht' });
  await expect(
    page.getByRole('status').filter({ hasText: 'Wintermarkt is aangemaakt.' }),
  ).toBeVisible();
  await expect(events.card('Wintermarkt')).not.toContainText('Huidig evenement');
  await events.select('Wintermarkt');
  await expect(events.card('Wintermarkt')).toContainText('Huidig evenement');
  await expect(events.card('Zomermarkt')).not.toContainText('Huidig evenement');
  await page.reload();
  await expect(events.card('Wintermarkt')).toContainText('Huidig evenement');
  await expect(page.getByRole('button', { name: 'Verkoop hier Zomermarkt' })).toBeVisible();

  // Stock for the current event, saved with the product and shown again when editing.
  await products.goto();
  await products.open('Spelt desem');
  await expect(products.form.stock).toHaveAccessibleName(/Voorraad voor Wintermarkt/);
  await products.form.stock.fill('24');
  await products.form.save();
  await expect(
    page.getByRole('status').filter({ hasText: 'Spelt desem is opgeslagen.' }),
  ).toBeVisible();
  await products.open('Spelt desem');
  await expect(products.form.stock).toHaveValue('24');
});

test('settings: rename the stall, see the device facts, switch to Arabic (right to left)', async ({
  page,
}) => {
  await new CatalogWelcomePage(page).completeInDutch('Atelier Sara');
  await page.goto('/settings');
  const name = page.getByRole('textbox', { name: 'Naam van je kraam of merk' });
  await expect(name).toHaveValue('Atelier Sara');
  await name.fill('Atelier Sara & Co');
  await page.getByRole('switch', { name: 'Contant afronden op 5 cent' }).check();
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'De instellingen zijn opgeslagen.' }),
  ).toBeVisible();
  await expect(
    page.getByText(
      /Dit apparaat bewaart je verkopen ook als de opslag bijna vol is: (ja|nee|onbekend)/,
    ),
  ).toBeVisible();
  await expect(page.getByText('Apparaatnummer')).toBeVisible();

  await page.reload();
  await expect(name).toHaveValue('Atelier Sara & Co');
  await expect(page.getByRole('switch', { name: 'Contant afronden op 5 cent' })).toBeChecked();

  await page.getByRole('button', { name: 'العربية' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { name: 'الإعدادات', level: 1 })).toBeVisible();
  // The choice is remembered (Paraglide's cookie) for the next start.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page.getByRole('textbox', { name: 'اسم كشكك أو علامتك التجارية' })).toHaveValue(
    'Atelier Sara & Co',
  );
});

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the forms with their errors shown pass axe, in Dutch and in Arabic', async ({ page }) => {
  await new CatalogWelcomePage(page).completeInDutch('Atelier Sara');
  const languages = [
    { name: 'Nederlands', dir: 'ltr', save: 'Opslaan', create: 'Evenement aanmaken' },
    { name: 'العربية', dir: 'rtl', save: 'حفظ', create: 'إنشاء الفعالية' },
  ];
  for (const language of languages) {
    await page.goto('/settings');
    await page.getByRole('button', { name: language.name }).click();
    await expect(page.locator('html')).toHaveAttribute('dir', language.dir);

    await page.goto('/events');
    await page.getByRole('button', { name: language.create }).click();
    await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
    expect(await seriousViolations(page), `events form, ${language.name}`).toEqual([]);

    await page.goto('/products/new');
    await page.getByRole('button', { name: language.save, exact: true }).click();
    await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
    expect(await seriousViolations(page), `product form, ${language.name}`).toEqual([]);
  }
});
