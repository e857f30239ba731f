// Split payment (part cash, the rest by phone or card) and Embedded Checkout on the maker's
// phone (docs/payments.md), against the local fake Stripe on the payments suite's own server
// (this file's name ends in payments.e2e.ts: playwright.config.ts, project 'payments').
// Stripe.js is the stand-in of tests/support/stripe-js-stand-in.ts; no request leaves this
// machine: every other request to another host fails the test.
import { expect, request as http, test, type Page } from '@playwright/test';
import { FAKE_STRIPE_PORT } from '../support/payments-env';
import { routeStripeJs } from '../support/stripe-js-stand-in';
import { CatalogWelcomePage } from './pages/catalog-app';
import { connectStripe, signUpFromSyncPanel } from './pages/payments-setup';
import { SalesPage } from './pages/sales-page';
import { seriousViolations } from './pages/screens';
import { Shell } from './pages/shell';
import { setUpStall } from './pages/stall-setup';
import { SyncStatusPanel } from './pages/sync-status';
import { TillPage } from './pages/till-page';
import { stayLocal } from '../support/stay-local';

const FAKE = `http://127.0.0.1:${FAKE_STRIPE_PORT}`;
const FOUNDER = { name: 'Taartje Sanne', email: 'sanne@example.org' };

// The first test founds the organisation on this server; the stall fee test is its organiser.
test.describe.configure({ mode: 'serial' });

/** A stall with an account on the server and a ready Stripe account (the fake's onboarding). */
async function connectedStall(page: Page, name: string, email: string): Promise<void> {
  await setUpStall(page, {
    stallName: name,
    cashRounding: true,
    event: 'Wintermarkt Oost',
    products: [{ name: 'Appeltaart', price: '3,52', vat: '9% btw', stock: '20' }],
  });
  await signUpFromSyncPanel(page, {
    name,
    email,
    password: 'appeltaart-2026',
    organisation: `Stichting ${name}`,
  });
  await connectStripe(page);
}

/** Types an amount like "4,03" on the split dialog's keypad. */
async function typeCashPart(page: Page, amount: string): Promise<void> {
  const keypad = page.getByRole('group', { name: 'Contant deel intikken' });
  for (const key of amount) {
    await keypad.getByRole('button', { name: key === ',' ? 'Komma' : key, exact: true }).click();
  }
}

