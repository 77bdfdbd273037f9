/**
 * Issue 16 (6): a volunteer's whole way at phone size, in one server start. An admin invites
 * through the API; the mail arrives at a real SMTP server; the volunteer follows its link,
 * chooses a name and password, shares their location and checks three barriers: confirms one
 * (VOLUNTEER_AGREEMENT=1 here: it is verified), corrects the category of one, flags one.
 * axe at every step, keyboard use, 320 px without sideways scrolling.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp';
import { axeViolations, launchBrowser, phoneContext } from './support/browser';
import { createReport, jpegBuffer } from './support/reports';
import { startServer, type RunningServer } from './support/server';
import { StaffClient } from './support/staff';

jest.setTimeout(120_000);

const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };
const RUN = Date.now().toString(36);
const HERE = { latitude: 51.3397, longitude: 12.3731 };
/** WEGFREI_SHOTS=dir saves what the volunteer saw (docs and review). */
const SHOTS = process.env.WEGFREI_SHOTS;

let smtp: TestSmtpServer;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let staff: StaffClient;
const ids: number[] = [];

async function shot(name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function expectAxeClean(): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    server = await startServer({ SMTP_URL: smtp.url, VOLUNTEER_AGREEMENT: '1', REQUEST_RATE_LIMIT: '0' });
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();
  staff = new StaffClient(server.baseUrl);
  await staff.login(ADMIN.email, ADMIN.password);
  const photo = await jpegBuffer();
  for (const [i, offset] of [0.0004, 0.0008, 0.0012].entries()) {
    const report = await createReport(
      server.baseUrl,
      {
        kind: 'barrier',
        category: 'steps',
        lat: HERE.latitude + offset,
        lon: HERE.longitude,
        severity: 2,
        description: `Steps ${RUN} number ${i + 1} at the entrance, no ramp.`,
        contact: 'private@example.org',
      },
      i === 0 ? photo : undefined,
    );
    ids.push(report.id);
  }
  context = await phoneContext(browser, server.baseUrl, HERE, { serviceWorkers: 'block' });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
  await smtp?.close();
});

