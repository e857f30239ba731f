// Payments by phone or card (docs/payments.md), against the local fake Stripe
// (tests/support/fake-stripe.ts), on a server of its own with Stripe test keys
// (playwright.config.ts, project 'payments'). No request may leave this machine: every
// request the browser makes to another host fails the test.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import {
  E2E_STRIPE_SECRET_KEY,
  E2E_WEBHOOK_SECRETS,
  FAKE_STRIPE_PORT,
} from '../support/payments-env';
import { signUpFromSyncPanel } from './pages/payments-setup';
import { SalesPage } from './pages/sales-page';
import { seriousViolations } from './pages/screens';
import { Shell } from './pages/shell';
import { setUpStall } from './pages/stall-setup';
import { SyncStatusPanel } from './pages/sync-status';
import { TillPage } from './pages/till-page';
import { stayLocal } from '../support/stay-local';

// One server, one founder: the first test signs Noor up (founding the organisation) and
// connects Stripe; the later ones are Noor's other phones, so the tests run in this order.
test.describe.configure({ mode: 'serial' });

/** Receipt #1 as the screens name it once the phone has its code: "#B-1", isolated. */
const FIRST = '#\u2066?(?:[A-Z]+-)?1\u2069?';

const NOOR = { name: 'Noor', email: 'noor@example.org', password: 'desembrood-2026' };

/**
 * Another phone of Noor's (Stripe connected by the first test): a stall set up on it with its
 * own event and product, then signed in, synced once, and the till offering phone/card.
 */
async function noorsOtherPhone(page: Page, product: string): Promise<void> {
  await setUpStall(page, {
    stallName: 'Bakkerij Noor',
    cashRounding: false,
    event: `Kerstmarkt ${product}`,
    products: [{ name: product, price: '3,52', vat: '9% btw', stock: '20' }],
  });
  await page.goto('/account');
  await page.getByLabel('E-mail').fill(NOOR.email);
  await page.getByLabel('Wachtwoord').fill(NOOR.password);
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await expect(page.getByText(`Ingelogd als ${NOOR.name} (${NOOR.email})`)).toBeVisible();
  await new SyncStatusPanel(page).expectSynced();
  await new TillPage(page).goto();
  await expect(page.getByRole('button', { name: 'Betalen met telefoon/pas' })).toBeVisible();
}

/** The customer pays Stripe's (the fake's) page on their own phone. */
async function customerPays(context: BrowserContext, url: string): Promise<void> {
  const customer = await context.newPage();
  await customer.goto(url);
  await customer.getByRole('button', { name: 'Pay' }).click();
  await expect(customer.getByRole('heading', { name: 'Paid' })).toBeVisible();
  await customer.close();
}

test('a maker connects Stripe in Settings, sells with "Pay by phone/card" (Stripe answering 500 first: the cart stays for cash), the customer pays on the payment page, the till records the sale, and the summary shows the phone/card part', async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(180_000);
  const offsite = await stayLocal(context);
  await setUpStall(page, {
    stallName: 'Bakkerij Noor',
    cashRounding: true,
    event: 'Wintermarkt Oost',
    products: [{ name: 'Desembrood', price: '3,52', vat: '9% btw', stock: '20' }],
  });

  // Settings before an account: cash works; Stripe needs an account.
  await page.goto('/settings');
  const payments = page.getByRole('region', { name: 'Betalingen' });
  await expect(payments).toContainText('Contant werkt zonder account.');

  // Sign up (the first account founds the organisation) and let the phone sync once.
  await signUpFromSyncPanel(page, {
    name: 'Noor',
    email: 'noor@example.org',
    password: 'desembrood-2026',
    organisation: 'Stichting Wintermarkt',
  });

  // Settings → Payments: not connected; Connect goes to Stripe's (the fake's) onboarding.
  await page.goto('/settings');
  await expect(payments).toContainText('Niet gekoppeld.');
  expect(await seriousViolations(page)).toEqual([]);
  await payments.getByRole('button', { name: 'Stripe koppelen' }).click();
  await expect(page.getByRole('heading', { name: 'Fake Stripe onboarding' })).toBeVisible();
  await page.getByRole('button', { name: 'Finish onboarding' }).click();
  // Back in Settings, which asks the server at once.
  await expect(page).toHaveURL(/\/settings\?stripe=return/);
  await expect(payments).toContainText(
    'Klaar: klanten kunnen bij je kassa met telefoon of pas betalen.',
  );

  // At the till: two loaves, € 7,04 (cash would round to € 7,05; phone/card never rounds).
  const till = new TillPage(page);
  await till.goto();
  await till.add('Desembrood', 2);
  const payByCard = page.getByRole('button', { name: 'Betalen met telefoon/pas' });
  const dialog = page.getByRole('dialog', { name: 'Betalen met telefoon of pas' });

  // Stripe answering 500 (twice: the server's one retry too): nothing charged, the cart stays.
  const control = await request.post(
    `http://127.0.0.1:${FAKE_STRIPE_PORT}/control/fail?path=/v1/checkout/sessions&fault=error500&times=2`,
  );
  expect(control.status()).toBe(200);
  await payByCard.click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'Stripe antwoordde niet, er is dus niets afgeschreven. Neem contant aan of probeer het opnieuw.',
  );
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(till.cart).toContainText('Desembrood');
  await expect(till.completedStatus).toHaveCount(0);

  await payByCard.click();
  await expect(
    dialog.getByRole('img', { name: 'QR-code van de betaalpagina voor € 7,04' }),
  ).toBeVisible();
  await expect(dialog.getByRole('status')).toHaveText('Wachten tot de klant € 7,04 betaalt…');
  expect(await seriousViolations(page)).toEqual([]);
  const link = dialog.getByRole('link', { name: 'Betaalpagina openen' });
  const paymentPage = await link.getAttribute('href');
  expect(paymentPage).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_/);

  // The customer's phone: the payment page shows the lines and the stall, and takes the money.
  const customer = await context.newPage();
  await customer.goto(paymentPage ?? '');
  await expect(customer.getByRole('listitem')).toHaveText('Desembrood × 2: 352');
  await expect(customer.getByText('Total 704')).toBeVisible();
  await customer.getByRole('button', { name: 'Pay' }).click();
  await expect(customer.getByRole('heading', { name: 'Paid' })).toBeVisible();
  await customer.close();

  // The webhook reached the server; the till, watching, records the sale.
  await expect(dialog.getByRole('status')).toHaveText('Betaald: de verkoop is vastgelegd.', {
    timeout: 20_000,
  });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(till.completedStatus).toBeVisible();
  await expect(till.cart).not.toContainText('Desembrood');

  // A cash sale too, so the split has both parts.
  await till.add('Desembrood', 1);
  await till.payWithQuickAmount('Gepast € 3,50');
  await till.complete();
  // Recorded before the till is left (the sales screen reads the store once it opens).
  await expect(till.payment).toBeHidden();
  await expect(till.cart).not.toContainText('Desembrood');

  const sales = new SalesPage(page);
  await sales.goto();
  // The summary follows the store (src/lib/db/watch.ts): ask until the cash sale is in it.
  await expect
    .poll(() => sales.tableRows('Betaalwijze'))
    .toEqual(
      expect.arrayContaining([
        expect.arrayContaining(['Telefoon/pas', '€ 7,04']),
        expect.arrayContaining(['Contant', '€ 3,50']),
      ]),
    );
  expect(offsite).toEqual([]);
});

