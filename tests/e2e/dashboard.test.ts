/**
 * The staff apps end to end: real server and database, Chromium at laptop size for the
 * dashboard and at phone size for the responder. The first admin comes from
 * WEGFREI_BOOTSTRAP_ADMIN; the team and the other accounts are made through the admin API.
 * Each test makes its own reports at its own spot.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, phoneContext } from './support/browser';
import { categoryLabel, createReport, getReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';
import { StaffClient } from './support/staff';

jest.setTimeout(240_000);

const LAPTOP = { width: 1366, height: 768 };
const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };
// Names of their own per run, so a rerun against the same real database does not collide.
const RUN = Date.now().toString(36);
const COORDINATOR = {
  email: `coordinator-${RUN}@wegfrei.test`,
  password: 'coordinator-pass-1234',
  name: 'Cora Coordinator',
};
const RESPONDER = { email: `responder-${RUN}@wegfrei.test`, password: 'responder-pass-1234', name: 'Remi Responder' };
const TEAM = `Team North ${RUN}`;

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function setUpAccounts(baseUrl: string): Promise<void> {
  const admin = new StaffClient(baseUrl);
  await admin.login(ADMIN.email, ADMIN.password);
  const team = await admin.post<{ id: number }>('/api/v1/teams', { name: TEAM });
  await admin.post('/api/v1/users', { ...COORDINATOR, role: 'coordinator' });
  await admin.post('/api/v1/users', { ...RESPONDER, role: 'responder', team_id: team.id });
}

beforeAll(async () => {
  // The harness passes its environment on to the server, which creates this admin at start-up.
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    server = await startServer();
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();
  await setUpAccounts(server.baseUrl);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  const errors = server.errors();
  if (errors.length) throw new Error(`The server logged errors:\n${errors.join('\n')}`);
});

async function laptopPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport: LAPTOP, locale: 'en-GB' });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return context.newPage();
}

async function phonePage(): Promise<Page> {
  const context = await phoneContext(browser, server.baseUrl, { latitude: 52.52, longitude: 13.405 });
  contexts.push(context);
  return context.newPage();
}

async function signIn(page: Page, path: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function openDashboard(page: Page, hash = '', user = COORDINATOR): Promise<void> {
  await signIn(page, `/dashboard${hash}`, user);
  await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
  await page.locator('.live--on').waitFor();
}

function expectNoViolations(violations: Awaited<ReturnType<typeof axeViolations>>): void {
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`)).toEqual([]);
}

test('a citizen’s report appears live, is verified, deployed, resolved by a responder, and shows as resolved', async () => {
  // Away from every other browser test's reports: on PostgreSQL the files share one database,
  // and this view must start empty whichever file ran before (citizen.test.ts reports at 52.52).
  const spot = { lat: 52.4305, lon: 13.5205 };
  const label = await categoryLabel(server.baseUrl, 'steps');
  const page = await laptopPage();
  await openDashboard(page, `#map=16/${spot.lat}/${spot.lon}`);
  await page.getByText('No reports in this map view.').waitFor();

  // A citizen reports a barrier; the open dashboard shows it without a reload.
  const report = await createReport(server.baseUrl, {
    kind: 'barrier',
    category: 'steps',
    lat: spot.lat,
    lon: spot.lon,
    severity: 3,
    description: 'Four steps at the library entrance, no ramp.',
  });
  const row = page.locator(`#queue-table tr[data-id="${report.id}"]`);
  await row.waitFor({ timeout: 5_000 });
  expect(await row.locator('.badge').textContent()).toBe('New');
  await page.getByText('1 report in this map view.').waitFor({ timeout: 5_000 });

  // Verify it from its detail panel.
  await row.getByRole('link', { name: label }).click();
  const detail = page.getByRole('complementary', { name: `${label} #${report.id}` });
  await detail.waitFor();
  expect(await detail.getByText('Four steps at the library entrance, no ramp.').count()).toBe(1);
  await detail.getByRole('button', { name: 'Verify', exact: true }).click();
  await detail.locator('.facts .badge', { hasText: 'Verified' }).waitFor();
  await row.locator('.badge', { hasText: 'Verified' }).waitFor();
  await detail
    .locator('.history', { hasText: `${COORDINATOR.name} changed the status from New to Verified` })
    .waitFor();

  // Send team North there: the deployment's area is the current map view.
  await page.getByRole('link', { name: 'Deployments' }).click();
  await page.locator('#deployment-name').fill('Library entrance');
  await page.locator('#deployment-team').selectOption({ label: TEAM });
  await page.getByRole('button', { name: 'Use current map view as area' }).click();
  await page.getByRole('button', { name: 'Create deployment' }).click();
  const deployment = page.locator('.deployments tbody tr', { hasText: 'Library entrance' });
  await deployment.waitFor();
  expect(await deployment.locator('td').nth(0).textContent()).toBe(TEAM);
  expect((await getReport(server.baseUrl, report.id)).properties.status).toBe('assigned');

  // The responder, on a phone, finds it among their assignments and resolves it.
  const phone = await phonePage();
  await signIn(phone, '/responder', RESPONDER);
  const card = phone.getByRole('article', { name: `${label} #${report.id}` });
  await card.waitFor();
  const directions = card.getByRole('link', { name: /Directions/ });
  expect(await directions.getAttribute('href')).toBe(
    `https://www.openstreetmap.org/directions?to=${spot.lat.toFixed(6)},${spot.lon.toFixed(6)}`,
  );
  await card.getByRole('button', { name: 'Start' }).click();
  await card.locator('.badge', { hasText: 'In progress' }).waitFor();
  await card.getByRole('button', { name: 'Resolve' }).click();
  await card.getByLabel('What was done?').fill('Portable ramp installed; the city was notified.');
  await card.getByRole('button', { name: 'Mark resolved' }).click();
  await card.locator('.badge', { hasText: 'Resolved' }).waitFor();

  // The coordinator's queue follows live; the citizen's page says resolved.
  await page.getByRole('link', { name: 'Triage' }).click();
  await row.locator('.badge', { hasText: 'Resolved' }).waitFor({ timeout: 5_000 });
  const citizen = await phonePage();
  await citizen.goto(`/reports/${report.id}`);
  await citizen.getByRole('heading', { level: 1, name: label }).waitFor();
  // The status among the facts, and the step in the story of what happened.
  await citizen.locator('dl').getByText('Resolved', { exact: true }).waitFor();
  await citizen.locator('ol').getByText('Resolved', { exact: true }).waitFor();
});

test('the queue can be worked with the keyboard alone', async () => {
  const report = await createReport(server.baseUrl, {
    kind: 'barrier',
    category: 'kerb_missing',
    lat: 48.1372,
    lon: 11.5755,
    severity: 2,
    description: 'No lowered kerb at the tram stop.',
  });
  const page = await laptopPage();
  // Found by its number: on PostgreSQL the e2e files share a database, and the queue's first
  // page may be other files' reports.
  await openDashboard(page, `#q=%23${report.id}`);
  const row = page.locator(`#queue-table tr[data-id="${report.id}"]`);
  await row.waitFor();

  // Tab reaches the queue's one focusable row; shortcuts act on it.
  await row.focus();
  await page.keyboard.press('x');
  expect(await row.getByRole('checkbox').isChecked()).toBe(true);
  await page.keyboard.press('x');
  expect(await row.getByRole('checkbox').isChecked()).toBe(false);
  await page.keyboard.press('v');
  await row.locator('.badge', { hasText: 'Verified' }).waitFor();
  expect((await getReport(server.baseUrl, report.id)).properties.status).toBe('verified');
  expect(await row.evaluate((el) => el === document.activeElement)).toBe(true);

  // "?" shows the shortcuts; Escape closes them.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });

  // Enter opens the details; typing there never triggers shortcuts; Escape goes back to the row.
  await row.focus();
  await page.keyboard.press('Enter');
  const detail = page.locator('#detail');
  await detail.getByRole('heading', { level: 2, name: /#\d+$/ }).waitFor();
  await page.locator('#note-body').focus();
  await page.keyboard.type('r d v a — all typed, none acted on');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await detail.locator('.notes').getByText('r d v a — all typed, none acted on').waitFor();
  expect((await getReport(server.baseUrl, report.id)).properties.status).toBe('verified');
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'hidden' });
  expect(await row.evaluate((el) => el === document.activeElement)).toBe(true);
});

test('the dashboard, its admin page and the responder view have no WCAG 2.2 AA violations', async () => {
  const report = await createReport(server.baseUrl, {
    kind: 'help',
    category: 'help_medical',
    lat: 50.9375,
    lon: 6.9603,
    severity: 3,
    people_count: 2,
    description: 'Needs insulin, cannot leave the flat.',
    contact: '+49 170 0000000',
  });
  const page = await laptopPage();
  await openDashboard(page, '', { ...ADMIN, name: 'Admin' });
  const row = page.locator(`#queue-table tr[data-id="${report.id}"]`);
  await row.waitFor();
  await row.getByRole('link').click();
  await page.locator('#detail .facts').waitFor();
  expect(await page.locator('#detail').getByText('+49 170 0000000').count()).toBe(1);
  expectNoViolations(await axeViolations(page));

  await page.getByRole('link', { name: 'Deployments' }).click();
  await page.getByRole('heading', { name: 'Create a deployment' }).waitFor();
  expectNoViolations(await axeViolations(page));

  await page.getByRole('link', { name: 'Overview' }).click();
  await page.getByRole('heading', { name: 'Median time to resolve' }).waitFor();
  expectNoViolations(await axeViolations(page));

  await page.getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('cell', { name: RESPONDER.email }).waitFor();
  expectNoViolations(await axeViolations(page));

  const phone = await phonePage();
  await signIn(phone, '/responder', RESPONDER);
  await phone.getByRole('heading', { level: 1, name: 'My assignments' }).waitFor();
  await phone.locator('.assignments, .hint').first().waitFor();
  expectNoViolations(await axeViolations(phone));
});
