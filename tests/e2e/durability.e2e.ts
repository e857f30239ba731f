import { expect, test } from '@playwright/test';
import { SalesPage } from './pages/sales-page';
import { setUpStall } from './pages/stall-setup';
import { TillPage } from './pages/till-page';

test('[G1] "Completed" means stored: the page is closed right after it appears, and on reopening the sale is there (5 times)', async ({
  context,
}) => {
  let page = await context.newPage();
  await setUpStall(page, {
    stallName: 'Kaasboer Piet',
    cashRounding: false,
    event: 'Wintermarkt',
    products: [{ name: 'Oude kaas', price: '6,75', vat: '9% btw' }],
  });

  for (let receipt = 1; receipt <= 5; receipt++) {
    const till = new TillPage(page);
    await till.goto();
    await till.add('Oude kaas');
    await till.payWithQuickAmount('€ 10,00');
    await till.complete();
    await expect(till.completedStatus).toContainText(`Voltooid — bon #${receipt}`);
    // Gone at once: no unload handlers, no chance to finish anything after "completed".
    await page.close({ runBeforeUnload: false });

    page = await context.newPage();
    const sales = new SalesPage(page);
    await sales.goto();
    await expect(sales.list).toHaveCount(receipt);
    await expect(sales.sale(receipt)).toContainText('€ 6,75');
    await sales.expectFigures({
      Verkopen: String(receipt),
      Omzet: `€ ${(receipt * 6.75).toFixed(2).replace('.', ',')}`,
    });
  }
});

test('[G1] a full device: the sale is refused with a clear message, never a false "completed", and the cart is kept', async ({
  page,
}) => {
  await setUpStall(page, {
    stallName: 'Kaasboer Piet',
    cashRounding: false,
    event: 'Wintermarkt',
    products: [{ name: 'Oude kaas', price: '6,75', vat: '9% btw' }],
  });
  const till = new TillPage(page);
  await till.goto();
  // From now on every IndexedDB write fails the way a full disk does.
  await page.evaluate(() => {
    const full = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    IDBObjectStore.prototype.add = full;
    IDBObjectStore.prototype.put = full;
  });
  await till.add('Oude kaas', 2);
  await till.payWithQuickAmount('€ 20,00');
  await till.complete();
  await expect(till.payment.getByRole('alert')).toHaveText(/Het apparaat is vol/);
  await expect(till.completedStatus).toHaveCount(0);
  await till.payment.getByRole('button', { name: 'Annuleren' }).click();
  await expect(till.cart).toContainText('2 × € 6,75');

  // Nothing was stored: after a reload (the writes work again) there is no sale.
  await page.reload();
  const sales = new SalesPage(page);
  await sales.goto();
  await expect(sales.list).toHaveCount(0);
  await sales.expectFigures({ Verkopen: '0', Omzet: '€ 0,00' });
});
