import { expect, type Locator, type Page } from '@playwright/test';

/** The event's sales and summary (Dutch texts). */
export class SalesPage {
  readonly summary: Locator;
  readonly list: Locator;

  constructor(readonly page: Page) {
    this.summary = page.getByRole('region', { name: 'Overzicht' });
    this.list = page.getByRole('region', { name: 'Alle verkopen' }).getByRole('listitem');
  }

  async goto(): Promise<void> {
    await this.page.goto('/sales');
    await this.expectReady();
  }

  async expectReady(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Verkopen', level: 1 })).toBeVisible();
    await expect(this.summary).toBeVisible();
  }

  /** A headline figure (Omzet, Verkopen, Gemiddelde verkoop, ...) by its term. */
  figure(term: string): Locator {
    return this.summary
      .getByRole('term')
      .filter({ hasText: new RegExp(`^${term}$`) })
      .locator('xpath=following-sibling::dd[1]');
  }

  async expectFigures(figures: Record<string, string>): Promise<void> {
    for (const [term, value] of Object.entries(figures)) {
      await expect(this.figure(term), term).toHaveText(value);
    }
  }

  /** The rows of a table in a region (Betaalwijze, Btw per tarief), as arrays of cell texts. */
  async tableRows(region: string): Promise<string[][]> {
    const rows = this.page.getByRole('region', { name: region }).locator('tbody tr');
    const texts: string[][] = [];
    for (const row of await rows.all()) {
      texts.push((await row.locator('th, td').allInnerTexts()).map(normalize));
    }
    return texts;
  }

  sale(receipt: number): Locator {
    return this.list.filter({ hasText: new RegExp(`#${receipt}\\b`) });
  }
}

/** Money is formatted with a no-break space ("€\u00a03,50"); compare text as a person reads it. */
function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
