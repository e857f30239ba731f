import { expect, test } from '@playwright/test';
import { SalesPage } from './pages/sales-page';
import { Shell } from './pages/shell';
import { setUpStall } from './pages/stall-setup';
import { TillPage } from './pages/till-page';

test('a full sale: products created, sold with a quick amount, change shown, sale listed, summary right to the cent', async ({
  page,
}) => {
  await setUpStall(page, {
    stallName: 'Bakkerij Noor',
    cashRounding: true,
    event: 'Buurtmarkt Oost',
    products: [
      { name: 'Desembrood', price: '3,50', vat: '9% btw', stock: '10' },
      { name: 'Oorbellen', price: '12,49', vat: '21% btw' },
      { name: 'Sjaal', price: '30', vat: '21% btw', stock: '1' },
    ],
  });
  const till = new TillPage(page);
  const shell = new Shell(page);
  await shell.goTo('Kassa');
  await till.expectReady();
  await expect(till.tile('Desembrood')).toContainText('Nog 10 van 10');

  // The last scarf in the cart is not sold yet: its tile says so, not "sold out".
  await till.add('Sjaal');
  await expect(till.tile('Sjaal')).toContainText('Nog 1 over, op de bon');
  await expect(till.tile('Sjaal')).not.toContainText('Uitverkocht');
  await till.less('Sjaal').click();
  await expect(till.tile('Sjaal')).toContainText('Nog 1 van 1');

  // Sale 1: 2 x 3,50 + 12,49 = 19,49; with 5-cent rounding 19,50 is due.
  await till.add('Desembrood');
  await till.more('Desembrood').click();
  await till.add('Oorbellen');
  await expect(till.cart).toContainText('2 × € 3,50');
  await expect(page.getByText('€ 19,49', { exact: true })).toBeVisible();
  await till.payCash.click();
  await expect(till.payment).toContainText('€ 19,50');
  await expect(till.payment).toContainText('Afgerond op 5 cent van € 19,49 (+€ 0,01)');
  // Quick amounts: exact, then only the notes that cover it.
  const quick = till.payment.getByRole('group', { name: 'Snelle bedragen' }).getByRole('button');
  await expect(quick).toHaveText(['Gepast € 19,50', '€ 20,00', '€ 50,00']);
  await till.payment.getByRole('button', { name: '€ 20,00', exact: true }).click();
  await expect(till.changeInPayment()).toContainText('€ 0,50');
  await till.complete();
  await till.expectCompleted(1, '€ 0,50');
  await expect(till.payment).toBeHidden();
  await expect(till.tile('Desembrood')).toContainText('Nog 8');
  // No account: the sale is saved on this phone; nothing counts up as "not sent".
  await expect(shell.status).toHaveText('Opgeslagen op deze telefoon');

  // Sale 2: a line discount, first refused with a clear message, then 10%.
  await till.add('Oorbellen');
  await till.discountLine('Oorbellen', 'Procent (%)', '150');
  await expect(page.getByRole('dialog').getByRole('alert')).toHaveText(
    'Kies een heel percentage van 0 tot en met 100.',
  );
  await page.getByRole('dialog', { name: 'Korting op Oorbellen' }).getByRole('textbox').fill('10');
  await page.getByRole('button', { name: 'Korting toepassen' }).click();
  await expect(till.cart).toContainText('Korting −€ 1,25');
  // 12,49 - 1,25 = 11,24; rounded 11,25; typed on the keypad in euros: 1, 5 -> change 3,75.
  await till.payCash.click();
  await expect(till.payment).toContainText('€ 11,25');
  await till.typeTendered('15');
  await expect(till.payment.locator('output')).toHaveText('€ 15,00');
  await till.complete();
  await till.expectCompleted(2, '€ 3,75');

  const sales = new SalesPage(page);
  await shell.goTo('Verkopen');
  await sales.expectReady();
  await expect(sales.list).toHaveCount(2);
  await expect(sales.sale(2)).toContainText('€ 11,25');
  await expect(sales.sale(1)).toContainText('€ 19,50');
  await expect(sales.sale(1)).toContainText('Contant');
  // Revenue is the goods value (19,49 + 11,24), rounding is its own figure.
  await sales.expectFigures({
    Omzet: '€ 30,73',
    Verkopen: '2',
    'Gemiddelde verkoop': '€ 15,37',
    Artikelen: '4',
  });
  await sales.expectFigures({ Kortingen: '€ 1,25', 'Afronding contant': '€ 0,02' });
  expect(await sales.tableRows('Betaalwijze')).toEqual([['Contant', '2', '€ 30,75']]);
  // VAT per line on what the line brought in: 700 at 9% -> 58; 1249 and 1124 at 21% -> 217 + 195.
  expect(await sales.tableRows('Btw per tarief')).toEqual([
    ['21%', '€ 23,73', '€ 4,12', '€ 19,61'],
    ['9%', '€ 7,00', '€ 0,58', '€ 6,42'],
  ]);
  const best = page.getByRole('region', { name: 'Best verkocht' }).getByRole('listitem');
  await expect(best).toHaveCount(2);
  await expect(best.nth(0)).toContainText(/Oorbellen\s*2×\s*€\s23,73/);
  await expect(best.nth(1)).toContainText(/Desembrood\s*2×\s*€\s7,00/);
  await page.getByText('Als tabel tonen').click();
  await expect(
    page.getByRole('figure', { name: 'Verkopen per uur' }).locator('tbody tr'),
  ).toHaveCount(1);
  await expect(
    page.getByRole('figure', { name: 'Verkopen per uur' }).locator('tbody tr td').first(),
  ).toHaveText('2');

  // Void the last sale with a reason: it keeps its number, the summary drops it.
  await shell.goTo('Kassa');
  await till.expectReady();
  await page.getByRole('button', { name: 'Laatste verkoop terugdraaien (bon #2)' }).click();
  const voidDialog = page.getByRole('dialog', { name: 'Verkoop terugdraaien' });
  await voidDialog.getByRole('button', { name: 'Verkoop terugdraaien', exact: true }).click();
  await expect(voidDialog.getByRole('alert')).toHaveText('Vul een reden in.');
  await voidDialog.getByRole('textbox', { name: 'Reden' }).fill('Verkeerd product');
  await voidDialog.getByRole('button', { name: 'Verkoop terugdraaien', exact: true }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Bon #2 is teruggedraaid' }),
  ).toBeVisible();

  await shell.goTo('Verkopen');
  await sales.expectReady();
  await expect(sales.sale(2)).toContainText('Teruggedraaid: Verkeerd product');
  await sales.expectFigures({ Omzet: '€ 19,49', Verkopen: '1', 'Gemiddelde verkoop': '€ 19,49' });
  await sales.expectFigures({ Teruggedraaid: '1 · € 11,24' });
});
