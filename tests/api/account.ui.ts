// The account screens in Chromium: an organiser makes an invitation link on /account, a
// maker opens it in another browser, creates their account with it, and lands in the
// organisation. Found by role and name, as a person would.
import { expect, test } from '@playwright/test';
import { contextFor, loadWorld, PASSWORD, type World } from './world';

let world: World;

test.beforeAll(({ baseURL }) => {
  if (!baseURL) throw new Error('no baseURL');
  world = loadWorld(baseURL);
});

test('an organiser invites a maker by link; the maker signs up with it and joins', async ({
  browser,
}) => {
  const organiser = await browser.newContext({
    storageState: world.actors.organiser.storageState,
    extraHTTPHeaders: { 'x-forwarded-for': '10.50.0.1' },
  });
  const page = await organiser.newPage();
  await page.goto('/account');
  await expect(page.getByText(`Signed in as`)).toBeVisible();
  await expect(page.getByText(`Organiser at ${world.orgA.name}`)).toBeVisible();
  await page.getByLabel('Role').selectOption('maker');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await page.getByLabel('Invitation link').inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const qr = page.getByRole('img', { name: 'QR code of the invitation link' });
  await expect(qr).toBeVisible();
  // Visible comes before decoded: wait for the picture itself.
  await expect
    .poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);
  await organiser.close();

  const maker = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '10.50.0.2' } });
  const makerPage = await maker.newPage();
  await makerPage.goto(new URL(link).pathname);
  await expect(
    makerPage.getByText(`You are invited to join ${world.orgA.name} as Maker.`),
  ).toBeVisible();
  await makerPage.getByLabel('Your name').fill('Fatima');
  await makerPage.getByLabel('Email').fill(`fatima-${world.runId}@example.org`);
  await makerPage.getByLabel('Password').fill(PASSWORD);
  await makerPage.getByRole('button', { name: 'Create account' }).click();
  await expect(
    makerPage.getByText(`Welcome! You are now a member of ${world.orgA.name}.`),
  ).toBeVisible();

  // The link is used up: opening it again says so.
  const again = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '10.50.0.3' } });
  const againPage = await again.newPage();
  await againPage.goto(new URL(link).pathname);
  await expect(againPage.getByRole('alert')).toHaveText(
    'This invitation has already been used. Ask your organiser for a new link.',
  );
  await maker.close();
  await again.close();
});

test('signing in on /account with a wrong password says so; the right one shows the account', async ({
  page,
}) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '10.50.0.4' });
  await page.goto('/account');
  const email = world.actors.makerB.email ?? '';
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not my password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The email or password is not right.');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Maker at ${world.orgA.name}`)).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('a link locked for sign-up says why on the invite page; signing in there still joins', async ({
  browser,
  baseURL,
}) => {
  const organiser = await contextFor(baseURL!, '10.50.0.5', world.actors.organiser.storageState);
  const invite = async (data: Record<string, unknown>) => {
    const response = await organiser.post('/api/invitations', { data });
    expect(response.status()).toBe(201);
    return ((await response.json()) as { token: string }).token;
  };
  // Someone with an account of their own elsewhere on this server.
  const email = `has-account-${world.runId}@example.org`;
  const own = await contextFor(baseURL!, '10.50.0.6');
  const founded = await own.post('/api/auth/sign-up/email', {
    data: {
      email,
      password: PASSWORD,
      name: 'Noor',
      organisationName: 'Noor bazaar',
      invitationToken: await invite({ role: 'organiser', newOrganisation: true }),
    },
  });
  expect(founded.status()).toBe(200);
  // The link has answered "taken" three times: it now takes no sign-ups.
  const token = await invite({ role: 'maker' });
  for (let i = 0; i < 3; i += 1) {
    const probe = await contextFor(baseURL!, `10.50.1.${i}`);
    const answer = await probe.post('/api/auth/sign-up/email', {
      data: { email, password: PASSWORD, name: 'Probe', invitationToken: token },
    });
    expect(answer.status()).toBe(422);
    await probe.dispose();
  }

  const context = await browser.newContext({
    extraHTTPHeaders: { 'x-forwarded-for': '10.50.0.7' },
  });
  const page = await context.newPage();
  await page.goto(`/invite/${token}`);
  await page.getByLabel('Your name').fill('Someone new');
  await page.getByLabel('Email').fill(`someone-new-${world.runId}@example.org`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'This invitation link can no longer be used to sign up. Ask your organiser for a new link. ' +
      'If you already have an account, sign in instead: the link still works for that.',
  );
  await page.getByRole('button', { name: 'Already have an account? Sign in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(
    page.getByText(`Welcome! You are now a member of ${world.orgA.name}.`),
  ).toBeVisible();
  await context.close();
  await own.dispose();
  await organiser.dispose();
});
