import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

/**
 * Page objects for a person's first minutes in Kraam (issue 10): the first screen's three
 * choices, signing up or in, joining by invitation, and the app frame they land in. Every
 * text comes from the language's `words`, so a language is added by adding one entry to
 * LANGUAGES (the tests walk each one).
 */
export interface Language {
  /** The locale code, as on <html lang>. */
  code: string;
  dir: 'ltr' | 'rtl';
  /** The language's button on the first screen (named in itself). */
  button: string;
  words: {
    welcome: string;
    chooseSell: string;
    chooseOrganise: string;
    chooseAccount: string;
    stallNameHeading: string;
    stallNameLabel: string;
    start: string;
    eventsHeading: string;
    name: string;
    email: string;
    password: string;
    organisationName: string;
    signUp: string;
    signIn: string;
    switchToSignIn: string;
    invitationRequired: string;
    invitationHeading: string;
    goToTill: string;
    goToOrganise: string;
    organiseHeading: string;
    navOrganise: string;
    navTill: string;
    /** The organiser area's own link back to the till side. */
    organiseToTill: string;
    tillHeading: string;
    setUpStall: string;
    savedOnPhone: string;
    statusDeviceOnly: string;
    statusSynced: string;
    allSalesSent: string;
    productsHeading: string;
    addProduct: string;
    productName: string;
    productPrice: string;
    save: string;
  };
}

export const DUTCH: Language = {
  code: 'nl',
  dir: 'ltr',
  button: 'Nederlands',
  words: {
    welcome: 'Welkom bij Kraam',
    chooseSell: 'Ik verkoop op een kraam',
    chooseOrganise: 'Ik organiseer een bazaar',
    chooseAccount: 'Ik heb al een account',
    stallNameHeading: 'Hoe heet je kraam?',
    stallNameLabel: 'Naam van je kraam of merk',
    start: 'Beginnen',
    eventsHeading: 'Evenementen',
    name: 'Je naam',
    email: 'E-mail',
    password: 'Wachtwoord',
    organisationName: 'Naam van je organisatie',
    signUp: 'Account maken',
    signIn: 'Inloggen',
    switchToSignIn: 'Heb je al een account? Log in',
    invitationRequired: 'Vraag je organisator om een uitnodigingslink.',
    invitationHeading: 'Uitnodiging',
    goToTill: 'Naar de kassa',
    goToOrganise: 'Naar Organiseren',
    organiseHeading: 'Organiseren',
    navOrganise: 'Organiseren',
    navTill: 'Kassa',
    organiseToTill: 'Naar de kassa',
    tillHeading: 'Kassa',
    setUpStall: 'Kraam instellen',
    savedOnPhone: 'Opgeslagen op deze telefoon',
    statusDeviceOnly: 'Synchronisatie: opgeslagen op deze telefoon',
    statusSynced: 'Synchronisatie',
    allSalesSent: 'alle verkopen verstuurd',
    productsHeading: 'Producten',
    addProduct: 'Product toevoegen',
    productName: 'Naam',
    productPrice: 'Prijs inclusief btw',
    save: 'Opslaan',
  },
};

export const ARABIC: Language = {
  code: 'ar',
  dir: 'rtl',
  button: 'العربية',
  words: {
    welcome: 'مرحبًا بك في Kraam',
    chooseSell: 'أبيع في كشك',
    chooseOrganise: 'أنظّم بازارًا',
    chooseAccount: 'لديّ حساب',
    stallNameHeading: 'ما اسم كشكك؟',
    stallNameLabel: 'اسم كشكك أو علامتك التجارية',
    start: 'ابدأ',
    eventsHeading: 'الفعاليات',
    name: 'اسمك',
    email: 'البريد الإلكتروني',
    password: 'كلمة المرور',
    organisationName: 'اسم منظمتك',
    signUp: 'إنشاء حساب',
    signIn: 'تسجيل الدخول',
    switchToSignIn: 'لديك حساب بالفعل؟ سجّل الدخول',
    invitationRequired: 'اطلب من المنظِّم رابط دعوة.',
    invitationHeading: 'دعوة',
    goToTill: 'الذهاب إلى الصندوق',
    goToOrganise: 'الذهاب إلى التنظيم',
    organiseHeading: 'التنظيم',
    navOrganise: 'التنظيم',
    navTill: 'الصندوق',
    organiseToTill: 'إلى الصندوق',
    tillHeading: 'الصندوق',
    setUpStall: 'إعداد الكشك',
    savedOnPhone: 'محفوظ على هذا الهاتف',
    statusDeviceOnly: 'المزامنة: محفوظ على هذا الهاتف',
    statusSynced: 'المزامنة',
    allSalesSent: 'أُرسلت كل المبيعات',
    productsHeading: 'المنتجات',
    addProduct: 'إضافة منتج',
    productName: 'الاسم',
    productPrice: 'السعر شامل الضريبة',
    save: 'حفظ',
  },
};

