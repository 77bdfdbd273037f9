/**
 * Issue 13 in the citizen app: SVG category icons (no emoji left to turn into boxes), the
 * address search through the server's geocoder (a local stand-in speaking Nominatim's
 * /search?format=jsonv2), precise messages for a denied location and a busy server, the
 * legend, clusters that never overlap, a list for reports at one spot, the photo viewer, and
 * the footer in every language — with the keyboard, at 390 × 844 and 1440 × 900, axe clean.
 * Screenshots go to .scratch/shots/citizen-13/ for people to look at.
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { twoColourJpeg } from '../fixtures/images';
import { axeViolations, launchBrowser, phoneContext } from './support/browser';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';

jest.setTimeout(240_000);

const SHOTS = path.resolve(__dirname, '../../.scratch/shots/citizen-13');
const DESKTOP = { width: 1440, height: 900 };

let server: RunningServer;
let geocoder: { url: string; queries: string[]; close(): Promise<void> };
let browser: Browser;
let context: BrowserContext | undefined;

async function nominatimStub(): Promise<typeof geocoder> {
  const queries: string[] = [];
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const q = url.searchParams.get('q') ?? '';
    queries.push(q);
    if (url.pathname !== '/search' || url.searchParams.get('format') !== 'jsonv2') return res.writeHead(400).end();
    const body = /nowhere/i.test(q)
      ? []
      : [
          { lat: '52.5219', lon: '13.4132', display_name: 'Alexanderplatz 1, Mitte, Berlin, Deutschland' },
          { lat: '52.5200', lon: '13.4050', display_name: 'Alexanderstraße, Mitte, Berlin, Deutschland' },
        ];
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, queries, close: () => new Promise((r) => srv.close(() => r())) };
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  geocoder = await nominatimStub();
  server = await startServer({ GEOCODER_URL: geocoder.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  const errors = server?.errors() ?? [];
  if (errors.length) console.warn(`The server logged ${errors.length} error(s):\n${errors.join('\n')}`);
  await browser?.close();
  await server?.stop();
  await geocoder?.close();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

type Spot = { latitude: number; longitude: number };

async function open(
  at: Spot,
  opts: { locale?: string; desktop?: boolean; view?: { lat: number; lon: number; zoom: number }; geo?: boolean } = {},
  target = server,
): Promise<Page> {
  context = await phoneContext(browser, target.baseUrl, at, { locale: opts.locale, serviceWorkers: 'block' });
  if (opts.geo === false) await context.clearPermissions();
  const page = await context.newPage();
  if (opts.desktop) await page.setViewportSize(DESKTOP);
  if (opts.view) {
    await page.addInitScript((v) => localStorage.setItem('wegfrei:view', JSON.stringify(v)), opts.view);
  }
  await page.goto('/');
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
  return page;
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

async function expectAxeClean(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/** Focuses an element the way Tab would reach it, then checks focus is where we wanted. */
async function focus(page: Page, selector: string): Promise<void> {
  await page.locator(selector).first().focus();
  expect(await page.evaluate((s) => document.activeElement?.matches(s), selector)).toBe(true);
}

test('every category, marker and list entry draws an SVG icon, never an emoji', async () => {
  const spot = { latitude: 48.1001, longitude: 11.5001 };
  await createReport(server.baseUrl, {
    kind: 'barrier',
    category: 'lift',
    lat: spot.latitude,
    lon: spot.longitude,
    severity: 3,
  });
  const page = await open(spot, { view: { lat: spot.latitude, lon: spot.longitude, zoom: 17 } });
  const tiles = page.locator('.tile__icon');
  const count = await tiles.count();
  expect(count).toBeGreaterThanOrEqual(24);
  for (let i = 0; i < count; i++) {
    const tile = tiles.nth(i);
    expect(await tile.locator('svg.category-icon path').count()).toBeGreaterThan(0);
    expect((await tile.textContent())?.trim()).toBe('');
  }
  await page.locator('.report-marker svg.category-icon[data-category="lift"]').waitFor();
  await page.locator('.report-list__icon svg[data-category="lift"]').waitFor();
  // No emoji left in the form or the list (the taxonomy's icons were the only ones there).
  const emoji = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#report-form, .reports-in-view')].flatMap((el) =>
      (el.innerText.match(/\p{Extended_Pictographic}/gu) ?? []).filter((c) => !'©®™'.includes(c)),
    ),
  );
  expect(emoji).toEqual([]);
  await page.locator('#step-what').scrollIntoViewIfNeeded();
  await shot(page, 'phone-categories');
  await expectAxeClean(page);
});

