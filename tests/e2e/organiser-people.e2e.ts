// Issue 12's browser test ("Invitations and applications", "Editions that compare", "Figures a
// funder can trust"): an organiser on a laptop (1280x800) and a tablet (768x1024), a new
// maker with no account applying on the event's public page, accepted into an invitation
// and joining with it; a revoked link refused; a new edition named and compared with the
// previous one; the impact page showing a withheld figure as withheld. Every screen touched
// is checked with axe at both sizes. Its own server (playwright.config.ts), so the
// organiser's sign-up founds the organisation. Dutch texts throughout.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { RawDevice } from '../../src/lib/sync/testing/factories';

const LAPTOP = { width: 1280, height: 800 };
const TABLET = { width: 768, height: 1024 };
const ORGANISER = {
  name: 'Fatima',
  email: 'fatima@buurtbazaar.example',
  password: 'buurtbazaar-2026',
  organisation: 'Buurtbazaar Moerwijk',
};
const SERIES = 'Maandbazaar Moerwijk';
const DECEMBER = 'December bazaar';
const JANUARY = 'Januaribazaar';
/** The smallest PNG signature the photo check accepts. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

function daysAhead(days: number): string {
  const d = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
  return [d.getFullYear(), d.getMonth() + 1, d.getDate()]
    .map((n) => String(n).padStart(2, '0'))
    .join('-');
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The screen as it is now, checked with axe on a laptop and on a tablet. */
async function axeOnBoth(page: Page, what: string): Promise<void> {
  for (const size of [LAPTOP, TABLET]) {
    await page.setViewportSize(size);
    expect(await seriousViolations(page), `${what} at ${size.width}x${size.height}`).toEqual([]);
  }
}

async function newPage(browser: Browser, size = LAPTOP): Promise<Page> {
  const context = await browser.newContext({ viewport: size, locale: 'nl-NL' });
  return context.newPage();
}

/** An organiser API call from the signed-in page (same cookies); answers the JSON. */
async function api<T>(page: Page, method: string, path: string, data?: unknown): Promise<T> {
  const response = await page.request.fetch(path, {
    method,
    ...(data === undefined ? {} : { data }),
  });
  const text = await response.text();
  expect(response.ok(), `${method} ${path}: ${text}`).toBe(true);
  return (text ? JSON.parse(text) : {}) as T;
}

