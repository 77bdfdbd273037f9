/**
 * A researcher finds the latest release on /data (in English and German, on a phone and a
 * laptop): its number, date and size, a link per file, the commands that read it in place;
 * before the first release the page says when one comes. From another origin, a script reads
 * a release file in parts (Range), as DuckDB-Wasm or flatgeobuf in a browser do.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser, PHONE } from './support/browser';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';
import { StaffClient } from './support/staff';

jest.setTimeout(240_000);

// The same first admin as the other e2e files: on a shared real database only the first is made.
const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };
const LAPTOP = { width: 1366, height: 768 };
/** Screenshots for looking at, when asked for (`SHOTS_DIR=…`). */
const SHOTS = process.env.SHOTS_DIR;

let server: RunningServer;
let browser: Browser;

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

async function openData(viewport: { width: number; height: number }, lang = 'en'): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport, locale: lang });
  const page = await context.newPage();
  await page.goto(`/data?lang=${lang}`);
  await page.locator('#release-latest:not(:empty)').waitFor();
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.locator('#releases-heading').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

const noViolations = async (page: Page) =>
  expect((await axeViolations(page)).map((v) => `${v.id}: ${v.nodes.join(' | ')}`)).toEqual([]);

test('says there is no release yet, then shows the latest one with every file', async () => {
  const before = await openData(PHONE);
  // A fresh server makes its first release a minute after start; on a shared database an
  // earlier file's release may exist already.
  const listed = (await (await fetch(`${server.baseUrl}/releases/`)).json()) as { releases: unknown[] };
  if (!listed.releases.length) {
    await expect(before.locator('#release-latest').textContent()).resolves.toMatch(/No release yet/);
  }

  await createReport(server.baseUrl, { category: 'steps', lat: 46.948, lon: 7.447, severity: 3 });
  const admin = new StaffClient(server.baseUrl);
  await admin.login(ADMIN.email, ADMIN.password);
  const { id } = await admin.post<{ id: string }>('/api/v1/releases', {});
  for (let i = 0; i < 300; i++) {
    const list = (await (await fetch(`${server.baseUrl}/releases/`)).json()) as { releases: { id: string }[] };
    if (list.releases[0]?.id === id) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  for (const [viewport, name] of [
    [PHONE, 'phone'],
    [LAPTOP, 'laptop'],
  ] as const) {
    const page = await openData(viewport);
    await expect(page.locator('#release-latest').textContent()).resolves.toContain(`Latest release: ${id}`);
    const files = page.locator('#release-files a');
    await expect(files.allTextContents()).resolves.toEqual([
      'Data package: table schema, licence, checksums, row count',
      'GeoJSON',
      'CSV',
      'CSV with HXL hashtags',
      'Column types of the CSV, for GDAL',
      'FlatGeobuf',
      'GeoParquet 1.1',
    ]);
    // Every link is the dated, citable file, and it is there.
    for (const href of await files.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) {
      expect(new URL(href).pathname).toMatch(new RegExp(`^/releases/${id}/`));
      expect((await fetch(href, { method: 'HEAD' })).status).toBe(200);
    }
    await expect(page.locator('#release-cite').textContent()).resolves.toMatch(
      new RegExp(
        `^Cite this release as: Wegfrei contributors \\(\\d{4}\\)\\. Wegfrei reports, release ${id} \\[Data set\\]\\. ${server.baseUrl}/releases/${id}/\\. Licence: ODbL-1\\.0\\.$`,
      ),
    );
    await expect(page.locator('#cmd-release-gdal').textContent()).resolves.toBe(
      `ogrinfo -ro -so -al /vsicurl/${server.baseUrl}/releases/latest/reports.fgb`,
    );
    await noViolations(page);
    // Nothing wider than a phone's screen: long URLs wrap or scroll inside their own box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(page, `data-releases-${name}`);
    await page.context().close();
  }

  const german = await openData(PHONE, 'de');
  await expect(german.locator('#release-latest').textContent()).resolves.toContain(`Neueste Veröffentlichung: ${id}`);
  await expect(german.locator('#releases-heading').textContent()).resolves.toBe('Veröffentlichungen zum Zitieren');
  await expect(german.locator('#release-files a[href$="/reports.csvt"]').textContent()).resolves.toBe(
    'Spaltentypen der CSV-Datei, für GDAL',
  );
  // The option named in the words is set as code, not shown with its backticks.
  await expect(german.getByText('-preserve_fid', { exact: true }).evaluate((e) => e.tagName)).resolves.toBe('CODE');
  await noViolations(german);
  await shot(german, 'data-releases-phone-de');
  await german.context().close();
});

test('a page on another origin reads a release file in parts', async () => {
  const other = http
    .createServer((_req, res) => res.end('<!doctype html><html lang="en"><title>Notebook</title>'))
    .listen(0, '127.0.0.1');
  await new Promise((r) => other.once('listening', r));
  try {
    const page = await browser.newPage();
    await page.goto(`http://localhost:${(other.address() as AddressInfo).port}/`);
    const read = await page.evaluate(async (url) => {
      const res = await fetch(url, { headers: { Range: 'bytes=0-7' } });
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { status: res.status, range: res.headers.get('content-range'), magic: [...bytes.slice(0, 3)] };
    }, `${server.baseUrl}/releases/latest/reports.fgb`);
    // FlatGeobuf files begin with "fgb".
    expect(read).toMatchObject({ status: 206, magic: [0x66, 0x67, 0x62] });
    expect(read.range).toMatch(/^bytes 0-7\/\d+$/);
    await page.close();
  } finally {
    await new Promise((r) => other.close(r));
  }
});
