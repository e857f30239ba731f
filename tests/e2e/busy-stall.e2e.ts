import { expect, test, type Locator } from '@playwright/test';
import { CatalogProductsPage } from './pages/catalog-app';
import { SalesPage } from './pages/sales-page';
import { seriousViolations } from './pages/screens';
import { Shell } from './pages/shell';
import { setUpStall } from './pages/stall-setup';
import { TillPage } from './pages/till-page';

/**
 * The till at a busy stall, at 360 px (the project's viewport), in Dutch: stock never blocks a
 * sale, restocking from the till, the euro keypad with quick amounts that follow the total,
 * clearing the cart with undo, and oversold sales shown on the tile, the sale and the summary.
 */

test.use({ viewport: { width: 360, height: 740 } });

/** WCAG contrast ratio of an element's text against its own background (no opacity allowed). */
async function contrastOf(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const style = getComputedStyle(element);
    if (style.opacity !== '1') return 0;
    const channels = (colour: string) =>
      (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => Number(c) / 255);
    const luminance = (colour: string) => {
      const [r = 0, g = 0, b = 0] = channels(colour).map((c) =>
        c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
      );
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const text = luminance(style.color);
    const background = luminance(style.backgroundColor);
    return (Math.max(text, background) + 0.05) / (Math.min(text, background) + 0.05);
  });
}

