/**
 * The dashboard on any screen (issue 13, item 6): a coordinator in Lyon on a 1024 px laptop at
 * 200 % zoom, in French, finds a report by its number, takes back a wrong rejection and reads
 * the history in words, with nothing cut off; every staff page reflows at 320 px and at 400 %
 * zoom (WCAG 1.4.10) with targets of at least 24 px (2.5.8), 44 px on a phone; a row the
 * keyboard moves to is never under the sticky column heads (2.4.11); dark mode from the system
 * setting passes axe. Chromium, real server and database.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser } from './support/browser';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';
import { StaffClient } from './support/staff';

jest.setTimeout(300_000);

const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };
const PAGES = [
  '/dashboard',
  '/dashboard/moderation',
  '/dashboard/deployments',
  '/dashboard/overview',
  '/dashboard/admin',
];

let server: RunningServer;
let browser: Browser;
const reportIds: number[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    server = await startServer({ REPORT_RATE_LIMIT: '100000' });
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();
  const staff = new StaffClient(server.baseUrl);
  await staff.login(ADMIN.email, ADMIN.password);
  await staff.post('/api/v1/teams', { name: `Équipe Lyon ${Date.now().toString(36)}` });
  for (let i = 0; i < 8; i++) {
    const help = i % 4 === 0;
    const report = await createReport(server.baseUrl, {
      kind: help ? 'help' : 'barrier',
      category: help ? 'help_medical' : 'steps',
      lat: 45.764 + i * 0.0005,
      lon: 4.8357,
      severity: 1 + (i % 3),
      description: `Marche de ${10 + i} cm sans rampe devant la boulangerie de la rue Mercière`,
      address: `${10 + i} rue Mercière, 69002 Lyon`,
    });
    reportIds.push(report.id);
  }
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(
  viewport: { width: number; height: number },
  options: { locale?: string; colorScheme?: 'light' | 'dark' } = {},
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport,
    locale: options.locale ?? 'en-GB',
    colorScheme: options.colorScheme ?? 'light',
  });
  contexts.push(context);
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto('/dashboard');
  await page
    .locator('input[type=email]')
    .waitFor()
    .catch(async (err: Error) => {
      await page.screenshot({ path: '.scratch/shots/dashboard-reflow/no-sign-in.png' });
      throw new Error(`${err.message}\nThe page said: ${await page.locator('body').innerText()}`);
    });
  await page.locator('input[type=email]').fill(ADMIN.email);
  await page.locator('input[type=password]').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await page.locator('.live--on').waitFor();
  return page;
}

async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('.live--on').waitFor();
  // The page's own content, not only the top bar: each view fills in after its first read.
  await page.locator('main :is(h1, h2):visible').first().waitFor();
  await page.waitForLoadState('networkidle').catch(() => undefined);
}

/** Whether an element is within the window, where the person is looking. */
function inView(locator: ReturnType<Page['locator']>): Promise<boolean> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight && r.height > 0;
  });
}

/** How far the page scrolls sideways; 0 when it reflows. */
function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * Visible controls smaller than `min` CSS px. A checkbox or radio counts by the label around
 * it (that is what a finger or pointer hits); links inside running text and the map's
 * attribution are exempt, as WCAG 2.5.8 says for inline targets.
 */
function smallTargets(page: Page, min: number): Promise<string[]> {
  return page.evaluate((min) => {
    const out: string[] = [];
    const selector =
      'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex="0"]';
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      if (el.closest('[hidden], .visually-hidden, .maplibregl-ctrl-attrib')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      if (el.matches('a') && style.display === 'inline' && el.closest('p, li, dd, td')) continue;
      const box = (el.matches('input[type=checkbox], input[type=radio]') ? el.closest('label') : null) ?? el;
      const r = box.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < min - 0.5 || r.height < min - 0.5) {
        const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? '';
        out.push(
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${name}" ${Math.round(r.width)}×${Math.round(r.height)}`,
        );
      }
    }
    return out;
  }, min);
}

async function expectFits(page: Page, where: string, min: number): Promise<void> {
  expect({ where, sideways: await sidewaysScroll(page), small: await smallTargets(page, min) }).toEqual({
    where,
    sideways: 0,
    small: [],
  });
}

