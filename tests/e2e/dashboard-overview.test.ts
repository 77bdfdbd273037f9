/**
 * Issue 13, deliverable 8: the Overview tells the truth for the chosen period, and the list of
 * a cluster's reports names the place and counts what the map's filters show. Reports from
 * past days are written to the database before the server starts (no API backdates a
 * report); everything after signing in is done with the keyboard, except opening the cluster,
 * which only a pointer can do on the map (the queue is the keyboard's way to the same reports).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { createLogger } from '../../server/logger';
import { axeViolations, launchBrowser, PHONE } from './support/browser';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';

jest.setTimeout(300_000);

const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };
const DESKTOP = { width: 1440, height: 900 };
const SHOTS = path.join(__dirname, '../../.scratch/shots/overview');
// Reports of past days, far from the cluster below: [days ago created, status, days ago resolved,
// category, channel].
const PAST: [number, string, number | null, string, string][] = [
  [2, 'new', null, 'steps', 'sms'],
  [2, 'verified', null, 'steps', 'web'],
  [3, 'resolved', 1, 'steps', 'web'], // 48 hours
  [20, 'new', null, 'surface', 'sms'],
  [20, 'new', null, 'surface', 'web'],
  [20, 'assigned', null, 'surface', 'web'],
  [25, 'resolved', 22, 'surface', 'open311'], // 72 hours
  [60, 'rejected', null, 'steps', 'telegram'],
];
const SPOT = { lat: 52.40123, lon: 13.05123 };

let server: RunningServer;
let browser: Browser;
let dataDir: string;
const contexts: BrowserContext[] = [];

async function writePastReports(dir: string): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn' };
  if (process.env.TEST_DATABASE_URL) env.DATABASE_URL = process.env.TEST_DATABASE_URL;
  else delete env.DATABASE_URL;
  const config = loadConfig(env);
  const logger = createLogger('warn', 2);
  const db = await openDatabase(config, logger);
  try {
    await migrate(db.pool, logger);
    for (const [created, status, resolved, category, source] of PAST) {
      await db.pool.query(
        `INSERT INTO reports (kind, category, severity, geom, public_geom, status, created_at, updated_at, resolved_at,
                              source)
         SELECT 'barrier', $1, 2, p, p, $2, current_date - $3::int + interval '12 hours',
                current_date - $3::int + interval '12 hours',
                CASE WHEN $4::int IS NULL THEN NULL ELSE current_date - $4::int + interval '12 hours' END, $5
           FROM (SELECT ST_SetSRID(ST_MakePoint(9.5, 48.5), 4326) AS p) x`,
        [category, status, created, resolved, source],
      );
    }
    // Citizens' answers to "Is it really fixed?" for the resolved reports, under a team with a long
    // name, so the Overview shows its "Fixes confirmed by citizens" tables (the widest on a phone).
    const team = await db.pool.query<{ id: string }>(
      `INSERT INTO teams (name) VALUES ('Straßen- und Grünflächenamt Nord') RETURNING id`,
    );
    await db.pool.query(
      `INSERT INTO fix_checks (report_id, answer, resolved_at, team_id, created_at)
       SELECT id, a, resolved_at, $1, current_date - 1 + interval '12 hours'
         FROM reports, unnest(ARRAY['fixed', 'fixed', 'not_fixed']) a
        WHERE status = 'resolved'`,
      [team.rows[0]!.id],
    );
  } finally {
    await db.close();
  }
}

// It counts exact numbers in a database of its own: on PostgreSQL (shared by the e2e files) it is skipped.
const onEmbedded = !process.env.TEST_DATABASE_URL;

beforeAll(async () => {
  if (!onEmbedded) return;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-overview-'));
  await writePastReports(dataDir);
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    server = await startServer({ DATA_DIR: dataDir });
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  const errors = server?.errors() ?? [];
  if (errors.length) throw new Error(`The server logged errors:\n${errors.join('\n')}`);
});

async function pageAt(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport, locale: 'en-GB' });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  return context.newPage();
}

/** Signs in by typing, as a keyboard user does. */
async function signIn(page: Page, where: string): Promise<void> {
  await page.goto(where);
  await page.getByLabel('Email').focus();
  await page.keyboard.type(ADMIN.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Enter');
}

/** Tab (forwards) until the element with this id has the focus. */
async function tabTo(page: Page, id: string): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    if (await page.evaluate((want) => document.activeElement?.id === want, id)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}`);
}

function expectNoViolations(violations: Awaited<ReturnType<typeof axeViolations>>): void {
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`)).toEqual([]);
}

