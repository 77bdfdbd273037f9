/**
 * The Content-Security-Policy in a real browser: every page loads with no violation, the
 * basemap tiles (from the local stub, another origin) get through to each map, and MapLibre's
 * worker runs on the dashboard. Violations are caught twice: the page's
 * `securitypolicyviolation` events, and Chromium's console lines (which also cover workers).
 */
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { launchBrowser, phoneContext } from './support/browser';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';

jest.setTimeout(240_000);

const LAPTOP = { width: 1366, height: 768 };
// The same first admin as dashboard.test.ts: on a shared real database only the first is made.
const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };
// A spot of its own: other e2e files may share the database and count reports at theirs.
const SPOT = { latitude: 47.0707, longitude: 15.4395 };

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

interface Watch {
  violations: () => Promise<string[]>;
  consoleErrors: string[];
}

type CspWindow = Window & { reportCspViolation(line: string): Promise<void> };

beforeAll(async () => {
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    server = await startServer();
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
});

/** Records CSP violations (of every page the context opens) and every console error. */
async function watch(context: BrowserContext, page: Page): Promise<Watch> {
  const violations: string[] = [];
  await context.exposeFunction('reportCspViolation', (line: string) => violations.push(line));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as CspWindow).reportCspViolation(
        `${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
  const consoleErrors: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    // The staff apps ask /api/v1/auth/me first; its 401 is how they know to show the login.
    if (/status of 401/.test(msg.text()) && /\/api\/v1\/auth\/me$/.test(msg.location().url)) return;
    if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
  return {
    violations: async () => {
      // A round trip through the page delivers the reports it has sent before.
      await page.evaluate(() => 0);
      return violations;
    },
    consoleErrors,
  };
}

async function laptopPage(): Promise<{ page: Page; seen: Watch }> {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport: LAPTOP, locale: 'en-GB' });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  const page = await context.newPage();
  return { page, seen: await watch(context, page) };
}

async function phonePage(): Promise<{ page: Page; seen: Watch }> {
  const context = await phoneContext(browser, server.baseUrl, SPOT);
  contexts.push(context);
  const page = await context.newPage();
  return { page, seen: await watch(context, page) };
}

/** Waits until the tile stub has answered more tile requests than `before`. */
async function tilesServedSince(before: number): Promise<number> {
  for (let i = 0; i < 200 && server.tiles.requests <= before; i++) await new Promise((r) => setTimeout(r, 50));
  return server.tiles.requests - before;
}

async function signIn(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function expectClean(seen: Watch): Promise<void> {
  expect(await seen.violations()).toEqual([]);
  expect(seen.consoleErrors).toEqual([]);
}

test('the recorder sees a violation when there is one', async () => {
  const { page, seen } = await phonePage();
  await page.goto('/data');
  await page.evaluate(() => fetch('http://127.0.0.1:9/not-allowed').catch(() => undefined));
  for (let i = 0; i < 100 && !(await seen.violations()).length; i++) await new Promise((r) => setTimeout(r, 50));
  expect((await seen.violations())[0]).toMatch(/^connect-src blocked http:\/\/127\.0\.0\.1:9/);
  expect(seen.consoleErrors.join('\n')).toMatch(/Content Security Policy/);
});

test('the citizen app loads its basemap tiles with no CSP violation, naming only our origin', async () => {
  const { page, seen } = await phonePage();
  const tileOrigin = new URL(server.tiles.url.replace(/\{[a-z]\}/g, '0')).origin;
  const referers: Promise<string | null>[] = [];
  page.on('request', (req) => {
    if (req.url().startsWith(tileOrigin)) referers.push(req.headerValue('referer'));
  });
  const before = server.tiles.requests;
  await page.goto('/');
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
  await page.locator('.leaflet-tile-loaded').first().waitFor({ state: 'attached' });
  expect(await tilesServedSince(before)).toBeGreaterThan(0);
  await expectClean(seen);
  // OpenStreetMap's tile servers refuse requests without a Referer; a path would say too much.
  expect(referers.length).toBeGreaterThan(0);
  expect(new Set(await Promise.all(referers))).toEqual(new Set([`${server.baseUrl}/`]));
});

test("a report's page loads its map tiles with no CSP violation", async () => {
  const report = await createReport(server.baseUrl, {
    kind: 'barrier',
    category: 'steps',
    lat: SPOT.latitude,
    lon: SPOT.longitude,
    severity: 2,
  });
  const { page, seen } = await phonePage();
  const before = server.tiles.requests;
  await page.goto(`/reports/${report.id}`);
  await page.locator('.leaflet-tile-loaded').first().waitFor({ state: 'attached' });
  expect(await tilesServedSince(before)).toBeGreaterThan(0);
  await expectClean(seen);
});

test('the dashboard map loads (MapLibre worker, basemap tiles, report tiles) with no CSP violation', async () => {
  const { page, seen } = await laptopPage();
  const staffTiles: string[] = [];
  page.on('response', (res) => {
    if (res.url().includes('/tiles/staff/') && res.ok()) staffTiles.push(res.url());
  });
  const before = server.tiles.requests;
  await signIn(page, `/dashboard#map=15/${SPOT.latitude}/${SPOT.longitude}`);
  await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
  // The summary is written on the map's first `idle`, which follows `load`: the style is in,
  // the worker has parsed the report tiles, and the raster tiles are drawn.
  await page
    .locator('#map-summary')
    .getByText(/in this map view/)
    .waitFor();
  expect(page.workers().some((w) => /maplibre-gl-worker/.test(w.url()))).toBe(true);
  expect(staffTiles.length).toBeGreaterThan(0);
  expect(await tilesServedSince(before)).toBeGreaterThan(0);
  expect(await page.getByText('Basemap images could not load').count()).toBe(0);
  await expectClean(seen);
});

test('the responder view loads its map tiles with no CSP violation', async () => {
  const { page, seen } = await phonePage();
  const before = server.tiles.requests;
  await signIn(page, '/responder');
  await page.getByRole('heading', { level: 1, name: 'My assignments' }).waitFor();
  await page.locator('.leaflet-tile-loaded').first().waitFor({ state: 'attached' });
  expect(await tilesServedSince(before)).toBeGreaterThan(0);
  await expectClean(seen);
});

test('the open data page and the API docs load with no CSP violation', async () => {
  const { page, seen } = await laptopPage();
  await page.goto('/data');
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.goto('/api/docs');
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await expectClean(seen);
});