test('an application becomes an invitation a maker joins with; a revoked link is refused; a new edition is named and compared; withheld figures say so', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  // --- The organiser founds the organisation (laptop).
  const org = await newPage(browser, LAPTOP);
  await org.goto('/account');
  await org.getByRole('button', { name: 'Nog geen account? Maak er een' }).click();
  await org.getByLabel('Je naam').fill(ORGANISER.name);
  await org.getByLabel('E-mail').fill(ORGANISER.email);
  await org.getByLabel('Wachtwoord').fill(ORGANISER.password);
  await org.getByLabel('Naam van je organisatie').fill(ORGANISER.organisation);
  await org.getByRole('button', { name: 'Account maken', exact: true }).click();
  await expect(org.getByText(`Ingelogd als ${ORGANISER.name}`)).toBeVisible();

  // The December edition of a series, published with a stall (through the organiser API).
  const { series } = await api<{ series: { id: string } }>(org, 'POST', '/api/organiser/series', {
    name: SERIES,
  });
  const { event: december } = await api<{ event: { id: string } }>(
    org,
    'POST',
    '/api/organiser/events',
    {
      name: DECEMBER,
      date: daysAhead(7),
      opensAt: '11:00',
      closesAt: '17:00',
      place: 'Wijkcentrum Moerwijk',
      description: 'Makers uit de wijk.',
      seriesId: series.id,
    },
  );
  const { stall } = await api<{ stall: { id: string } }>(
    org,
    'POST',
    `/api/organiser/events/${december.id}/stalls`,
    { label: 'A1', x: 0, y: 0 },
  );
  await api(org, 'POST', `/api/organiser/events/${december.id}/status`, { to: 'published' });

  // --- A new maker with no account applies on the public page (tablet).
  const visitor = await newPage(browser, TABLET);
  await visitor.goto(`/e/${december.id}`);
  const form = visitor.getByRole('region', { name: 'Een kraam aanvragen' });
  await axeOnBoth(visitor, 'the public event page with its application form');
  await form.getByRole('button', { name: 'Aanvraag versturen' }).click();
  // The browser itself asks for the required fields first; nothing was sent.
  await expect(visitor).toHaveURL(new RegExp(`/e/${december.id}$`));
  await form.getByLabel('Je naam').fill('Amira Haddad');
  await form.getByLabel('Wat maak je?').fill('Honingkoekjes');
  await form.getByLabel('Telefoonnummer of e-mailadres').fill('06 1111 2222');
  await form.getByLabel('Taal van het antwoord').selectOption('ar');
  await form
    .getByLabel("Eén of twee foto's van je werk (niet verplicht)")
    .setInputFiles({ name: 'koekjes.png', mimeType: 'image/png', buffer: PNG });
  await form.getByLabel('De organisator mag contact met me opnemen over deze aanvraag.').check();
  await form.getByRole('button', { name: 'Aanvraag versturen' }).click();
  // The status page speaks the applicant's language (Arabic, right to left).
  await expect(visitor.getByRole('heading', { name: 'طلبك', level: 1 })).toBeVisible();
  await expect(visitor.getByText('وصل طلبك. لم يردّ المنظِّم بعد.')).toBeVisible();
  await expect(visitor.locator('main')).toHaveAttribute('dir', 'rtl');
  const statusPage = visitor.url();
  await axeOnBoth(visitor, 'the applicant’s status page');

  // --- The organiser accepts it: an invitation is made, its link shown to send (laptop).
  await org.setViewportSize(LAPTOP);
  await org.goto(`/organise/event?id=${december.id}`);
  const applications = org.getByRole('region', { name: 'Aanvragen' });
  const amira = applications.getByRole('listitem').filter({ hasText: 'Amira Haddad' });
  await expect(amira).toContainText('Honingkoekjes');
  await expect(amira).toContainText('Nieuw');
  await expect(amira.getByRole('img', { name: 'Foto 1 van Amira Haddad' })).toBeVisible();
  await axeOnBoth(org, 'the event page with an application');
  await org.setViewportSize(LAPTOP);
  await amira.getByRole('button', { name: 'Aannemen' }).click();
  await expect(
    org.getByRole('status').filter({ hasText: 'Amira Haddad is aangenomen' }),
  ).toBeVisible();
  const link = await amira.getByLabel('Uitnodigingslink voor Amira Haddad').inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await axeOnBoth(org, 'the event page after accepting');

  // The applicant's status page now carries the same link (Kraam sends no e-mail).
  await visitor.goto(statusPage);
  await expect(visitor.getByRole('link', { name: 'انضمّ عبر الدعوة' })).toHaveAttribute(
    'href',
    new URL(link).pathname,
  );

  // --- The maker joins with it (a phone).
  const maker = await newPage(browser, { width: 360, height: 740 });
  await maker.goto(new URL(link).pathname);
  await maker.getByLabel('Je naam').fill('Amira');
  await maker.getByLabel('E-mail').fill('amira@example.org');
  await maker.getByLabel('Wachtwoord').fill('honing-koekjes-2026');
  await maker.getByRole('button', { name: 'Account maken', exact: true }).click();
  await expect(
    maker.getByRole('status').filter({ hasText: `Je bent nu lid van ${ORGANISER.organisation}` }),
  ).toBeVisible();

  // --- The makers page: the used link names who joined; a new link with a note is revoked.
  await org.goto('/organise/makers');
  const used = org.getByRole('listitem').filter({ hasText: 'Amira Haddad · Honingkoekjes' });
  await expect(used).toContainText('Amira (amira@example.org) deed mee op');
  await org.getByLabel('Voor wie is deze link? (niet verplicht)').fill('voor Chen, keramiek');
  await org.getByRole('button', { name: 'Uitnodigingslink maken' }).click();
  await expect(org.getByLabel('Voor wie is deze link? (niet verplicht)')).toHaveValue('');
  await org.getByLabel('Voor wie is deze link? (niet verplicht)').fill('voor Dana, sieraden');
  await org.getByRole('button', { name: 'Uitnodigingslink maken' }).click();
  // Every open link can be seen and copied again, not only the newest.
  await org.reload();
  const chen = org.getByRole('listitem').filter({ hasText: 'voor Chen, keramiek' });
  const dana = org.getByRole('listitem').filter({ hasText: 'voor Dana, sieraden' });
  const chenLink = await chen.getByLabel('Uitnodigingslink: voor Chen, keramiek').inputValue();
  await expect(dana.getByLabel('Uitnodigingslink: voor Dana, sieraden')).toHaveValue(/\/invite\//);
  await expect(chen.getByRole('button', { name: 'Link kopiëren' })).toBeVisible();
  await axeOnBoth(org, 'the makers page with open and used links');
  await org.setViewportSize(TABLET);
  await chen.getByRole('button', { name: 'Link intrekken' }).click();
  await chen.getByRole('button', { name: 'Ja, intrekken' }).click();
  await expect(org.getByRole('status').filter({ hasText: 'De link is ingetrokken' })).toBeVisible();
  await expect(org.getByRole('listitem').filter({ hasText: 'voor Chen, keramiek' })).toContainText(
    'ingetrokken',
  );
  await axeOnBoth(org, 'the makers page after revoking');

  // The revoked link is refused on the invite page and at sign-up, in plain words.
  const chenPhone = await newPage(browser, { width: 360, height: 740 });
  await chenPhone.goto(new URL(chenLink).pathname);
  await expect(chenPhone.getByRole('alert')).toContainText('ingetrokken door de organisator');
  await expect(chenPhone.getByRole('button', { name: 'Account maken' })).toHaveCount(0);
  const signUp = await chenPhone.request.post('/api/auth/sign-up/email', {
    headers: { origin: new URL(chenLink).origin },
    data: {
      name: 'Chen',
      email: 'chen@example.org',
      password: 'keramiek-2026-chen',
      invitationToken: new URL(chenLink).pathname.split('/').at(-1),
    },
  });
  const refused = await signUp.text();
  expect(signUp.status(), refused).toBe(410);
  expect(refused).toContain('invitation_revoked');

  // --- December happens: Amira (sharing) sells EUR 55.50; fewer than 3 sharing makers.
  const { makers } = await api<{ makers: { makerId: string; name: string }[] }>(
    org,
    'GET',
    '/api/organiser/makers',
  );
  const amiraId = makers.find((mk) => mk.name === 'Amira')?.makerId ?? '';
  await api(org, 'POST', `/api/organiser/events/${december.id}/assignments`, {
    stallId: stall.id,
    makerId: amiraId,
  });
  await api(org, 'POST', `/api/organiser/events/${december.id}/status`, { to: 'open' });
  await api(maker, 'PUT', '/api/organiser/sharing', { sharesFigures: true });
  const phone = new RawDevice({ makerId: amiraId });
  const cakes = phone.product({ priceCents: 2000, name: 'Honingkoek' });
  const box = phone.product({ priceCents: 3550, name: 'Doos koekjes' });
  const pushed = await api<{ results: { status: string }[] }>(
    maker,
    'POST',
    '/api/sync/push',
    phone.request(
      phone.queue(
        phone.productUpsert(cakes),
        phone.productUpsert(box),
        phone.sale(december.id, [{ product: cakes }]),
        phone.sale(december.id, [{ product: box }]),
      ),
    ),
  );
  expect(pushed.results.every((r) => r.status !== 'rejected')).toBe(true);
  await api(org, 'POST', `/api/organiser/events/${december.id}/status`, { to: 'closed' });

  // --- The next edition is asked for its own name and date (tablet).
  await org.setViewportSize(TABLET);
  await org.goto('/organise');
  const card = org
    .getByRole('listitem')
    .filter({ has: org.getByRole('heading', { name: SERIES }) });
  await card.getByLabel('Naam van de nieuwe editie').fill(JANUARY);
  await card.getByLabel('Datum van de nieuwe editie').fill(daysAhead(40));
  await card.getByRole('button', { name: `Nieuwe editie van ${SERIES}` }).click();
  await expect(org.getByRole('heading', { name: JANUARY, level: 1 })).toBeVisible();
  const januaryId = new URL(org.url()).searchParams.get('id') ?? '';

  // The series lists two different titles side by side, each with its figures.
  await org.goto('/organise');
  const editions = card.getByRole('table', { name: 'Elke editie vergeleken met de vorige' });
  await expect(editions.getByRole('row', { name: new RegExp(`1\\. ${DECEMBER}`) })).toContainText(
    'niet getoond: minder dan 3 delende makers verkochten',
  );
  await expect(editions.getByRole('row', { name: new RegExp(`2\\. ${JANUARY}`) })).toContainText(
    'nog geen verkoop',
  );
  await axeOnBoth(org, 'the organiser home with the series’ editions');

  // The January dashboard: the maker copied from December counts (not "0 makers"), and the
  // edition stands against December.
  await org.goto(`/organise/dashboard?id=${januaryId}`);
  const compare = org.getByRole('region', { name: 'Vergeleken met de vorige editie' });
  await expect(
    compare.getByRole('columnheader', { name: new RegExp(`Vorige: ${DECEMBER}`) }),
  ).toBeVisible();
  await expect(compare.getByRole('row', { name: /^Makers/ })).toHaveText(/Makers\s*1\s*1/);
  await expect(compare.getByRole('row', { name: /^Terug/ })).toHaveText(/Terug\s*1\s*0/);
  await expect(compare.getByRole('row', { name: /^Omzet/ })).toContainText('niet getoond');
  await expect(org.getByRole('row', { name: /Amira/ })).toBeVisible();
  await axeOnBoth(org, 'the January dashboard');

  // December's dashboard: the totals are the sum of its table, and the rule is said.
  await org.goto(`/organise/dashboard?id=${december.id}`);
  const totals = org.getByRole('region', { name: 'Totalen (van makers die delen)' });
  await expect(totals).toContainText('€ 55,50');
  await expect(totals).toContainText('minstens 3 delende makers');
  await expect(org.getByRole('region', { name: 'Per maker' })).toContainText('€ 55,50');
  await axeOnBoth(org, 'the December dashboard');

  // --- The printable impact page: withheld, with the reason, never "€ 0,00".
  await org.goto('/print/impact');
  await expect(org.getByRole('heading', { name: 'Impactoverzicht', level: 1 })).toBeVisible();
  const main = org.getByRole('main');
  await expect(main).not.toContainText('€ 0,00');
  await expect(main.getByRole('row', { name: new RegExp(DECEMBER) })).toContainText('Niet getoond');
  await expect(main).toContainText('Niet getoond: op deze bazaars verkochten makers');
  await axeOnBoth(org, 'the printable impact page');
});