/** The numbers the Overview shows: its category table's totals and its sentences. */
async function overviewNumbers(page: Page) {
  const table = page.locator('#bycat-table');
  const foot = table.locator('tfoot td');
  const heads = await table.locator('thead th').allTextContents();
  const cells = await foot.allTextContents();
  const resolvedColumn = heads.indexOf('Resolved') - 1;
  return {
    caption: await page.locator('#bycat-heading').textContent(),
    total: Number(cells[cells.length - 1]),
    resolvedInTable: Number(cells[resolvedColumn]),
    summary: await page.locator('.overview__summary').textContent(),
    median: (await page.locator('.median').textContent())?.replace(/^Median time to resolve/, ''),
    // The channel table: each row as "label: count", then its caption.
    byChannel: (await page.locator('#bysource-table tbody tr, #bysource-table tfoot tr').allInnerTexts()).map((r) =>
      r.replace(/\s+/g, ' ').trim(),
    ),
    channelCaption: await page.locator('#bysource-table caption').textContent(),
  };
}

(onEmbedded ? describe : describe.skip).each([
  ['desktop', DESKTOP],
  ['phone', PHONE],
])('the Overview at %s size', (name, viewport) => {
  test('follows the period chosen with the keyboard', async () => {
    const page = await pageAt(viewport);
    await signIn(page, '/dashboard/overview');
    await page.locator('.overview__summary').waitFor();
    // The default period, 30 days: 7 created in it (2 of them now resolved), 2 resolved in it.
    let n = await overviewNumbers(page);
    expect(n.caption).toMatch(/^Reports created in the last 30 days \(.+ – .+\), by category and their status now$/);
    expect(n.total).toBe(7);
    expect(n.resolvedInTable).toBe(2);
    expect(n.summary).toMatch(/^7 reports created and 2 resolved in the last 30 days/);
    // 48 and 72 hours: the median is 60 hours, 2.5 days.
    expect(n.median).toMatch(/^2\.5 daysThe median of the 2 reports resolved in the last 30 days/);
    expect(n.byChannel).toEqual(['Web app 4', 'SMS 2', 'Open311 1', 'Total 7']);
    expect(n.channelCaption).toMatch(/^Reports created in the last 30 days \(.+ – .+\), by channel$/);

    await tabTo(page, 'overview-days');
    await page.keyboard.press('ArrowUp'); // Last 7 days
    await page.getByText(/^3 reports created and 1 resolved in the last 7 days/).waitFor();
    n = await overviewNumbers(page);
    expect(n.caption).toMatch(/^Reports created in the last 7 days/);
    expect(n.total).toBe(3);
    expect(n.resolvedInTable).toBe(1);
    expect(n.median).toMatch(/^2\.0 daysThe median of the 1 report resolved in the last 7 days/);
    expect(n.byChannel).toEqual(['Web app 2', 'SMS 1', 'Total 3']);
    // The per-day table says the same as the sentence.
    await tabTo(page, 'overview-days');
    const perDay = page.locator('.overview__content details');
    await perDay.locator('summary').focus();
    await page.keyboard.press('Enter');
    const rows = perDay.locator('tbody tr');
    expect(await rows.count()).toBe(7);
    const resolvedPerDay = (await perDay.locator('tbody td:nth-of-type(2)').allTextContents()).map(Number);
    expect(resolvedPerDay.reduce((a, b) => a + b, 0)).toBe(1);
    expectNoViolations(await axeViolations(page));
    await page.screenshot({ path: path.join(SHOTS, `${name}-7-days.png`), fullPage: true });

    await tabTo(page, 'overview-days');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown'); // Last 90 days
    await page.getByText(/^8 reports created and 2 resolved in the last 90 days/).waitFor();
    n = await overviewNumbers(page);
    expect(n.total).toBe(8);
    expect(n.byChannel).toEqual(['Web app 4', 'SMS 2', 'Open311 1', 'Telegram 1', 'Total 8']);
    expect(n.caption).toMatch(/in the last 90 days/);
    expectNoViolations(await axeViolations(page));
    await page.screenshot({ path: path.join(SHOTS, `${name}-90-days.png`), fullPage: true });
  });
});

