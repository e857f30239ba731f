import { expect, test } from '@playwright/test';
import { expectEveryScreenAccessible, openScreen, renderedWidths } from './pages/screens';
import { Shell } from './pages/shell';
import { setUpStall } from './pages/stall-setup';
import { TillPage } from './pages/till-page';

/** Persian and Arabic-Indic digits: amounts and dates show Western ones (src/lib/domain/money.ts). */
const EASTERN_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/;

// Each test walks every main screen with axe (as arabic.e2e.ts does): more than the default
// minute on a busy machine.
test.describe.configure({ timeout: 150_000 });
// A phone set to Dutch, as at a Dutch market: a language the browser has no number data for
// (Tigrinya) must not fall back to the phone's Dutch "€ 3,50".
test.use({ locale: 'nl-NL' });

const stall = {
  stallName: 'Atelier Samira',
  cashRounding: true,
  event: 'Winterbazaar',
  products: [
    { name: 'Geborduurde tas', price: '24,95', vat: '21% btw' as const, stock: '3' },
    { name: 'Dadels', price: '3,50', vat: '9% btw' as const },
  ],
};

test('Persian: the till is right-to-left with Persian labels and Western digits, and every main screen passes axe', async ({
  page,
}) => {
  await setUpStall(page, stall);
  const shell = new Shell(page);
  await new TillPage(page).goto();
  await shell.switchLanguage('Taal', 'فارسی');
  await shell.expectDocumentLanguage('fa', 'rtl');
  await expect(page.getByRole('heading', { name: 'صندوق', level: 1 })).toBeAttached();
  await expect(page.getByRole('button', { name: 'پرداخت نقدی' })).toBeVisible();
  await page.getByRole('button', { name: /^Dadels/ }).click();
  await expect(page.getByRole('button', { name: 'یکی بیشتر از Dadels' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'یکی کمتر از Dadels' })).toBeVisible();
  await expect(shell.nav.getByRole('link', { name: 'فروش\u200cها' })).toBeVisible();
  // Amounts keep Western digits and the euro sign, as in Arabic.
  await expect(page.getByRole('main')).toContainText('3.50');
  await expect(page.getByRole('main')).not.toContainText(EASTERN_DIGITS);

  // Mirrored: the first navigation item (the till) sits at the right-hand edge.
  const first = await shell.nav.getByRole('link').first().boundingBox();
  const last = await shell.nav.getByRole('link').last().boundingBox();
  expect(first && last && first.x > last.x).toBe(true);

  // The event's date is the Gregorian one with Western digits, not the Solar Hijri calendar.
  await openScreen(page, '/events');
  await expect(page.getByRole('main')).toContainText(String(new Date().getFullYear()));
  await expect(page.getByRole('main')).not.toContainText(EASTERN_DIGITS);

  // The choice is remembered across a reload, and the page is right-to-left from the start.
  await page.reload();
  await shell.expectDocumentLanguage('fa', 'rtl');

  await expectEveryScreenAccessible(page, { product: /^Geborduurde tas/, pay: 'پرداخت نقدی' });
});

test("Tigrinya: the till speaks Tigrinya and its Ge'ez script renders (no missing-glyph boxes); Ukrainian and Turkish are offered too", async ({
  page,
}) => {
  await setUpStall(page, stall);
  const shell = new Shell(page);
  await new TillPage(page).goto();
  await shell.switchLanguage('Taal', 'ትግርኛ');
  await shell.expectDocumentLanguage('ti', 'ltr');
  const heading = page.getByRole('heading', { name: 'መኽፈሊ', level: 1 });
  await expect(heading).toBeVisible();
  await expect(page.getByRole('button', { name: 'ብጥረ ገንዘብ ምኽፋል' })).toBeVisible();
  await expect(shell.nav.getByRole('link', { name: 'መሸጣታት' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Dadels/ })).toContainText('€3.50');

  // Ge'ez is drawn with real glyphs: the heading is not as wide as the same number of
  // missing-glyph boxes, and not every one of its letters has the box's width.
  await expect(heading).toHaveText('መኽፈሊ');
  const drawn = await renderedWidths(heading);
  expect(drawn.width).toBeGreaterThan(0);
  expect(drawn.charWidths.every((w) => w > 0)).toBe(true);
  const tofu = drawn.charWidths.filter((w) => Math.abs(w - drawn.oneTofu) < 0.01);
  expect(
    Math.abs(drawn.width - drawn.tofuWidth) > 0.5 && tofu.length < drawn.charWidths.length,
    `Ge'ez "${drawn.text}" is drawn as missing-glyph boxes: ${JSON.stringify(drawn)}. ` +
      'The browser has no font with Ethiopic letters (Debian: fonts-sil-abyssinica).',
  ).toBe(true);

  // The event's date has Tigrinya names (the browser's own date data has none: it would
  // write "2026 M12 6, Sun").
  await openScreen(page, '/events');
  await expect(page.getByRole('main')).toContainText(
    /[ሰረሓዓቀ][ንኑሉቡሙርዳ]፣ \d{1,2} (ጥሪ|ለካ|መጋ|ሚያ|ግን|ሰነ|ሓም|ነሓ|መስ|ጥቅ|ሕዳ|ታሕ) \d{4}/,
  );
  await expect(page.getByRole('main')).not.toContainText(/\bM\d{1,2}\b/);

  await expectEveryScreenAccessible(page, {
    product: /^Geborduurde tas/,
    pay: 'ብጥረ ገንዘብ ምኽፋል',
  });

  // The switch names every language in itself; Ukrainian and Turkish turn the till round too.
  for (const { switchName, name, lang, till } of [
    { switchName: 'ቋንቋ', name: 'Українська', lang: 'uk', till: 'Каса' },
    { switchName: 'Мова', name: 'Türkçe', lang: 'tr', till: 'Kasa' },
  ]) {
    await openScreen(page, '/till');
    await shell.switchLanguage(switchName, name);
    await shell.expectDocumentLanguage(lang, 'ltr');
    await expect(page.getByRole('heading', { name: till, level: 1 })).toBeAttached();
  }
});
