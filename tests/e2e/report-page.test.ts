/**
 * The report page tells the story and asks the question that fits (issue 16): an open barrier
 * asks "Is it still there?" and offers "Affects me too"; a help request asks passers-by nothing;
 * a resolved barrier shows its "Before" and "After the fix" photos, the team's note for the
 * public and "Is it really fixed?", answered "No" here with the keyboard alone, which opens it
 * again; a duplicate links its original. Each state is checked with axe. One server start.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, phoneContext } from './support/browser';
import { twoColourJpeg } from '../fixtures/images';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';

jest.setTimeout(240_000);

const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };
// A shared PostgreSQL keeps earlier runs' teams: the name is this run's.
const TEAM = `Bauhof Mitte ${Math.random().toString(36).slice(2, 8)}`;
const NOTE = 'The kerb was lowered and the ramp repainted.';
const SPOT = { lat: 52.5163, lon: 13.3777 };
/** Screenshots for people to look at, when asked for (WEGFREI_SHOTS=dir). */
const SHOTS = process.env.WEGFREI_SHOTS;

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cookie = '';
let csrf = '';
const ids = { open: 0, help: 0, resolved: 0, duplicate: 0 };

async function staff(method: string, url: string, body?: unknown): Promise<unknown> {
  const form = body instanceof FormData;
  const res = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(form ? {} : { 'Content-Type': 'application/json' }) },
    body: form ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

beforeAll(async () => {
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    // Behind a "proxy": the page's answers come from this run's own address, so that runs on a
    // shared PostgreSQL do not share one address's bound on reopening (feedback.service.ts).
    server = await startServer({ TRUST_PROXY: 'true' });
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();
  const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  csrf = ((await login.json()) as { csrf_token: string }).csrf_token;
  const team = (await staff('POST', '/api/v1/teams', { name: TEAM })) as { id: number };

  // Bytes of this run alone: a photo is public only while every report carrying the same bytes
  // publishes it, and a shared PostgreSQL holds other runs' pending copies of a fixed image.
  const unique = () => twoColourJpeg(600 + Math.floor(Math.random() * 200), 401 + Math.floor(Math.random() * 99));
  const photo = await unique();
  const barrier = { category: 'steps', lat: SPOT.lat, lon: SPOT.lon, severity: 2, description: 'Three steps, no ramp' };
  ids.open = (await createReport(server.baseUrl, barrier, photo)).id;
  ids.help = (
    await createReport(server.baseUrl, {
      category: 'help_medical',
      lat: SPOT.lat,
      lon: SPOT.lon,
      severity: 3,
      people_count: 1,
      description: 'Flat 3B, door code 4711',
    })
  ).id;
  ids.resolved = (await createReport(server.baseUrl, { ...barrier, lon: SPOT.lon + 0.001 }, photo)).id;
  await staff('PATCH', `/api/v1/reports/${ids.resolved}`, { assigned_team_id: team.id });
  const after = new FormData();
  after.append('photos', new Blob([new Uint8Array(await unique())], { type: 'image/jpeg' }), 'after.jpg');
  await staff('POST', `/api/v1/reports/${ids.resolved}/photos`, after);
  await staff('PATCH', `/api/v1/staff/reports/${ids.resolved}/photos/1`, { state: 'published' });
  // Two people said it affected them while it was open: the count stays on the resolved page.
  for (let i = 0; i < 2; i += 1) {
    const res = await fetch(`${server.baseUrl}/api/v1/reports/${ids.resolved}/endorsements`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ device: crypto.randomUUID() }),
    });
    if (res.status !== 201) throw new Error(`endorsement: ${res.status}`);
  }
  await staff('PATCH', `/api/v1/reports/${ids.resolved}`, { status: 'resolved', resolution_note: NOTE });
  ids.duplicate = (await createReport(server.baseUrl, { ...barrier, lat: SPOT.lat + 0.0001 })).id;
  await staff('PATCH', `/api/v1/reports/${ids.duplicate}`, { duplicate_of: ids.open });

  context = await phoneContext(browser, server.baseUrl, { latitude: SPOT.lat, longitude: SPOT.lon });
  const octet = () => Math.floor(Math.random() * 254) + 1;
  await context.setExtraHTTPHeaders({ 'X-Forwarded-For': `198.18.${octet()}.${octet()}` });
  page = await context.newPage();
});

