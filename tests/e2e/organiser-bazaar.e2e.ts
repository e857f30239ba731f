// Issue 4's browser test: an organiser and two makers, three browser contexts, on a server
// that starts from an EMPTY data folder (tests/e2e/start-server.js; the "organiser" project
// in playwright.config.ts has a server of its own), so the organiser's sign-up founds the
// organisation. Dutch texts throughout.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { CatalogEventsPage, CatalogProductsPage, CatalogWelcomePage } from './pages/catalog-app';
import { watchCsp } from './pages/csp';
import {
  MakerScreens,
  MapEditorPage,
  OrganiseEventPage,
  OrganiseHomePage,
  OrganiseMakersPage,
} from './pages/organiser';
import { Shell } from './pages/shell';
import { SyncStatusPanel } from './pages/sync-status';
import { TillPage } from './pages/till-page';

const ORGANISER = {
  name: 'Noor',
  email: 'noor@stadscoalitie.example',
  password: 'bazaar-leidschendam',
  organisation: 'De Stadscoalitie',
};
const SERIES = 'Pop-up Bazaar Leidschendam';
const EVENT = 'Pop-up Bazaar juni';

interface Maker {
  account: string;
  email: string;
  profileName: string;
  craft: string;
  phone: string;
  product: { name: string; price: string };
  stall: string;
  arrival: string;
  instructions: string;
}

const AMAL: Maker = {
  account: 'Amal',
  email: 'amal@example.org',
  profileName: 'Bakkerij Amal',
  craft: 'Syrisch brood en gebak',
  phone: '06 1234 5678',
  product: { name: 'Baklava', price: '3,50' },
  stall: 'A1',
  arrival: '09:30',
  instructions: 'Laad uit bij de achteringang.',
};
const DAWIT: Maker = {
  account: 'Dawit',
  email: 'dawit@example.org',
  profileName: 'Atelier Dawit',
  craft: 'Kleding op maat',
  phone: '06 8765 4321',
  product: { name: 'Sjaal', price: '12,00' },
  stall: 'A2',
  arrival: '10:00',
  instructions: 'Paspop staat klaar.',
};

/** A date a week ahead (YYYY-MM-DD, local): new events may not be in the past. */
function nextWeek(): string {
  const d = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000);
  return [d.getFullYear(), d.getMonth() + 1, d.getDate()]
    .map((n) => String(n).padStart(2, '0'))
    .join('-');
}

async function signUpOrganiser(page: Page): Promise<void> {
  await page.goto('/account');
  await page.getByRole('button', { name: 'Nog geen account? Maak er een' }).click();
  await page.getByLabel('Je naam').fill(ORGANISER.name);
  await page.getByLabel('E-mail').fill(ORGANISER.email);
  await page.getByLabel('Wachtwoord').fill(ORGANISER.password);
  await page.getByLabel('Naam van je organisatie').fill(ORGANISER.organisation);
  await page.getByRole('button', { name: 'Account maken', exact: true }).click();
  await expect(page.getByText(`Ingelogd als ${ORGANISER.name}`)).toBeVisible();
}

/** A maker's phone: first run, then the invitation link, a product, the profile. */
async function makerJoins(page: Page, maker: Maker, link: string): Promise<void> {
  await new CatalogWelcomePage(page).completeInDutch(maker.profileName);
  await page.goto(link);
  await expect(page.getByText(`Je bent uitgenodigd`)).toBeVisible();
  await page.getByLabel('Je naam').fill(maker.account);
  await page.getByLabel('E-mail').fill(maker.email);
  await page.getByLabel('Wachtwoord').fill(`${maker.account.toLowerCase()}-markt-2026`);
  await page.getByRole('button', { name: 'Account maken', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: ORGANISER.organisation })).toBeVisible();
  const products = new CatalogProductsPage(page);
  await products.goto();
  await products.add({ ...maker.product, vat: '9% btw' });
  await new SyncStatusPanel(page).expectSynced();
  const screens = new MakerScreens(page);
  await screens.fillProfile({ name: maker.profileName, craft: maker.craft, phone: maker.phone });
  await screens.shareFigures();
}

/** The figures of a <dl> as term -> first description. */
async function figures(list: Locator): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const item of await list.locator('dl > div').all()) {
    const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();
    out[await text(item.getByRole('term'))] = await text(item.getByRole('definition').first());
  }
  return out;
}

/** Serious or critical axe findings on the page as it is now (none expected). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Pulls now (the engine also does it by itself, on a timer) and waits for the round. */
async function syncNow(page: Page): Promise<void> {
  const panel = new SyncStatusPanel(page);
  await panel.open();
  await panel.syncNow.click();
  await panel.expectSynced();
  await panel.close();
}