/** The languages every first-minutes walk runs in. Add a language here. */
/** Turkish: one of the four languages added in issue 10, left to right. */
export const TURKISH: Language = {
  code: 'tr',
  dir: 'ltr',
  button: 'Türkçe',
  words: {
    welcome: "Kraam'a hoş geldiniz",
    chooseSell: 'Bir tezgâhta satış yapıyorum',
    chooseOrganise: 'Bir pazar düzenliyorum',
    chooseAccount: 'Hesabım var',
    stallNameHeading: 'Tezgâhınızın adı ne?',
    stallNameLabel: 'Tezgâhınızın veya markanızın adı',
    start: 'Başla',
    eventsHeading: 'Etkinlikler',
    name: 'Adınız',
    email: 'E-posta',
    password: 'Şifre',
    organisationName: 'Kuruluşunuzun adı',
    signUp: 'Hesap oluştur',
    signIn: 'Giriş yap',
    switchToSignIn: 'Zaten hesabınız var mı? Giriş yapın',
    invitationRequired: 'Organizatörünüzden bir davet bağlantısı isteyin.',
    invitationHeading: 'Davet',
    goToTill: 'Kasaya git',
    goToOrganise: 'Organizasyon bölümüne git',
    organiseHeading: 'Organize et',
    navOrganise: 'Organizasyon',
    navTill: 'Kasa',
    organiseToTill: 'Kasaya git',
    tillHeading: 'Kasa',
    setUpStall: 'Tezgâhı kur',
    savedOnPhone: 'Bu telefona kaydedildi',
    statusDeviceOnly: 'Eşitleme: bu telefona kaydedildi',
    statusSynced: 'Eşitleme',
    allSalesSent: 'tüm satışlar gönderildi',
    productsHeading: 'Ürünler',
    addProduct: 'Ürün ekle',
    productName: 'Ad',
    productPrice: 'KDV dahil fiyat',
    save: 'Kaydet',
  },
};

