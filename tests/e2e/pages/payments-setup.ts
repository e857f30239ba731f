import { expect, type Locator, type Page } from '@playwright/test';
import { SyncStatusPanel } from './sync-status';

/** Who signs up: the first account on a fresh server founds the organisation. */
export interface NewAccount {
  name: string;
  email: string;
  password: string;
  organisation: string;
}

/**
 * A stall set up without an account signs up from the header's sync details ("Inloggen voor
 * een reservekopie"), in Dutch, and the phone syncs once.
 */
export async function signUpFromSyncPanel(page: Page, account: NewAccount): Promise<void> {
  const sync = new SyncStatusPanel(page);
  await sync.open();
  await sync.backup.click();
  await page.getByRole('button', { name: 'Nog geen account? Maak er een' }).click();
  await page.getByLabel('Je naam').fill(account.name);
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Wachtwoord').fill(account.password);
  await page.getByLabel('Naam van je organisatie').fill(account.organisation);
  await page.getByRole('button', { name: 'Account maken', exact: true }).click();
  await expect(page.getByText(`Ingelogd als ${account.name} (${account.email})`)).toBeVisible();
  await sync.expectSynced();
}

/** Settings → Payments: Stripe connected through the fake's onboarding, and ready. */
export async function connectStripe(page: Page): Promise<Locator> {
  await page.goto('/settings');
  const payments = page.getByRole('region', { name: 'Betalingen' });
  await payments.getByRole('button', { name: 'Stripe koppelen' }).click();
  await page.getByRole('button', { name: 'Finish onboarding' }).click();
  await expect(payments).toContainText(
    'Klaar: klanten kunnen bij je kassa met telefoon of pas betalen.',
  );
  return payments;
}
