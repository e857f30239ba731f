// A person's first minutes in Kraam, for each role (issue 10), at 360 px wide and in every
// language of LANGUAGES (tests/e2e/pages/first-minutes.ts; add a language there). The server
// starts EMPTY (tests/e2e/start-server.js) on a port of its own, so the first test's organiser
// founds the organisation from the first screen; the later tests use that organiser to
// invite. Hence serial.
import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
  type Browser,
  type Page,
} from '@playwright/test';
import { CatalogEventsPage } from './pages/catalog-app';
import {
  AccountForms,
  AppFrame,
  DUTCH,
  FirstScreen,
  LANGUAGES,
  OrganiserApi,
  ProductsScreen,
  expectDocumentLanguage,
  person,
  seriousViolations,
  type Person,
} from './pages/first-minutes';

test.describe.configure({ mode: 'serial', timeout: 150_000 });

const FOUNDER = person('Marieke', 'founder');
const ORGANISATION = 'Stichting Bazaar Oost';

/** The makers who joined, per language: the returning-user walk signs in as them. */
const joined = new Map<string, { maker: Person; product: string; api: Page }>();

async function phone(browser: Browser, locale = 'en-US'): Promise<Page> {
  // A fresh browser, its own language preference; 360 px wide (playwright.config.ts).
  const context = await browser.newContext({ locale, viewport: { width: 360, height: 740 } });
  return context.newPage();
}

/** The product names the server holds for the signed-in account (what a new phone pulls). */
async function serverProductNames(request: APIRequestContext): Promise<string[]> {
  // A device id the server never saw: reading does not bind it to anyone.
  const response = await request.post('/api/sync/pull', {
    data: { protocol: 1, deviceId: randomUUID(), cursor: null, limit: 1000 },
  });
  const body = (await response.json()) as {
    changes?: { entity: string; data: { name?: string } }[];
  };
  return (body.changes ?? []).filter((c) => c.entity === 'product').map((c) => c.data.name ?? '');
}

async function organiserApi(baseURL: string | undefined): Promise<OrganiserApi> {
  const api = new OrganiserApi(await playwrightRequest.newContext({ baseURL }));
  await api.signIn(FOUNDER);
  return api;
}

