/**
 * Following a report by e-mail from its page (issue 16; docs/FOLLOW.md), with the keyboard: a
 * wrong address is named, a right one gets "check your inbox"; the mail (from a real SMTP
 * server the test starts) links a confirmation page whose button confirms; a coordinator's
 * change sends an update whose unsubscribe link shows a page whose button stops it. Each page
 * is checked with axe, the block at 320 px. One server start. Push is covered by the API test
 * (tests/api/follow.test.ts): headless Chromium has no push service.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp';
import { axeViolations, launchBrowser, phoneContext } from './support/browser';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';

jest.setTimeout(240_000);

const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };
const PUBLIC_URL = 'https://wegfrei.example';
const ADDRESS = 'follower@example.org';
const SPOT = { lat: 52.5163, lon: 13.3777 };
/** Screenshots for people to look at, when asked for (WEGFREI_SHOTS=dir). */
const SHOTS = process.env.WEGFREI_SHOTS;

let server: RunningServer;
let smtp: TestSmtpServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  smtp = await startSmtpServer();
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    server = await startServer({ SMTP_URL: smtp.url, MAIL_FROM: 'Wegfrei <noreply@wegfrei.example>', PUBLIC_URL });
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();
  context = await phoneContext(browser, server.baseUrl, { latitude: SPOT.lat, longitude: SPOT.lon });
  page = await context.newPage();
});

afterAll(async () => {
  const errors = server?.errors() ?? [];
  if (errors.length) console.warn(`The server logged ${errors.length} error(s):\n${errors.join('\n')}`);
  await context?.close();
  await browser?.close();
  await server?.stop();
  await smtp?.close();
});

/** The app's own address for a link in a mail (PUBLIC_URL is not where this test's server listens). */
const here = (url: string) => `${server.baseUrl}${url.slice(PUBLIC_URL.length)}`;

async function expectAccessible(what: string): Promise<void> {
  expect([what, await axeViolations(page)]).toEqual([what, []]);
}

async function shoot(name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const [label, size] of [
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1440, height: 900 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 390, height: 844 });
}

it('offers to follow a report right after it was sent', async () => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Locate me' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('.place-status--set').waitFor();
  for (const choice of ['#category-kerb_missing', '#severity-2', '#passability-no']) {
    await page.locator(choice).focus();
    await page.keyboard.press('Space');
  }
  await page.locator('#send').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Thank you — your report was sent' }).waitFor();
  const block = page.getByRole('region', { name: 'Follow this report' });
  await block.getByLabel('Your e-mail address').waitFor();
  expect(await block.locator('h3').textContent()).toBe('Follow this report');
  await expectAccessible('the success view with the follow block');
  await shoot('follow-success');
});

it('follows a report by e-mail from its page, confirms, hears of a change, and stops with one click', async () => {
  const { id } = await createReport(server.baseUrl, { category: 'steps', lat: SPOT.lat, lon: SPOT.lon, severity: 2 });
  await page.goto(`/reports/${id}`);
  const block = page.getByRole('region', { name: 'Follow this report' });
  await block.waitFor();
  const field = block.getByLabel('Your e-mail address');
  await field.waitFor();
  await expectAccessible('report page with the follow block');

  // Keyboard only: a wrong address is named and kept in view.
  await field.focus();
  await page.keyboard.type('not an address');
  await page.keyboard.press('Enter');
  await block.getByText('Enter an e-mail address like name@example.org.').waitFor();
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe(await field.getAttribute('id'));
  await expectAccessible('the follow block with an error');

  await field.fill('');
  await page.keyboard.type(ADDRESS);
  await page.keyboard.press('Enter');
  await block.getByRole('status').filter({ hasText: 'Check your inbox' }).waitFor();
  expect(await field.getAttribute('aria-invalid')).toBeNull();
  await shoot('follow-block');

  // 320 px: the block reflows without sideways scrolling.
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 390, height: 844 });

  const confirmation = await smtp.next((m) => m.subject?.includes('Confirm') ?? false, 20_000);
  const confirmUrl = /https:\/\/wegfrei\.example\/api\/v1\/subscriptions\/confirm\?token=[\w-]+/.exec(
    confirmation.text!,
  )![0];
  await page.goto(here(confirmUrl));
  await page.getByRole('heading', { name: `Follow report ${id} by e-mail?` }).waitFor();
  await expectAccessible('the confirmation page');
  await shoot('follow-confirm');
  // By keyboard: past the links (home, the report) to the page's one button.
  for (let i = 0; i < 5 && !(await page.evaluate(() => document.activeElement?.tagName === 'BUTTON')); i++) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: new RegExp(`you will get an e-mail when report ${id} changes`) }).waitFor();
  await expectAccessible('confirmed');

  const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = ((await login.json()) as { csrf_token: string }).csrf_token;
  const patched = await fetch(`${server.baseUrl}/api/v1/reports/${id}`, {
    method: 'PATCH',
    headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
    body: JSON.stringify({ status: 'verified' }),
  });
  expect(patched.status).toBe(200);

  const update = await smtp.next((m) => m.subject === `Wegfrei: Report ${id}: verified`, 20_000);
  const stop = update.headerLines.find((h) => h.key === 'list-unsubscribe')!.line.replace(/^[^<]*<([^>]+)>.*$/, '$1');
  await page.goto(here(stop));
  await page.getByRole('heading', { name: `Stop following report ${id}?` }).waitFor();
  await expectAccessible('the unsubscribe page');
  await page.getByRole('button', { name: 'Stop following' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Done: you will get no more messages about this report.' }).waitFor();
  await shoot('follow-stopped');
});