test('the address search finds a place, with the keyboard, and puts the pin there', async () => {
  const page = await open({ latitude: 52.52, longitude: 13.4 });
  expect(await page.locator('#place-input-hint').textContent()).toContain('A street and number');
  await focus(page, '#place-input');
  await page.keyboard.type('Alexanderplatz 1');
  await page.keyboard.press('Enter');
  const results = page.getByRole('list', { name: 'Places found' });
  await results.waitFor();
  expect(await page.locator('.search-result').allTextContents()).toEqual([
    'Alexanderplatz 1, Mitte, Berlin, Deutschland',
    'Alexanderstraße, Mitte, Berlin, Deutschland',
  ]);
  expect(geocoder.queries).toContain('Alexanderplatz 1');
  expect(await page.getByRole('status').filter({ hasText: '2 places found' }).count()).toBe(1);
  // The places are in view, above the sticky send bar, without scrolling by hand.
  await page.waitForFunction(() => {
    const list = document.querySelector('.search-results')!.getBoundingClientRect();
    const bar = document.querySelector('.action-bar')?.getBoundingClientRect();
    return list.bottom <= (bar && bar.height ? bar.top : innerHeight) + 1 && list.top >= 0;
  });
  await shot(page, 'phone-search-results');
  await expectAxeClean(page);
  // Tab from the field passes the Search button, then reaches the first place.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
    'Alexanderplatz 1, Mitte, Berlin, Deutschland',
  );
  await page.keyboard.press('Enter');
  await page.locator('.place-status--set').waitFor();
  expect(await page.locator('#place-status').textContent()).toContain('52.52190, 13.41320');
  expect(await page.locator('.search-results').isHidden()).toBe(true);
  expect(await page.locator('#place-input').inputValue()).toBe('Alexanderplatz 1, Mitte, Berlin, Deutschland');

  await page.locator('#place-input').fill('Nowhere street');
  await page.locator('#place-input').press('Enter');
  await page.getByText('No place found for “Nowhere street”').waitFor();
});

test('without GEOCODER_URL the field does not promise a search and keeps the address', async () => {
  // What a server without a geocoder says (tests/api/geocoder.test.ts checks the server's side).
  context = await phoneContext(
    browser,
    server.baseUrl,
    { latitude: 52.52, longitude: 13.4 },
    { serviceWorkers: 'block' },
  );
  const page = await context.newPage();
  await page.route('**/api/v1/config', async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, json: { ...(await res.json()), address_search: false } });
  });
  await page.goto('/');
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
  const hint = await page.locator('#place-input-hint').textContent();
  expect(hint).toContain('does not move the pin');
  expect(await page.getByRole('button', { name: 'Search', exact: true }).count()).toBe(0);
  const before = geocoder.queries.length;
  await page.locator('#place-input').fill('Hauptstraße 5');
  await page.locator('#place-input').press('Enter');
  await page.getByText('Address saved').waitFor();
  expect(geocoder.queries.length).toBe(before);
});

test.each([
  ['en-GB', 'Location access is off for this site'],
  ['de-DE', 'Der Standortzugriff ist für diese Seite ausgeschaltet'],
  ['fr-FR', 'L’accès à la position est désactivé pour ce site'],
])('a denied location permission says so and how to place the pin by hand (%s)', async (locale, words) => {
  const page = await open({ latitude: 52.52, longitude: 13.4 }, { locale, geo: false });
  await focus(page, '#locate-me');
  await page.keyboard.press('Enter');
  const message = page.getByText(words);
  await message.waitFor();
  expect(await page.getByText(/could not be found|nicht gefunden|n’a pas pu être trouvée/).count()).toBe(0);
  if (locale === 'en-GB') {
    await shot(page, 'phone-location-denied');
    await expectAxeClean(page);
  }
});

test('a 503 says the server is busy and the report waits on the phone, not that there is no connection', async () => {
  const page = await open({ latitude: 52.5301, longitude: 13.4201 });
  await page.route('**/api/v1/reports', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          headers: { 'Retry-After': '5' },
          body: JSON.stringify({ status: 503, title: 'Service unavailable', detail: 'Please try again shortly.' }),
        })
      : route.continue(),
  );
  await page.locator('#locate-me').click();
  await page.locator('.place-status--set').waitFor();
  await page.locator('label[for="category-steps"]').click();
  await page.locator('label[for="severity-2"]').click();
  await page.locator('#send').click();
  await page.getByRole('heading', { name: 'Saved on this phone — the server is busy' }).waitFor();
  const text = await page.locator('.done').textContent();
  expect(text).toContain('your connection is fine');
  expect(text).not.toContain('There is no connection');
  await shot(page, 'phone-server-busy');
});

