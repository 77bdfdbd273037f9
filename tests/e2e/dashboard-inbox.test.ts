/**
 * The coordinators' inbox on the dashboard, end to end (issue 15): SMS arrive through the real
 * Twilio webhook (signed as Twilio signs), wait in the inbox urgent first, and a coordinator
 * places one by keyboard only and files it, merges two into one report, marks one as spam, sees
 * a new message arrive live and one handled by someone else leave. Axe in every state; the
 * headings in English, German and French; a responder has no inbox.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { twoColourJpeg } from '../fixtures/images';
import { axeViolations, launchBrowser } from './support/browser';
import { startServer, type RunningServer } from './support/server';
import { StaffClient } from './support/staff';

jest.setTimeout(300_000);

const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };
const RUN = Date.now().toString(36);
const COORDINATOR = { email: `inbox-${RUN}@wegfrei.test`, password: 'inbox-coord-pass-1234', name: 'Ines Inbox' };
const OTHER = { email: `inbox2-${RUN}@wegfrei.test`, password: 'inbox-other-pass-1234', name: 'Otto Other' };
const RESPONDER = { email: `resp-${RUN}@wegfrei.test`, password: 'inbox-resp-pass-1234', name: 'Rita Responder' };
const TOKEN = 'e2e-twilio-auth-token';
const SHOTS = `${__dirname}/../../.scratch/shots/inbox`;

let server: RunningServer;
let browser: Browser;
let photos: http.Server;
let photoUrl = '';
let other: StaffClient;
const contexts: BrowserContext[] = [];
let sid = 0;

interface Message {
  id: number;
  state: string;
  report_id: number | null;
  urgent: boolean;
  body: string;
}

/** An SMS as Twilio posts it: form fields, signed with the Auth Token over URL and fields. */
async function sms(body: string, from = '+4915112345678', media?: string): Promise<void> {
  const url = `${server.baseUrl}/api/v1/inbound/twilio`;
  const params: Record<string, string> = {
    MessageSid: `SM${RUN}${(++sid).toString().padStart(4, '0')}`,
    AccountSid: 'AC00000000000000000000000000000000',
    From: from,
    To: '+4930123456',
    Body: body,
    NumMedia: media ? '1' : '0',
    ...(media ? { MediaUrl0: media, MediaContentType0: 'image/jpeg' } : {}),
  };
  let data = url;
  for (const k of Object.keys(params).sort()) data += k + params[k];
  const signature = crypto.createHmac('sha1', TOKEN).update(data, 'utf8').digest('base64');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  if (res.status !== 200) throw new Error(`twilio webhook → ${res.status} ${await res.text()}`);
}

async function waiting(): Promise<Message[]> {
  return (await other.send<{ messages: Message[] }>('GET', '/api/v1/staff/inbox?limit=200')).messages;
}
const byBody = async (words: string) => (await waiting()).find((m) => m.body.includes(words))!;

beforeAll(async () => {
  const jpeg = await twoColourJpeg(640, 480);
  photos = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(jpeg));
  await new Promise<void>((resolve) => photos.listen(0, '127.0.0.1', resolve));
  photoUrl = `http://127.0.0.1:${(photos.address() as net.AddressInfo).port}/photo.jpg`;
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    server = await startServer({ TWILIO_AUTH_TOKEN: TOKEN, OPEN311_MEDIA_ALLOW_PRIVATE: 'true' });
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();
  const admin = new StaffClient(server.baseUrl);
  await admin.login(ADMIN.email, ADMIN.password);
  await admin.post('/api/v1/users', { ...COORDINATOR, role: 'coordinator' });
  await admin.post('/api/v1/users', { ...OTHER, role: 'coordinator' });
  const team = await admin.post<{ id: number }>('/api/v1/teams', { name: `Inbox team ${RUN}` });
  await admin.post('/api/v1/users', { ...RESPONDER, role: 'responder', team_id: team.id });
  other = new StaffClient(server.baseUrl);
  await other.login(OTHER.email, OTHER.password);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => photos?.close(resolve));
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  const errors = server.errors();
  if (errors.length) throw new Error(`The server logged errors:\n${errors.join('\n')}`);
});

