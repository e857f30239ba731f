import { expect, test, type Page } from '@playwright/test';
import { CatalogEventsPage, CatalogProductsPage, CatalogWelcomePage } from './pages/catalog-app';
import { makeNonImage } from './pages/catalog-files';

async function stallWithOneProduct(page: Page): Promise<CatalogProductsPage> {
  await new CatalogWelcomePage(page).completeInDutch('Kraam van Ali');
  const events = new CatalogEventsPage(page);
  await events.create({ name: 'Buurtbazaar' });
  await expect(
    page.getByRole('status').filter({ hasText: 'Je verkoopt nu op Buurtbazaar.' }),
  ).toBeVisible();
  const products = new CatalogProductsPage(page);
  await products.goto();
  await products.add({ name: 'Appeltaart', price: '4,50', vat: '9% btw', stock: '8' });
  return products;
}

test('product form: every bad input shows a clear message beside its field and nothing is saved', async ({
  page,
}) => {
  const products = await stallWithOneProduct(page);
  const form = products.form;
  await products.startNew();

  // Empty name and empty price.
  await form.save();
  await expect(
    page.getByRole('alert').filter({ hasText: 'Er is niets opgeslagen.' }),
  ).toBeVisible();
  await form.expectError(form.name, 'Vul een naam in.');
  await form.expectError(form.price, /Vul een prijs in/);
  await expect(form.name).toBeFocused();

  // Negative price.
  await form.fill({ name: 'Koek', price: '-2' });
  await form.save();
  await form.expectError(form.price, /Een prijs kan niet negatief zijn\./);
  await expect(form.name).not.toHaveAttribute('aria-invalid', 'true');

  // Non-numeric price.
  await form.fill({ price: 'drie euro' });
  await form.save();
  await form.expectError(form.price, /Dit is geen bedrag/);

  // Stock must be a whole number >= 0.
  for (const stock of ['1.5', '-2']) {
    await form.fill({ price: '2,00', stock });
    await form.save();
    await form.expectError(form.stock, /Vul een heel getal in van 0 of meer/);
    await expect(form.price).not.toHaveAttribute('aria-invalid', 'true');
  }

  // A 5 MB file that is not an image: refused as soon as it is chosen, and on save.
  await form.fill({ stock: '3' });
  await form.choosePhoto.setInputFiles({
    name: 'menukaart.pdf',
    mimeType: 'application/pdf',
    buffer: makeNonImage(5 * 1024 * 1024),
  });
  const photoError = page.getByText(
    'Dit bestand is geen foto. Kies een afbeelding (JPG, PNG of WebP).',
  );
  await expect(photoError).toBeVisible();
  await form.expectError(form.choosePhoto, /Dit bestand is geen foto/);
  await form.save();
  await expect(photoError).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Nieuw product' })).toBeVisible();

  // A file that says it is a PNG but is not one cannot be decoded: refused too.
  await form.choosePhoto.setInputFiles({
    name: 'foto.png',
    mimeType: 'image/png',
    buffer: makeNonImage(200_000),
  });
  await expect(
    page.getByText('Deze foto kan niet worden gelezen. Kies een andere foto.'),
  ).toBeVisible();
  await form.save();
  await expect(page.getByRole('heading', { name: 'Nieuw product' })).toBeVisible();

  // Nothing was saved: after a reload the list is exactly what it was.
  await products.goto();
  await page.reload();
  await expect(products.list.getByRole('link')).toHaveText(['Appeltaart']);
});

test('editing with bad input leaves the stored product unchanged', async ({ page }) => {
  const products = await stallWithOneProduct(page);
  await products.open('Appeltaart');
  await products.form.fill({ name: '', price: 'abc', stock: '-2' });
  await products.form.save();
  await products.form.expectError(products.form.name, 'Vul een naam in.');
  await products.form.expectError(products.form.price, /Dit is geen bedrag/);
  await products.form.expectError(products.form.stock, /Vul een heel getal in/);

  await products.goto();
  await page.reload();
  await expect(products.list.getByRole('link')).toHaveText(['Appeltaart']);
  await expect(products.row('Appeltaart')).toContainText('€ 4,50');
  await products.open('Appeltaart');
  await expect(products.form.price).toHaveValue('4,50');
  await expect(products.form.stock).toHaveValue('8');
});

test('welcome: an empty or too long stall name is refused and no profile is made', async ({
  page,
}) => {
  await page.goto('/welcome');
  await page.getByRole('button', { name: 'Nederlands' }).click();
  await page.getByRole('link', { name: /^Ik verkoop op een kraam/ }).click();
  const name = page.getByRole('textbox', { name: 'Naam van je kraam of merk' });
  await page.getByRole('button', { name: 'Beginnen' }).click();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription(/Vul de naam van je kraam in\./);
  await name.fill('x'.repeat(61));
  await page.getByRole('button', { name: 'Beginnen' }).click();
  await expect(name).toHaveAccessibleDescription(/De naam is te lang: maximaal 60 tekens\./);
  await expect(page).toHaveURL(/\/welcome/);
  // No profile: the app still sends a fresh start to the welcome screen.
  await page.goto('/');
  await page.waitForURL('**/welcome');
});

test('events: a missing name and closing before opening are refused; nothing is created', async ({
  page,
}) => {
  await new CatalogWelcomePage(page).completeInDutch('Kraam van Ali');
  const events = new CatalogEventsPage(page);
  await events.create({ name: '', opens: '17:00', closes: '10:00' });
  const name = page.getByRole('textbox', { name: 'Naam van het evenement' });
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription(/Vul de naam van het evenement in\./);
  await expect(page.getByLabel('Tot', { exact: true })).toHaveAccessibleDescription(
    'De sluitingstijd moet na de openingstijd liggen.',
  );
  await page.reload();
  await expect(page.getByRole('list', { name: 'Evenementen' })).toHaveCount(0);
  await expect(page.getByText('Nog geen evenementen.')).toBeVisible();
});
