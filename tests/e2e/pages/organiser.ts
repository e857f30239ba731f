import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Page objects for the organiser's screens (/organise/**) and the maker's organiser-side
 * screens (my stall, results, profile). Dutch texts; found by role and name.
 */

export class OrganiseHomePage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/organise');
    await expect(this.page.getByRole('heading', { name: 'Organiseren', level: 1 })).toBeVisible();
    await expect(this.page.getByRole('heading', { name: 'Reeksen' })).toBeVisible();
  }

  async createSeries(name: string): Promise<void> {
    await this.page.getByLabel('Naam van een nieuwe reeks').fill(name);
    await this.page.getByRole('button', { name: 'Reeks maken' }).click();
    await expect(this.page.getByRole('heading', { name, level: 3 })).toBeVisible();
  }

  async createEvent(fields: {
    name: string;
    date: string;
    opens: string;
    closes: string;
    place: string;
    series: string;
  }): Promise<string> {
    await this.page.getByRole('button', { name: 'Nieuw evenement' }).click();
    await this.page.getByRole('textbox', { name: 'Naam', exact: true }).fill(fields.name);
    await this.page.getByLabel('Datum', { exact: true }).fill(fields.date);
    await this.page.getByLabel('Open vanaf').fill(fields.opens);
    await this.page.getByLabel('Sluit om').fill(fields.closes);
    await this.page.getByRole('textbox', { name: 'Plaats (adres)' }).fill(fields.place);
    await this.page.getByRole('combobox', { name: 'Reeks' }).selectOption({ label: fields.series });
    await this.page.getByRole('button', { name: 'Evenement maken' }).click();
    await this.page.waitForURL(/\/organise\/event\?id=/);
    await expect(this.page.getByRole('heading', { name: fields.name, level: 1 })).toBeVisible();
    return new URL(this.page.url()).searchParams.get('id') ?? '';
  }
}

export class OrganiseEventPage {
  constructor(
    readonly page: Page,
    readonly eventId: string,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(`/organise/event?id=${this.eventId}`);
    await expect(this.page.getByRole('heading', { name: /^Status:/ })).toBeVisible();
  }

  async setStatus(button: string, status: string): Promise<void> {
    await this.page.getByRole('button', { name: button, exact: true }).click();
    if (button === 'Evenement sluiten') {
      const dialog = this.page.getByRole('dialog', { name: 'Evenement sluiten?' });
      await dialog.getByRole('button', { name: 'Sluiten en resultaten sturen' }).click();
    }
    await expect(this.page.getByRole('heading', { name: `Status: ${status}` })).toBeVisible();
  }

  async announce(text: string): Promise<void> {
    await this.page.getByLabel('Bericht aan alle makers van dit evenement').fill(text);
    await this.page.getByRole('button', { name: 'Versturen' }).click();
    await expect(this.page.getByRole('list', { name: 'Verstuurde berichten' })).toContainText(text);
  }
}

export class MapEditorPage {
  readonly plan: Locator;
  readonly outcome: Locator;
  readonly conflicts: Locator;

  constructor(
    readonly page: Page,
    readonly eventId: string,
  ) {
    this.plan = page.getByRole('group', { name: /^Plattegrond, \d+ bij \d+ vakken$/ });
    this.outcome = page.locator('main').getByRole('status');
    this.conflicts = page.getByRole('region', { name: 'Problemen' });
  }

  async goto(): Promise<void> {
    await this.page.goto(`/organise/map?id=${this.eventId}`);
    await expect(this.plan).toBeVisible();
  }

  /**
   * A stall button; its accessible name starts with what it shows: "A1, kraam 2 bij 1", or
   * "A1 Bakkerij Amal, kraam 2 bij 1" with a maker on it.
   */
  stall(label: string): Locator {
    return this.plan.getByRole('button', { name: new RegExp(`^${label}[ ,]`) });
  }

  async addStall(expectedLabel: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Kraam toevoegen' }).click();
    await expect(this.stall(expectedLabel)).toBeVisible();
  }

