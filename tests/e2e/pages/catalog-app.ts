import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Page objects for the catalogue screens (welcome, products, events, settings). Everything
 * is found by role and accessible name, as a person would find it. Dutch texts, since the
 * tests pick Nederlands on the welcome screen.
 */

export class CatalogWelcomePage {
  constructor(readonly page: Page) {}

  /**
   * First run in Dutch: language, "I sell at a stall", stall name, optional 5-cent rounding,
   * then to events.
   */
  async completeInDutch(
    stallName: string,
    options: { cashRounding?: boolean } = {},
  ): Promise<void> {
    await this.page.goto('/');
    await this.page.waitForURL('**/welcome');
    await this.page.getByRole('button', { name: 'Nederlands' }).click();
    await this.page.getByRole('link', { name: /^Ik verkoop op een kraam/ }).click();
    await expect(this.page.getByRole('heading', { name: 'Hoe heet je kraam?' })).toBeVisible();
    await this.page.getByLabel('Naam van je kraam of merk').fill(stallName);
    if (options.cashRounding) {
      await this.page.getByRole('switch', { name: 'Contant afronden op 5 cent' }).check();
    }
    await this.page.getByRole('button', { name: 'Beginnen' }).click();
    await this.page.waitForURL('**/events');
  }
}

export interface ProductFields {
  name?: string;
  price?: string;
  vat?: '21% btw' | '9% btw' | 'geen btw (KOR)';
  stock?: string;
  category?: string;
  colour?: string;
  photo?: { name: string; mimeType: string; buffer: Buffer };
}

export class CatalogProductsPage {
  readonly list: Locator;
  readonly form: ProductFormPage;

  constructor(readonly page: Page) {
    this.list = page.getByRole('list', { name: 'Producten' });
    this.form = new ProductFormPage(page);
  }

  async goto(): Promise<void> {
    await this.page.goto('/products');
    await expect(this.page.getByRole('heading', { name: 'Producten', level: 1 })).toBeVisible();
    await expect(this.page.getByRole('status').filter({ hasText: 'Laden' })).toHaveCount(0);
  }

  async startNew(): Promise<void> {
    await this.page.getByRole('link', { name: 'Product toevoegen' }).click();
    await expect(this.page.getByRole('heading', { name: 'Nieuw product' })).toBeVisible();
  }

  async open(name: string): Promise<void> {
    await this.page.getByRole('link', { name, exact: true }).click();
    await expect(this.page.getByRole('heading', { name: 'Product bewerken' })).toBeVisible();
    await expect(this.form.name).toHaveValue(name);
  }

  /** The list shows exactly these names, in order (retried until the list has rendered). */
  async expectNames(names: string[]): Promise<void> {
    await expect(this.list.getByRole('listitem').getByRole('link')).toHaveText(names);
  }

  row(name: string): Locator {
    return this.list
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  async add(fields: ProductFields): Promise<void> {
    await this.startNew();
    await this.form.fill(fields);
    await this.form.save();
    await expect(
      this.page.getByRole('status').filter({ hasText: `${fields.name} is opgeslagen.` }),
    ).toBeVisible();
  }
}

export class ProductFormPage {
  readonly name: Locator;
  readonly price: Locator;
  readonly stock: Locator;
  readonly category: Locator;
  readonly choosePhoto: Locator;
  readonly takePhoto: Locator;

  constructor(readonly page: Page) {
    this.name = page.getByRole('textbox', { name: 'Naam', exact: true });
    this.price = page.getByRole('textbox', { name: 'Prijs inclusief btw' });
    this.stock = page.getByRole('textbox', { name: /^Voorraad voor/ });
    this.category = page.getByRole('textbox', { name: /^Categorie/ });
    this.choosePhoto = page.getByLabel('Foto kiezen');
    this.takePhoto = page.getByLabel('Foto maken');
  }

  async fill(fields: ProductFields): Promise<void> {
    if (fields.photo) await this.choosePhoto.setInputFiles(fields.photo);
    if (fields.name !== undefined) await this.name.fill(fields.name);
    if (fields.price !== undefined) await this.price.fill(fields.price);
    if (fields.vat) await this.page.getByRole('radio', { name: fields.vat }).check();
    if (fields.stock !== undefined) await this.stock.fill(fields.stock);
    if (fields.colour) await this.page.getByRole('radio', { name: fields.colour }).check();
    if (fields.category !== undefined) await this.category.fill(fields.category);
  }

  async save(): Promise<void> {
    await this.page.getByRole('button', { name: 'Opslaan' }).click();
  }

  /** The message shown beside a field (through its aria-describedby), asserting it is marked invalid. */
  async expectError(field: Locator, message: string | RegExp): Promise<void> {
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(message);
  }
}

export class CatalogEventsPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/events');
    await expect(this.page.getByRole('heading', { name: 'Evenementen', level: 1 })).toBeVisible();
  }

  async create(fields: {
    name: string;
    date?: string;
    place?: string;
    opens?: string;
    closes?: string;
  }): Promise<void> {
    const newButton = this.page.getByRole('button', { name: 'Nieuw evenement' });
    const name = this.page.getByRole('textbox', { name: 'Naam van het evenement' });
    // The form shows at once on an empty list, behind "Nieuw evenement" otherwise: wait for
    // the screen to show one of them before deciding (isVisible does not wait).
    await expect(newButton.or(name).first()).toBeVisible();
    if (await newButton.isVisible()) await newButton.click();
    await name.fill(fields.name);
    if (fields.date) await this.page.getByLabel('Datum').fill(fields.date);
    if (fields.place) await this.page.getByRole('textbox', { name: /^Plaats/ }).fill(fields.place);
    if (fields.opens) await this.page.getByLabel('Open vanaf').fill(fields.opens);
    if (fields.closes) await this.page.getByLabel('Tot', { exact: true }).fill(fields.closes);
    await this.page.getByRole('button', { name: 'Evenement aanmaken' }).click();
  }

  card(name: string): Locator {
    return this.page
      .getByRole('list', { name: 'Evenementen' })
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('heading', { name, exact: true }) });
  }

  async select(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Verkoop hier ${name}` }).click();
    await expect(
      this.page.getByRole('status').filter({ hasText: `Je verkoopt nu op ${name}.` }),
    ).toBeVisible();
  }
}
