// What a maker owns (issue 9, docs/my-data.md), on a server of its own (playwright.config.ts):
// a maker who sold at an organiser's event downloads all their data (the zip is opened and
// checked here), reads what deleting means in Dutch and Arabic at 360 px (axe clean), and
// deletes the account; the organiser's figures still count the sales, without the name.
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { CatalogEventsPage, CatalogProductsPage, CatalogWelcomePage } from './pages/catalog-app';
import { makePng } from './pages/catalog-files';
import { untilControlled } from './pages/service-worker';
import { Shell } from './pages/shell';
import { TillPage } from './pages/till-page';

const ORGANISER = {
  name: 'Noor',
  email: 'noor@example.org',
  password: 'buurtbazaar-2026',
  organisation: 'Stichting Mijn Gegevens',
};
const MAKER = { name: 'Amira', email: 'amira@example.org', password: 'baklava-markt-2026' };
const EVENT = 'Winterbazaar Delfshaven';
/** A Dutch phone, 360 px wide. */
const PHONE = { locale: 'nl-NL', viewport: { width: 360, height: 740 } };

function nextWeek(): string {
  return new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
}

async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, screen).toEqual([]);
}

/** Clicks a download button and opens the zip it saves. */
async function downloadZip(page: Page, button: string) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const path = await download.path();
  const files = unzipSync(new Uint8Array(await readFile(path)));
  const rows = (table: string) =>
    JSON.parse(strFromU8(files[`${table}.json`] as Uint8Array)) as Record<string, unknown>[];
  return { name: download.suggestedFilename(), files, rows };
}

test.describe.configure({ mode: 'serial' });

test('[issue 9] a product photo set on phone A appears on phone B, and stays there offline after a reload', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  // The first sign-up founds the organisation; its organiser invites the maker.
  const organiserContext = await browser.newContext(PHONE);
  const organiser = await organiserContext.newPage();
  await organiser.goto('/account');
  await organiser.getByRole('button', { name: 'Nog geen account? Maak er een' }).click();
  await organiser.getByLabel('Je naam').fill(ORGANISER.name);
  await organiser.getByLabel('E-mail').fill(ORGANISER.email);
  await organiser.getByLabel('Wachtwoord').fill(ORGANISER.password);
  await organiser.getByLabel('Naam van je organisatie').fill(ORGANISER.organisation);
  await organiser.getByRole('button', { name: 'Account maken', exact: true }).click();
  await expect(organiser.getByText(`Ingelogd als ${ORGANISER.name}`)).toBeVisible();
  const invitation = await organiser.request.post('/api/invitations', { data: { role: 'maker' } });
  expect(invitation.status()).toBe(201);
  const { url } = (await invitation.json()) as { url: string };
  await organiserContext.close();

  const maker = { name: 'Lotte', email: 'lotte@example.org', password: 'appeltaart-2026' };
  const phoneA = await browser.newContext(PHONE);
  const a = await phoneA.newPage();
  await new CatalogWelcomePage(a).completeInDutch('Taartenkraam Lotte');
  await a.goto(url);
  await a.getByLabel('Je naam').fill(maker.name);
  await a.getByLabel('E-mail').fill(maker.email);
  await a.getByLabel('Wachtwoord').fill(maker.password);
  await a.getByRole('button', { name: 'Account maken', exact: true }).click();
  await expect(a.getByRole('status').filter({ hasText: ORGANISER.organisation })).toBeVisible();
  const productsA = new CatalogProductsPage(a);
  await productsA.goto();
  await productsA.add({
    name: 'Appeltaart',
    price: '4,50',
    vat: '9% btw',
    photo: { name: 'taart.png', mimeType: 'image/png', buffer: makePng(900, 600, [200, 90, 40]) },
  });
  await expect(productsA.row('Appeltaart').locator('img')).toBeVisible();
  await expect(new Shell(a).status).toContainText('alle verkopen verstuurd');

  // Phone B: the same maker signs in; the product arrives with its photo.
  const phoneB = await browser.newContext(PHONE);
  const b = await phoneB.newPage();
  await new CatalogWelcomePage(b).completeInDutch('Taartenkraam Lotte');
  await b.goto('/account');
  await b.getByLabel('E-mail').fill(maker.email);
  await b.getByLabel('Wachtwoord').fill(maker.password);
  await b.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await expect(b.getByText(`Ingelogd als ${maker.name} (${maker.email})`)).toBeVisible();
  const productsB = new CatalogProductsPage(b);
  await productsB.goto();
  const photoB = productsB.row('Appeltaart').locator('img');
  await expect(photoB).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(() => photoB.evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);
  // Offline, after a reload: the photo is kept on phone B (the service worker serves the app).
  await untilControlled(b);
  await expect(productsB.row('Appeltaart').locator('img')).toBeVisible();
  await phoneB.setOffline(true);
  await b.reload();
  await expect(b.getByRole('heading', { name: 'Producten', level: 1 })).toBeVisible();
  await expect(productsB.row('Appeltaart').locator('img')).toBeVisible();
  await expect
    .poll(() =>
      productsB
        .row('Appeltaart')
        .locator('img')
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    )
    .toBeGreaterThan(0);
  await phoneA.close();
  await phoneB.close();
});