test('the Stripe secret key reaches no page and no file of the client bundle', async ({
  request,
}) => {
  for (const path of [
    '/',
    '/till',
    '/settings',
    '/sales',
    '/welcome',
    '/account',
    '/paid',
    '/api/payments',
  ]) {
    const answer = await request.get(path);
    const body = await answer.text();
    expect(body, path).not.toContain(E2E_STRIPE_SECRET_KEY);
    expect(body, path).not.toContain(E2E_WEBHOOK_SECRETS.connect);
    expect(body, path).not.toContain(E2E_WEBHOOK_SECRETS.platform);
  }
  const status = (await (await request.get('/api/payments')).json()) as { publishableKey: string };
  expect(status.publishableKey).toBe('pk_test_e2e_publishable');
  // The client bundle holds no code that reads the secret (the server's config module).
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk('build/client');
  expect(files.length).toBeGreaterThan(10);
  const leaking = files.filter((file) => {
    const text = readFileSync(file, 'latin1');
    return /STRIPE_SECRET_KEY|STRIPE_WEBHOOK_SECRET|sk_test_|sk_live_|whsec_/.test(text);
  });
  expect(leaking).toEqual([]);
});

test('a partial refund of a sale paid by phone/card (Dutch): refunded offline, sent to Stripe once online, and the sale shows it refunded after a reload', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  const offsite = await stayLocal(context);
  await noorsOtherPhone(page, 'Roggebrood');
  const till = new TillPage(page);
  await till.add('Roggebrood', 3);
  await page.getByRole('button', { name: 'Betalen met telefoon/pas' }).click();
  const dialog = page.getByRole('dialog', { name: 'Betalen met telefoon of pas' });
  const link = dialog.getByRole('link', { name: 'Betaalpagina openen' });
  await customerPays(context, (await link.getAttribute('href')) ?? '');
  await expect(dialog.getByRole('status')).toHaveText('Betaald: de verkoop is vastgelegd.', {
    timeout: 20_000,
  });
  await page.keyboard.press('Escape');
  const shell = new Shell(page);
  await expect(shell.status).toContainText('alle verkopen verstuurd', { timeout: 20_000 });

  // Offline: one loaf of the three back, € 3,52; it waits on this phone.
  await shell.goTo('Verkopen');
  const sales = new SalesPage(page);
  await sales.expectReady();
  await context.setOffline(true);
  await expect(shell.status).toContainText('Offline');
  const open = page.getByRole('button', { name: new RegExp(`^Bon ${FIRST} bekijken$`) });
  await open.click();
  const saleDialog = page.getByRole('dialog', { name: new RegExp(`^Bon ${FIRST}$`) });
  await expect(saleDialog).toContainText(/Telefoon\/pas\s*€\s10,56/);
  await saleDialog.getByRole('button', { name: 'Terugbetalen', exact: true }).click();
  const refund = page.getByRole('dialog', { name: new RegExp(`^Terugbetalen van bon ${FIRST}$`) });
  await refund.getByRole('radio', { name: 'Gekozen artikelen' }).check();
  await refund
    .getByRole('spinbutton', { name: 'Roggebrood: hoeveel terug (hoogstens 3)' })
    .fill('1');
  await refund.getByRole('textbox', { name: 'Reden' }).fill('Verbrand');
  await refund.getByRole('button', { name: 'Terugbetaling vastleggen' }).click();
  const cardRefunds = saleDialog.getByRole('list', { name: 'Terugbetalingen via Stripe' });
  await expect(cardRefunds).toHaveText(
    /€\s3,52 gaat via Stripe terug naar de klant zodra deze telefoon online is\./,
  );
  expect(await seriousViolations(page), 'sale view with a refund waiting').toEqual([]);
  await saleDialog.getByRole('button', { name: 'Terug', exact: true }).click();

  // Online: the refund is pushed, the server asks Stripe after its commit; the next sync
  // brings the outcome. After a reload the sale says refunded.
  await context.setOffline(false);
  await expect(shell.status).toContainText('alle verkopen verstuurd', { timeout: 20_000 });
  const sync = new SyncStatusPanel(page);
  await expect(async () => {
    await sync.open();
    await sync.syncNow.click();
    await sync.expectSynced();
    await page.reload();
    await sales.expectReady();
    await page.getByRole('button', { name: new RegExp(`^Bon ${FIRST} bekijken$`) }).click();
    await expect(
      page
        .getByRole('dialog', { name: new RegExp(`^Bon ${FIRST}$`) })
        .getByRole('list', { name: 'Terugbetalingen via Stripe' }),
    ).toHaveText(/€\s3,52 teruggestort via Stripe\./, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  expect(await seriousViolations(page), 'sale view refunded').toEqual([]);

  // The same sale in Arabic at 360 px, right to left: the Stripe refund said in Arabic.
  await page
    .getByRole('dialog', { name: new RegExp(`^Bon ${FIRST}$`) })
    .getByRole('button', { name: 'Terug', exact: true })
    .click();
  await shell.switchLanguage('Taal', 'العربية');
  await shell.expectDocumentLanguage('ar', 'rtl');
  await page.getByRole('button', { name: /^عرض الإيصال رقم \u2066?(?:[A-Z]+-)?1\u2069?$/ }).click();
  const arabic = page
    .getByRole('dialog', { name: /^الإيصال رقم \u2066?(?:[A-Z]+-)?1\u2069?$/ })
    .getByRole('list', { name: 'المبالغ المستردة عبر Stripe' });
  await expect(arabic).toContainText('عبر Stripe');
  await expect(arabic).toContainText('تم استرداد');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await seriousViolations(page), 'sale view refunded (ar)').toEqual([]);
  expect(offsite).toEqual([]);
});

test('the till reloaded mid-payment records the sale once: the waiting dialog comes back, and a payment made while the till was closed is recorded when it opens again', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  const offsite = await stayLocal(context);
  await noorsOtherPhone(page, 'Krentenbol');
  const till = new TillPage(page);
  const dialog = page.getByRole('dialog', { name: 'Betalen met telefoon of pas' });
  const payByCard = page.getByRole('button', { name: 'Betalen met telefoon/pas' });

  // Reloaded while the customer looks at the payment page: the dialog comes back, waiting.
  await till.add('Krentenbol', 2);
  await payByCard.click();
  await expect(dialog.getByRole('status')).toHaveText('Wachten tot de klant € 7,04 betaalt…');
  const url =
    (await dialog.getByRole('link', { name: 'Betaalpagina openen' }).getAttribute('href')) ?? '';
  await page.reload();
  await expect(dialog.getByRole('status')).toHaveText('Wachten tot de klant € 7,04 betaalt…', {
    timeout: 20_000,
  });
  expect(await dialog.getByRole('link', { name: 'Betaalpagina openen' }).getAttribute('href')).toBe(
    url,
  );

  // The till is closed (another screen, reloaded) and the customer pays meanwhile.
  await page.goto('/sales');
  await page.reload();
  await customerPays(context, url);
  // Back at the till: the payment is found paid and the sale recorded, under its own id.
  await till.goto();
  await expect(dialog.getByRole('status')).toHaveText('Betaald: de verkoop is vastgelegd.', {
    timeout: 20_000,
  });
  await page.keyboard.press('Escape');
  await expect(till.cart).not.toContainText('Krentenbol');
  // Reloaded again: nothing comes back, nothing is recorded twice.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Producten' })).toBeVisible();
  await expect(dialog).toBeHidden();
  const sales = new SalesPage(page);
  await sales.goto();
  await expect
    .poll(() => sales.tableRows('Betaalwijze'))
    .toEqual(expect.arrayContaining([expect.arrayContaining(['Telefoon/pas', '€ 7,04'])]));
  await expect(sales.list).toHaveCount(1);
  expect(offsite).toEqual([]);
});
