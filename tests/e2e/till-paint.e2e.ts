import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Page,
  type TestInfo,
} from '@playwright/test';
import { LOCALES } from '../../src/lib/domain/locales';
import { formatMoney, MONEY_LOCALE_TAGS } from '../../src/lib/domain/money';
import { storedSales } from './pages/device-data';
import { clientManifest } from './pages/first-visit';
import type { ProductFields } from './pages/catalog-app';
import { setUpStall } from './pages/stall-setup';
import { TillPage } from './pages/till-page';

/**
 * Issue 11: the till paints its grid from a plain IndexedDB read (src/lib/db/first-paint.ts)
 * while Dexie and the device store load; taps fill the cart at once and "Pay" waits for the
 * store, never the network. Here the store's code is held back on purpose, as a slow phone
 * would fetch it, to see the till before it arrives.
 */
function storeChunk(): string {
  const file = clientManifest()['src/lib/db/dexie-store.ts']?.file;
  if (!file) throw new Error('the device store is not a chunk of its own in this build');
  return file;
}

/**
 * A phone with no service worker (so the store's code can be held back on its way to the
 * page), 360 px wide, with the tea house's stall selling `products`.
 */
async function teaHousePhone(
  browser: Browser,
  testInfo: TestInfo,
  products: ProductFields[],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    serviceWorkers: 'block',
    viewport: { width: 360, height: 740 },
  });
  const page = await context.newPage();
  await setUpStall(page, {
    stallName: 'Theehuis Amal',
    cashRounding: false,
    event: 'Bazaar West',
    products,
  });
  return { context, page };
}

/** Holds the device store's code back until `release()`; `held()` counts its requests. */
async function holdStoreCode(page: Page): Promise<{ release: () => void; held: () => number }> {
  const chunk = storeChunk();
  let release = () => undefined as void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  await page.route(`**/${chunk}`, async (route) => {
    held += 1;
    await released;
    await route.continue();
  });
  return { release, held: () => held };
}

test('[issue 11] before the device store has loaded the till shows its products and stock and takes taps; "Pay" waits for the store and the sale is stored once', async ({
  browser,
}, testInfo) => {
  // No service worker here, so the store's code can be held back on its way to the page.
  const { context, page } = await teaHousePhone(browser, testInfo, [
    { name: 'Muntthee', price: '2,50', vat: '9% btw', stock: '5' },
  ]);

  const { release, held } = await holdStoreCode(page);

  const till = new TillPage(page);
  await page.goto('/till');
  await expect(till.tile('Muntthee')).toBeVisible();
  await expect(till.tile('Muntthee')).toContainText('Nog 5 van 5');
  expect(held()).toBe(1);
  await till.add('Muntthee', 2);
  await expect(till.cart).toContainText('€ 5,00');
  await expect(till.tile('Muntthee')).toContainText('Nog 3 van 5');

  await till.payWithQuickAmount('Gepast € 5,00');
  await till.complete();
  // Recorded only once the store is there: nothing is shown as done before it is stored.
  await page.waitForTimeout(300);
  await expect(till.completedStatus).toHaveCount(0);
  release();
  await till.expectCompleted(1, '€ 0,00');
  await expect(till.tile('Muntthee')).toContainText('Nog 3 van 5');
  await expect(till.cart).not.toContainText('€ 5,00');

  await page.unroute(`**/${storeChunk()}`);
  await till.goto();
  await expect(till.tile('Muntthee')).toContainText('Nog 3 van 5');
  expect(await storedSales(page)).toBe(1);
  await context.close();
});

