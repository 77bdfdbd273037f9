/**
 * The triage queue tells the truth and can be searched (issue 13), with the keyboard alone, on
 * a laptop (1440×900) and a phone (390×844): a report number finds the report and offers to
 * open it even outside the filters; words and an address find reports; the heading says how
 * many of how many match, and which filters; the filters survive a reload and step back with
 * the browser; axe finds nothing. The reports of each run carry a word of their own, so a rerun
 * on the same real database counts only its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, PHONE } from './support/browser';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';

jest.setTimeout(300_000);

const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };
const RUN = Date.now().toString(36);
const COORDINATOR = { email: `queue-${RUN}@wegfrei.test`, password: 'coordinator-pass-1234', name: 'Quinn Queue' };
/** In every report of this run, and nowhere else. */
const TOKEN = `qz${RUN}`;
const ADDRESS = `Rue du Tri ${RUN.length + 10}`;
const SPOT = { lat: 45.76 + (parseInt(RUN.slice(-3), 36) % 100) / 1000, lon: 4.83 };
const LAPTOP = { width: 1440, height: 900 };
// Screenshots for a person to look at, when asked for (SHOTS_DIR=…).
const SHOTS = process.env.SHOTS_DIR;

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let special = 0;
let resolved: number[] = [];

async function api(method: string, url: string, session: { cookie: string; csrf: string }, body?: unknown) {
  const res = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

async function login(email: string, password: string) {
  const res = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${email} → ${res.status}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrf: ((await res.json()) as { csrf_token: string }).csrf_token };
}

beforeAll(async () => {
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    // 104 reports from one address in a minute: more than a citizen may send.
    server = await startServer({ REPORT_RATE_LIMIT: '100000' });
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();
  const admin = await login(ADMIN.email, ADMIN.password);
  await api('POST', '/api/v1/users', admin, { ...COORDINATOR, role: 'coordinator' });
  const coordinator = await login(COORDINATOR.email, COORDINATOR.password);
  const ids: number[] = [];
  for (let i = 0; i < 103; i++) {
    const at = { lat: SPOT.lat + (i % 10) * 0.0005, lon: SPOT.lon + Math.floor(i / 10) * 0.0005 };
    const r = await createReport(server.baseUrl, {
      kind: 'barrier',
      category: 'steps',
      ...at,
      severity: 1 + (i % 3),
      description: `Step ${i} at the side door ${TOKEN}`,
    });
    ids.push(r.id);
  }
  special = (
    await createReport(server.baseUrl, {
      kind: 'barrier',
      category: 'lift',
      lat: SPOT.lat,
      lon: SPOT.lon - 0.001,
      severity: 3,
      address: `${ADDRESS} ${TOKEN}`,
    })
  ).id;
  resolved = ids.slice(0, 2);
  for (const id of resolved) {
    await api('PATCH', `/api/v1/reports/${id}`, coordinator, { status: 'verified' });
    await api('PATCH', `/api/v1/reports/${id}`, coordinator, { status: 'resolved' });
  }
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

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport, locale: 'en-GB' });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return context.newPage();
}

/** Presses Tab until the element matching `selector` has the focus. */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

function expectNoViolations(violations: Awaited<ReturnType<typeof axeViolations>>): void {
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`)).toEqual([]);
}

describe.each([
  ['laptop', LAPTOP],
  ['phone', PHONE],
])('on a %s', (name, viewport) => {
  test('finds a report by number, words and address, counts truly, and keeps the filters in the URL', async () => {
    const page = await newPage(viewport);
    await page.goto('/dashboard');
    await page.getByLabel('Email').focus();
    await page.keyboard.type(COORDINATOR.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(COORDINATOR.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Triage queue' }).waitFor();

    // A report number: the report is offered, outside the filters too (a lift, among steps).
    await tabTo(page, '#queue-search');
    await page.keyboard.type(`#${special}`);
    await page.keyboard.press('Enter');
    const offer = page.locator('.queue__number');
    await offer.getByText(`Report #${special} (New).`).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(`Open report #${special}`);
    await page.keyboard.press('Enter');
    await page.getByRole('complementary', { name: new RegExp(`#${special}$`) }).waitFor();
    await page.keyboard.press('Escape');

    // Words: every open report of this run; 100 shown, then the rest on request.
    await tabTo(page, '#queue-search');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(TOKEN);
    await page.keyboard.press('Enter');
    await page.locator('#queue-count', { hasText: 'Showing 100 of 102 open reports' }).waitFor();
    expect(await page.locator('#queue-filters').textContent()).toBe(`Filters: matching “${TOKEN}”.`);
    await shot(page, `${name}-search`);
    await tabTo(page, '.queue__scroll > .button');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Show the next 2 (2 more)');
    await page.keyboard.press('Enter');
    await page.locator('#queue-count', { hasText: 'Showing 102 of 102 open reports' }).waitFor();
    expect(await page.locator('#queue-table tbody tr').count()).toBe(102);

    // An address, in part and in another case.
    await tabTo(page, '#queue-search');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(ADDRESS.toLowerCase());
    await page.keyboard.press('Enter');
    await page.locator('#queue-count', { hasText: 'Showing 1 of 1 open report' }).waitFor();
    expect(await page.locator('#queue-table tbody tr').getAttribute('data-id')).toBe(String(special));

    // Back to the run's word, then only the resolved ones: the count is theirs, not the page's.
    await tabTo(page, '#queue-search');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(TOKEN);
    await page.keyboard.press('Enter');
    await page.locator('#queue-count', { hasText: 'of 102 open reports' }).waitFor();
    await tabTo(page, '#filter-status');
    await page.keyboard.type('Resolved');
    await page.locator('#queue-count', { hasText: 'Showing 2 of 2 resolved reports' }).waitFor();
    expect(
      (await page.locator('#queue-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id'))))
        .map(Number)
        .sort(),
    ).toEqual([...resolved].sort());
    expect(new URL(page.url()).hash).toContain(`q=${TOKEN}`);
    expect(new URL(page.url()).hash).toContain('status=resolved');
    await shot(page, `${name}-resolved`);
    expectNoViolations(await axeViolations(page));

    // A reload shows the same queue; back steps to the open reports, forward again.
    await page.reload();
    await page.locator('#queue-count', { hasText: 'Showing 2 of 2 resolved reports' }).waitFor();
    expect(await page.locator('#queue-search').inputValue()).toBe(TOKEN);
    expect(await page.locator('#filter-status').inputValue()).toBe('resolved');
    await page.goBack();
    await page.locator('#queue-count', { hasText: 'of 102 open reports' }).waitFor();
    expect(await page.locator('#filter-status').inputValue()).toBe('');
    await page.goForward();
    await page.locator('#queue-count', { hasText: 'Showing 2 of 2 resolved reports' }).waitFor();

    // Only this map view: said in words and kept in the URL beside the map's own position.
    await tabTo(page, '.filters__summary');
    if (!(await page.locator('.filters__more').evaluate((d) => (d as HTMLDetailsElement).open))) {
      await page.keyboard.press('Enter');
    }
    await tabTo(page, '.filters__row--buttons button[aria-pressed]');
    await page.keyboard.press('Enter');
    await page.locator('#queue-filters', { hasText: 'in the chosen map view' }).waitFor();
    const hash = new URL(page.url()).hash;
    expect(hash).toMatch(/area=-?[\d.]+%2C/);
    expect(hash).toContain('map=');
    await shot(page, `${name}-filters`);
    expectNoViolations(await axeViolations(page));
  });
});
