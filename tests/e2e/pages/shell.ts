import { expect, type Locator, type Page } from '@playwright/test';

/** The app shell around every screen: header (connection, unsent sales, language) and nav. */
export class Shell {
  readonly status: Locator;
  readonly nav: Locator;

  constructor(readonly page: Page) {
    this.status = page.getByRole('banner').getByRole('status');
    this.nav = page.getByRole('navigation');
  }

  /** Picks a language in the header's switch; `label` is the switch's name in the current language. */
  async switchLanguage(label: string, language: string) {
    // Anchored: 'Taal' must not also find a 'Kwartaal' field on the page.
    await this.page
      .getByRole('combobox', { name: new RegExp(`^${label}`) })
      .selectOption({ label: language });
  }

  async goTo(linkName: string): Promise<void> {
    await this.nav.getByRole('link', { name: linkName }).click();
  }

  /**
   * Waits until the service worker controls the page, reloading it until it does: after one
   * online visit every screen must work offline (each offline test waits for this first).
   */
  async waitForServiceWorkerControl(): Promise<void> {
    await this.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect
      .poll(async () => {
        await this.page.reload();
        return this.page.evaluate(() => navigator.serviceWorker.controller !== null);
      })
      .toBe(true);
  }

  async expectDocumentLanguage(lang: string, dir: 'ltr' | 'rtl'): Promise<void> {
    await expect(this.page.locator('html')).toHaveAttribute('lang', lang);
    await expect(this.page.locator('html')).toHaveAttribute('dir', dir);
  }
}