  async addLandmark(kind: string): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Soort herkenningspunt' }).selectOption({
      label: kind,
    });
    await this.page.getByRole('button', { name: 'Herkenningspunt toevoegen' }).click();
    await expect(this.plan.getByRole('button', { name: kind, exact: true })).toBeVisible();
  }

  /** Drags a stall by whole cells with the mouse (pointer events, as on a tablet). */
  async drag(label: string, dx: number, dy: number): Promise<void> {
    const item = this.stall(label);
    const box = await item.boundingBox();
    const planBox = await this.plan.boundingBox();
    const size = await this.plan.getAttribute('aria-label');
    if (!box || !planBox || !size) throw new Error('plan not laid out');
    const width = Number(/, (\d+) bij/.exec(size)?.[1]);
    const cell = planBox.width / width;
    const x = box.x + cell / 2;
    const y = box.y + cell / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + (dx * cell) / 2, y + (dy * cell) / 2, { steps: 4 });
    await this.page.mouse.move(x + dx * cell, y + dy * cell, { steps: 4 });
    await this.page.mouse.up();
  }

  async openStall(label: string): Promise<Locator> {
    await this.stall(label).focus();
    await this.page.keyboard.press('Enter');
    const dialog = this.page.getByRole('dialog', { name: `Kraam ${label}` });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** Drags a maker's chip from "Makers zonder kraam" onto a stall. */
  async dragMaker(maker: string, label: string): Promise<void> {
    const chip = this.page
      .getByRole('list', { name: 'Makers zonder kraam' })
      .getByText(maker, { exact: true });
    await chip.scrollIntoViewIfNeeded();
    const from = await chip.boundingBox();
    const to = await this.stall(label).boundingBox();
    if (!from || !to) throw new Error('chip or stall not laid out');
    await this.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await this.page.mouse.up();
    await expect(this.stall(label)).toHaveAccessibleName(new RegExp(`^${label} ${maker},`));
  }

  /** Opens the stall; picks the maker (unless already on it); arrival time and instructions. */
  async assign(
    label: string,
    maker: string,
    details: { arrival: string; instructions: string; power?: boolean },
  ): Promise<void> {
    const dialog = await this.openStall(label);
    if (details.power) await dialog.getByRole('checkbox', { name: 'stroom' }).check();
    const picker = dialog.getByRole('combobox', { name: 'Maker' });
    await picker.selectOption({ label: maker });
    await dialog.getByLabel('Aankomsttijd').fill(details.arrival);
    await dialog.getByLabel('Instructies').fill(details.instructions);
    await dialog.getByRole('button', { name: 'Opslaan' }).click();
    await expect(dialog).toBeHidden();
    await expect(this.stall(label)).toHaveAccessibleName(new RegExp(`^${label} ${maker},`));
  }
}

export class OrganiseMakersPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/organise/makers');
    await expect(this.page.getByRole('heading', { name: 'Makers', level: 1 })).toBeVisible();
  }

  /** Creates a single-use invitation link for a maker and returns it (the QR is shown too). */
  async invite(): Promise<string> {
    const link = this.page.getByLabel('Uitnodigingslink', { exact: true });
    const before = (await link.count()) > 0 ? await link.inputValue() : '';
    await this.page.getByRole('button', { name: 'Uitnodigingslink maken' }).click();
    await expect(link).not.toHaveValue(before);
    await expect(link).toHaveValue(/\/invite\//);
    await expect(
      this.page.getByRole('img', { name: 'QR-code van de uitnodigingslink' }),
    ).toBeVisible();
    return link.inputValue();
  }

  maker(name: string): Locator {
    return this.page
      .getByRole('list', { name: 'Makers van je organisatie' })
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('heading', { name, level: 3 }) });
  }
}

/** The maker's side: their profile, their stall (offline) and their results. */
export class MakerScreens {
  constructor(readonly page: Page) {}

  async fillProfile(fields: { name: string; craft: string; phone: string }): Promise<void> {
    await this.page.goto('/profile');
    await expect(
      this.page.getByRole('heading', { name: 'Mijn makersprofiel', level: 1 }),
    ).toBeVisible();
    await this.page.getByLabel('Naam op je profiel').fill(fields.name);
    await this.page.getByLabel('Wat je maakt').fill(fields.craft);
    await this.page.getByRole('textbox', { name: 'Telefoon' }).fill(fields.phone);
    await this.page.getByRole('switch', { name: 'Zet mij in de openbare makersgids' }).check();
    await this.page.getByRole('button', { name: 'Opslaan' }).click();
    await expect(
      this.page.getByRole('status').filter({ hasText: 'Profiel opgeslagen.' }),
    ).toBeVisible();
  }

  async shareFigures(): Promise<void> {
    await this.page
      .getByRole('switch', { name: 'Deel mijn verkoopcijfers met de organisator' })
      .check();
    await expect(
      this.page
        .getByRole('status')
        .filter({ hasText: 'Je deelt je cijfers nu met de organisator.' }),
    ).toBeVisible();
  }

  async openStall(eventName: string): Promise<void> {
    await this.page.getByRole('link', { name: `Mijn kraam op ${eventName}` }).click();
    await expect(this.page.getByRole('heading', { name: 'Mijn kraam', level: 1 })).toBeVisible();
  }
}
