/**
 * Issue 13 (6/7) in the responder view and on /data: both reflow at 320 CSS px and at 400 %
 * zoom (a 320 × 256 view) without sideways scrolling and keep keyboard focus in sight; every
 * control on the responder's phone is a 44 px target, on /data 24 px (44 px at phone width);
 * dark mode from the system setting is dark and axe clean; the responder's map markers are
 * SVG category icons, not emoji. One server and one browser for the whole file.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, PHONE } from './support/browser';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';
import { StaffClient } from './support/staff';

jest.setTimeout(120_000);

const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };
// Names of their own per run: on PostgreSQL the e2e files share one database.
const RUN = Date.now().toString(36);
const RESPONDER = {
  email: `responder-reflow-${RUN}@wegfrei.test`,
  password: 'responder-pass-1234',
  name: 'Rae Reflow',
};
const NARROW = { width: 320, height: 640 };
/** 1280 × 1024 at 400 % zoom. */
const ZOOMED = { width: 320, height: 256 };
const DESKTOP = { width: 1280, height: 900 };

let server: RunningServer;
let browser: Browser;
let signedIn: Awaited<ReturnType<BrowserContext['storageState']>>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    // Many page loads with their map tiles in a few seconds: more than a person makes.
    server = await startServer({ REQUEST_RATE_LIMIT: '0', READ_CONCURRENT_MAX: '0', READ_RATE_LIMIT: '0' });
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();

  const staff = new StaffClient(server.baseUrl);
  await staff.login(ADMIN.email, ADMIN.password);
  const team = await staff.post<{ id: number }>('/api/v1/teams', { name: `Team Reflow ${RUN}` });
  await staff.post('/api/v1/users', { ...RESPONDER, role: 'responder', team_id: team.id });
  // Steps: the category whose emoji (🪜, Unicode 13) older phones draw as an empty box.
  const report = await createReport(server.baseUrl, {
    kind: 'barrier',
    category: 'steps',
    lat: 51.3397,
    lon: 12.3731,
    severity: 3,
    description: 'Three steps at the side entrance of the town hall, no ramp and no bell.',
  });
  await staff.send('PATCH', `/api/v1/reports/${report.id}`, {
    status: 'assigned',
    assigned_team_id: team.id,
  });

  // Signed in once through the real form; every later context starts with that session.
  const context = await newContext(PHONE);
  const page = await context.newPage();
  await page.goto('/responder');
  await page.locator('#login-email').fill(RESPONDER.email);
  await page.locator('#login-password').fill(RESPONDER.password);
  await page.locator('form.login button[type="submit"]').click();
  await page.locator('form.login').waitFor({ state: 'detached' });
  signedIn = await context.storageState();
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

async function newContext(
  viewport: { width: number; height: number },
  options: { colorScheme?: 'light' | 'dark'; session?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport,
    locale: 'en-GB',
    colorScheme: options.colorScheme ?? 'light',
    storageState: options.session ? signedIn : undefined,
  });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  return context;
}

async function openAssignments(page: Page): Promise<void> {
  await page.goto('/responder');
  await page.locator('.assignment').first().waitFor();
  await page.locator('.report-marker').first().waitFor();
}

async function openData(page: Page): Promise<void> {
  await page.goto('/data');
  await page.locator('#filters .choice').first().waitFor();
}

/** How far the page scrolls sideways, and the elements that stick out past its right edge. */
function sideways(page: Page): Promise<{ overflow: number; past: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const past = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        // Leaflet's panes hold tiles beyond the map's edge; the map clips them.
        return r.width > 0 && r.right > width + 0.5 && !el.closest('.leaflet-map-pane');
      })
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ends at ${Math.round(el.getBoundingClientRect().right)}`,
      );
    return { overflow: document.documentElement.scrollWidth - width, past: past.slice(0, 10) };
  });
}

/**
 * Interactive controls smaller than `min` in either direction. A checkbox inside its label is
 * measured as the label (the whole row toggles it). Left out, as WCAG 2.5.8 allows: links in a
 * sentence (display inline) and the map's attribution, which the tile licence asks for.
 */
function smallTargets(page: Page, min: number): Promise<string[]> {
  return page.evaluate((min) => {
    const controls = document.querySelectorAll<HTMLElement>(
      'a[href], button, input, select, textarea, summary, [tabindex="0"], .leaflet-marker-icon',
    );
    return [...controls]
      .filter((el) => !el.closest('.visually-hidden, .leaflet-control-attribution'))
      .filter((el) => !(el.tagName === 'A' && getComputedStyle(el).display === 'inline'))
      .map((el) => ({ el, r: ((el.tagName === 'INPUT' && el.closest('label')) || el).getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0 && (r.width < min - 0.5 || r.height < min - 0.5))
      .map(({ el, r }) => {
        const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? '';
        return `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${name}" ${r.width.toFixed(1)}×${r.height.toFixed(1)}`;
      });
  }, min);
}

/**
 * Tabs through the page and names each focused control that is off screen or covered by
 * something else (WCAG 2.4.11): what is at its centre must be itself or inside it.
 */