test('split payment: € 4,03 of € 10,56 in cash (rounded to € 4,05, € 5,00 handed over, € 0,95 change), the rest € 6,53 by phone/card; Stripe failing first leaves the cash plainly held; the sale records both parts (Dutch, 360 px); two of three refunded go back card first (€ 6,53 by card, € 0,51 in cash): the cash book expects € 50,00 + € 4,05 − € 0,51 and the split shows it; given up, the maker finishes in cash; on this phone, Embedded Checkout (Stripe.js only then); the split dialog in Arabic at 360 px', async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(300_000);
  const offsite = await stayLocal(context);
  await connectedStall(page, FOUNDER.name, FOUNDER.email);

  const till = new TillPage(page);
  await till.goto();
  await till.add('Appeltaart', 3);
  await till.payCash.click();
  await till.payment.getByRole('button', { name: 'Deels contant, rest met telefoon/pas' }).click();
  const split = page.getByRole('dialog', { name: 'Deels contant betalen' });
  await expect(split).toContainText('Totaal € 10,56');
  await typeCashPart(page, '4,03');
  await expect(split).toContainText('Contant te betalen: € 4,05');
  await expect(split).toContainText('Rest met telefoon/pas: € 6,53');
  await split
    .getByRole('group', { name: 'De klant geeft contant' })
    .getByRole('button', { name: '€ 5,00', exact: true })
    .click();
  await expect(split).toContainText('Wisselgeld: € 0,95');
  expect(await seriousViolations(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // Stripe answers 500 (twice: the server's retry too): nothing recorded, the cash held is said plainly.
  const control = await request.post(
    `${FAKE}/control/fail?path=/v1/checkout/sessions&fault=error500&times=2`,
  );
  expect(control.status()).toBe(200);
  await split.getByRole('button', { name: 'Rest met QR-code' }).click();
  const card = page.getByRole('dialog', { name: 'Betalen met telefoon of pas' });
  await expect(card.getByRole('alert')).toHaveText(
    'Stripe antwoordde niet, er is dus niets afgeschreven. Neem contant aan of probeer het opnieuw.',
  );
  await expect(card).toContainText(
    'Je hebt € 4,05 contant van deze klant. Nog te betalen met telefoon/pas: € 6,53.',
  );
  await expect(card.getByRole('button', { name: '€ 4,05 teruggeven' })).toBeVisible();
  await expect(card.getByRole('button', { name: 'Rest ook contant' })).toBeVisible();
  // Escape does not drop the held cash: the maker chooses.
  await page.keyboard.press('Escape');
  await expect(card).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await card.getByRole('button', { name: 'Opnieuw proberen' }).click();
  await expect(
    card.getByRole('img', { name: 'QR-code van de betaalpagina voor € 6,53' }),
  ).toBeVisible();
  const link = await card.getByRole('link', { name: 'Betaalpagina openen' }).getAttribute('href');
  const customer = await context.newPage();
  await customer.goto(link ?? '');
  await expect(customer.getByRole('listitem')).toHaveText(
    'Rest na contant: 3 × Appeltaart × 1: 653',
  );
  await customer.getByRole('button', { name: 'Pay' }).click();
  await expect(customer.getByRole('heading', { name: 'Paid' })).toBeVisible();
  await customer.close();

  await expect(card.getByRole('status').last()).toHaveText('Betaald: de verkoop is vastgelegd.', {
    timeout: 20_000,
  });
  await page.keyboard.press('Escape');
  await expect(card).toBeHidden();
  await expect(till.completedStatus).toBeVisible();

  const sales = new SalesPage(page);
  await sales.goto();
  await expect
    .poll(() => sales.tableRows('Betaalwijze'))
    .toEqual(
      expect.arrayContaining([
        expect.arrayContaining(['Telefoon/pas', '€ 6,53']),
        expect.arrayContaining(['Contant', '€ 4,05']),
      ]),
    );

  // Two of the three given back (€ 7,04): card first, so € 6,53 goes back by card and only
  // € 0,51 in cash; the cash book takes out exactly that, and the split says so.
  await page.getByRole('link', { name: 'Kasboek van deze dag' }).click();
  await expect(page.getByRole('heading', { name: 'Kasboek', level: 1 })).toBeVisible();
  await page.getByLabel('Wisselgeld bij de start (€)').fill('50');
  await page.getByRole('button', { name: 'Dag openen' }).click();
  await expect(page.getByRole('heading', { name: '0 kasmutaties' })).toBeVisible();
  await sales.goto();
  await page
    .getByRole('button', { name: /^Bon .+ bekijken$/ })
    .first()
    .click();
  const saleDialog = page.getByRole('dialog', { name: /^Bon / });
  await saleDialog.getByRole('button', { name: 'Terugbetalen', exact: true }).click();
  const refund = page.getByRole('dialog', { name: /^Terugbetalen van bon / });
  await refund.getByRole('radio', { name: 'Gekozen artikelen' }).check();
  await refund
    .getByRole('spinbutton', { name: 'Appeltaart: hoeveel terug (hoogstens 3)' })
    .fill('2');
  await expect(refund).toContainText(/Terug te geven: €\s7,04/);
  await refund.getByRole('textbox', { name: 'Reden' }).fill('Taart gevallen');
  await refund.getByRole('button', { name: 'Terugbetaling vastleggen' }).click();
  await expect(saleDialog.getByRole('status')).toContainText('terugbetaald');
  await expect(saleDialog).toContainText(/Geef €\s0,51 contant terug\./);
  await saleDialog.getByRole('button', { name: 'Terug', exact: true }).click();
  await expect(saleDialog).toBeHidden();
  await expect
    .poll(() => sales.tableRows('Betaalwijze'))
    .toEqual([
      ['Contant', '1', '€ 3,54'],
      ['Telefoon/pas', '1', '€ 0,00'],
      ['Terugbetaald', '1', '€ 7,04'],
    ]);
  await page.getByRole('link', { name: 'Kasboek van deze dag' }).click();
  const cashFigure = (term: string) =>
    page
      .getByRole('main')
      .getByRole('term')
      .filter({ hasText: term })
      .locator('xpath=following-sibling::dd[1]')
      .first();
  await expect(cashFigure('Contante verkopen')).toHaveText(/€\s4,05/);
  await expect(cashFigure('Contant terugbetaald')).toHaveText(/0,51/);
  await expect(cashFigure('Hoort in de geldla')).toHaveText(/€\s53,54/);

  // Given up: the cardAgain part fails and the maker finishes in cash, reminded of the cash held.
  await till.goto();
  await till.add('Appeltaart', 2); // € 7,04
  await till.payCash.click();
  await till.payment.getByRole('button', { name: 'Deels contant, rest met telefoon/pas' }).click();
  const givenUp = page.getByRole('dialog', { name: 'Deels contant betalen' });
  await typeCashPart(page, '2');
  await givenUp.getByRole('button', { name: 'Gepast € 2,00' }).click();
  await request.post(`${FAKE}/control/fail?path=/v1/checkout/sessions&fault=error500&times=2`);
  await givenUp.getByRole('button', { name: 'Rest met QR-code' }).click();
  const cardAgain = page.getByRole('dialog', { name: 'Betalen met telefoon of pas' });
  await cardAgain.getByRole('button', { name: 'Rest ook contant' }).click();
  await expect(till.payment).toContainText(
    'Je hebt al € 2,00 contant van deze klant: tel dat mee bij wat de klant geeft.',
  );
  await till.payment.getByRole('button', { name: 'Gepast € 7,05' }).click();
  await till.complete();
  await expect(till.completedStatus).toBeVisible();

  // On this phone: Embedded Checkout, Stripe.js loaded only then (its stand-in here).
  const stripeJs = await routeStripeJs(page, FAKE);
  const scripts: Promise<string>[] = [];
  const collect = (response: import('@playwright/test').Response) => {
    if (response.request().resourceType() === 'script') {
      scripts.push(response.text().catch(() => ''));
    }
  };
  page.on('response', collect);
  await till.goto();
  await till.add('Appeltaart', 2);
  page.off('response', collect);
  // The till's first load asks nothing of Stripe, and none of its scripts holds Stripe.js's loader.
  expect(stripeJs).toEqual([]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const text of await Promise.all(scripts)) expect(text).not.toContain('js.stripe.com');
  await page.getByRole('button', { name: 'Betalen op deze telefoon' }).click();
  const embedded = page.getByRole('dialog', { name: 'Betalen met telefoon of pas' });
  const frame = embedded
    .getByRole('region', { name: 'Betalen bij Stripe' })
    .frameLocator('iframe[title="Stripe Embedded Checkout"]');
  await expect(frame.getByRole('heading', { name: 'Fake Embedded Checkout' })).toBeVisible();
  await expect(frame.getByText('Total 704')).toBeVisible();
  expect(
    stripeJs.some((url) => /^https:\/\/js\.stripe\.com\/[a-z0-9]+\/stripe\.js/.test(url)),
  ).toBe(true);
  await frame.getByRole('button', { name: 'Pay' }).click();
  await expect(embedded.getByRole('status').last()).toHaveText(
    'Betaald: de verkoop is vastgelegd.',
    {
      timeout: 20_000,
    },
  );
  await page.keyboard.press('Escape');
  await expect(till.completedStatus).toBeVisible();

  // One screen in Arabic at 360 px: the arabic dialog.
  await till.add('Appeltaart', 1);
  const shell = new Shell(page);
  await shell.switchLanguage('Taal', 'العربية');
  await shell.expectDocumentLanguage('ar', 'rtl');
  await page.getByRole('button', { name: /^الدفع نقدًا/ }).click();
  await page.getByRole('button', { name: 'جزء نقدًا والباقي بالهاتف/البطاقة' }).click();
  const arabic = page.getByRole('dialog', { name: 'الدفع نقدًا جزئيًا' });
  await arabic
    .getByRole('group', { name: 'اكتب الجزء النقدي' })
    .getByRole('button', { name: '2', exact: true })
    .click();
  await expect(arabic).toContainText('الباقي بالهاتف/البطاقة');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await seriousViolations(page)).toEqual([]);
  expect(offsite).toEqual([]);
});