afterAll(async () => {
  const errors = server?.errors() ?? [];
  if (errors.length) console.warn(`The server logged ${errors.length} error(s):\n${errors.join('\n')}`);
  await context?.close();
  await browser?.close();
  await server?.stop();
});

async function open(id: number, hash = ''): Promise<void> {
  await page.goto(`/reports/${id}${hash}`);
  await page.locator('#report-heading').waitFor();
  await page.locator('#story-heading').waitFor();
}

async function checkState(name: string): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
  // 320 px: nothing wider than the screen.
  await page.setViewportSize({ width: 320, height: 700 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const [label, size] of [
      ['390', { width: 390, height: 844 }],
      ['1440', { width: 1440, height: 900 }],
    ] as const) {
      await page.setViewportSize(size);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${label}.png`), fullPage: true });
    }
  }
  await page.setViewportSize({ width: 390, height: 844 });
}

const headings = () => page.locator('h2, h3').allTextContents();

it('shows the right question for each state, the story, and before/after photos; "No" by keyboard reopens', async () => {
  // An open barrier: still there? and affects me too.
  await open(ids.open);
  expect(await headings()).toEqual(
    expect.arrayContaining(['What happens next', 'What happened', 'Is it still there?', 'Does it affect you too?']),
  );
  expect(await headings()).not.toContain('Is it really fixed?');
  await page.getByRole('button', { name: 'Affects me too' }).click();
  await page.getByText('1 person is affected').waitFor();
  await page.getByText('Thank you. You were counted.').waitFor();
  await checkState('open-barrier');
  // Back on this phone: the button is off, and the page says why in words.
  await open(ids.open);
  expect(await page.getByRole('button', { name: 'Affects me too' }).isDisabled()).toBe(true);
  await page.getByText('You are already counted.').waitFor();

  // A help request: no question for passers-by, its pending words nowhere.
  await open(ids.help);
  const helpHeadings = await headings();
  for (const question of ['Is it still there?', 'Does it affect you too?', 'Is it really fixed?']) {
    expect(helpHeadings).not.toContain(question);
  }
  expect(await page.locator('main').textContent()).not.toMatch(/4711|Flat 3B/);
  await page.getByText('A coordinator reads the request and passes it to a team who can help.').waitFor();
  await checkState('help');

  // A duplicate links its original.
  await open(ids.duplicate);
  const link = page.getByRole('link', { name: `Report ${ids.open}` });
  expect(await link.getAttribute('href')).toBe(`/reports/${ids.open}`);
  await page.getByText('Marked as a repeat of an earlier report').waitFor();
  await checkState('duplicate');

  // Resolved: before/after, the team's note, the fix question, reached from a notification's link.
  await open(ids.resolved, '#fix-check');
  expect(await headings()).toEqual(
    expect.arrayContaining(['Before', 'After the fix', 'Is it really fixed?', 'What happened']),
  );
  expect(await headings()).not.toContain('Is it still there?');
  await page.getByText(`Passed to the team “${TEAM}”`).waitFor();
  await page.getByText(NOTE).waitFor();
  await page.getByText('2 people said it affected them.').waitFor();
  expect(await page.locator('img[alt^="Photo 1 of"][alt$="after the fix"]').count()).toBe(1);
  await checkState('resolved');

  // Keyboard only: the link's target has focus; Tab to "No", Enter, Tab past the photo to Send.
  await open(ids.resolved, '#fix-check');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('fix-check');
  const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '');
  for (let i = 0; i < 4 && (await focusedText()) !== 'No, it is not fixed'; i += 1) await page.keyboard.press('Tab');
  expect(await focusedText()).toBe('No, it is not fixed');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('file');
  await page.keyboard.press('Tab');
  expect(await focusedText()).toBe('Send “not fixed”');
  await page.keyboard.press('Enter');
  await page.getByText('The report is open again, and a coordinator will look at it.').first().waitFor();
  await page.getByText('Opened again: someone said it is not fixed').waitFor();
  expect(await page.locator('.badge').textContent()).toBe('Verified');
  // The photos of the fix that did not hold say so.
  expect(await headings()).toEqual(expect.arrayContaining(['Before', 'After an earlier fix']));
  // What happens next speaks of the fix being looked at again, not of a first assignment.
  expect(await page.locator('.next p').textContent()).toMatch(
    /^Someone said it is not fixed\. A coordinator is looking at it again/,
  );
  await checkState('reopened');
});