test('[issue 11] on the till the first paint leaves out the bottom navigation: it follows once the grid is on screen, while the store still loads, and the grid does not move', async ({
  browser,
}, testInfo) => {
  const { context, page } = await teaHousePhone(browser, testInfo, [
    { name: 'Muntthee', price: '2,50', vat: '9% btw', stock: '5' },
  ]);
  // The store's code held back, so everything below happens before the store is open.
  const { release } = await holdStoreCode(page);
  // In the page: what else is in the document when the first tile is, and where the tile is.
  await page.addInitScript(() => {
    const w = window as unknown as {
      __firstPaint?: { nav: boolean; top: number };
    };
    const observer = new MutationObserver(() => {
      const tile = document.querySelector('[aria-labelledby="till-products"] button');
      if (!tile || w.__firstPaint) return;
      w.__firstPaint = {
        nav: document.querySelector('nav') !== null,
        top: tile.getBoundingClientRect().top,
      };
      observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  });

  const till = new TillPage(page);
  await page.goto('/till');
  await expect(till.tile('Muntthee')).toBeVisible();
  const first = await page.evaluate(
    () => (window as unknown as { __firstPaint: { nav: boolean; top: number } }).__firstPaint,
  );
  expect(first.nav).toBe(false);
  // Then the navigation, with the store still held back; the grid has not moved.
  await expect(page.getByRole('navigation')).toBeVisible();
  const top = await till.tile('Muntthee').evaluate((tile) => tile.getBoundingClientRect().top);
  expect(top).toBe(first.top);
  await till.add('Muntthee', 1);
  await expect(till.cart).toContainText('€ 2,50');
  release();
  await context.close();
});

test('[issue 11] on a cold start the till begins reading the device before the layout or the till is mounted, and paints from that one read', async ({
  browser,
}, testInfo) => {
  const { context, page } = await teaHousePhone(browser, testInfo, [
    { name: 'Muntthee', price: '2,50', vat: '9% btw', stock: '5' },
  ]);
  // In the page: every opening of the device's database without a version (the first
  // paint's plain read; the device store always names its version), and whether the till's
  // page was in the document at that moment.
  await page.addInitScript(() => {
    const w = window as unknown as { __plainReads?: { tillMounted: boolean }[] };
    w.__plainReads = [];
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (this: IDBFactory, name: string, version?: number) {
      if (name === 'kraam' && version === undefined) {
        w.__plainReads?.push({ tillMounted: document.querySelector('main h1') !== null });
      }
      return version === undefined ? open.call(this, name) : open.call(this, name, version);
    };
  });

  const till = new TillPage(page);
  await page.goto('/till');
  await expect(till.tile('Muntthee')).toContainText('Nog 5 van 5');
  const reads = await page.evaluate(
    () => (window as unknown as { __plainReads: { tillMounted: boolean }[] }).__plainReads,
  );
  expect(reads).toEqual([{ tillMounted: false }]);
  await till.add('Muntthee', 1);
  await expect(till.cart).toContainText('€ 2,50');
  await context.close();
});

test('[issue 11] on a cold start the till’s first paint holds only the current language in the language menu; the others join once the grid is on screen, nothing moves, and the menu works at 360 px right to left', async ({
  browser,
}, testInfo) => {
  const { context, page } = await teaHousePhone(browser, testInfo, [
    { name: 'Muntthee', price: '2,50', vat: '9% btw', stock: '5' },
  ]);
  // The store's code held back: the options join with the grid's paint, not with the store.
  const { release } = await holdStoreCode(page);
  // In the page: the language menu's options when the first tile is in the document, and
  // where the tile and the menu are.
  await page.addInitScript(() => {
    const w = window as unknown as {
      __firstPaint?: { options: string[]; top: number; menu: number };
    };
    const observer = new MutationObserver(() => {
      const tile = document.querySelector('[aria-labelledby="till-products"] button');
      const menu = document.querySelector('header select');
      if (!tile || !menu || w.__firstPaint) return;
      w.__firstPaint = {
        options: [...menu.querySelectorAll('option')].map((o) => o.textContent ?? ''),
        top: tile.getBoundingClientRect().top,
        menu: menu.getBoundingClientRect().width,
      };
      observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  });

  const till = new TillPage(page);
  await page.goto('/till');
  await expect(till.tile('Muntthee')).toBeVisible();
  const first = await page.evaluate(
    () =>
      (window as unknown as { __firstPaint: { options: string[]; top: number; menu: number } })
        .__firstPaint,
  );
  expect(first.options).toEqual(['Nederlands']);
  // Then every language, with the store still held back; neither the grid nor the menu moved.
  const menu = page.getByRole('combobox', { name: 'Taal' });
  await expect(menu.getByRole('option')).toHaveText([
    'Nederlands',
    'English',
    'العربية',
    'ትግርኛ',
    'فارسی',
    'Українська',
    'Türkçe',
  ]);
  await expect(menu).toHaveValue('nl');
  expect(await till.tile('Muntthee').evaluate((tile) => tile.getBoundingClientRect().top)).toBe(
    first.top,
  );
  expect(await menu.evaluate((select) => select.getBoundingClientRect().width)).toBe(first.menu);
  release();
  // The menu works: Arabic, right to left, nothing wider than the screen.
  await menu.selectOption({ label: 'العربية' });
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('combobox', { name: 'اللغة' })).toHaveValue('ar');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await context.close();
});

test('[issue 11] a language menu reached before the till has painted offers every language at once', async ({
  browser,
}, testInfo) => {
  // No products: the till has nothing to paint early and waits for the store, held back.
  const { context, page } = await teaHousePhone(browser, testInfo, []);
  const { release } = await holdStoreCode(page);
  await page.goto('/till');
  const menu = page.getByRole('combobox', { name: 'Taal' });
  await expect(menu.getByRole('option')).toHaveText(['Nederlands']);
  await menu.focus();
  await expect(menu.getByRole('option')).toHaveCount(7);
  await menu.selectOption({ label: 'English' });
  await expect(page.getByRole('combobox', { name: 'Language' })).toHaveValue('en');
  release();
  await context.close();
});

test('[issue 11] the till’s first paint makes no Intl.NumberFormat: its prices come from the written-out euro formats, which are what this browser’s Intl writes in every language', async ({
  browser,
}, testInfo) => {
  const { context, page } = await teaHousePhone(browser, testInfo, [
    { name: 'Muntthee', price: '1234,50', vat: '9% btw', stock: '5' },
  ]);
  // In the page: every Intl.NumberFormat made, and how many there were when the first tile
  // was in the document.
  await page.addInitScript(() => {
    const w = window as unknown as { __numberFormats: number; __atTile?: number };
    w.__numberFormats = 0;
    Intl.NumberFormat = new Proxy(Intl.NumberFormat, {
      construct(target, args: ConstructorParameters<typeof Intl.NumberFormat>) {
        w.__numberFormats += 1;
        return new target(...args);
      },
      apply(target, self, args: ConstructorParameters<typeof Intl.NumberFormat>) {
        w.__numberFormats += 1;
        return target(...args);
      },
    });
    const observer = new MutationObserver(() => {
      if (!document.querySelector('[aria-labelledby="till-products"] button')) return;
      w.__atTile = w.__numberFormats;
      observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  const till = new TillPage(page);
  await page.goto('/till');
  await expect(till.tile('Muntthee')).toContainText('€ 1.234,50');
  expect(await page.evaluate(() => (window as unknown as { __atTile: number }).__atTile)).toBe(0);
  await till.add('Muntthee', 1);
  await expect(till.cart).toContainText('€ 1.234,50');

  // This browser's Intl writes every amount as money.ts does, in every language.
  const amounts = [0, 5, 99, 100, 350, -350, 123456, -123456, 100_000_000, -1_234_567_890_12];
  const written = await page.evaluate(
    ({ tags, amounts }) =>
      Object.fromEntries(
        Object.entries(tags).map(([locale, tag]) => {
          const format = new Intl.NumberFormat(tag, {
            style: 'currency',
            currency: 'EUR',
            numberingSystem: 'latn',
            currencyDisplay: 'narrowSymbol',
          });
          return [
            locale,
            amounts.map((c) => {
              const abs = Math.abs(c);
              const text = `${c < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
              return format.format(text as `${number}`);
            }),
          ];
        }),
      ),
    { tags: MONEY_LOCALE_TAGS, amounts },
  );
  for (const locale of LOCALES) {
    expect(written[locale]).toEqual(amounts.map((c) => formatMoney(c, locale)));
  }
  await context.close();
});
