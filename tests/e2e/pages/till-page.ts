import { expect, type Locator, type Page } from '@playwright/test';

/** The till (Dutch texts): product tiles, the cart, the cash payment and the last sale. */
export class TillPage {
  readonly cart: Locator;
  readonly payCash: Locator;
  readonly payment: Locator;
  readonly completedStatus: Locator;

  constructor(readonly page: Page) {
    this.cart = page.getByRole('region', { name: 'Bon' });
    this.payCash = page.getByRole('button', { name: 'Contant betalen' });
    this.payment = page.getByRole('dialog', { name: 'Contant betalen' });
    this.completedStatus = page.getByRole('status').filter({ hasText: /Voltooid — bon #/ });
  }

  async goto(): Promise<void> {
    await this.page.goto('/till');
    await this.expectReady();
  }

  async expectReady(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Kassa', level: 1 })).toBeAttached();
    await expect(this.page.getByRole('status').filter({ hasText: 'Even laden' })).toHaveCount(0);
  }

  /** A product tile: its accessible name starts with the product's name. */
  tile(name: string): Locator {
    return this.page
      .getByRole('region', { name: 'Producten' })
      .getByRole('button', { name: new RegExp(`^${escape(name)}`) });
  }

  async add(name: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.tile(name).click();
  }

  more(name: string): Locator {
    return this.page.getByRole('button', { name: `Meer ${name}`, exact: true });
  }

  less(name: string): Locator {
    return this.page.getByRole('button', { name: `Minder ${name}`, exact: true });
  }

  async discountLine(name: string, kind: 'Bedrag (€)' | 'Procent (%)', value: string) {
    await this.page.getByRole('button', { name: `Korting op ${name}`, exact: true }).click();
    await this.fillDiscount(`Korting op ${name}`, kind, value);
  }

  async fillDiscount(title: string, kind: 'Bedrag (€)' | 'Procent (%)', value: string) {
    const dialog = this.page.getByRole('dialog', { name: title });
    await dialog.getByRole('radio', { name: kind }).check();
    await dialog.getByRole('textbox').fill(value);
    await this.page.getByRole('button', { name: 'Korting toepassen' }).click();
  }

  /** Opens the payment, tenders with a quick amount (its visible label) and completes. */
  async payWithQuickAmount(label: string | RegExp): Promise<void> {
    await this.payCash.click();
    await this.payment.getByRole('button', { name: label }).click();
  }

  /** Types an amount in euros on the keypad, as a person says it: '15' is € 15, '2,5' is € 2,50. */
  async typeTendered(euros: string): Promise<void> {
    const keypad = this.payment.getByRole('group', { name: 'Ontvangen bedrag intikken' });
    for (const key of euros) {
      const name = key === ',' ? 'Komma' : key;
      await keypad.getByRole('button', { name, exact: true }).click();
    }
  }

  async complete(): Promise<void> {
    await this.payment.getByRole('button', { name: 'Verkoop voltooien' }).click();
  }

  /** The change shown large in the payment dialog. */
  changeInPayment(): Locator {
    return this.payment.getByText('Wisselgeld').locator('..');
  }

  async expectCompleted(receipt: number, change: string): Promise<void> {
    // "#10", or "#A-10" once the phone has its device code (src/lib/sync/SPEC.md).
    await expect(this.completedStatus).toContainText(
      new RegExp(`Voltooid — bon #\u2066?(?:[A-Z]+-)?${receipt}\u2069?(?!\\d)`),
    );
    await expect(this.completedStatus).toContainText(`Wisselgeld ${change}`);
  }

  async voidLast(receipt: number, reason: string): Promise<void> {
    await this.page
      .getByRole('button', { name: `Laatste verkoop terugdraaien (bon #${receipt})` })
      .click();
    const dialog = this.page.getByRole('dialog', { name: 'Verkoop terugdraaien' });
    await dialog.getByRole('textbox', { name: 'Reden' }).fill(reason);
    await dialog.getByRole('button', { name: 'Verkoop terugdraaien', exact: true }).click();
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
