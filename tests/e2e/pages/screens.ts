import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** The device app's main screens, as tests/e2e/arabic.e2e.ts walks them. */
export const MAIN_SCREENS = ['/till', '/products', '/events', '/sales', '/settings', '/welcome'];

/** Loads a screen and waits until its content (not a loading state) is there. */
export async function openScreen(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toBeAttached();
  await expect(page.getByRole('main').getByRole('status').filter({ hasText: /…$/ })).toHaveCount(0);
}

export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Every main screen, the till with a cart and the payment dialog pass axe (no serious finding). */
export async function expectEveryScreenAccessible(
  page: Page,
  till: { product: RegExp; pay: string },
): Promise<void> {
  for (const path of MAIN_SCREENS) {
    await openScreen(page, path);
    expect(
      await seriousViolations(page),
      `${path} in ${await page.locator('html').getAttribute('lang')}`,
    ).toEqual([]);
  }
  await openScreen(page, '/till');
  await page.getByRole('button', { name: till.product }).click();
  expect(await seriousViolations(page), 'till with a cart').toEqual([]);
  await page.getByRole('button', { name: till.pay }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await seriousViolations(page), 'payment dialog').toEqual([]);
  await page.keyboard.press('Escape');
}

/**
 * How an element's text renders: its width, each character's width, and the width of the
 * same number of characters that no font has (U+10FFFD, private use), drawn in the element's
 * font. A character the browser has no font for is drawn as the font's "missing glyph" box
 * ("tofu"), which has one width whatever the character: text drawn entirely in tofu is as
 * wide as the private-use string, and each of its characters as wide as one tofu box.
 */
export async function renderedWidths(element: Locator): Promise<{
  text: string;
  width: number;
  tofuWidth: number;
  charWidths: number[];
  oneTofu: number;
}> {
  return element.evaluate((el) => {
    const font = getComputedStyle(el).font;
    const measure = (text: string): number => {
      const span = document.createElement('span');
      span.style.font = font;
      span.style.whiteSpace = 'pre';
      span.style.position = 'absolute';
      span.textContent = text;
      document.body.append(span);
      const width = span.getBoundingClientRect().width;
      span.remove();
      return width;
    };
    const text = (el.textContent ?? '').trim();
    const chars = [...text];
    return {
      text,
      width: measure(text),
      tofuWidth: measure('\u{10FFFD}'.repeat(chars.length)),
      charWidths: chars.map(measure),
      oneTofu: measure('\u{10FFFD}'),
    };
  });
}