async function signedIn(who: { email: string; password: string }, path: string, locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport: { width: 1440, height: 900 },
    locale,
  });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  const login = await context.request.post('/api/v1/auth/login', {
    data: { email: who.email, password: who.password },
  });
  expect(login.status()).toBe(200);
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

async function expectAxeClean(page: Page, state: string): Promise<void> {
  const violations = await axeViolations(page);
  expect({ state, violations: violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`) }).toEqual({
    state,
    violations: [],
  });
}

async function shots(page: Page, name: string): Promise<void> {
  for (const [w, hgt] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: hgt });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/${name}-${w}.png`, fullPage: w === 390 });
    if (w === 390) {
      // 320 px wide (400 % zoom of 1280): nothing scrolls sideways.
      await page.setViewportSize({ width: 320, height: 700 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      await expectAxeClean(page, `${name} at 320 px`);
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Presses Tab until the focused element matches `selector` (keyboard only, as a person would). */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

const focusedId = (page: Page) =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest('tr')?.dataset.id ?? null);

test('a coordinator works the inbox by keyboard: place and file, merge, spam, live arrivals', async () => {
  // On a shared PostgreSQL (TEST_DATABASE_URL) an earlier run's messages may still wait.
  for (const m of await waiting()) await other.send('PATCH', `/api/v1/staff/inbox/${m.id}`, { state: 'not_report' });
  await sms('Stufen am Eingang vom Rathaus, kein Aufzug');
  await sms('Look at this, the lift has been out for days', '+4915100000002', photoUrl);
  await sms('Cheap watches, visit our shop today');
  await sms('Ramp at the library is broken', '+4915100000004');
  await sms('Library ramp still broken this morning', '+4915100000005');
  await sms('SOS stuck at the station, wheelchair lift broken', '+4915100000006');
  const urgent = await byBody('SOS stuck');
  expect(urgent.urgent).toBe(true);

  const page = await signedIn(COORDINATOR, '/dashboard/inbox');
  await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
  await page.getByRole('link', { name: /^Inbox 6 messages waiting$/ }).waitFor();
  const rows = page.locator('#inbox-table tbody tr');
  await rows.nth(5).waitFor();
  // Urgent first, said in words; then the newest.
  const ids = await rows.evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.id)));
  expect(ids[0]).toBe(urgent.id);
  await expect(rows.first().textContent()).resolves.toContain('Urgent');
  const text = await page.locator('#inbox-table').textContent();
  expect(text).toContain('+4915100000006');
  expect(text).toContain('SMS');
  expect(await rows.locator('img').count()).toBe(1);
  expect(await page.title()).not.toContain('+49');
  expect(page.url()).not.toContain('+49');
  // "?" shows the inbox's own keys on the page, not the triage queue's dialog.
  await rows.first().focus();
  await page.keyboard.press('?');
  await page.locator('details.inbox__keys[open]').waitFor();
  expect(await page.locator('dialog[open]').count()).toBe(0);
  expect(await page.locator('details.inbox__keys').textContent()).toContain('not a report');
  await expectAxeClean(page, 'list');
  await shots(page, 'list');

  // Keyboard only: to the steps message, open, place on the map by arrows and Enter, file.
  const steps = await byBody('Stufen am Eingang');
  await rows.first().focus();
  while ((await focusedId(page)) !== String(steps.id)) await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.keyboard.press('ArrowDown');
  expect(await focusedId(page)).toBe(String(steps.id));
  await page.keyboard.press('Enter');
  const heading = page.locator('#inbox-item-heading');
  await page.waitForFunction((id) => document.activeElement?.textContent === `Message ${id}`, steps.id);
  await expect(heading.textContent()).resolves.toBe(`Message ${steps.id}`);
  // The category the words named is preset.
  expect(await page.locator(`#inbox-${steps.id}-category`).inputValue()).toBe('steps');
  await expectAxeClean(page, 'opened');
  await tabTo(page, '.inbox-place canvas');
  const before = await page.evaluate(() => document.querySelector('.inbox-place__status')?.textContent);
  expect(before).toBe('No place set yet.');
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowUp');
  await page.waitForTimeout(400);
  await page.keyboard.press('Enter');
  await page.locator('.inbox-place__status', { hasText: 'Place set:' }).waitFor();
  const coords = await page.locator(`#inbox-${steps.id}-coords`).inputValue();
  const [lat, lon] = coords.split(',').map(Number);
  await expectAxeClean(page, 'placing');
  await shots(page, 'opened');
  await tabTo(page, 'button.button--primary');
  await page.keyboard.press('Enter');
  const link = page.locator('.inbox__report-link');
  await link.waitFor();
  const reportId = Number(/#(\d+)/.exec((await link.textContent())!)![1]);
  expect(await link.getAttribute('href')).toBe(`/dashboard/reports/${reportId}`);
  const report = await other.send<{ geometry: { coordinates: [number, number] }; properties: Record<string, unknown> }>(
    'GET',
    `/api/v1/staff/reports/${reportId}`,
  );
  expect(report.properties).toMatchObject({ category: 'steps', source: 'sms', contact: '+4915112345678' });
  expect(report.geometry.coordinates[0]).toBeCloseTo(lon!, 4);
  expect(report.geometry.coordinates[1]).toBeCloseTo(lat!, 4);
  await page.getByRole('link', { name: /^Inbox 5 messages waiting$/ }).waitFor();
  await expectAxeClean(page, 'filed');

  // Errors: a report number that does not exist is named beside its field.
  const cheap = await byBody('Cheap watches');
  await rows.first().focus();
  while ((await focusedId(page)) !== String(cheap.id)) await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.activeElement?.textContent === `Message ${id}`, cheap.id);
  await page.locator(`#inbox-${cheap.id}-report`).fill('99999999');
  await page.getByRole('button', { name: 'Add to existing report' }).click();
  const reportError = page.locator(`#inbox-${cheap.id}-report-error`);
  await reportError.waitFor();
  expect(await reportError.textContent()).toMatch(/99999999|does not exist/);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe(`inbox-${cheap.id}-report`);
  await expectAxeClean(page, 'error');
  await page.screenshot({ path: `${SHOTS}/error-1440.png` });

  // Spam by its key, from the list.
  await page.keyboard.press('Escape');
  expect(await focusedId(page)).toBe(String(cheap.id));
  await page.keyboard.press('s');
  await page.waitForFunction((id) => !document.querySelector(`#inbox-table tr[data-id="${id}"]`), cheap.id);
  expect((await other.send<Message>('GET', `/api/v1/staff/inbox/${cheap.id}`)).state).toBe('spam');
  // One key is quick to press: the notice offers the way back, and the message returns.
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.locator(`#inbox-table tr[data-id="${cheap.id}"]`).waitFor();
  expect((await other.send<Message>('GET', `/api/v1/staff/inbox/${cheap.id}`)).state).toBe('inbox');
  await page.locator(`#inbox-table tr[data-id="${cheap.id}"]`).focus();
  await page.keyboard.press('s');
  await page.waitForFunction((id) => !document.querySelector(`#inbox-table tr[data-id="${id}"]`), cheap.id);

  // Merge: x selects two, Enter opens them together; the place typed as coordinates.
  const rampA = await byBody('Ramp at the library');
  const rampB = await byBody('Library ramp still');
  await rows.first().focus();
  while ((await focusedId(page)) !== String(rampA.id)) await page.keyboard.press('j');
  await page.keyboard.press('x');
  while ((await focusedId(page)) !== String(rampB.id))
    await page.keyboard.press(ids.indexOf(rampB.id) > ids.indexOf(rampA.id) ? 'j' : 'k');
  await page.keyboard.press('x');
  await page.locator('.inbox__selection', { hasText: '2 messages selected' }).waitFor();
  // A message outside the selection opens alone: never filed together with the selected ones.
  const outsider = await page
    .locator('#inbox-table tbody tr[data-id]')
    .evaluateAll(
      (trs, sel) => trs.map((tr) => Number(tr.getAttribute('data-id'))).find((id) => !sel.includes(id)),
      [rampA.id, rampB.id],
    );
  expect(outsider).toBeDefined();
  await page.locator(`#inbox-table tr[data-id="${outsider}"]`).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.activeElement?.textContent === `Message ${id}`, outsider);
  await page.keyboard.press('Escape');
  await page.locator(`#inbox-table tr[data-id="${rampB.id}"]`).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.textContent?.startsWith('Messages '));
  const first = (await heading.textContent())!;
  expect(first).toContain(String(rampA.id));
  expect(first).toContain(String(rampB.id));
  const form = page.locator('.inbox-form');
  // A full plus code, decoded in the page by the server's own decoder.
  await form.locator('input[id$="-coords"]').fill('9F4MGC2M+7V');
  await form.locator('input[id$="-coords"]').press('Enter');
  await form.locator('select').selectOption({ index: 1 });
  await form.getByRole('button', { name: 'File as report' }).click();
  await page.locator('.inbox__report-link').waitFor();
  const merged = await other.send<Message>('GET', `/api/v1/staff/inbox/${rampA.id}`);
  expect(merged.state).toBe('filed');
  expect((await other.send<Message>('GET', `/api/v1/staff/inbox/${rampB.id}`)).report_id).toBe(merged.report_id);
  const mergedReport = await other.send<{ geometry: { coordinates: [number, number] } }>(
    'GET',
    `/api/v1/staff/reports/${merged.report_id}`,
  );
  expect(mergedReport.geometry.coordinates[1]).toBeCloseTo(52.5007, 3);
  expect(mergedReport.geometry.coordinates[0]).toBeCloseTo(13.4347, 3);

  // Live: a new message appears without reloading, counted and announced.
  await sms('Bus stop has no kerb ramp any more', '+4915100000009');
  const fresh = page.locator('#inbox-table tbody tr', { hasText: 'Bus stop has no kerb ramp' });
  await fresh.waitFor();
  await page.getByRole('link', { name: /^Inbox 3 messages waiting$/ }).waitFor();
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[aria-live="polite"]')].some((e) => e.textContent?.includes('new message arrived')),
  );

  // Handled by someone else: the open message says so, and it leaves the list.
  const lift = await byBody('the lift has been out');
  await page.locator(`#inbox-table tr[data-id="${lift.id}"]`).click();
  await page.waitForFunction((id) => document.activeElement?.textContent === `Message ${id}`, lift.id);
  expect(await page.locator('.inbox__photos--big img').count()).toBe(1);
  await other.send('PATCH', `/api/v1/staff/inbox/${lift.id}`, { state: 'not_report' });
  await page.getByText('Someone else has handled this message meanwhile').waitFor();
  await page.waitForFunction((id) => !document.querySelector(`#inbox-table tr[data-id="${id}"]`), lift.id);
  expect(await page.getByRole('button', { name: 'File as report' }).count()).toBe(0);

  // Empty: the rest is set aside elsewhere.
  for (const m of await waiting()) await other.send('PATCH', `/api/v1/staff/inbox/${m.id}`, { state: 'not_report' });
  await page.getByText('The inbox is empty.').waitFor();
  await page.getByRole('link', { name: /^Inbox$/ }).waitFor();
  await expectAxeClean(page, 'empty');
  await shots(page, 'empty');
});

test('the inbox heading in German and French; a responder has no inbox', async () => {
  for (const [lang, name] of [
    ['de', 'Eingang'],
    ['fr', 'Boîte de réception'],
  ] as const) {
    const page = await signedIn(COORDINATOR, `/dashboard/inbox?lang=${lang}`);
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await page
      .getByRole('heading', { level: 2, name: lang === 'de' ? 'Wartende Nachrichten' : 'Messages en attente' })
      .waitFor();
    await expectAxeClean(page, `empty (${lang})`);
  }
  const page = await signedIn(RESPONDER, '/dashboard/inbox');
  // Responders work in their own app: the dashboard sends them there, with no inbox in sight.
  await page.locator('a[href="/responder"]').waitFor();
  expect(await page.locator('body').textContent()).not.toContain('Inbox');
  expect(await page.locator('#inbox-heading').count()).toBe(0);
  const res = await page.request.get('/api/v1/staff/inbox');
  expect(res.status()).toBe(403);
});