async function hiddenFocus(page: Page, presses: number): Promise<string[]> {
  const hidden: string[] = [];
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const problem = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const r = el.getBoundingClientRect();
      const name = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`;
      const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
      const y = Math.min(Math.max(r.top + Math.min(r.height, 40) / 2, 0), innerHeight - 1);
      if (r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) return `${name} off screen`;
      const hit = document.elementFromPoint(x, y);
      if (!hit || !(el === hit || el.contains(hit) || hit.contains(el) || hit === el.closest('label')))
        return `${name} covered by ${hit?.tagName.toLowerCase() ?? 'nothing'}.${hit?.className ?? ''}`;
      return null;
    });
    if (problem) hidden.push(problem);
  }
  return hidden;
}

function expectNoViolations(violations: Awaited<ReturnType<typeof axeViolations>>): void {
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`)).toEqual([]);
}

test('the responder view and /data reflow at 320 px and at 400 % zoom, focus always in sight', async () => {
  const signedOut = await (await newContext(NARROW)).newPage();
  const page = await (await newContext(NARROW, { session: true })).newPage();
  for (const viewport of [NARROW, ZOOMED]) {
    await signedOut.setViewportSize(viewport);
    await signedOut.goto('/responder');
    await signedOut.locator('#login-email').waitFor();
    expect([viewport, await sideways(signedOut)]).toEqual([viewport, { overflow: 0, past: [] }]);

    await page.setViewportSize(viewport);
    await openAssignments(page);
    expect([viewport, await sideways(page)]).toEqual([viewport, { overflow: 0, past: [] }]);
    // The resolve form open too: it is where the responder types in the field.
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByLabel('What was done?').waitFor();
    expect([viewport, await sideways(page)]).toEqual([viewport, { overflow: 0, past: [] }]);
    expect(await hiddenFocus(page, 20)).toEqual([]);

    await openData(page);
    expect([viewport, await sideways(page)]).toEqual([viewport, { overflow: 0, past: [] }]);
  }
  // Every control of /data at 400 % zoom, from the skip link to the last API link.
  expect(await hiddenFocus(page, 70)).toEqual([]);
});

test('every control of the responder view is 44 px on the phone; on /data 24 px, and 44 px at phone width', async () => {
  const phone = await (await newContext(PHONE, { session: true })).newPage();
  await openAssignments(phone);
  await phone.getByRole('button', { name: 'Resolve' }).click();
  await phone.getByLabel('What was done?').waitFor();
  expect(await phone.locator('.leaflet-control-zoom a').count()).toBe(2);
  expect(await smallTargets(phone, 44)).toEqual([]);

  const signedOut = await (await newContext(PHONE)).newPage();
  await signedOut.goto('/responder');
  await signedOut.locator('#login-email').waitFor();
  expect(await smallTargets(signedOut, 44)).toEqual([]);

  await openData(phone);
  expect(await smallTargets(phone, 44)).toEqual([]);
  const desktop = await (await newContext(DESKTOP)).newPage();
  await openData(desktop);
  expect(await smallTargets(desktop, 24)).toEqual([]);
});

/** The relative luminance of the page's background (0 black … 1 white). */
function backgroundLuminance(page: Page): Promise<number> {
  return page.evaluate(() => {
    const [r, g, b] = (getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g) ?? []).map(Number);
    const lin = (c = 0) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  });
}

test('in dark mode both pages are dark and have no WCAG 2.2 AA violations', async () => {
  const phone = await (await newContext(PHONE, { colorScheme: 'dark', session: true })).newPage();
  await openAssignments(phone);
  await phone.getByRole('button', { name: 'Resolve' }).click();
  await phone.getByLabel('What was done?').waitFor();
  expect(await backgroundLuminance(phone)).toBeLessThan(0.02);
  expect(await phone.evaluate(() => getComputedStyle(document.body).colorScheme)).toBe('dark');
  expectNoViolations(await axeViolations(phone));

  const signedOut = await (await newContext(PHONE, { colorScheme: 'dark' })).newPage();
  await signedOut.goto('/responder');
  await signedOut.locator('#login-email').waitFor();
  expect(await backgroundLuminance(signedOut)).toBeLessThan(0.02);
  expectNoViolations(await axeViolations(signedOut));

  const desktop = await (await newContext(DESKTOP, { colorScheme: 'dark' })).newPage();
  await openData(desktop);
  expect(await backgroundLuminance(desktop)).toBeLessThan(0.02);
  expect(await desktop.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('dark');
  // The browser's own bar follows too.
  expect(await desktop.locator('meta[name="theme-color"][media="(prefers-color-scheme: dark)"]').count()).toBe(1);
  expectNoViolations(await axeViolations(desktop));
});

test("the responder's map marker is the category's SVG icon, with no emoji in it", async () => {
  const phone = await (await newContext(PHONE, { session: true })).newPage();
  await openAssignments(phone);
  const marker = phone.locator('.report-marker');
  expect(await marker.count()).toBe(1);
  expect(await marker.locator('svg.category-icon[data-category="steps"] path').count()).toBeGreaterThan(0);
  const text = await marker.evaluate((el) => el.textContent ?? '');
  expect(text.trim()).toBe('');
  expect(/\p{Extended_Pictographic}/u.test(text)).toBe(false);
  // Still named for screen readers and the pointer's tooltip.
  expect(await marker.getAttribute('title')).toMatch(/^Steps, no ramp #\d+$/);
});