test('[A6][R3] an organiser plans a bazaar with a map of 4 stalls, two invited makers see their stall offline, sell, and get their results; the public page lists them', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const contexts: BrowserContext[] = [];
  // Every page of the whole flow runs under the Content-Security-Policy without a violation.
  const cspViolations: string[][] = [];
  const open = async (viewport: { width: number; height: number }) => {
    // Dutch from the start (the organiser never sees the welcome screen's language choice).
    const context = await browser.newContext({ viewport, locale: 'nl-NL' });
    contexts.push(context);
    const page = await context.newPage();
    cspViolations.push(await watchCsp(page));
    return { context, page };
  };
  // The organiser plans on a tablet; the makers carry phones.
  const { page: org } = await open({ width: 1024, height: 800 });
  const amal = await open({ width: 360, height: 740 });
  const dawit = await open({ width: 360, height: 740 });

  // --- The organiser founds the organisation, makes a series and an event.
  await signUpOrganiser(org);
  await org.goto('/events');
  await org.getByRole('link', { name: 'Organiseren' }).click();
  const home = new OrganiseHomePage(org);
  await expect(org.getByRole('heading', { name: 'Reeksen' })).toBeVisible();
  await home.createSeries(SERIES);
  const eventId = await home.createEvent({
    name: EVENT,
    date: nextWeek(),
    opens: '11:00',
    closes: '17:00',
    place: 'Damplein 1, Leidschendam',
    series: SERIES,
  });

  // --- The map: 4 stalls, placed by keyboard and by dragging; an entrance.
  const map = new MapEditorPage(org, eventId);
  await org.getByRole('link', { name: 'Plattegrond en kramen' }).click();
  await expect(map.plan).toBeVisible();
  for (const label of ['A1', 'A2', 'A3', 'A4']) await map.addStall(label);
  await expect(map.stall('A1')).toHaveAccessibleName('A1, kraam 2 bij 1');
  // Arrow keys move one cell; a move onto a neighbour is refused and said so.
  await map.stall('A2').focus();
  await org.keyboard.press('ArrowLeft');
  await expect(map.outcome).toContainText('A2 niet verplaatst: dan ligt hij op A1.');
  await map.stall('A4').focus();
  await org.keyboard.press('ArrowDown');
  await expect(map.outcome).toContainText('A4: kolom 7, rij 2.');
  await org.keyboard.press('Shift+ArrowRight');
  await expect(map.outcome).toContainText('A4: 3 bij 1.');
  await expect(map.stall('A4')).toHaveAccessibleName('A4, kraam 3 bij 1');
  // Drag with the pointer: A3 three rows down.
  await map.drag('A3', 0, 3);
  await expect(map.outcome).toContainText('A3: kolom 5, rij 4.');
  await map.addLandmark('Ingang');
  await expect(map.conflicts).toContainText('Geen problemen: alle kramen passen.');
  await expect(map.outcome).not.toContainText('opslaan');
  expect(await seriousViolations(org)).toEqual([]);

  // What the server stored is what the screen shows.
  const plan = (await (await org.request.get(`/api/organiser/events/${eventId}`)).json()) as {
    stalls: { label: string; x: number; y: number; width: number; height: number }[];
    landmarks: { kind: string; x: number; y: number }[];
  };
  const byLabel = Object.fromEntries(plan.stalls.map((s) => [s.label, s]));
  expect(byLabel).toMatchObject({
    A1: { x: 0, y: 0, width: 2, height: 1 },
    A2: { x: 2, y: 0, width: 2, height: 1 },
    A3: { x: 4, y: 3, width: 2, height: 1 },
    A4: { x: 6, y: 1, width: 3, height: 1 },
  });
  expect(plan.landmarks).toMatchObject([{ kind: 'entrance', x: 4, y: 0 }]);

  // --- Two invitations, one per maker.
  const makers = new OrganiseMakersPage(org);
  await makers.goto();
  const linkAmal = await makers.invite();
  const linkDawit = await makers.invite();
  expect(linkAmal).not.toBe(linkDawit);
  await expect(org.getByRole('heading', { name: 'Open (2)' })).toBeVisible();

  // --- Both makers accept on their phones, add a product, fill in their profile, share.
  await makerJoins(amal.page, AMAL, linkAmal);
  await makerJoins(dawit.page, DAWIT, linkDawit);

  await makers.goto();
  await expect(org.getByRole('heading', { name: 'Gebruikt (2)' })).toBeVisible();
  await expect(makers.maker(AMAL.profileName)).toContainText('deelt cijfers');
  await expect(makers.maker(DAWIT.profileName)).toContainText('Nog op geen evenement.');

  // --- Stalls assigned (by the picker, and by dragging a maker onto a stall) with arrival
  // time and instructions; the event is published.
  await map.goto();
  await map.dragMaker(DAWIT.profileName, DAWIT.stall);
  await map.assign(AMAL.stall, AMAL.profileName, {
    arrival: AMAL.arrival,
    instructions: AMAL.instructions,
    power: true,
  });
  await map.assign(DAWIT.stall, DAWIT.profileName, {
    arrival: DAWIT.arrival,
    instructions: DAWIT.instructions,
  });
  const event = new OrganiseEventPage(org, eventId);
  await event.goto();
  await event.setStatus('Publiceren', 'Gepubliceerd');
  await event.announce('Welkom! Koffie staat klaar bij de ingang.');
  await makers.goto();
  await expect(makers.maker(AMAL.profileName)).toContainText(`kraam ${AMAL.stall}`);

  // --- Each maker's phone receives the stall through sync and shows it offline.
  for (const [{ context, page }, maker] of [
    [amal, AMAL],
    [dawit, DAWIT],
  ] as const) {
    await page.goto('/events');
    await syncNow(page);
    const screens = new MakerScreens(page);
    await screens.openStall(EVENT);
    await expect(
      page.getByRole('heading', { name: `Kraam ${maker.stall}`, level: 2 }),
    ).toBeVisible();
    await new Shell(page).waitForServiceWorkerControl();
    await context.setOffline(true);
    await page.reload();
    await expect(new Shell(page).status).toContainText('Offline');
    await expect(
      page.getByRole('heading', { name: `Kraam ${maker.stall}`, level: 2 }),
    ).toBeVisible();
    await expect(page.getByText(maker.instructions)).toBeVisible();
    await expect(page.getByText(maker.arrival, { exact: true })).toBeVisible();
    await expect(
      page.getByRole('img', { name: new RegExp(`jouw kraam ${maker.stall} gemarkeerd`) }),
    ).toBeVisible();
    await expect(page.getByRole('list', { name: 'Berichten' })).toContainText(
      'Welkom! Koffie staat klaar bij de ingang.',
    );
    expect(await seriousViolations(page)).toEqual([]);
  }
  await expect(amal.page.getByText('stroom')).toBeVisible();

  // --- The bazaar opens; both makers sell while offline.
  await event.goto();
  await event.setStatus('Bazaar openen', 'Open');
  const sales: [typeof amal, Maker, number, string][] = [
    [amal, AMAL, 2, 'Gepast € 7,00'],
    [dawit, DAWIT, 1, 'Gepast € 12,00'],
  ];
  for (const [{ page }, maker, quantity, tender] of sales) {
    await page.getByRole('link', { name: 'Terug naar evenementen' }).click();
    await new CatalogEventsPage(page).select(EVENT);
    const till = new TillPage(page);
    await new Shell(page).goTo('Kassa');
    await till.expectReady();
    await till.add(maker.product.name, quantity);
    await till.payWithQuickAmount(tender);
    await till.complete();
    await expect(till.payment).toBeHidden();
    await expect(new Shell(page).status).toContainText('1 verkoop niet verstuurd');
  }

  // --- Both reconnect: the sales go to the server.
  for (const { context, page } of [amal, dawit]) {
    await context.setOffline(false);
    await expect(new Shell(page).status).toContainText('alle verkopen verstuurd');
  }

  // --- The organiser closes the event: totals on the dashboard, per maker where shared.
  await event.goto();
  await event.setStatus('Evenement sluiten', 'Gesloten');
  await org.getByRole('link', { name: 'Dashboard' }).click();
  const perMaker = org.getByRole('region', { name: 'Per maker' });
  await expect(perMaker.getByRole('row', { name: new RegExp(AMAL.profileName) })).toContainText(
    '€ 7,00',
  );
  await expect(perMaker.getByRole('row', { name: new RegExp(DAWIT.profileName) })).toContainText(
    '€ 12,00',
  );
  // Two sharing makers: the dashboard's totals add up its table (7,00 + 12,00), and say that
  // what leaves this screen (makers' results, impact report) needs at least 3 (issue 12).
  const totals = org.getByRole('region', { name: 'Totalen (van makers die delen)' });
  await expect(totals).toContainText('€ 19,00');
  await expect(totals).toContainText('minstens 3 delende makers');
  // How the money came in: the sum of the makers' splits, and each maker's in the table.
  await expect(org.getByRole('region', { name: 'Betaalwijze' }).locator('tbody tr')).toHaveText([
    /^\s*Contant\s*2\s*€\s19,00\s*$/,
  ]);
  await expect(perMaker.getByRole('columnheader', { name: 'Contant' })).toBeVisible();
  await expect(org.getByRole('link', { name: 'CSV downloaden' })).toHaveAttribute(
    'href',
    `/api/organiser/events/${eventId}/dashboard.csv?lang=nl&decimal=comma&bom=1`,
  );

  // --- Each maker sees their own results and the event's totals as the rule allows.
  for (const [{ page }, expected] of [
    [amal, { Omzet: '€ 7,00', Verkopen: '1', 'Gemiddelde verkoop': '€ 7,00', Artikelen: '2' }],
    [dawit, { Omzet: '€ 12,00', Verkopen: '1', 'Gemiddelde verkoop': '€ 12,00', Artikelen: '1' }],
  ] as const) {
    await page.goto('/events');
    await syncNow(page);
    await page.getByRole('link', { name: `Resultaten van ${EVENT}` }).click();
    await expect(page.getByRole('heading', { name: 'Resultaten', level: 1 })).toBeVisible();
    const own = page.getByRole('region', { name: 'Jouw verkoop' });
    await expect(own.getByRole('term').first()).toBeVisible();
    expect(await figures(own)).toMatchObject(expected);
    // The payment split the server sent with the results (paymentSplitOf).
    await expect(page.getByRole('region', { name: 'Betaalwijze' }).locator('tbody tr')).toHaveText([
      new RegExp(`^\\s*Contant\\s*1\\s*${expected.Omzet.replace(' ', '\\s')}\\s*$`),
    ]);
    await expect(own).toContainText('Geen vorige editie om mee te vergelijken.');
    const whole = page.getByRole('region', { name: 'Het hele evenement' });
    await expect(whole).toContainText('2 makers deden mee. 2 daarvan delen hun cijfers.');
    await expect(whole).toContainText('minstens 3 makers');
    // Withheld means withheld: no euro amount of the bazaar is on the page.
    await expect(whole).not.toContainText('€');
    expect(await seriousViolations(page)).toEqual([]);
  }

  // --- The public event page lists both makers with their stalls.
  const visitor = await open({ width: 360, height: 740 });
  await visitor.page.goto(`/e/${eventId}`);
  await expect(visitor.page.getByRole('heading', { name: EVENT })).toBeVisible();
  for (const maker of [AMAL, DAWIT]) {
    await expect(visitor.page.getByRole('link', { name: maker.profileName })).toBeVisible();
    await expect(
      visitor.page.getByRole('listitem').filter({ hasText: maker.profileName }),
    ).toContainText(maker.stall);
  }

  // --- Next month: a new edition copied from this one (map and stalls, no assignments),
  // with a name of its own (issue 12: never two identical titles).
  await home.goto();
  await org.getByLabel('Naam van de nieuwe editie').fill('Pop-up Bazaar juli');
  const nextMonth = new Date(Date.now() + 35 * 24 * 60 * 60 * 1000);
  await org
    .getByLabel('Datum van de nieuwe editie')
    .fill(
      [nextMonth.getFullYear(), nextMonth.getMonth() + 1, nextMonth.getDate()]
        .map((n) => String(n).padStart(2, '0'))
        .join('-'),
    );
  await org
    .getByRole('button', { name: `Nieuwe editie van ${SERIES} (kopie van de laatste)` })
    .click();
  await org.waitForURL((url) => url.searchParams.get('id') !== eventId);
  await expect(org.getByRole('heading', { name: 'Pop-up Bazaar juli', level: 1 })).toBeVisible();
  await expect(org.getByRole('heading', { name: 'Status: Concept' })).toBeVisible();
  const nextId = new URL(org.url()).searchParams.get('id') ?? '';
  const nextMap = new MapEditorPage(org, nextId);
  await nextMap.goto();
  for (const label of ['A1', 'A2', 'A3', 'A4']) {
    await expect(nextMap.stall(label)).toHaveAccessibleName(
      new RegExp(`^${label}, kraam \\d bij 1`),
    );
  }
  await expect(nextMap.stall('A1')).toHaveAccessibleName('A1, kraam 2 bij 1, stroom');

  expect(cspViolations.flat()).toEqual([]);
  for (const context of contexts) await context.close();
});
