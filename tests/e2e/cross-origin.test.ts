/**
 * Open data read from a page on another origin, as a notebook or a web map would in Chromium:
 * the OGC API, the exports, the public lists, clusters, tiles and releases answer it (CORS,
 * `Cross-Origin-Resource-Policy: cross-origin`), a preflighted `Range` read too; the staff API
 * does not.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';

jest.setTimeout(240_000);

let server: RunningServer;
let other: http.Server;
let otherOrigin: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  await createReport(server.baseUrl, { category: 'steps', lat: 48.2082, lon: 16.3738, severity: 2 });
  // Another origin (another port, and `localhost` rather than 127.0.0.1): a researcher's tool.
  other = http
    .createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="en"><title>Someone else’s notebook</title><h1>Notebook</h1>');
    })
    .listen(0, '127.0.0.1');
  await new Promise((r) => other.once('listening', r));
  otherOrigin = `http://localhost:${(other.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(otherOrigin);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => other?.close(r));
  await server?.stop();
});

interface Read {
  ok: boolean;
  status?: number;
  type?: string | null;
  bytes?: number;
  error?: string;
}

/** Reads `path` of the Wegfrei server with fetch() from the other origin's page. */
function read(path: string, headers: Record<string, string> = {}): Promise<Read> {
  return page.evaluate(
    async ({ url, headers }) => {
      try {
        const res = await fetch(url, { headers, mode: 'cors' });
        const body = await res.arrayBuffer();
        return { ok: true, status: res.status, type: res.headers.get('content-type'), bytes: body.byteLength };
      } catch (err) {
        return { ok: false, error: String(err) };
      }
    },
    { url: `${server.baseUrl}${path}`, headers },
  );
}

it('reads every public read from another origin', async () => {
  expect(new URL(otherOrigin).origin).not.toBe(new URL(server.baseUrl).origin);
  for (const [path, type] of [
    ['/ogc', /json/],
    ['/ogc/collections/reports/items?limit=5', /geo\+json/],
    ['/ogc/collections/reports/queryables', /schema\+json/],
    ['/api/v1/exports/reports.csv', /text\/csv/],
    ['/api/v1/exports/reports.geojson', /geo\+json/],
    ['/api/v1/reports?limit=5', /json/],
    ['/api/v1/categories', /json/],
    ['/api/v1/clusters?bbox=16,48,17,49&zoom=10', /json/],
    ['/tiles/public/0/0/0.mvt', /vnd\.mapbox-vector-tile/],
    ['/open311/v2/services.json', /json/],
  ] as const) {
    const r = await read(path);
    expect({ path, ...r }).toMatchObject({ path, ok: true, status: 200 });
    expect(r.type).toMatch(type);
    expect(r.bytes).toBeGreaterThan(0);
  }
});

it('sends a preflight for a conditional Range read and reads the answer', async () => {
  // If-None-Match is not a CORS-safelisted header: Chromium asks OPTIONS first.
  const r = await read('/ogc/collections/reports/items?limit=1', { Range: 'bytes=0-9', 'If-None-Match': '"none"' });
  expect(r).toMatchObject({ ok: true, status: 200 });
});

it('reads errors too, so a tool can say what went wrong', async () => {
  const r = await read('/ogc/collections/reports/items?limit=abc');
  expect(r).toMatchObject({ ok: true, status: 400 });
  expect(r.type).toMatch(/problem\+json/);
});

it('keeps the staff API to its own origin', async () => {
  for (const path of ['/api/v1/staff/reports', '/api/v1/auth/me', '/api/v1/overview', '/tiles/staff/0/0/0.mvt']) {
    const r = await read(path);
    expect({ path, ok: r.ok }).toEqual({ path, ok: false });
  }
});
