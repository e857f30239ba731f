// The maker's books (issue 9): any sale can be opened from the sales list and corrected,
// offline, with a refund of its own. Runs on a server of its own (playwright.config.ts,
// project 'books'): the maker here signs up first and so founds the organisation.
import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { SalesPage } from './pages/sales-page';
import { seriousViolations } from './pages/screens';
import { Shell } from './pages/shell';
import { setUpStall } from './pages/stall-setup';
import { SyncStatusPanel } from './pages/sync-status';
import { TillPage } from './pages/till-page';

/** The server's net revenue of the account: every synced sale less every refund of it. */
async function serverNet(request: APIRequestContext): Promise<{ net: number; refunds: number }> {
  const totals = new Map<string, number>();
  let refunded = 0;
  let refunds = 0;
  let cursor: string | null = null;
  const deviceId = randomUUID();
  for (let page = 0; page < 20; page++) {
    const response = await request.post('/api/sync/pull', {
      data: { protocol: 1, deviceId, cursor, limit: 1000, features: ['refunds'] },
    });
    expect(response.status(), await response.text()).toBe(200);
    const body = (await response.json()) as {
      changes: {
        entity: string;
        data: Record<string, { id: string; totalCents: number; status?: string }>;
      }[];
      cursor: string | null;
      hasMore: boolean;
    };
    for (const change of body.changes) {
      const sale = change.data.sale;
      if (change.entity === 'sale' && sale && sale.status === 'completed') {
        totals.set(sale.id, sale.totalCents);
      }
      const refund = change.data.refund;
      if (change.entity === 'refund' && refund) {
        refunded += refund.totalCents;
        refunds += 1;
      }
    }
    cursor = body.cursor;
    if (!body.hasMore) break;
  }
  return { net: [...totals.values()].reduce((a, b) => a + b, 0) - refunded, refunds };
}

async function sell(till: TillPage, items: [string, number][], exact: string): Promise<void> {
  for (const [name, times] of items) await till.add(name, times);
  await till.payWithQuickAmount(`Gepast ${exact}`);
  await till.complete();
  await expect(till.payment).toBeHidden();
}

/** A receipt number as the screens write it: "#9", or "#A-9" once the device has its code. */
function receipt(n: number): string {
  return `#\u2066?(?:[A-Z]+-)?${n}\u2069?`;
}