(onEmbedded ? test : test.skip)('at 320 px the page never scrolls sideways, in every language', async () => {
  for (const lang of ['en', 'de', 'fr']) {
    const page = await pageAt({ width: 320, height: 800 });
    // The form's labels are in the page's language: find the fields by their type.
    await page.goto(`/dashboard/overview?lang=${lang}`);
    await page.locator('input[type=email]').fill(ADMIN.email);
    await page.locator('input[type=password]').fill(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.locator('#fixchecks-team-table').waitFor();
    // The wide tables scroll in their own focusable regions, named by their captions.
    const region = page.locator('.overview__scroll:has(#fixchecks-team-table)');
    expect(await region.getAttribute('role')).toBe('region');
    expect(await region.getAttribute('tabindex')).toBe('0');
    expect(await region.getAttribute('aria-labelledby')).toBe('fixchecks-team-table-caption');
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      window: document.documentElement.clientWidth,
    }));
    expect([lang, widths.page]).toEqual([lang, widths.window]);
    expectNoViolations(await axeViolations(page));
    await page.screenshot({ path: path.join(SHOTS, `320-${lang}.png`), fullPage: true });
  }
});

(onEmbedded ? test : test.skip)('a cluster names its place and counts what the filters show', async () => {
  const near = (i: number) => ({ lat: SPOT.lat + (i % 3) * 0.00005, lon: SPOT.lon + Math.floor(i / 3) * 0.00005 });
  const addresses = [
    'Lindenstraße 3, 14467 Potsdam',
    'Lindenstraße 5a, Potsdam',
    'Lindenstraße 12, Potsdam',
    'Am Kanal 7, Potsdam',
  ];
  for (const [i, address] of addresses.entries())
    await createReport(server.baseUrl, { category: 'steps', severity: 2, address, ...near(i) });
  for (const i of [4, 5]) await createReport(server.baseUrl, { category: 'help_shelter', severity: 2, ...near(i) });

  // At 1440 × 900 only: at 390 px the workspace has no room left for the map (its grid keeps
  // the list at 440 px or more), so there is no cluster to open there until the map reflows.
  for (const [name, viewport] of [['desktop', DESKTOP]] as const) {
    const page = await pageAt(viewport);
    await signIn(page, `/dashboard#map=14/${SPOT.lat + 0.00005}/${SPOT.lon + 0.000025}`);
    await page.getByText('6 reports in this map view', { exact: false }).waitFor();
    // The cluster is drawn at its reports' middle, the map's centre: a pointer opens it.
    const canvas = page.locator('.map-canvas canvas');
    // At phone size the map is beside the list, past the screen's edge: scroll to it first.
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByRole('heading', { name: '6 reports near Lindenstraße, Potsdam' }).waitFor();
    expect(await page.locator('.cluster-list__items li').count()).toBe(6);
    expectNoViolations(await axeViolations(page));
    await page.screenshot({ path: path.join(SHOTS, `${name}-cluster-all.png`) });

    // Show only help requests, with the keyboard: they have no address, so a coordinate names them.
    await tabTo(page, 'filter-kind');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown'); // Help requests
    await page.getByRole('heading', { name: /^2 reports at 52\.401° N, 13\.051° E$/ }).waitFor();
    expect(await page.locator('.cluster-list__items li').count()).toBe(2);
    expectNoViolations(await axeViolations(page));
    await page.screenshot({ path: path.join(SHOTS, `${name}-cluster-help.png`) });

    await page.keyboard.press('ArrowUp'); // Barriers
    await page.getByRole('heading', { name: '4 reports near Lindenstraße, Potsdam' }).waitFor();
    expect(await page.locator('.cluster-list__items li').count()).toBe(4);
  }
});

(onEmbedded ? test : test.skip)('the queue shows the reports of one channel, chosen with the keyboard', async () => {
  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    const page = await pageAt(viewport);
    await signIn(page, '/dashboard');
    await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
    await tabTo(page, 'filter-category');
    // "More filters" is the summary after the status select; open it to reach the channel.
    await page.locator('.filters__summary').focus();
    if (!(await page.locator('.filters__more').evaluate((d) => (d as HTMLDetailsElement).open))) {
      await page.keyboard.press('Enter');
    }
    await tabTo(page, 'filter-channel');
    await page.keyboard.type('SMS');
    // The two open reports that came by SMS (of the past ones; the rest came by the web or Open311).
    await page.locator('#queue-count', { hasText: 'Showing 2 of 2 open reports' }).waitFor();
    expect(await page.locator('#queue-filters').textContent()).toBe('Filters: channel SMS.');
    expect(new URL(page.url()).hash).toContain('channel=sms');
    expect(await page.locator('.filters__summary').textContent()).toBe('More filters (1 on)');
    expectNoViolations(await axeViolations(page));
    await page.screenshot({ path: path.join(SHOTS, `${name}-queue-channel.png`) });
  }
});
