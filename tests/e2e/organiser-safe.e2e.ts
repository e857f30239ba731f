// Issue 12, "Nothing lost by one tap" and "The map and the words": an organiser on a laptop
// (1280x800) and on a tablet (768x1024) undoes and redoes map edits, resizes stalls by their
// edges and by the stall dialog, is asked before a destructive action (and can undo it), is
// told what happened when an old tab tries to close a closed event, and every organiser
// screen passes axe. Its own server (playwright.config.ts "organiser-safe"): the first
// sign-up founds the organisation. The tests run in order: the tablet signs in as the
// organiser the laptop made. Dutch texts throughout.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { CatalogWelcomePage } from './pages/catalog-app';
import { MapEditorPage, OrganiseMakersPage } from './pages/organiser';

test.describe.configure({ mode: 'serial' });

const ORGANISER = {
  name: 'Femke',
  email: 'femke@buurtbazaar.example',
  password: 'buurtbazaar-ommoord',
  organisation: 'Buurtbazaar Ommoord',
};
const LAPTOP = { width: 1280, height: 800 };
const TABLET = { width: 768, height: 1024 };

/** A date a week ahead (YYYY-MM-DD, local): new events may not be in the past. */
function nextWeek(): string {
  const d = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000);
  return [d.getFullYear(), d.getMonth() + 1, d.getDate()]
    .map((n) => String(n).padStart(2, '0'))
    .join('-');
}

async function openPage(browser: Browser, viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport, locale: 'nl-NL' });
  return { context, page: await context.newPage() };
}

/** Serious or critical axe findings on the page as it is now (none expected). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  expect(await seriousViolations(page), screen).toEqual([]);
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

async function signInOrganiser(page: Page): Promise<void> {
  await page.goto('/account');
  const form = page.getByRole('form', { name: 'Inloggen' });
  await form.getByLabel('E-mail').fill(ORGANISER.email);
  await form.getByLabel('Wachtwoord').fill(ORGANISER.password);
  await form.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByText(`Ingelogd als ${ORGANISER.name}`)).toBeVisible();
}

/** A maker joins the organisation through an invitation link, on a phone of their own. */
async function makerJoins(browser: Browser, link: string, name: string): Promise<void> {
  const { context, page } = await openPage(browser, { width: 360, height: 740 });
  await new CatalogWelcomePage(page).completeInDutch(`Kraam ${name}`);
  await page.goto(link);
  await expect(page.getByText('Je bent uitgenodigd')).toBeVisible();
  await page.getByLabel('Je naam').fill(name);
  await page.getByLabel('E-mail').fill(`${name.toLowerCase()}@example.org`);
  await page.getByLabel('Wachtwoord').fill(`${name.toLowerCase()}-markt-2026`);
  await page.getByRole('button', { name: 'Account maken', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: ORGANISER.organisation })).toBeVisible();
  await context.close();
}

async function createEvent(page: Page, name: string): Promise<string> {
  await page.goto('/organise');
  await page.getByRole('button', { name: 'Nieuw evenement' }).click();
  await page.getByRole('textbox', { name: 'Naam', exact: true }).fill(name);
  await page.getByLabel('Datum', { exact: true }).fill(nextWeek());
  await page.getByLabel('Open vanaf').fill('11:00');
  await page.getByLabel('Sluit om').fill('17:00');
  await page.getByRole('textbox', { name: 'Plaats (adres)' }).fill('Hesseplaats 1, Rotterdam');
  await page.getByRole('button', { name: 'Evenement maken' }).click();
  await page.waitForURL(/\/organise\/event\?id=/);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  return new URL(page.url()).searchParams.get('id') ?? '';
}