test('at zoom 4 no two clusters overlap, and the legend explains them', async () => {
  // Reports over much of Germany: the server's grid cells lie close enough to collide as discs.
  const base = { lat: 50.0, lon: 8.0 };
  const made: Promise<unknown>[] = [];
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 6; j++) {
      made.push(
        createReport(server.baseUrl, {
          kind: 'barrier',
          category: 'steps',
          lat: base.lat + i * 0.35,
          lon: base.lon + j * 0.45,
          severity: ((i + j) % 3) + 1,
        }),
      );
    }
  }
  await Promise.all(made);
  // The server folds new reports into its cluster cells every few seconds.
  const bbox = '-30,30,50,70';
  let apiTotal = 0;
  for (let i = 0; i < 40 && apiTotal < 36; i++) {
    if (i) await new Promise((r) => setTimeout(r, 500));
    const res = await fetch(`${server.baseUrl}/api/v1/clusters?bbox=${bbox}&zoom=4`);
    const body = (await res.json()) as { features: { properties: { count: number } }[] };
    apiTotal = body.features.reduce((n, f) => n + f.properties.count, 0);
  }
  expect(apiTotal).toBeGreaterThanOrEqual(36);
  for (const desktop of [false, true]) {
    // Without location access, so the map stays at the saved view instead of going to the person.
    const page = await open(
      { latitude: 51, longitude: 9 },
      { desktop, geo: false, view: { lat: 50.9, lon: 9.2, zoom: 4 } },
    );
    const discs = page.locator('.leaflet-marker-pane .cluster-marker');
    await discs.first().waitFor();
    const boxes = await discs.evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2, r: r.width / 2, n: el.textContent };
      }),
    );
    for (let a = 0; a < boxes.length; a++) {
      for (let b = a + 1; b < boxes.length; b++) {
        const [p, q] = [boxes[a]!, boxes[b]!];
        expect(Math.hypot(p.x - q.x, p.y - q.y)).toBeGreaterThanOrEqual(p.r + q.r);
      }
    }
    // Every report is still counted, once: merging moves counts, it never drops or doubles them.
    const total = boxes.reduce((n, b) => n + Number(b.n), 0);
    expect(total).toBe(apiTotal);
    await focus(page, '.legend summary');
    await page.keyboard.press('Enter');
    await page.getByText('A number in a blue disc').waitFor();
    expect(await page.locator('.legend__categories li').count()).toBeGreaterThanOrEqual(24);
    await page.locator('.map').scrollIntoViewIfNeeded();
    await shot(page, desktop ? 'desktop-zoom4-legend' : 'phone-zoom4-legend');
    await expectAxeClean(page);
    await context?.close();
    context = undefined;
  }
});

test('reports at one spot become one badge whose list lets you pick each', async () => {
  const spot = { latitude: 47.3701, longitude: 8.5401 };
  const a = await createReport(server.baseUrl, {
    kind: 'barrier',
    category: 'steps',
    lat: spot.latitude,
    lon: spot.longitude,
    severity: 3,
  });
  const b = await createReport(server.baseUrl, {
    kind: 'barrier',
    category: 'surface',
    lat: spot.latitude + 0.00001,
    lon: spot.longitude,
    severity: 1,
  });
  for (const desktop of [false, true]) {
    const page = await open(spot, {
      desktop,
      geo: false,
      view: { lat: spot.latitude, lon: spot.longitude, zoom: 17 },
    });
    const badge = page.locator('.report-marker--stack');
    await badge.waitFor();
    expect(await badge.getAttribute('title')).toBe('2 reports at this spot');
    expect(await badge.locator('.report-marker__count').textContent()).toBe('2');
    await focus(page, '.report-marker--stack');
    await page.keyboard.press('Enter');
    const links = page.locator('.stack-list__link');
    await links.first().waitFor();
    expect(await links.count()).toBe(2);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('stack-list__link'))).toBe(true);
    const hrefs = await links.evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    expect(hrefs.sort()).toEqual([`/reports/${a.id}`, `/reports/${b.id}`].sort());
    await shot(page, desktop ? 'desktop-stack' : 'phone-stack');
    await expectAxeClean(page);
    await context?.close();
    context = undefined;
  }
});

