import { expect, type Page } from '@playwright/test';
import {
  CatalogEventsPage,
  CatalogProductsPage,
  CatalogWelcomePage,
  type ProductFields,
} from './catalog-app';

/**
 * A stall ready to sell, set up through the screens a maker uses (welcome, events,
 * products), in Dutch. The first event created becomes the one the till sells into.
 */
export async function setUpStall(
  page: Page,
  options: { stallName: string; cashRounding: boolean; event: string; products: ProductFields[] },
): Promise<void> {
  await new CatalogWelcomePage(page).completeInDutch(options.stallName, {
    cashRounding: options.cashRounding,
  });
  await new CatalogEventsPage(page).create({ name: options.event, place: 'Amsterdam' });
  // The first event becomes the current one; wait until it is stored before moving on.
  await expect(
    page.getByRole('status').filter({ hasText: `Je verkoopt nu op ${options.event}.` }),
  ).toBeVisible();
  const products = new CatalogProductsPage(page);
  await products.goto();
  for (const product of options.products) await products.add(product);
}

/** The tea house the offline tests sell at (no cash rounding), and its mint tea. */
export const TEA_HOUSE = { stallName: 'Theehuis Amal', cashRounding: false, event: 'Bazaar West' };
export const MINT_TEA: ProductFields = { name: 'Muntthee', price: '2,50', vat: '9% btw' };