/** Drags one of a stall's resize handles by whole cells (mouse; pointer events). */
async function dragHandle(
  map: MapEditorPage,
  label: string,
  handle: 'e' | 's' | 'se' | 'w',
  dx: number,
  dy: number,
): Promise<void> {
  const grip = map.stall(label).locator(`[data-handle="${handle}"]`);
  const box = await grip.boundingBox();
  const planBox = await map.plan.boundingBox();
  const size = await map.plan.getAttribute('aria-label');
  if (!box || !planBox || !size) throw new Error('plan not laid out');
  const cell = planBox.width / Number(/, (\d+) bij/.exec(size)?.[1]);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  const page = map.page;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + (dx * cell) / 2, y + (dy * cell) / 2, { steps: 4 });
  await page.mouse.move(x + dx * cell, y + dy * cell, { steps: 4 });
  await page.mouse.up();
}

function bottomNav(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Hoofdmenu' });
}

test('[issue 12] laptop: undo and redo on the map, resizing by edge and dialog, landmarks in words, confirmations with undo, a stale close explained, axe on every organiser screen', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const { context, page } = await openPage(browser, LAPTOP);
  await signUpOrganiser(page);

  // --- The organiser's area has no till bar; "New event" puts focus in the form.
  await page.goto('/organise');
  await expect(page.getByRole('heading', { name: 'Organiseren', level: 1 })).toBeVisible();
  await expect(bottomNav(page)).toHaveCount(0);
  // This device sells nothing (no stall): no way to the till side either (first-minutes walks).
  await expect(page.getByRole('link', { name: 'Naar de kassa' })).toHaveCount(0);
  await expectNoSeriousViolations(page, '/organise');
  await page.getByRole('button', { name: 'Nieuw evenement' }).click();
  const name = page.getByRole('textbox', { name: 'Naam', exact: true });
  await expect(name).toBeFocused();
  // The limit is said at the field, and a paste that goes past it is said to be cut.
  await expect(name).toHaveAccessibleDescription(/Hoogstens 80 tekens\./);
  await name.evaluate((input: HTMLInputElement, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, 'Kerstmarkt '.repeat(28));
  await expect(
    page.getByText('De geplakte tekst is ingekort tot 80 tekens; langer kan niet.'),
  ).toBeVisible();
  await expectNoSeriousViolations(page, '/organise with the new event form');

  // --- Creating the event: focus goes to what was made.
  await name.fill('Winterbazaar');
  await page.getByLabel('Datum', { exact: true }).fill(nextWeek());
  await page.getByLabel('Open vanaf').fill('11:00');
  await page.getByLabel('Sluit om').fill('17:00');
  await page.getByRole('textbox', { name: 'Plaats (adres)' }).fill('Hesseplaats 1, Rotterdam');
  await page.getByRole('button', { name: 'Evenement maken' }).click();
  await page.waitForURL(/\/organise\/event\?id=/);
  const eventId = new URL(page.url()).searchParams.get('id') ?? '';
  await expect(page.getByRole('heading', { name: 'Winterbazaar', level: 1 })).toBeFocused();
  await expect(bottomNav(page)).toHaveCount(0);

  // --- A maker joins, and is invited to the event.
  const makers = new OrganiseMakersPage(page);
  await makers.goto();
  await expectNoSeriousViolations(page, '/organise/makers');
  const link = await makers.invite();
  await makerJoins(browser, link, 'Chen');

  // --- The map: 12 by 8 fits the laptop's window.
  const map = new MapEditorPage(page, eventId);
  await map.goto();
  await page.getByRole('textbox', { name: 'Breedte (vakken)' }).fill('12');
  await page.getByRole('textbox', { name: 'Diepte (vakken)' }).fill('8');
  await page.getByRole('button', { name: 'Grootte opslaan' }).click();
  await expect(map.plan).toHaveAccessibleName('Plattegrond, 12 bij 8 vakken');
  await page.evaluate(() => window.scrollTo(0, 0));
  const planBox = await map.plan.boundingBox();
  expect(planBox && planBox.y + planBox.height).toBeLessThanOrEqual(LAPTOP.height);

  // --- Undo and redo: by button and by keyboard.
  const undo = page.getByRole('button', { name: 'Ongedaan maken' });
  const redo = page.getByRole('button', { name: 'Opnieuw doen' });
  await expect(undo).toBeDisabled();
  for (const label of ['A1', 'A2', 'A3']) await map.addStall(label);
  await undo.click();
  await expect(map.stall('A3')).toHaveCount(0);
  await expect(map.outcome).toContainText('Ongedaan gemaakt: A3 verwijderd.');
  await redo.click();
  await expect(map.stall('A3')).toBeVisible();
  await expect(map.outcome).toContainText('Opnieuw gedaan: A3 toegevoegd.');
  await map.stall('A1').focus();
  await page.keyboard.press('ArrowDown');
  await expect(map.outcome).toContainText('A1: kolom 1, rij 2.');
  await page.keyboard.press('Control+z');
  await expect(map.outcome).toContainText('Ongedaan gemaakt: A1 aangepast.');
  await page.keyboard.press('Control+Shift+Z');
  await expect(map.outcome).toContainText('Opnieuw gedaan: A1 aangepast.');
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+y');
  await expect(map.outcome).toContainText('Opnieuw gedaan: A1 aangepast.');
  await expect(map.stall('A1')).toBeVisible();

  // --- Resizing: the east edge one cell wider; the corner one cell deeper; undo.
  await dragHandle(map, 'A3', 'e', 1, 0);
  await expect(map.outcome).toContainText('A3: 3 bij 1.');
  await expect(map.stall('A3')).toHaveAccessibleName('A3, kraam 3 bij 1');
  await dragHandle(map, 'A2', 'se', 0, 1);
  await expect(map.stall('A2')).toHaveAccessibleName('A2, kraam 2 bij 2');
  await undo.click();
  await expect(map.stall('A2')).toHaveAccessibleName('A2, kraam 2 bij 1');
  // The stall dialog's size fields, bounded by the map.
  let dialog = await map.openStall('A3');
  await dialog.getByRole('spinbutton', { name: 'Diepte (vakken)' }).fill('9');
  await dialog.getByRole('button', { name: 'Opslaan' }).click();
  await expect(
    dialog.getByText('Hele vakken: breedte 1 tot 12, diepte 1 tot 8.').last(),
  ).toBeVisible();
  await expect(dialog.getByRole('spinbutton', { name: 'Diepte (vakken)' })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await dialog.getByRole('spinbutton', { name: 'Diepte (vakken)' }).fill('2');
  await dialog.getByRole('spinbutton', { name: 'Breedte (vakken)' }).fill('1');
  await expectNoSeriousViolations(page, '/organise/map with the stall dialog');
  await dialog.getByRole('button', { name: 'Opslaan' }).click();
  await expect(dialog).toBeHidden();
  await expect(map.stall('A3')).toHaveAccessibleName('A3, kraam 1 bij 2');

  // --- Landmarks a bazaar has, in the organiser's words and shown whole.
  await page.getByRole('combobox', { name: 'Soort herkenningspunt' }).selectOption({
    label: 'Stroompunt',
  });
  await page.getByRole('button', { name: 'Herkenningspunt toevoegen' }).click();
  const power = map.plan.getByRole('button', { name: 'Stroompunt', exact: true });
  await expect(power).toBeVisible();
  await expect(map.outcome).toContainText('Stroompunt toegevoegd.');
  await expect(map.outcome).not.toContainText('power');
  const clipped = await power.evaluate((button) => {
    const text = button.querySelector<HTMLElement>('.text');
    return (
      !text || text.scrollWidth > text.clientWidth + 1 || text.scrollHeight > button.clientHeight
    );
  });
  expect(clipped).toBe(false);
  const options = await page
    .getByRole('combobox', { name: 'Soort herkenningspunt' })
    .locator('option')
    .allTextContents();
  expect(options).toEqual(
    expect.arrayContaining(['Ingang', 'Stroompunt', 'Water', 'Toilet', 'EHBO', 'Informatie']),
  );

  // --- Deleting a stall with a maker asks first; the maker then needs a stall; undo puts
  // both back.
  await map.assign('A1', 'Chen', { arrival: '09:30', instructions: 'Bij de ingang.' });
  dialog = await map.openStall('A1');
  await dialog.getByRole('button', { name: 'Kraam verwijderen' }).click();
  await expect(dialog.getByText('Chen staat op deze kraam.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Annuleren' })).toBeFocused();
  await expectNoSeriousViolations(page, '/organise/map confirming a deletion');
  await dialog.getByRole('button', { name: 'Annuleren' }).click();
  await expect(map.stall('A1')).toBeVisible();
  await dialog.getByRole('button', { name: 'Kraam verwijderen' }).click();
  await dialog.getByRole('button', { name: 'Kraam verwijderen' }).click();
  await expect(dialog).toBeHidden();
  await expect(map.stall('A1')).toHaveCount(0);
  const tray = page.getByRole('list', { name: 'Makers zonder kraam' });
  await expect(tray).toContainText('Chen');
  await expect(page.getByText('Iedere maker heeft een kraam.')).toHaveCount(0);
  await expect(map.conflicts).toContainText('Geen problemen: alle kramen passen.');
  await expect(map.conflicts).not.toContainText('bestaat niet meer');
  await undo.click();
  await expect(map.stall('A1')).toHaveAccessibleName(/^A1 Chen, kraam 2 bij 1/);
  await expect(page.getByText('Iedere maker heeft een kraam.')).toBeVisible();
  // An empty stall goes at once, with undo.
  dialog = await map.openStall('A2');
  await dialog.getByRole('button', { name: 'Kraam verwijderen' }).click();
  await expect(map.stall('A2')).toHaveCount(0);
  await undo.click();
  await expect(map.stall('A2')).toHaveAccessibleName('A2, kraam 2 bij 1');
  await expect(map.outcome).not.toContainText('opslaan');
  await expectNoSeriousViolations(page, '/organise/map');
  // What the server stored is what the screen shows.
  const plan = (await (await page.request.get(`/api/organiser/events/${eventId}`)).json()) as {
    stalls: { id: string; label: string; width: number; height: number }[];
    assignments: { stallId: string; instructions: string }[];
  };
  const a1 = plan.stalls.find((s) => s.label === 'A1');
  expect(plan.assignments).toEqual([
    expect.objectContaining({ stallId: a1?.id, instructions: 'Bij de ingang.' }),
  ]);
  expect(plan.stalls.find((s) => s.label === 'A2')).toMatchObject({ width: 2, height: 1 });
  expect(plan.stalls.find((s) => s.label === 'A3')).toMatchObject({ width: 1, height: 2 });

  // --- The event page: removing a maker asks first; names start with the visible words.
  await page.goto(`/organise/event?id=${eventId}`);
  // (Chen was invited by being put on a stall.)
  await page.getByRole('button', { name: 'Verwijderen Chen' }).click();
  const removeDialog = page.getByRole('dialog', { name: 'Chen van dit evenement halen?' });
  await expect(removeDialog).toBeVisible();
  await removeDialog.getByRole('button', { name: 'Annuleren' }).click();
  await expect(page.getByRole('button', { name: 'Verwijderen Chen' })).toBeVisible();
  await expectNoSeriousViolations(page, '/organise/event');

  // --- A stale close: an old tab still shows "Open" and tries to close.
  await page.getByRole('button', { name: 'Publiceren' }).click();
  await expect(page.getByRole('heading', { name: 'Status: Gepubliceerd' })).toBeVisible();
  await page.getByRole('button', { name: 'Bazaar openen' }).click();
  await expect(page.getByRole('heading', { name: 'Status: Open' })).toBeVisible();
  const oldTab = await context.newPage();
  await oldTab.goto(`/organise/event?id=${eventId}`);
  await expect(oldTab.getByRole('heading', { name: 'Status: Open' })).toBeVisible();
  for (const tab of [page, oldTab]) {
    await tab.getByRole('button', { name: 'Evenement sluiten' }).click();
    await tab
      .getByRole('dialog', { name: 'Evenement sluiten?' })
      .getByRole('button', { name: 'Sluiten en resultaten sturen' })
      .click();
  }
  await expect(oldTab.getByRole('heading', { name: 'Status: Gesloten' })).toBeVisible();
  await expect(
    oldTab.getByRole('status').filter({
      hasText:
        'Dat was al gebeurd (in een ander tabblad of door iemand anders): de status is nu Gesloten.',
    }),
  ).toBeVisible();
  await expect(oldTab.getByText('Die status kan nu niet.')).toHaveCount(0);
  await expect(oldTab.getByRole('button', { name: 'Evenement sluiten' })).toHaveCount(0);
  await oldTab.close();

  // --- The dashboard.
  await page.goto(`/organise/dashboard?id=${eventId}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(bottomNav(page)).toHaveCount(0);
  await expectNoSeriousViolations(page, '/organise/dashboard');

  // --- "Delete draft" asks first.
  const draftId = await createEvent(page, 'Proefconcept');
  await page.getByRole('button', { name: 'Concept verwijderen' }).click();
  const confirmDelete = page.getByRole('dialog', { name: 'Concept verwijderen?' });
  await expect(confirmDelete).toContainText('„Proefconcept” wordt verwijderd');
  await expectNoSeriousViolations(page, '/organise/event confirming the draft deletion');
  await confirmDelete.getByRole('button', { name: 'Annuleren' }).click();
  await expect(confirmDelete).toBeHidden();
  expect((await page.request.get(`/api/organiser/events/${draftId}`)).status()).toBe(200);
  await page.getByRole('button', { name: 'Concept verwijderen' }).click();
  await confirmDelete.getByRole('button', { name: 'Ja, concept verwijderen' }).click();
  await page.waitForURL(/\/organise$/);
  await expect(page.getByRole('link', { name: 'Proefconcept' })).toHaveCount(0);
  expect((await page.request.get(`/api/organiser/events/${draftId}`)).status()).toBe(404);
  await context.close();
});

test('[issue 12] tablet: the map fits, undo and redo by button, a corner drag resizes, axe on every organiser screen', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { context, page } = await openPage(browser, TABLET);
  await signInOrganiser(page);
  const eventId = await createEvent(page, 'Voorjaarsmarkt');
  await expect(bottomNav(page)).toHaveCount(0);
  await expectNoSeriousViolations(page, '/organise/event (tablet)');

  const map = new MapEditorPage(page, eventId);
  await map.goto();
  await expect(bottomNav(page)).toHaveCount(0);
  for (const label of ['A1', 'A2']) await map.addStall(label);
  // The plan fits the tablet's width: nothing to scroll sideways.
  const widths = await map.plan.evaluate((plan) => {
    const scroller = plan.parentElement as HTMLElement;
    return { scroll: scroller.scrollWidth, client: scroller.clientWidth };
  });
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  await dragHandle(map, 'A1', 'se', 0, 2);
  await expect(map.stall('A1')).toHaveAccessibleName('A1, kraam 2 bij 3');
  const undo = page.getByRole('button', { name: 'Ongedaan maken' });
  const redo = page.getByRole('button', { name: 'Opnieuw doen' });
  await undo.click();
  await expect(map.stall('A1')).toHaveAccessibleName('A1, kraam 2 bij 1');
  await redo.click();
  await expect(map.stall('A1')).toHaveAccessibleName('A1, kraam 2 bij 3');
  await undo.click();
  await undo.click();
  await expect(map.stall('A2')).toHaveCount(0);
  await expect(redo).toBeEnabled();
  await expectNoSeriousViolations(page, '/organise/map (tablet)');

  for (const path of ['/organise', '/organise/makers', `/organise/dashboard?id=${eventId}`]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Even laden' })).toHaveCount(0);
    await expectNoSeriousViolations(page, `${path} (tablet)`);
  }
  await context.close();
});
