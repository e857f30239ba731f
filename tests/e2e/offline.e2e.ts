import {
  expect,
  test,
  type BrowserContext,
  type Page,
  type PlaywrightWorkerArgs,
  type TestInfo,
} from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedSales } from './pages/device-data';
import { SalesPage } from './pages/sales-page';
import { Shell } from './pages/shell';
import { MINT_TEA, setUpStall, TEA_HOUSE } from './pages/stall-setup';
import { TillPage } from './pages/till-page';

/** A phone's browser on a profile kept on disk: it can be closed and started again, cold. */
interface ColdStartPhone {
  /** The first start, online: the stall set up, the till open and controlled by the worker. */
  setUp(): Promise<{ context: BrowserContext; page: Page }>;
  /** A cold start: a new browser process on the same profile, with no network at all. */
  startOffline(): Promise<{ context: BrowserContext; page: Page }>;
}

async function withColdStartPhone(
  playwright: PlaywrightWorkerArgs['playwright'],
  testInfo: TestInfo,
  body: (phone: ColdStartPhone) => Promise<void>,
): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'kraam-e2e-cold-'));
  const start = async (offline: boolean) => {
    const context = await playwright.chromium.launchPersistentContext(profile, {
      ...testInfo.project.use.launchOptions,
      baseURL: testInfo.project.use.baseURL,
      viewport: { width: 360, height: 740 },
    });
    if (offline) await context.setOffline(true);
    const page = context.pages()[0] ?? (await context.newPage());
    return { context, page };
  };
  try {
    await body({
      async setUp() {
        const started = await start(false);
        await setUpStall(started.page, { ...TEA_HOUSE, products: [MINT_TEA] });
        await new TillPage(started.page).goto();
        await new Shell(started.page).waitForServiceWorkerControl();
        return started;
      },
      startOffline: () => start(true),
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

test('offline: after one online visit the till starts, sells three items across two products and sums them right; back online nothing changed', async ({
  page,
  context,
}) => {
  await setUpStall(page, {
    ...TEA_HOUSE,
    products: [MINT_TEA, { name: 'Theeglas', price: '4,00', vat: '21% btw' }],
  });
  const till = new TillPage(page);
  const shell = new Shell(page);
  await till.goto();
  await new Shell(page).waitForServiceWorkerControl();

  await context.setOffline(true);
  await page.reload();
  await till.expectReady();
  // No account: whether online or not, the sales are saved on this phone.
  await expect(shell.status).toHaveText('Opgeslagen op deze telefoon');

  // Sale 1: 2 x 2,50 = 5,00 paid with a 10 euro note. Sale 2: 4,00 exact.
  await till.add('Muntthee', 2);
  await till.payWithQuickAmount('€ 10,00');
  await till.complete();
  await till.expectCompleted(1, '€ 5,00');
  await till.add('Theeglas');
  await till.payWithQuickAmount('Gepast € 4,00');
  await till.complete();
  await till.expectCompleted(2, '€ 0,00');

  // A cold start of another screen, still offline.
  const sales = new SalesPage(page);
  await sales.goto();
  const expectSummary = async () => {
    await expect(sales.list).toHaveCount(2);
    await sales.expectFigures({
      Omzet: '€ 9,00',
      Verkopen: '2',
      'Gemiddelde verkoop': '€ 4,50',
      Artikelen: '3',
    });
    expect(await sales.tableRows('Betaalwijze')).toEqual([['Contant', '2', '€ 9,00']]);
    // 400 at 21% holds 69 VAT; 500 at 9% holds 41.
    expect(await sales.tableRows('Btw per tarief')).toEqual([
      ['21%', '€ 4,00', '€ 0,69', '€ 3,31'],
      ['9%', '€ 5,00', '€ 0,41', '€ 4,59'],
    ]);
  };
  await expectSummary();
  await expect(shell.status).toHaveText('Opgeslagen op deze telefoon');

  await context.setOffline(false);
  await page.reload();
  await sales.expectReady();
  // Nothing was sent or lost: still saved on this phone, the same summary.
  await expect(shell.status).toHaveText('Opgeslagen op deze telefoon');
  await expectSummary();
});

test('offline cold start: the browser started again without network opens the till, and the discount dialog, loaded on first use, comes from the precache and applies', async ({
  playwright,
}, testInfo) => {
  // The discount dialog is a chunk of its own, not part of what the till loads to start.
  const kitDir = process.env.KRAAM_OUT ? `.svelte-kit-${process.env.KRAAM_OUT}` : '.svelte-kit';
  const manifest = JSON.parse(
    readFileSync(join(kitDir, 'output/client/.vite/manifest.json'), 'utf8'),
  ) as Record<string, { file: string }>;
  const discountChunk = manifest['src/routes/till/DiscountDialog.svelte']?.file;
  expect(discountChunk).toBeDefined();

  await withColdStartPhone(playwright, testInfo, async (phone) => {
    await (await phone.setUp()).context.close();

    const { context, page } = await phone.startOffline();
    // The till fetches its dialogs right after its first render (src/routes/till/dialogs.ts):
    // with no network, the discount dialog's chunk comes from the service worker's precache.
    const discount: boolean[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.endsWith(`/${discountChunk}`)) {
        discount.push(response.fromServiceWorker() && response.ok());
      }
    });
    const till = new TillPage(page);
    await till.goto();
    await till.add('Muntthee', 2);
    await expect(till.cart).toContainText('€ 5,00');

    await till.discountLine('Muntthee', 'Bedrag (€)', '1,00');
    await expect(till.cart).toContainText('€ 4,00');
    expect(discount).toEqual([true]);
    await till.payWithQuickAmount('Gepast € 4,00');
    await till.complete();
    await till.expectCompleted(1, '€ 0,00');
    await context.close();
  });
});

test('[issue 11] offline cold start in English: a product tapped and paid at once is stored on the device, and the till and its payment speak English', async ({
  playwright,
}, testInfo) => {
  await withColdStartPhone(playwright, testInfo, async (phone) => {
    const first = await phone.setUp();
    // The device's language from now on: English (Paraglide's cookie, as the language menu
    // writes it).
    await first.context.addCookies([
      { name: 'PARAGLIDE_LOCALE', value: 'en', url: testInfo.project.use.baseURL! },
    ]);
    await first.context.close();

    // A cold start with no network; the first tile is tapped the moment it can be, and paid.
    let { context, page } = await phone.startOffline();
    await page.goto('/till');
    await expect(page.getByRole('heading', { name: 'Till', level: 1 })).toBeAttached();
    await page
      .getByRole('region', { name: 'Products' })
      .getByRole('button', { name: /^Muntthee/ })
      .click();
    await page.getByRole('button', { name: 'Pay cash' }).click();
    const payment = page.getByRole('dialog', { name: 'Pay cash' });
    await payment.getByRole('button', { name: /^Exact/ }).click();
    await payment.getByRole('button', { name: 'Complete sale' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: /Completed — receipt #1/ }),
    ).toBeVisible();
    await context.close();

    // Started again: the sale is on the device.
    ({ context, page } = await phone.startOffline());
    await page.goto('/till');
    await expect(page.getByRole('heading', { name: 'Till', level: 1 })).toBeAttached();
    const stored = await storedSales(page);
    expect(stored).toBe(1);
    await context.close();
  });
});