test('a customer comes back about sale #9 after #10: the maker opens #9 from the sales list and refunds one line offline; the summary drops by exactly that, and once online the server agrees', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await setUpStall(page, {
    stallName: 'Bakkerij Noor',
    cashRounding: false,
    event: 'Wintermarkt Oost',
    products: [
      { name: 'Desembrood', price: '3,50', vat: '9% btw', stock: '20' },
      { name: 'Oorbellen', price: '12,49', vat: '21% btw' },
    ],
  });
  const shell = new Shell(page);
  const sync = new SyncStatusPanel(page);
  await sync.open();
  await sync.backup.click();
  await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Nog geen account? Maak er een' }).click();
  await page.getByLabel('Je naam').fill('Noor');
  await page.getByLabel('E-mail').fill('noor@example.org');
  await page.getByLabel('Wachtwoord').fill('desembrood-2026');
  await page.getByLabel('Naam van je organisatie').fill('Stichting Wintermarkt');
  await page.getByRole('button', { name: 'Account maken', exact: true }).click();
  await expect(page.getByText('Ingelogd als Noor (noor@example.org)')).toBeVisible();

  // Ten sales: eight loaves, then #9 (two loaves and earrings), then #10 (earrings).
  const till = new TillPage(page);
  await till.goto();
  for (let i = 0; i < 8; i++) await sell(till, [['Desembrood', 1]], '€ 3,50');
  await sell(
    till,
    [
      ['Desembrood', 2],
      ['Oorbellen', 1],
    ],
    '€ 19,49',
  );
  await sell(till, [['Oorbellen', 1]], '€ 12,49');
  await till.expectCompleted(10, '€ 0,00');
  await expect(till.tile('Desembrood')).toContainText('Nog 10');

  // The void of the last sale sits in the sticky bar, never half under it; its dialog's
  // buttons say different things (one goes back, one voids).
  const voidLast = page.getByRole('button', {
    name: new RegExp(`^Laatste verkoop terugdraaien \\(bon ${receipt(10)}\\)$`),
  });
  await till.add('Desembrood');
  await expect(voidLast).toBeHidden();
  await page.getByRole('button', { name: 'Minder Desembrood', exact: true }).click();
  await expect(voidLast).toBeVisible();
  const box = await voidLast.boundingBox();
  expect(box).not.toBeNull();
  const onTop = await page.evaluate(
    ({ x, y }) => document.elementFromPoint(x, y)?.closest('button')?.textContent?.trim() ?? '',
    { x: box!.x + box!.width / 2, y: box!.y + box!.height - 2 },
  );
  expect(onTop).toMatch(new RegExp(`Laatste verkoop terugdraaien \\(bon ${receipt(10)}\\)`));
  await voidLast.click();
  const voidDialog = page.getByRole('dialog', { name: 'Verkoop terugdraaien' });
  // The dialog loads on first use (src/routes/till/dialogs.ts): read its buttons once it shows.
  await expect(voidDialog.getByRole('button', { name: 'Terug', exact: true })).toBeVisible();
  const footerNames = await voidDialog.getByRole('button').allInnerTexts();
  expect(footerNames.filter((n) => /terugdraaien/i.test(n))).toEqual(['Verkoop terugdraaien']);
  await voidDialog.getByRole('button', { name: 'Terug', exact: true }).click();
  await expect(voidDialog).toBeHidden();

  await shell.goTo('Verkopen');
  const sales = new SalesPage(page);
  await sales.expectReady();
  await expect(shell.status).toContainText('alle verkopen verstuurd');
  await sales.expectFigures({ Omzet: '€ 59,98', Verkopen: '10', Artikelen: '12' });

  // Offline: open #9 from the list and give back the two loaves.
  await context.setOffline(true);
  await expect(shell.status).toContainText('Offline');
  await page.getByRole('button', { name: new RegExp(`^Bon ${receipt(9)} bekijken$`) }).click();
  const saleDialog = page.getByRole('dialog', { name: new RegExp(`^Bon ${receipt(9)}$`) });
  await expect(saleDialog).toContainText('Dit apparaat');
  await expect(saleDialog).toContainText(/Desembrood · 2 × €\s3,50\s*€\s7,00/);
  await expect(saleDialog).toContainText(/Oorbellen · 1 × €\s12,49\s*€\s12,49/);
  await expect(saleDialog).toContainText(/Contant\s*€\s19,49/);
  await expect(saleDialog).toContainText(/Wisselgeld\s*€\s0,00/);
  expect(await seriousViolations(page), 'sale view').toEqual([]);
  await saleDialog.getByRole('button', { name: 'Terugbetalen', exact: true }).click();

  const refund = page.getByRole('dialog', {
    name: new RegExp(`^Terugbetalen van bon ${receipt(9)}$`),
  });
  await refund.getByRole('radio', { name: 'Gekozen artikelen' }).check();
  await refund
    .getByRole('spinbutton', { name: 'Desembrood: hoeveel terug (hoogstens 2)' })
    .fill('2');
  await expect(refund).toContainText('Terug te geven: € 7,00');
  await refund.getByRole('button', { name: 'Terugbetaling vastleggen' }).click();
  await expect(refund.getByRole('alert')).toHaveText('Vul een reden in.');
  await refund.getByRole('textbox', { name: 'Reden' }).fill('Oud brood meegegeven');
  expect(await seriousViolations(page), 'refund form').toEqual([]);
  await refund.getByRole('button', { name: 'Terugbetaling vastleggen' }).click();

  await expect(saleDialog.getByRole('status')).toHaveText(
    new RegExp(`^€\\s7,00 terugbetaald van bon ${receipt(9)}$`),
  );
  await expect(saleDialog).toContainText(/Oud brood meegegeven\s*−€\s7,00/);
  await saleDialog.getByRole('button', { name: 'Terug', exact: true }).click();
  await expect(saleDialog).toBeHidden();

  // The summary drops by exactly the refund; the sale still counts as a sale.
  await sales.expectFigures({ Omzet: '€ 52,98', Verkopen: '10', Artikelen: '10' });
  await sales.expectFigures({ Terugbetaald: '1 · € 7,00' });
  expect(await sales.tableRows('Btw per tarief')).toEqual([
    ['21%', '€ 24,98', '€ 4,34', '€ 20,64'],
    ['9%', '€ 28,00', '€ 2,32', '€ 25,68'],
  ]);
  await expect(shell.status).toContainText('niet alles verstuurd');
  await shell.goTo('Kassa');
  await expect(till.tile('Desembrood')).toContainText('Nog 12');

  // Back online: the refund is sent, and the server's books say the same.
  await context.setOffline(false);
  await expect(shell.status).toContainText('alle verkopen verstuurd');
  const server = await serverNet(context.request);
  expect(server).toEqual({ net: 5298, refunds: 1 });
});