test('a busy stall: sells past stock after a confirmation, restocks from the till, takes euros on the keypad, undoes a cleared cart, shows oversold sales', async ({
  page,
}) => {
  await setUpStall(page, {
    stallName: 'Zoet van Amal',
    cashRounding: true,
    event: 'Zondagmarkt',
    products: [
      { name: 'Baklava', price: '2,50', vat: '9% btw', stock: '2' },
      { name: 'Tas', price: '93', vat: '21% btw' },
      { name: 'Zeep', price: '3,33', vat: '21% btw' },
    ],
  });
  const till = new TillPage(page);
  const shell = new Shell(page);
  const sales = new SalesPage(page);

  // New products got distinct colours without choosing one.
  const products = new CatalogProductsPage(page);
  await products.goto();
  await expect(products.row('Baklava')).toContainText('Nog 2 van 2');
  await products.startNew();
  // Terracotta, saffron and olive are taken: the fourth product would be teal.
  await expect(page.getByRole('radio', { name: 'Zeegroen' })).toBeChecked();
  await expect(page.getByText('Met een foto vind je het product snel terug')).toBeVisible();

  await shell.goTo('Kassa');
  await till.expectReady();
  const tileColours = await page
    .getByRole('region', { name: 'Producten' })
    .locator('.visual')
    .evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
  expect(new Set(tileColours).size).toBe(3);

  // The pay button without a cart is disabled, and still readable (WCAG AA).
  await expect(till.payCash).toBeDisabled();
  expect(await contrastOf(till.payCash)).toBeGreaterThanOrEqual(4.5);

  // Two left: both go in the cart; the tile is not "sold out" while they are unsold.
  await expect(till.tile('Baklava')).toContainText('Nog 2 van 2');
  await till.add('Baklava', 2);
  await expect(till.tile('Baklava')).toContainText('Nog 2 over, alle op de bon');
  await expect(till.tile('Baklava')).not.toContainText('Uitverkocht');
  expect(await seriousViolations(page), 'till with a cart').toEqual([]);

  // A third: the till asks first; "Niet verkopen" keeps the cart as it was.
  await till.add('Baklava');
  const oversell = page.getByRole('dialog', { name: 'Baklava is op' });
  await expect(oversell).toContainText('Toch verkopen?');
  expect(await seriousViolations(page), 'oversell confirmation').toEqual([]);
  await oversell.getByRole('button', { name: 'Niet verkopen' }).click();
  await expect(oversell).toBeHidden();
  await expect(till.cart).toContainText('2 × € 2,50');
  await till.more('Baklava').click();
  await oversell.getByRole('button', { name: 'Toch verkopen' }).click();
  await expect(till.cart).toContainText('3 × € 2,50');
  await till.payWithQuickAmount('Gepast € 7,50');
  await till.complete();
  await till.expectCompleted(1, '€ 0,00');
  await expect(till.tile('Baklava')).toContainText('1 verkocht boven de voorraad');

  // Clear cart, then undo: the cart comes back exactly.
  await till.add('Tas');
  await till.add('Zeep', 2);
  await till.discountLine('Zeep', 'Bedrag (€)', '1');
  const cartBefore = await till.cart.getByRole('listitem').allInnerTexts();
  await till.cart.getByRole('button', { name: 'Bon leegmaken' }).click();
  await expect(till.cart).toContainText('Tik op een product om het toe te voegen.');
  await expect(till.cart.getByRole('status')).toContainText('De bon is leeggemaakt.');
  await till.cart.getByRole('button', { name: 'Ongedaan maken' }).click();
  await expect(till.cart.getByRole('listitem')).toHaveText(cartBefore);
  await expect(page.getByText('€ 98,66', { exact: true })).toBeVisible();
  await till.less('Zeep').click();
  await till.less('Zeep').click();

  // The euro keypad: quick amounts follow the total (93: 95, 100, exact); 9, 5 is € 95.
  await till.payCash.click();
  const quick = till.payment.getByRole('group', { name: 'Snelle bedragen' }).getByRole('button');
  await expect(quick).toHaveText(['Gepast € 93,00', '€ 95,00', '€ 100,00']);
  const tendered = till.payment.locator('output');
  await till.typeTendered('95');
  await expect(tendered).toHaveText('€ 95,00');
  await till.typeTendered(',5');
  await expect(tendered).toHaveText('€ 95,50');
  await expect(till.changeInPayment()).toContainText('€ 2,50');
  // A keyboard types too, with a point as well as a comma.
  await till.payment.getByRole('button', { name: '€ 100,00' }).click();
  await page.keyboard.type('96.2');
  await expect(tendered).toHaveText('€ 96,20');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(',75');
  await expect(tendered).toHaveText('€ 96,75');
  expect(await seriousViolations(page), 'payment dialog').toEqual([]);
  await till.complete();
  await till.expectCompleted(2, '€ 3,75');

  // A sale whose cash is rounded: 3,33 is paid as 3,35.
  await till.add('Zeep');
  await till.payWithQuickAmount('Gepast € 3,35');
  await till.complete();
  await till.expectCompleted(3, '€ 0,00');

  // The sales screen: the oversold sale is marked, the summary says how many went beyond
  // stock, and the cash taken is said beside the revenue (they differ by the rounding).
  await shell.goTo('Verkopen');
  await sales.expectReady();
  await expect(sales.sale(1)).toContainText('Boven de voorraad verkocht');
  await expect(sales.sale(2)).not.toContainText('Boven de voorraad verkocht');
  await sales.expectFigures({ Omzet: '€ 103,83' });
  await expect(sales.summary).toContainText('1 verkocht boven de voorraad');
  await expect(sales.summary).toContainText('Contant ontvangen is € 103,85: afgerond op 5 cent');
  const chart = page.getByRole('figure', { name: 'Verkopen per uur' });
  await expect(chart).toContainText('Omzet (€)');
  await expect(chart).toContainText('Uur');
  expect(await seriousViolations(page), 'sales screen').toEqual([]);

  // Restock from the till: bad input is refused with a reason, 5 more is recorded.
  await shell.goTo('Kassa');
  await till.expectReady();
  await page.getByRole('button', { name: /^Bijvullen\s*: Baklava$/ }).click();
  const restock = page.getByRole('dialog', { name: 'Vul Baklava bij' });
  const quantity = restock.getByRole('textbox', { name: 'Hoeveel leg je erbij?' });
  await quantity.fill('2,5');
  await restock.getByRole('button', { name: 'Aan voorraad toevoegen' }).click();
  await expect(restock.getByRole('alert')).toHaveText('Vul een heel getal in, bijvoorbeeld 5.');
  expect(await seriousViolations(page), 'restock dialog').toEqual([]);
  await quantity.fill('5');
  await restock.getByRole('button', { name: 'Aan voorraad toevoegen' }).click();
  await expect(restock).toBeHidden();
  // -1 + 5 = 4 left of the 2 + 5 brought in.
  await expect(till.tile('Baklava')).toContainText('Nog 4 van 7');
  // No account on this phone: the status says where the restock is, never a count of changes.
  await expect(shell.status).toHaveText('Opgeslagen op deze telefoon');

  // It survives a reload (stored, not just on screen); the product list agrees.
  await page.reload();
  await till.expectReady();
  await expect(till.tile('Baklava')).toContainText('Nog 4 van 7');
  await products.goto();
  await expect(products.row('Baklava')).toContainText('Nog 4 van 7');
});
