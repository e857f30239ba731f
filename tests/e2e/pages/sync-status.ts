import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The header's sync details (Dutch texts): the disclosure beside "N verkopen niet verstuurd" with the
 * last sync time, the reason of the last failure, "sign in" and "sync now".
 */
export class SyncStatusPanel {
  readonly toggle: Locator;
  readonly panel: Locator;
  readonly signIn: Locator;
  /** Without an account: the one calm suggestion to sign in for a backup. */
  readonly backup: Locator;
  readonly syncNow: Locator;

  constructor(readonly page: Page) {
    const banner = page.getByRole('banner');
    this.toggle = banner.getByRole('button', { name: /^Synchronisatie/ });
    this.panel = banner.locator('#sync-panel');
    this.signIn = this.panel.getByRole('link', { name: 'Inloggen om te versturen' });
    this.backup = this.panel.getByRole('link', { name: 'Inloggen voor een reservekopie' });
    this.syncNow = this.panel.getByRole('button', { name: 'Nu synchroniseren' });
  }

  async open(): Promise<void> {
    if ((await this.toggle.getAttribute('aria-expanded')) !== 'true') await this.toggle.click();
    await expect(this.panel).toBeVisible();
  }

  async close(): Promise<void> {
    if ((await this.toggle.getAttribute('aria-expanded')) === 'true') await this.toggle.click();
    await expect(this.panel).toBeHidden();
  }

  /** Waits until a round succeeded (the last sync time is shown, no failure reason). */
  async expectSynced(): Promise<void> {
    await this.open();
    await expect(this.panel).toContainText(/Laatst gesynchroniseerd \d\d:\d\d/);
    await expect(this.toggle).toHaveAccessibleName('Synchronisatie');
  }
}