test('Arabic, 360 px: a sale opens from the list and is refunded whole, right to left; the sale view and refund form pass axe', async ({
  page,
}) => {
  await setUpStall(page, {
    stallName: 'Atelier Samira',
    cashRounding: false,
    event: 'Ramadanmarkt',
    products: [{ name: 'Dadels', price: '3,50', vat: '9% btw', stock: '5' }],
  });
  const till = new TillPage(page);
  await till.goto();
  await sell(till, [['Dadels', 2]], '€ 7,00');
  await sell(till, [['Dadels', 1]], '€ 3,50');

  const shell = new Shell(page);
  await shell.switchLanguage('Taal', 'العربية');
  await shell.expectDocumentLanguage('ar', 'rtl');
  await shell.goTo('المبيعات');
  await expect(page.getByRole('heading', { name: 'المبيعات', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'عرض الإيصال رقم 1' }).click();
  const saleDialog = page.getByRole('dialog', { name: 'الإيصال رقم 1' });
  await expect(saleDialog).toContainText('هذا الجهاز');
  expect(await seriousViolations(page), 'sale view (ar)').toEqual([]);
  // One button goes back, another refunds, a third voids: three different names.
  const names = await saleDialog.locator('.foot button').allInnerTexts();
  expect(new Set(names).size).toBe(names.length);
  await saleDialog.getByRole('button', { name: 'استرداد', exact: true }).click();

  const refund = page.getByRole('dialog', { name: 'استرداد من الإيصال رقم 1' });
  await expect(refund.getByRole('radio', { name: /كل ما تبقى/ })).toBeChecked();
  await refund.getByRole('textbox', { name: 'السبب' }).fill('غيّر الزبون رأيه');
  expect(await seriousViolations(page), 'refund form (ar)').toEqual([]);
  await refund.getByRole('button', { name: 'تسجيل الاسترداد' }).click();
  await expect(saleDialog.getByRole('status')).toContainText('تم استرداد');
  await expect(saleDialog).toContainText('استُرد كل ما في هذا البيع.');
  // Nothing is left to refund, and a refunded sale cannot be voided on top.
  await expect(saleDialog.getByRole('button', { name: 'استرداد', exact: true })).toHaveCount(0);
  await expect(saleDialog.getByRole('button', { name: 'إلغاء البيع كله' })).toHaveCount(0);
  await saleDialog.getByRole('button', { name: 'رجوع', exact: true }).click();

  const summary = page.getByRole('region', { name: 'الملخص' });
  const figure = (term: string) =>
    summary.getByRole('term').filter({ hasText: term }).locator('xpath=following-sibling::dd[1]');
  await expect(figure('الإيرادات')).toContainText(/3[.,٫]50/);
  await expect(figure('عدد المبيعات')).toHaveText('2');
});