test('photos open in a dialog: whole photo, arrows and swipe, Escape back to the thumbnail', async () => {
  const form = new FormData();
  for (const [k, v] of Object.entries({ kind: 'barrier', category: 'works', lat: 52.51, lon: 13.38, severity: 2 })) {
    form.append(k, String(v));
  }
  // A tall and a wide photo: neither may be cropped.
  for (const [w, h] of [
    [480, 960],
    [960, 480],
  ] as const) {
    form.append('photos', new Blob([new Uint8Array(await twoColourJpeg(w, h))], { type: 'image/jpeg' }), 'p.jpg');
  }
  const res = await fetch(`${server.baseUrl}/api/v1/reports`, { method: 'POST', body: form });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: number };
  for (const [locale, desktop] of [
    ['en-GB', false],
    ['fr-FR', true],
  ] as const) {
    context = await phoneContext(browser, server.baseUrl, { latitude: 52.51, longitude: 13.38 }, { locale });
    const page = await context.newPage();
    if (desktop) await page.setViewportSize(DESKTOP);
    await page.goto(`/reports/${id}`);
    const thumbs = page.locator('.photo-grid a');
    await thumbs.first().waitFor();
    expect(
      await page
        .locator('.photo-grid img')
        .first()
        .evaluate((el) => getComputedStyle(el).objectFit),
    ).toBe('contain');
    await focus(page, '.photo-grid a');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const img = dialog.locator('img');
    expect(await img.getAttribute('alt')).toMatch(
      locale === 'en-GB' ? /^Photo 1 of the report/ : /^Photo 1 du signalement/,
    );
    expect(await img.evaluate((el) => getComputedStyle(el).objectFit)).toBe('contain');
    await page.keyboard.press('ArrowRight');
    await dialog.getByText(locale === 'en-GB' ? 'Photo 2 of 2' : 'Photo 2 sur 2').waitFor();
    await img.evaluate((el: HTMLImageElement) => el.decode());
    // The whole photo is inside the dialog's view.
    const fits = await img.evaluate((el: HTMLImageElement) => {
      const r = el.getBoundingClientRect();
      return r.bottom <= innerHeight && r.right <= innerWidth && el.naturalWidth > 0;
    });
    expect(fits).toBe(true);
    await shot(page, desktop ? 'desktop-photo-viewer-fr' : 'phone-photo-viewer');
    await expectAxeClean(page);
    // A swipe to the right goes back.
    const box = (await img.boundingBox())!;
    await page.mouse.move(box.x + 40, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + box.height / 2);
    await page.mouse.up();
    await dialog.getByText(locale === 'en-GB' ? 'Photo 1 of 2' : 'Photo 1 sur 2').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.closest('.photo-grid') !== null)).toBe(true);
    await context.close();
    context = undefined;
  }
});

test.each([
  ['en-GB', 'Open data', 'How reports are dealt with', 'API for developers', 'More from Wegfrei'],
  [
    'de-DE',
    'Offene Daten',
    'Wie Meldungen bearbeitet werden',
    'Schnittstelle (API) für Entwickler',
    'Mehr von Wegfrei',
  ],
  [
    'fr-FR',
    'Données ouvertes',
    'Comment les signalements sont traités',
    'API pour les développeurs',
    'Plus de Wegfrei',
  ],
])(
  'the footer is in the page’s language, and the no-JavaScript text in all three (%s)',
  async (locale, data, stats, api, nav) => {
    const page = await open({ latitude: 52.52, longitude: 13.4 }, { locale });
    const footer = page.getByRole('navigation', { name: nav });
    expect(await footer.getByRole('link').allTextContents()).toEqual([data, stats, api]);
    expect(await footer.getByRole('link', { name: stats }).getAttribute('href')).toBe('/stats');
    if (locale === 'de-DE') {
      await page.locator('.site-footer').scrollIntoViewIfNeeded();
      await shot(page, 'phone-footer-de');
    }
    for (const file of ['/', '/reports/1']) {
      const html = await (await fetch(`${server.baseUrl}${file}`)).text();
      const noscript = /<noscript>([\s\S]*?)<\/noscript>/.exec(html)?.[1] ?? '';
      expect(noscript).toContain('lang="en"');
      expect(noscript).toContain('Wegfrei braucht JavaScript');
      expect(noscript).toContain('Wegfrei a besoin de JavaScript');
    }
  },
);