test('a stall fee paid: the organiser charges € 25,00 per stall, the invited maker taps "Nu betalen" on My stall and pays in Embedded Checkout (the stand-in), and the organiser’s fees table shows paid with the payment’s reference', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const base = baseURL ?? '';
  // The organiser (the founder of the first test), through the API as the organiser's pages call it.
  const organiser = await http.newContext({ baseURL: base, extraHTTPHeaders: { origin: base } });
  const signIn = await organiser.post('/api/auth/sign-in/email', {
    data: { email: FOUNDER.email, password: 'appeltaart-2026' },
  });
  expect(signIn.status(), await signIn.text()).toBe(200);
  const invited = await organiser.post('/api/invitations', { data: { role: 'maker' } });
  expect(invited.status(), await invited.text()).toBe(201);
  const { url: inviteUrl } = (await invited.json()) as { url: string };

  // The maker joins on their own phone.
  const makerContext = await browser.newContext({
    baseURL: base,
    viewport: { width: 360, height: 740 },
  });
  const offsite = await stayLocal(makerContext);
  const maker = await makerContext.newPage();
  await routeStripeJs(maker, FAKE);
  await new CatalogWelcomePage(maker).completeInDutch('Keramiek Joost');
  await maker.goto(inviteUrl);
  await expect(maker.getByText('Je bent uitgenodigd')).toBeVisible();
  await maker.getByLabel('Je naam').fill('Joost');
  await maker.getByLabel('E-mail').fill('joost@example.org');
  await maker.getByLabel('Wachtwoord').fill('keramiek-joost-2026');
  await maker.getByRole('button', { name: 'Account maken', exact: true }).click();
  const sync = new SyncStatusPanel(maker);
  await sync.expectSynced();

  // The organiser: an event with a € 25,00 stall fee, a stall for the maker, published.
  let makerId = '';
  await expect
    .poll(async () => {
      const { members } = (await (
        await organiser.get('/api/organisations/current/members')
      ).json()) as {
        members: { email: string; makerId: string | null }[];
      };
      makerId = members.find((m) => m.email === 'joost@example.org')?.makerId ?? '';
      return makerId;
    })
    .not.toBe('');
  const date = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  const made = await organiser.post('/api/organiser/events', {
    data: {
      name: 'Wintermarkt Oost',
      date,
      opensAt: '11:00',
      closesAt: '17:00',
      place: 'Oostplein 1, Rotterdam',
      description: 'Makers uit de wijk.',
      stallFeeDefaultCents: 2500,
    },
  });
  expect(made.status(), await made.text()).toBe(201);
  const eventId = ((await made.json()) as { event: { id: string } }).event.id;
  const stalled = await organiser.post(`/api/organiser/events/${eventId}/stalls`, {
    data: { label: 'A1', x: 0, y: 0 },
  });
  expect(stalled.status(), await stalled.text()).toBe(201);
  const stallId = ((await stalled.json()) as { stall: { id: string } }).stall.id;
  const assigned = await organiser.post(`/api/organiser/events/${eventId}/assignments`, {
    data: { stallId, makerId, arrivalTime: '10:00', instructions: 'Zijdeur' },
  });
  expect(assigned.status(), await assigned.text()).toBe(201);
  const published = await organiser.post(`/api/organiser/events/${eventId}/status`, {
    data: { to: 'published' },
  });
  expect(published.status(), await published.text()).toBe(200);

  // The maker's stall screen: the fee, "Nu betalen", Embedded Checkout, paid.
  await sync.open();
  await sync.syncNow.click();
  await sync.expectSynced();
  await sync.close();
  await maker.goto(`/events/stall?id=${eventId}`);
  const fee = maker.getByRole('region', { name: 'Standgeld' });
  await expect(fee).toContainText('Standgeld: € 25,00');
  expect(await seriousViolations(maker)).toEqual([]);
  await fee.getByRole('button', { name: 'Nu betalen' }).click();
  const frame = fee
    .getByRole('region', { name: 'Betalen bij Stripe' })
    .frameLocator('iframe[title="Stripe Embedded Checkout"]');
  await expect(frame.getByText('Total 2500')).toBeVisible();
  await frame.getByRole('button', { name: 'Pay' }).click();
  await expect(fee.getByRole('status')).toHaveText(
    /^Standgeld betaald: €\s25,00 \(kenmerk pi_test_[0-9a-f]+\)\.$/,
    { timeout: 20_000 },
  );

  // The organiser's fees table says paid, with the reference, by itself.
  const organiserPage = await (
    await browser.newContext({ baseURL: base, storageState: await organiser.storageState() })
  ).newPage();
  await organiserPage.goto(`/organise/dashboard?id=${eventId}`);
  // (This fresh browser has no language chosen: the organiser's pages are in English.)
  const row = organiserPage.getByRole('row', { name: /^Joost / }).filter({ hasText: 'Save' });
  await expect(row).toContainText(/paid paid in Kraam, reference pi_test_[0-9a-f]+/);
  expect(offsite).toEqual([]);
  await organiser.dispose();
});