test('Lyon, 1024 px at 200 % zoom, in French: finds a report by number, takes back a rejection, reads the history', async () => {
  const id = reportIds[3];
  const page = await signedIn({ width: 512, height: 384 }, { locale: 'fr-FR' });
  expect(await page.locator('html').getAttribute('lang')).toBe('fr');
  await expectFits(page, 'file', 24);

  await page.getByRole('searchbox', { name: 'Rechercher des signalements' }).fill(`#${id}`);
  await page.keyboard.press('Enter');
  const open = page.locator('#queue-number button');
  await open.waitFor();
  await open.click();
  const heading = page.locator('.detail .panel-head h2', { hasText: `#${id}` });
  await heading.waitFor();
  // The open report is in view, under the queue and the map, and nothing is cut off.
  expect(await heading.evaluate((el) => el.getBoundingClientRect().top < innerHeight)).toBe(true);
  await expectFits(page, 'détail', 24);

  // A wrong rejection, by its key on the queue row, then taken back from the notice.
  const row = page.locator(`#queue-table tr[data-id="${id}"]`);
  await row.focus();
  await page.keyboard.press('r');
  const rejected = page.locator('.notice--result .notice__text', {
    hasText: `Le signalement ${id} est refusé et n’apparaît plus sur la carte publique.`,
  });
  await rejected.waitFor();
  const notice = rejected.locator('xpath=ancestor::div[contains(@class, "notice")][1]');
  // Seen where the person acted: the page scrolls on this narrow screen, so the notice sticks
  // to the top of the window instead of sitting above the fold.
  expect(await inView(notice)).toBe(true);
  await expectFits(page, 'avis', 24);
  await notice.getByRole('button', { name: 'Annuler' }).click();
  await page.locator('.notice--result .notice__text', { hasText: `Annulé\u00a0: le signalement ${id}` }).waitFor();

  // A duplicate of a report that does not exist: the reason in French, in view.
  await page.locator('#detail-duplicate').fill('999999');
  await page.keyboard.press('Enter');
  const refused = page.locator('.notice--error .notice__text', { hasText: 'doit être un autre signalement existant' });
  await refused.waitFor();
  expect(await inView(refused)).toBe(true);
  expect(await refused.textContent()).not.toMatch(/must be|existing report/);
  await page.locator('.notice--error .notice__close').click();

  // The history says who did what, in French words, not column names.
  await page.locator(`#queue-table tr[data-id="${id}"] .queue__open`).click();
  const history = page.locator('.history');
  await history.locator('.history__line', { hasText: 'refusé' }).first().waitFor();
  const lines = await history.locator('.history__line').allTextContents();
  expect(lines.join('\n')).toMatch(/a changé le statut de «\s?Nouveau\s?» à «\s?Refusé\s?»/);
  expect(lines.join('\n')).not.toMatch(/status|assigned_team_id|→/);
  await page.screenshot({ path: '.scratch/shots/dashboard-reflow/lyon-512-fr.png', fullPage: true });
});

test.each([
  ['400 % zoom (1280 px)', { width: 320, height: 256 }],
  ['a 320 px screen', { width: 320, height: 640 }],
])('every staff page reflows at %s, controls at least 24 px', async (_name, viewport) => {
  const page = await signedIn(viewport);
  for (const path of [...PAGES, `/dashboard/reports/${reportIds[0]}`]) {
    await visit(page, path);
    await expectFits(page, path, 24);
  }
  await page.screenshot({ path: `.scratch/shots/dashboard-reflow/detail-${viewport.width}x${viewport.height}.png` });
});

test('on a phone every control is at least 44 px', async () => {
  const page = await signedIn({ width: 390, height: 844 });
  for (const path of ['/dashboard', `/dashboard/reports/${reportIds[1]}`, '/dashboard/admin']) {
    await visit(page, path);
    await expectFits(page, path, 44);
  }
  await page.screenshot({ path: '.scratch/shots/dashboard-reflow/admin-390.png', fullPage: true });
});

test('a row the keyboard moves to is never under the sticky column heads', async () => {
  // A short laptop window, so the queue scrolls inside its panel.
  const page = await signedIn({ width: 1280, height: 560 });
  const rows = page.locator('#queue-table tbody tr');
  await rows.nth(reportIds.length - 1).waitFor();
  await rows.first().focus();
  for (let i = 1; i < reportIds.length; i++) await page.keyboard.press('ArrowDown');
  for (let i = 1; i < reportIds.length; i++) {
    await page.keyboard.press('ArrowUp');
    const { rowTop, headBottom, rowBottom, panelBottom } = await page.evaluate(() => {
      const row = document.activeElement!.getBoundingClientRect();
      const head = document.querySelector('#queue-table thead')!.getBoundingClientRect();
      const panel = document.querySelector('.queue__scroll')!.getBoundingClientRect();
      return { rowTop: row.top, headBottom: head.bottom, rowBottom: row.bottom, panelBottom: panel.bottom };
    });
    expect(rowTop).toBeGreaterThanOrEqual(headBottom - 0.5);
    expect(rowBottom).toBeLessThanOrEqual(panelBottom + 0.5);
  }
});

test('Deployments names the place of each hotspot', async () => {
  const page = await signedIn({ width: 1440, height: 900 });
  await visit(page, '/dashboard/deployments#map=16/45.7657/4.8357');
  await page.getByRole('button', { name: 'Find hotspots in view' }).click();
  const item = page.locator('.hotspots li').first();
  await item.locator('.hotspots__place', { hasText: 'near rue Mercière, Lyon' }).waitFor();
  expect(await item.textContent()).toMatch(/^\d+ reports, weight [\d.]+, highest severity 3 near rue Mercière, Lyon/);
  await page.screenshot({ path: '.scratch/shots/dashboard-reflow/hotspots-1440.png' });
});

test('dark mode follows the system setting and passes axe on every staff page', async () => {
  const page = await signedIn({ width: 1440, height: 900 }, { colorScheme: 'dark' });
  for (const path of [...PAGES, `/dashboard/reports/${reportIds[0]}`]) {
    await visit(page, path);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number);
    expect({ path, dark: 0.2126 * r + 0.7152 * g + 0.0722 * b < 60 }).toEqual({ path, dark: true });
    expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
  }
  await page.screenshot({ path: '.scratch/shots/dashboard-reflow/detail-dark-1440.png' });
});
