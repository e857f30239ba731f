// A new phone for a maker with thousands of sales (issue 11, "Progress on long work"): while
// the first sync pulls, the header says "received X of about Y changes" with a progress bar,
// and the till sells meanwhile. On a server of its own (playwright.config.ts, 'first-sync'):
// the first sign-up founds the organisation. Each pull answer is held back 1.5 s, as on a
// slow market-hall connection, so the pull lasts long enough to watch on any machine.
import { expect, request as playwrightRequest, test, type APIResponse } from '@playwright/test';
import { RawDevice } from '../../src/lib/sync/testing/factories';
import {
  AccountForms,
  AppFrame,
  DUTCH,
  FirstScreen,
  person,
  seriousViolations,
} from './pages/first-minutes';
import { TillPage } from './pages/till-page';

test.describe.configure({ timeout: 240_000 });

const SALES = 3000;
const PUSH_BATCH = 200;

test('[progress] a new phone for a maker with thousands of sales shows "received X of about Y" while it pulls, and sells meanwhile', async ({
  browser,
  baseURL,
}) => {
  // --- The world, through the API: an organiser, a maker, and the maker's year of sales.
  const founder = person('Noor', 'founder');
  const organiser = await playwrightRequest.newContext({ baseURL });
  const founded = await organiser.post('/api/auth/sign-up/email', {
    data: { ...founder, organisationName: 'Stichting Jaarmarkt' },
  });
  expect(founded.status(), await founded.text()).toBe(200);
  const invited = await organiser.post('/api/invitations', { data: { role: 'maker' } });
  expect(invited.status(), await invited.text()).toBe(201);
  const { token } = (await invited.json()) as { token: string };
  const maker = person('Ilse', 'maker');
  const makerApi = await playwrightRequest.newContext({ baseURL });
  const joined = await makerApi.post('/api/auth/sign-up/email', {
    data: { ...maker, invitationToken: token },
  });
  expect(joined.status(), await joined.text()).toBe(200);

  const oldPhone = new RawDevice();
  const bread = oldPhone.product({ name: 'Roggebrood', priceCents: 450 });
  const event = oldPhone.event();
  const mutations = [
    oldPhone.eventUpsert(event),
    oldPhone.productUpsert(bread),
    ...Array.from({ length: SALES }, () => oldPhone.sale(event.id, [{ product: bread }])),
  ];
  let epoch: string | null = null;
  for (let from = 0; from < mutations.length; from += PUSH_BATCH) {
    const pushed: APIResponse = await makerApi.post('/api/sync/push', {
      data: oldPhone.request(oldPhone.queue(...mutations.slice(from, from + PUSH_BATCH)), epoch),
    });
    expect(pushed.status(), await pushed.text()).toBe(200);
    epoch = ((await pushed.json()) as { epoch: string }).epoch;
  }

  // --- The new phone: a slow connection for the pull only.
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.route('**/api/sync/pull', async (route) => {
    const answer = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.fulfill({ response: answer });
  });
  const first = new FirstScreen(page, DUTCH);
  await first.open();
  await first.choice('account').click();
  await new AccountForms(page, DUTCH).signIn(maker);

  const progress = page.getByRole('progressbar', { name: 'Gegevens van de server ontvangen' });
  const received = page
    .getByRole('status')
    .filter({ hasText: /\d+ van ongeveer \d+ wijzigingen ontvangen/ });
  await expect(progress).toBeVisible({ timeout: 60_000 });
  await expect(received).toBeVisible();
  const text = (await received.textContent()) ?? '';
  const [, got, about] = /(\d+) van ongeveer (\d+)/.exec(text) ?? [];
  expect(Number(about)).toBeGreaterThanOrEqual(SALES);
  expect(Number(got)).toBeLessThan(Number(about));
  await expect(received).toContainText('Je kunt intussen gewoon verkopen.');
  expect(await seriousViolations(page)).toEqual([]);

  // --- Selling meanwhile: the till is usable while the pull goes on.
  const frame = new AppFrame(page, DUTCH);
  await frame.expectReadyTill(maker.name);
  const till = new TillPage(page);
  await till.expectReady();
  await till.add('Roggebrood');
  await till.payCash.click();
  await till.payment.getByRole('button', { name: /Gepast/ }).click();
  await till.complete();
  await expect(till.completedStatus).toBeVisible();
  await expect(progress).toBeVisible();

  // --- The pull ends: the bar goes away.
  await expect(progress).toHaveCount(0, { timeout: 120_000 });
  await context.close();
  await organiser.dispose();
  await makerApi.dispose();
});