test(`[${DUTCH.code}] an organiser founds the bazaar from the first screen without naming a stall, and the organiser area is in the navigation`, async ({
  page,
}) => {
  const first = new FirstScreen(page, DUTCH);
  const frame = new AppFrame(page, DUTCH);
  await first.open();
  await expect(first.choice('sell')).toBeVisible();
  await expect(first.choice('organise')).toBeVisible();
  await expect(first.choice('account')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await first.choice('organise').click();
  await expect(page.getByRole('heading', { name: DUTCH.words.stallNameHeading })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await new AccountForms(page, DUTCH).signUp(FOUNDER, ORGANISATION);
  await frame.expectOrganiserArea();
  expect(await seriousViolations(page)).toEqual([]);
  const order = await new AxeBuilder({ page }).withRules(['heading-order']).analyze();
  expect(order.violations).toEqual([]);

  // The organiser area has its own navigation, without the till: this device sells nothing.
  await expect(frame.navLink(DUTCH.words.organiseToTill)).toHaveCount(0);
  await expect(frame.navLink(DUTCH.words.navTill)).toHaveCount(0);
  // The account screen says where they organise and links there.
  await page.goto('/account');
  await expect(page.getByText(`Organisator bij ${ORGANISATION}`)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Naar Organiseren' }).click();
  await frame.expectOrganiserArea();
  // Opening the app again goes straight to the organiser area, never to "name your stall".
  await page.goto('/');
  await frame.expectOrganiserArea();

  // An organiser who also sells names a stall: then the navigation has both sides. Opening
  // the till directly (a bookmark) without a stall, "set up stall" asks for the stall's name,
  // not the first screen's choices with their sign-up and sign-in forms.
  await page.goto('/till');
  await page.getByRole('link', { name: DUTCH.words.setUpStall }).click();
  await expect(page.getByRole('heading', { name: DUTCH.words.stallNameHeading })).toBeVisible();
  await page.getByLabel(DUTCH.words.stallNameLabel).fill('Kraam van Marieke');
  await page.getByRole('button', { name: DUTCH.words.start }).click();
  await page.waitForURL('**/events');
  await expect(frame.navLink(DUTCH.words.navTill)).toBeVisible();
  await frame.navLink(DUTCH.words.navOrganise).click();
  await frame.expectOrganiserArea();
  // In the organiser area (a layout of its own, no bottom bar) the way back to the till side.
  await frame.navLink(DUTCH.words.organiseToTill).click();
  await page.waitForURL('**/events');
  await frame.navLink(DUTCH.words.navTill).click();
  await page.waitForURL('**/till');
});

for (const language of LANGUAGES) {
  const w = language.words;

  test(`[${language.code}] a maker alone: "I sell at a stall", a named stall, and the status says "saved on this phone" with no problem and no count`, async ({
    browser,
  }) => {
    const page = await phone(browser);
    const first = new FirstScreen(page, language);
    const frame = new AppFrame(page, language);
    await first.open();
    // A fresh device without an account: no "problem", no orange count.
    await frame.expectSavedOnPhone();
    await frame.expectStatusButtonSize();
    await first.sellAs(`Kraam ${language.code}`);
    await expect(frame.stallName).toHaveText(`Kraam ${language.code}`);
    await frame.expectSavedOnPhone();
    await frame.expectStatusButtonSize();
    await expect(frame.navLink(w.navOrganise)).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
    // The details suggest signing in as a backup, once and calmly: no failure reason.
    await frame.statusButton.click();
    const panel = page.locator('#sync-panel');
    await expect(panel.getByRole('link')).toHaveCount(1);
    await expect(panel.locator('.reason')).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  test(`[${language.code}] an invited maker: the invitation page's language carries over and joining lands on a ready till named from their profile; a helper they invite lands on that stall's till`, async ({
    browser,
    baseURL,
  }) => {
    const api = await organiserApi(baseURL);
    const link = await api.invite({ role: 'maker' });
    const maker = person(`Amal ${language.code}`, `maker-${language.code}`);
    const page = await phone(browser);
    await page.goto(link);
    // The invitation page offers the language (in the header); that choice is the only one.
    await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: language.button });
    await expectDocumentLanguage(page, language);
    await expect(page.getByRole('heading', { name: w.invitationHeading, level: 1 })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await new AccountForms(page, language).signUp(maker);
    await page.getByRole('link', { name: w.goToTill }).click();
    const frame = new AppFrame(page, language);
    await frame.expectReadyTill(maker.name);
    await expectDocumentLanguage(page, language);
    // With an account the status counts sales, and none is waiting.
    await expect(frame.status).toContainText(w.allSalesSent);
    await expect(frame.statusButton).toHaveAccessibleName(w.statusSynced);
    expect(await seriousViolations(page)).toEqual([]);
    // Something of theirs for the returning-user walk: a product, sent to the server.
    const products = new ProductsScreen(page, language);
    await products.goto();
    const product = `Baklava ${language.code}`;
    await products.add(product, '5');
    await expect.poll(() => serverProductNames(page.request)).toContain(product);
    joined.set(language.code, { maker, product, api: page });

    // The maker invites a helper for their stall; the helper lands on that stall's till.
    const made = await page.request.post('/api/invitations', { data: { role: 'helper' } });
    expect(made.status(), await made.text()).toBe(201);
    const helperLink = new URL(((await made.json()) as { url: string }).url).pathname;
    const helper = await phone(browser, language.code);
    await helper.goto(helperLink);
    await expectDocumentLanguage(helper, language);
    await new AccountForms(helper, language).signUp(
      person(`Yonas ${language.code}`, `helper-${language.code}`),
    );
    await helper.getByRole('link', { name: w.goToTill }).click();
    await new AppFrame(helper, language).expectReadyTill(maker.name);
    await helper.context().close();
  });

  test(`[${language.code}] an invited organiser: "I organise a bazaar" asks for an invitation on a server that has one; the invitation lands them in the organiser area without a stall`, async ({
    browser,
    baseURL,
  }) => {
    const api = await organiserApi(baseURL);
    const link = await api.invite({ role: 'organiser', newOrganisation: true });
    const organiser = person(`Samira ${language.code}`, `organiser-${language.code}`);
    const page = await phone(browser);
    const first = new FirstScreen(page, language);
    await first.open();
    await first.choice('organise').click();
    await new AccountForms(page, language).signUp(organiser, `Bazaar ${language.code}`);
    await expect(page.getByRole('alert')).toContainText(w.invitationRequired);

    await page.goto(link);
    await expectDocumentLanguage(page, language);
    await new AccountForms(page, language).signUp(organiser, `Bazaar ${language.code}`);
    await page.getByRole('link', { name: w.goToOrganise }).click();
    const frame = new AppFrame(page, language);
    await frame.expectOrganiserArea();
    await expect(frame.navLink(w.organiseToTill)).toHaveCount(0);
    await expect(frame.navLink(w.navTill)).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  test(`[${language.code}] a returning user: "I have an account" on a new phone brings back their stall and products`, async ({
    browser,
  }) => {
    const before = joined.get(language.code);
    expect(before, 'the invited maker of this language joined').toBeDefined();
    if (!before) return;
    const page = await phone(browser);
    const first = new FirstScreen(page, language);
    await first.open();
    await first.choice('account').click();
    expect(await seriousViolations(page)).toEqual([]);
    await new AccountForms(page, language).signIn(before.maker);
    const frame = new AppFrame(page, language);
    await frame.expectReadyTill(before.maker.name);
    await expect(frame.status).toContainText(w.allSalesSent);
    const products = new ProductsScreen(page, language);
    await products.goto();
    await expect(products.list.getByRole('link', { name: before.product })).toBeVisible();
    await page.context().close();
    await before.api.context().close();
  });
}

test('[nl] the events screen: no axe finding at all with events listed (heading order included)', async ({
  page,
}) => {
  const first = new FirstScreen(page, DUTCH);
  await first.open();
  await first.sellAs('Kraam van Noor');
  const events = new CatalogEventsPage(page);
  await events.create({ name: 'Winterbazaar', place: 'Utrecht' });
  await expect(events.card('Winterbazaar')).toBeVisible();
  await events.create({ name: 'Voorjaarsmarkt', place: 'Utrecht' });
  await expect(events.card('Voorjaarsmarkt')).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
});
