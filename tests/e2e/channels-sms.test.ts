/**
 * Issue 15's first promise, end to end on the real server: an SMS with a plus code and "steps",
 * signed as Twilio signs its webhooks, becomes a report that appears live on an open dashboard;
 * the sender's answer (TwiML) carries the report's page; the page shows the report and never
 * the phone number, which staff see as its contact. An SMS without a place is told it waits for
 * a coordinator and reaches the inbox.
 */
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, phoneContext } from './support/browser';
import { categoryLabel } from './support/reports';
import { startServer, type RunningServer } from './support/server';
import { StaffClient } from './support/staff';

jest.setTimeout(240_000);

const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };
const TOKEN = 'e2e-twilio-auth-token-5c1d';
const PHONE = '+4915112345678';
// 9F4MGC2M+7V decodes to 52.5006875, 13.4346875 (the Open Location Code specification's grid).
const SPOT = { lat: 52.5007, lon: 13.4347 };

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let sid = 0;

beforeAll(async () => {
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    server = await startServer({ TWILIO_AUTH_TOKEN: TOKEN });
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();
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

/** What Twilio sends, signed as twilio.com/docs/usage/webhooks/webhooks-security says. */
async function sms(body: string): Promise<{ status: number; twiml: string }> {
  const url = `${server.baseUrl}/api/v1/inbound/twilio`;
  const form: Record<string, string> = {
    MessageSid: `SM${crypto.randomBytes(16).toString('hex')}${++sid}`.slice(0, 34),
    AccountSid: 'AC00000000000000000000000000000000',
    From: PHONE,
    To: '+4930000000',
    Body: body,
    NumMedia: '0',
  };
  const signed = Object.keys(form)
    .sort()
    .reduce((s, k) => s + k + form[k], url);
  const signature = crypto.createHmac('sha1', TOKEN).update(signed).digest('base64');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, twiml: await res.text() };
}

async function laptopPage(): Promise<Page> {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport: { width: 1366, height: 768 },
    locale: 'en-GB',
  });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return context.newPage();
}

test('an SMS with a plus code and "steps" appears live on the dashboard and its sender gets the link', async () => {
  const page = await laptopPage();
  await page.goto(`/dashboard#map=16/${SPOT.lat}/${SPOT.lon}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
  await page.locator('.live--on').waitFor();

  const answer = await sms('Stufen am Eingang, keine Rampe. 9F4MGC2M+7V');
  expect(answer.status).toBe(200);
  const link = /<Message>[^<]*?(http:\/\/[^\s<]+\/reports\/(\d+))/.exec(answer.twiml);
  expect(link).not.toBeNull();
  const [, url, id] = link!;
  expect(answer.twiml).toContain('Danke');

  // The open dashboard shows it without a reload, at the plus code's place.
  const row = page.locator(`#queue-table tr[data-id="${id}"]`);
  await row.waitFor({ timeout: 10_000 });
  const label = await categoryLabel(server.baseUrl, 'steps');
  await row.getByRole('link', { name: label }).click();
  const detail = page.getByRole('complementary', { name: `${label} #${id}` });
  await detail.waitFor();
  // Staff see who sent it, to call back.
  await detail.getByText(PHONE).waitFor();

  // The sender's link: the public page shows the report, never the number.
  const phone = await phoneContext(browser, server.baseUrl, { latitude: SPOT.lat, longitude: SPOT.lon });
  contexts.push(phone);
  const citizen = await phone.newPage();
  await citizen.goto(url!);
  await citizen.getByRole('heading', { name: label }).first().waitFor();
  const text = await citizen.locator('body').innerText();
  expect(text).not.toContain('5112345678');
  expect(await citizen.content()).not.toContain('5112345678');
  expect((await axeViolations(citizen)).map((v) => v.id)).toEqual([]);
});

test('an SMS without a place is told it waits, and waits in the inbox', async () => {
  const answer = await sms('Der Aufzug am Bahnhof ist seit einer Woche kaputt');
  expect(answer.status).toBe(200);
  expect(answer.twiml).toContain('Koordinator');
  expect(answer.twiml).not.toMatch(/\/reports\/\d+/);
  const admin = new StaffClient(server.baseUrl);
  await admin.login(ADMIN.email, ADMIN.password);
  const inbox = await admin.send<{ messages: { body: string; sender: string; category: string | null }[] }>(
    'GET',
    '/api/v1/staff/inbox',
  );
  expect(inbox.messages).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        body: 'Der Aufzug am Bahnhof ist seit einer Woche kaputt',
        sender: PHONE,
        category: 'lift',
      }),
    ]),
  );
  // Nothing public was made of it.
  const list = await fetch(`${server.baseUrl}/api/v1/reports?limit=100`);
  expect(await list.text()).not.toContain('Aufzug am Bahnhof');
});