it('a volunteer is invited, joins from the mail, and checks barriers near them', async () => {
  const email = `vol-${RUN}@wegfrei.test`;
  await staff.post('/api/v1/volunteers/invitations', { emails: [email], language: 'en' });
  const mail = await smtp.next((m) => JSON.stringify(m.to).includes(email));
  const link = /(https?:\/\/\S+\/volunteer\/join#[\w-]{43})/.exec(mail.text ?? '')![1]!;

  await page.goto(link);
  await page.getByRole('heading', { name: 'Join as a volunteer' }).waitFor();
  await expectAxeClean();
  await shot('join-390');
  await page.getByLabel('Your name').fill('Vera Volunteer');
  await page.getByLabel(/^Password/).fill('purple ladder rides quietly home');
  await page.getByRole('button', { name: 'Create my account' }).click();

  await page.getByRole('heading', { name: 'Where are you?' }).waitFor();
  expect(new URL(page.url()).hash).toBe('');
  await expectAxeClean();
  // No geocoder on this server: the hint and the answer say coordinates, not a place's name.
  await page.getByText('Coordinates, for example 52.52, 13.40').waitFor();
  await page.getByLabel('Or type a place or coordinates').fill('Alexanderplatz');
  await page.getByRole('button', { name: 'Show reports here' }).click();
  await page.getByText('This server does not search addresses: type coordinates, for example 52.52, 13.40.').waitFor();
  await page.getByRole('button', { name: 'Use my location' }).click();

  // Nearest first; nothing private on the page.
  const first = page.getByRole('heading', { level: 2 });
  await first.waitFor();
  await page.getByText('1 of 3 near you').waitFor();
  // The report's number, linked to its public page (the counter above is not a number).
  await page.getByRole('link', { name: /^Report #\d+$/ }).waitFor();
  expect(await page.content()).not.toContain('private@example.org');
  await expectAxeClean();
  await shot('card-390');
  await page.setViewportSize({ width: 1440, height: 900 });
  await shot('card-1440');
  await page.setViewportSize({ width: 390, height: 844 });
  // 44 px targets.
  for (const name of ['Yes, this is right', 'Wrong category', 'Flag', 'Skip']) {
    const box = await page.getByRole('button', { name, exact: true }).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
  }
  // Keyboard: Tab to the answer, Enter.
  await page.getByRole('button', { name: 'Yes, this is right' }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('2 of 3 near you').waitFor();

  await page.getByRole('button', { name: 'Wrong category' }).click();
  await page.getByRole('group', { name: 'What is it really?' }).waitFor();
  await expectAxeClean();
  await page.getByRole('radio', { name: /kerb/i }).first().check();
  await page.getByRole('button', { name: 'Save the category' }).click();
  await page.getByText('3 of 3 near you').waitFor();

  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.getByRole('button', { name: 'Flag' }).click();
  await page.getByRole('radio', { name: 'Gone, already fixed' }).check();
  await page.getByLabel('Note (optional)').fill('The steps have a ramp now.');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await expectAxeClean();
  await shot('flag-320');
  await page.getByRole('button', { name: 'Send the flag' }).click();
  await page.getByText(/No reports near here are waiting/).waitFor();
  await page.setViewportSize({ width: 390, height: 844 });

  // What the checks did, as staff see it.
  const checks = await Promise.all(
    ids.map((id) =>
      staff.send<{ confirm: number; flag: number; recategorize: Record<string, number> }>(
        'GET',
        `/api/v1/staff/reports/${id}/volunteer-checks`,
      ),
    ),
  );
  expect(checks[0]).toMatchObject({ confirm: 1, flag: 0 });
  expect(Object.values(checks[1]!.recategorize)).toEqual([1]);
  expect(checks[2]).toMatchObject({ flag: 1 });
  const verified = await fetch(`${server.baseUrl}/api/v1/reports/${ids[0]}`);
  expect(((await verified.json()) as { properties: { status: string } }).properties.status).toBe('verified');

  // A second visit of the link: used.
  await page.goto(link);
  await page.getByRole('button', { name: 'Create my account' }).waitFor();
  await page.getByLabel('Your name').fill('Someone else');
  await page.getByLabel(/^Password/).fill('another long passphrase here');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.getByText(/used already or has expired/).waitFor();
});

it("the coordinator's dashboard: the Volunteers section and a report's volunteer checks", async () => {
  const desk = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1440, height: 900 } });
  try {
    page = await desk.newPage();
    // A volunteer who signs in on the dashboard is sent to their own view.
    await page.goto('/dashboard');
    await page.getByLabel('Email').fill(`vol-${RUN}@wegfrei.test`);
    await page.getByLabel('Password').fill('purple ladder rides quietly home');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/volunteer');
    await page.getByRole('heading', { name: 'Where are you?' }).waitFor();
    await shot('where-1440');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.goto('/dashboard/volunteers');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Volunteers', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'Vera Volunteer', exact: true }).waitFor();
    // The flagged report is listed for the coordinator to open.
    await page.getByRole('link', { name: new RegExp(`Report ${ids[2]} .*1 flag`) }).waitFor();
    // Mail is set up here: invitations go out, no link is shown.
    await page.getByLabel(/Email addresses/).fill(`second-${RUN}@wegfrei.test`);
    await page.getByRole('button', { name: 'Send invitations' }).click();
    await page.getByRole('cell', { name: `second-${RUN}@wegfrei.test`, exact: true }).waitFor();
    await smtp.next((m) => JSON.stringify(m.to).includes(`second-${RUN}`));
    await expectAxeClean();
    await shot('dashboard-volunteers-1440');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('dashboard-volunteers-390');
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.goto(`/dashboard/reports/${ids[0]}`);
    await page.getByRole('heading', { name: 'Volunteer checks' }).waitFor();
    await page.getByText(/1 confirmed, 0 flagged/).waitFor();
    // The history names the volunteers as a group for the verification.
    await page.locator('.history strong', { hasText: 'Volunteers' }).first().waitFor();
    await expectAxeClean();
    await shot('dashboard-checks-1440');
  } finally {
    await desk.close();
  }
});