export const LANGUAGES: Language[] = [DUTCH, ARABIC, TURKISH];

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** A person unique to one run of one test (the e-mail must be new to the server). */
export function person(name: string, tag: string): Person {
  const id = `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { name, email: `${id}@example.org`, password: `kraam-${id}-2026` };
}

/** The first screen a fresh browser sees: the language, then sell / organise / sign in. */
export class FirstScreen {
  constructor(
    readonly page: Page,
    readonly language: Language,
  ) {}

  get w(): Language['words'] {
    return this.language.words;
  }

  /** Opens the app fresh and picks the language; the three choices are then in it. */
  async open(): Promise<void> {
    await this.page.goto('/');
    await this.page.waitForURL('**/welcome');
    await this.page.getByRole('button', { name: this.language.button }).click();
    await expect(this.page.getByRole('heading', { name: this.w.welcome, level: 1 })).toBeVisible();
    await expectDocumentLanguage(this.page, this.language);
  }

  choice(name: 'sell' | 'organise' | 'account'): Locator {
    const label = {
      sell: this.w.chooseSell,
      organise: this.w.chooseOrganise,
      account: this.w.chooseAccount,
    }[name];
    return this.page.getByRole('link', { name: new RegExp(`^${label}`) });
  }

  /** "I sell at a stall": names the stall and lands on the events screen. */
  async sellAs(stallName: string): Promise<void> {
    await this.choice('sell').click();
    await expect(this.page.getByRole('heading', { name: this.w.stallNameHeading })).toBeVisible();
    await this.page.getByLabel(this.w.stallNameLabel).fill(stallName);
    await this.page.getByRole('button', { name: this.w.start }).click();
    await this.page.waitForURL('**/events');
    await expect(
      this.page.getByRole('heading', { name: this.w.eventsHeading, level: 1 }),
    ).toBeVisible();
  }
}

/** The sign-up and sign-in forms (first screen, invitation page), in the person's language. */
export class AccountForms {
  constructor(
    readonly page: Page,
    readonly language: Language,
  ) {}

  async signUp(who: Person, organisation?: string): Promise<void> {
    const w = this.language.words;
    const form = this.page.getByRole('form', { name: w.signUp });
    await form.getByLabel(w.name).fill(who.name);
    await form.getByLabel(w.email).fill(who.email);
    await form.getByLabel(w.password).fill(who.password);
    if (organisation !== undefined) await form.getByLabel(w.organisationName).fill(organisation);
    // The server allows 10 sign-ups a minute from one address (src/lib/server/auth/config.ts),
    // and every phone of these walks signs up from 127.0.0.1: when it says "wait", wait as
    // long as it says (as a person would) and try once more.
    const answer = this.page.waitForResponse((r) => r.url().endsWith('/api/auth/sign-up/email'));
    await form.getByRole('button', { name: w.signUp, exact: true }).click();
    const response = await answer;
    if (response.status() === 429) {
      const seconds = Number(response.headers()['x-retry-after'] ?? '60');
      await this.page.waitForTimeout((seconds + 1) * 1000);
      await form.getByRole('button', { name: w.signUp, exact: true }).click();
    }
  }

  async signIn(who: Person): Promise<void> {
    const w = this.language.words;
    const form = this.page.getByRole('form', { name: w.signIn });
    await form.getByLabel(w.email).fill(who.email);
    await form.getByLabel(w.password).fill(who.password);
    await form.getByRole('button', { name: w.signIn, exact: true }).click();
  }
}

/** What a person lands in: the header's status, the navigation, the till, the organiser area. */
export class AppFrame {
  readonly status: Locator;
  readonly statusButton: Locator;
  readonly nav: Locator;
  readonly stallName: Locator;

  constructor(
    readonly page: Page,
    readonly language: Language,
  ) {
    const banner = page.getByRole('banner');
    this.status = banner.getByRole('status');
    this.statusButton = banner.locator('button[aria-controls="sync-panel"]');
    this.nav = page.getByRole('navigation', { name: /./ }).last();
    this.stallName = banner.locator('.name');
  }

  get w(): Language['words'] {
    return this.language.words;
  }

  /** The till is open and ready: no "set up your stall first", the stall named in the header. */
  async expectReadyTill(stallName: string): Promise<void> {
    await this.page.waitForURL('**/till');
    await expect(
      this.page.getByRole('heading', { name: this.w.tillHeading, level: 1 }),
    ).toBeAttached();
    await expect(this.stallName).toHaveText(stallName);
    await expect(this.page.getByRole('link', { name: this.w.setUpStall })).toHaveCount(0);
  }

  async expectOrganiserArea(): Promise<void> {
    await this.page.waitForURL('**/organise');
    await expect(
      this.page.getByRole('heading', { name: this.w.organiseHeading, level: 1 }),
    ).toBeVisible();
  }

  navLink(name: string): Locator {
    return this.page.getByRole('navigation').getByRole('link', { name, exact: true });
  }

  /** The status button is a real touch target: at least 48 by 48 CSS pixels. */
  async expectStatusButtonSize(): Promise<void> {
    const box = await this.statusButton.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(48);
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(48);
  }

  /** No account: "saved on this phone", calm, and the details suggest a backup once. */
  async expectSavedOnPhone(): Promise<void> {
    await expect(this.status).toHaveText(this.w.savedOnPhone);
    await expect(this.statusButton).toHaveAccessibleName(this.w.statusDeviceOnly);
  }
}

/** The maker's products screen, in their language. */
export class ProductsScreen {
  constructor(
    readonly page: Page,
    readonly language: Language,
  ) {}

  get list(): Locator {
    return this.page.getByRole('list', { name: this.language.words.productsHeading });
  }

  async goto(): Promise<void> {
    await this.page.goto('/products');
    await expect(
      this.page.getByRole('heading', { name: this.language.words.productsHeading, level: 1 }),
    ).toBeVisible();
  }

  async add(name: string, price: string): Promise<void> {
    const w = this.language.words;
    await this.page.getByRole('link', { name: w.addProduct }).click();
    await this.page.getByRole('textbox', { name: w.productName, exact: true }).fill(name);
    await this.page.getByRole('textbox', { name: w.productPrice }).fill(price);
    await this.page.getByRole('button', { name: w.save }).click();
    await this.page.waitForURL('**/products');
    await expect(this.list.getByRole('link', { name, exact: true })).toBeVisible();
  }
}

export async function expectDocumentLanguage(page: Page, language: Language): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', language.code);
  await expect(page.locator('html')).toHaveAttribute('dir', language.dir);
}

/** Serious or critical axe findings on the page as it is now (none expected). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** An organiser's API client (its own cookie jar): makes invitation links. */
export class OrganiserApi {
  constructor(readonly request: APIRequestContext) {}

  async signIn(who: Person): Promise<void> {
    const response = await this.request.post('/api/auth/sign-in/email', {
      data: { email: who.email, password: who.password },
    });
    expect(response.status(), await response.text()).toBe(200);
  }

  async invite(body: { role: 'maker' | 'helper' | 'organiser'; newOrganisation?: boolean }) {
    const response = await this.request.post('/api/invitations', { data: body });
    expect(response.status(), await response.text()).toBe(201);
    const { url } = (await response.json()) as { url: string };
    return new URL(url).pathname;
  }
}
