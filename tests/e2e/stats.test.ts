/**
 * The public statistics page (/stats, issue 16) in a real browser: in English, German and
 * French, axe clean; the charts have text alternatives and the same numbers stand in tables
 * with captions and scoped headers; the CSV link downloads the numbers; a bad filter is named
 * at its field; the page reflows at 320 px and at 400 % zoom with the tables scrolling in
 * their own focusable regions. One server and one browser for the whole file.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser } from './support/browser';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';
import { StaffClient } from './support/staff';

jest.setTimeout(120_000);

const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    server = await startServer({ REQUEST_RATE_LIMIT: '0', READ_CONCURRENT_MAX: '0', READ_RATE_LIMIT: '0' });
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();
  const staff = new StaffClient(server.baseUrl);
  await staff.login(ADMIN.email, ADMIN.password);
  const made = [];
  for (const [category, lat, lon] of [
    ['steps', 51.3397, 12.3731],
    ['steps', 51.3411, 12.3752],
    ['kerb_missing', 51.3402, 12.3801],
    ['surface', 51.3205, 12.3502],
  ] as const) {
    made.push(await createReport(server.baseUrl, { kind: 'barrier', category, lat, lon, severity: 2 }));
  }
  await createReport(server.baseUrl, {
    kind: 'help',
    category: 'help_medical',
    lat: 51.34,
    lon: 12.37,
    people_count: 1,
  });
  for (const report of made.slice(0, 2)) {
    await staff.send('PATCH', `/api/v1/reports/${report.id}`, { status: 'verified' });
    await staff.send('PATCH', `/api/v1/reports/${report.id}`, { status: 'resolved' });
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

async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport, locale: 'en-GB' });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

const loaded = (page: Page) => page.locator('#area-table').waitFor();

it.each([
  ['en', 'How reports are dealt with', 'Open and resolved reports per category', 'Open'],
  ['de', 'Wie Meldungen bearbeitet werden', 'Offene und erledigte Meldungen pro Kategorie', 'Offen'],
  ['fr', 'Comment les signalements sont traités', 'Signalements ouverts et résolus par catégorie', 'Ouverts'],
])(
  'in %s: charts with text alternatives, tables with the same numbers, axe clean',
  async (lang, heading, caption, open_) => {
    const page = await open(`/stats?lang=${lang}`);
    await loaded(page);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    expect(await page.locator('h1').textContent()).toBe(heading);
    expect(await page.locator('#category-table caption').textContent()).toBe(caption);
    // Every chart is one image with a sentence; every table has a caption and scoped headers.
    const charts = page.locator('[role="img"]');
    expect(await charts.count()).toBe(3);
    for (const label of await charts.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))) {
      expect(label.length).toBeGreaterThan(40);
    }
    expect(await page.locator('table').count()).toBe(3);
    expect(await page.locator('table:not(:has(caption))').count()).toBe(0);
    expect(await page.locator('th:not([scope])').count()).toBe(0);
    // The table says what the API says: steps has 2 reports resolved, 0 open.
    const stats = (await (await fetch(`${server.baseUrl}/api/v1/stats`)).json()) as {
      totals: { open: number; resolved: number };
    };
    expect(stats.totals).toMatchObject({ open: 3, resolved: 2 });
    const totals = await page.locator('.totals dd').allTextContents();
    expect(totals.slice(0, 2)).toEqual(['3', '2']);
    const headers = await page.locator('#category-table thead th').allTextContents();
    const rows = await page
      .locator('#category-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    const steps = rows.find((r) => /Stufen|Steps|Marches/i.test(r[0] ?? ''))!;
    expect(steps[headers.indexOf(open_)]).toBe('0');
    expect(await axeViolations(page)).toEqual([]);
  },
);

it('downloads the same numbers as CSV, follows the filters, names a bad one at its field', async () => {
  const page = await open('/stats?kind=barrier');
  await loaded(page);
  const href = await page.locator('#csv-link').getAttribute('href');
  expect(href).toBe('/api/v1/stats.csv?kind=barrier');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#csv-link').click()]);
  const text = await new Promise<string>((resolve, reject) => {
    void download.createReadStream().then((stream) => {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
      stream.on('end', () => resolve(data));
      stream.on('error', reject);
    });
  });
  expect(text.split('\r\n')[0]).toBe('section,kind,category,area,area_name,period,open,resolved,reported,median_days');
  expect(text).toContain('total,barrier,,,,,2,2,,');

  const bad = await open('/stats?since=2026-02-30');
  await bad.locator('#f-since[aria-invalid="true"]').waitFor();
  expect(await bad.locator('#f-since-error').textContent()).toContain('YYYY-MM-DD');
  expect(await bad.evaluate(() => document.activeElement?.id)).toBe('f-since');
  expect(await axeViolations(bad)).toEqual([]);
});

it.each([
  ['320 px', { width: 320, height: 640 }],
  ['400 % zoom', { width: 320, height: 256 }],
])(
  'reflows at %s: no sideways page scrolling, the tables scroll in focusable named regions',
  async (_name, viewport) => {
    const page = await open('/stats?lang=de', viewport);
    await loaded(page);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const regions = page.locator('.table-scroll[role="region"][tabindex="0"][aria-label]');
    expect(await regions.count()).toBe(3);
    // Keyboard: the area table's region takes focus and stays in view.
    await regions.last().focus();
    const box = await regions.last().boundingBox();
    expect(box && box.y < viewport.height && box.y + box.height > 0).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  },
);
