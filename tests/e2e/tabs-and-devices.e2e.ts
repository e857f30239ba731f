import { expect, test } from '@playwright/test';
import { SalesPage } from './pages/sales-page';
import { setUpStall } from './pages/stall-setup';
import { TillPage } from './pages/till-page';

// One phone with several tabs, one stall with several phones (issue 10).

test("two tabs of one phone: a sale in tab A shows in tab B's stock, sales list and figures within a second", async ({
  context,
}) => {
  const a = await context.newPage();
  await setUpStall(a, {
    stallName: 'Bakkerij Noor',
    cashRounding: false,
    event: 'Buurtmarkt Oost',
    products: [{ name: 'Desembrood', price: '3,50', vat: '9% btw', stock: '2' }],
  });
  const tillA = new TillPage(a);
  await tillA.goto();
  const b = await context.newPage();
  const tillB = new TillPage(b);
  await tillB.goto();
  await expect(tillB.tile('Desembrood')).toContainText('Nog 2');
  const c = await context.newPage();
  const salesC = new SalesPage(c);
  await salesC.goto();
  await expect(salesC.list).toHaveCount(0);

  await tillA.add('Desembrood', 2);
  await tillA.payWithQuickAmount('€ 10,00');
  await tillA.complete();
  await tillA.expectCompleted(1, '€ 3,00');

  await expect(tillB.tile('Desembrood')).toContainText('Uitverkocht', { timeout: 1_000 });
  await expect(tillB.tile('Desembrood')).toBeDisabled({ timeout: 1_000 });
  await expect(salesC.list).toHaveCount(1, { timeout: 1_000 });
  await expect(salesC.figure('Verkopen')).toHaveText('1', { timeout: 1_000 });
  await expect(salesC.figure('Omzet')).toHaveText('€ 7,00', { timeout: 1_000 });
});