test('[issue 9] a maker downloads all their data, reads what deleting means (Dutch, Arabic, 360 px, axe), deletes the account; the organiser still counts the sales', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  // The organiser (who founded the organisation above) plans an open event, invites a maker.
  const organiserContext = await browser.newContext(PHONE);
  const organiser = await organiserContext.newPage();
  await organiser.goto('/account');
  await organiser.getByLabel('E-mail').fill(ORGANISER.email);
  await organiser.getByLabel('Wachtwoord').fill(ORGANISER.password);
  await organiser.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await expect(organiser.getByText(`Ingelogd als ${ORGANISER.name}`)).toBeVisible();
  const api = organiser.request;
  const created = await api.post('/api/organiser/events', {
    data: { name: EVENT, date: nextWeek(), opensAt: '11:00', closesAt: '17:00', place: 'Plein 1' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const eventId = ((await created.json()) as { event: { id: string } }).event.id;
  for (const to of ['published', 'open']) {
    const moved = await api.post(`/api/organiser/events/${eventId}/status`, { data: { to } });
    expect(moved.status(), await moved.text()).toBe(200);
  }
  const invitation = await api.post('/api/invitations', { data: { role: 'maker' } });
  expect(invitation.status()).toBe(201);
  const { url } = (await invitation.json()) as { url: string };

  // The maker joins on their phone, sells twice at the organiser's event, and syncs.
  const makerContext = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const page = await makerContext.newPage();
  await new CatalogWelcomePage(page).completeInDutch('Kraam Amira');
  await page.goto(url);
  await page.getByLabel('Je naam').fill(MAKER.name);
  await page.getByLabel('E-mail').fill(MAKER.email);
  await page.getByLabel('Wachtwoord').fill(MAKER.password);
  await page.getByRole('button', { name: 'Account maken', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: ORGANISER.organisation })).toBeVisible();
  const events = new CatalogEventsPage(page);
  await events.goto();
  // Joining may already have chosen the organiser's open event for the till; else choose it.
  const card = page
    .getByRole('list', { name: 'Evenementen' })
    .getByRole('listitem')
    .filter({ hasText: EVENT });
  await expect(card).toContainText(/Huidig evenement|Verkoop hier/);
  if (!(await card.textContent())?.includes('Huidig evenement')) await events.select(EVENT);
  const products = new CatalogProductsPage(page);
  await products.goto();
  await products.add({ name: 'Baklava', price: '4,50', vat: '9% btw' });
  const till = new TillPage(page);
  await till.goto();
  for (const times of [2, 1]) {
    await till.add('Baklava', times);
    await till.payWithQuickAmount(/^Gepast/);
    await till.complete();
    await expect(till.payment).toBeHidden();
  }
  const shell = new Shell(page);
  await expect(shell.status).toContainText('alle verkopen verstuurd');

  const dashboard = async () => {
    const response = await api.get(`/api/organiser/events/${eventId}/dashboard`);
    expect(response.status()).toBe(200);
    return (await response.json()) as {
      totals: unknown;
      makers: { displayName: string; salesCount: number | null }[];
    };
  };
  const before = await dashboard();

  // Download all my data, from the server: the zip opens and holds the maker's books.
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'Je gegevens', level: 2 })).toBeVisible();
  const server = await downloadZip(page, 'Download al mijn gegevens');
  expect(server.name).toMatch(/^kraam-my-data-\d{4}-\d{2}-\d{2}\.zip$/);
  expect(server.rows('account')).toEqual([expect.objectContaining({ email: MAKER.email })]);
  expect(server.rows('sales')).toHaveLength(2);
  expect(server.rows('sale_lines')).toHaveLength(2);
  expect(server.rows('products')).toEqual([expect.objectContaining({ name: 'Baklava' })]);
  expect(server.rows('events')).toEqual([expect.objectContaining({ name: EVENT })]);
  expect(server.files['sales.csv']).toBeDefined();
  expect(strFromU8(server.files['about.json'] as Uint8Array)).toContain('"origin": "server"');
  // And from this phone, offline.
  await makerContext.setOffline(true);
  const device = await downloadZip(page, 'Download de gegevens van dit apparaat');
  expect(device.rows('sales')).toHaveLength(2);
  expect(device.rows('profile')).toEqual([expect.objectContaining({ stallName: 'Kraam Amira' })]);
  await makerContext.setOffline(false);

  // What deleting means, plainly, in Dutch and in Arabic (right to left), axe clean.
  const deleteSection = page.getByRole('region', { name: 'Account verwijderen' });
  await expect(deleteSection).toContainText('je makerprofiel');
  await expect(deleteSection).toContainText('7 jaar');
  await expectNoSeriousViolations(page, 'settings (nl)');
  await shell.switchLanguage('Taal', 'العربية');
  const arabic = page.getByRole('region', { name: 'حذف حسابي' });
  await expect(arabic).toContainText('7 سنوات');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expectNoSeriousViolations(page, 'settings (ar)');
  await arabic.getByRole('button', { name: 'حذف حسابي…' }).click();
  const arabicDialog = page.getByRole('dialog', { name: 'حذف حسابك نهائيًا؟' });
  await expect(arabicDialog.getByRole('button', { name: 'إلغاء' })).toBeFocused();
  await expectNoSeriousViolations(page, 'delete dialog (ar)');
  await arabicDialog.getByRole('button', { name: 'إلغاء' }).click();
  await shell.switchLanguage('اللغة', 'Nederlands');

  // Delete: Cancel has the focus, the button waits for the typed word.
  await deleteSection.getByRole('button', { name: 'Mijn account verwijderen…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Account definitief verwijderen?' });
  await expect(dialog.getByRole('button', { name: 'Annuleren' })).toBeFocused();
  const confirm = dialog.getByRole('button', { name: 'Definitief verwijderen' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Typ verwijder om te bevestigen').fill('verwijder');
  await expectNoSeriousViolations(page, 'delete dialog (nl)');
  await confirm.click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Je account is verwijderd.' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Bewaren op dit apparaat' }).click();
  await expect(page.getByText('De gegevens blijven op dit apparaat.')).toBeVisible();

  // The organiser's figures still count the sales, under no name.
  const after = await dashboard();
  expect(after.totals).toEqual(before.totals);
  expect(after.makers).toEqual([expect.objectContaining({ displayName: 'verwijderde maker' })]);
  expect(JSON.stringify(after)).not.toContain(MAKER.name);
  // The account is gone: it cannot sign in.
  const signIn = await page.request.post('/api/auth/sign-in/email', {
    data: { email: MAKER.email, password: MAKER.password },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(signIn.status()).toBe(401);
  await organiserContext.close();
  await makerContext.close();
});
