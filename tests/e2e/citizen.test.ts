/**
 * The citizen app end to end: real server, real database, real Chromium at phone size.
 * One server for the file (its embedded database takes ~25 s to create); every test gets a
 * fresh browser context and makes its own reports at its own spot.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, phoneContext } from './support/browser';
import { categoryLabel, createReport, getReport, jpegBuffer, jpegFile } from './support/reports';
import { startServer, type RunningServer } from './support/server';

jest.setTimeout(180_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  // A 500 in a test is the server's to explain; show its error lines next to the failure.
  const errors = server?.errors() ?? [];
  if (errors.length) console.warn(`The server logged ${errors.length} error(s):\n${errors.join('\n')}`);
  await browser?.close();
  await server?.stop();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function openApp(
  at: { latitude: number; longitude: number },
  options: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<Page> {
  context = await phoneContext(browser, server.baseUrl, at, options);
  const page = await context.newPage();
  await page.goto('/');
  // The categories come from the API; the form is usable once they are there.
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
  return page;
}

/** Selects a radio the way a keyboard user does: focus it, press Space. */
async function chooseByKeyboard(page: Page, selector: string): Promise<void> {
  await page.locator(selector).focus();
  await page.keyboard.press('Space');
  expect(await page.locator(selector).isChecked()).toBe(true);
}

async function placeStatus(page: Page): Promise<string> {
  return ((await page.locator('#place-status').textContent()) ?? '').trim();
}

async function locateMe(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Locate me' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('.place-status--set').waitFor();
}

test('a barrier with a photo is reported with the keyboard and then found on its page, the map and the list', async () => {
  const spot = { latitude: 52.52, longitude: 13.405 };
  const label = await categoryLabel(server.baseUrl, 'kerb_missing');
  const page = await openApp(spot);

  await locateMe(page);
  expect(await placeStatus(page)).toBe('Place: 52.52000, 13.40500 ±12 m');

  await chooseByKeyboard(page, '#category-kerb_missing');
  await chooseByKeyboard(page, '#severity-3');
  await chooseByKeyboard(page, '#passability-no');
  const description = 'Kerb at the corner is 12 cm high, no ramp on either side.';
  await page.locator('#description').focus();
  await page.keyboard.type(description);
  expect(await page.locator('#description-count').textContent()).toBe(`${4000 - description.length} characters left`);

  // The photo carries GPS 150 m away: the app may only suggest it, never apply it.
  const photo = await jpegFile('corner.jpg', { lat: 52.5213, lon: 13.4055 });
  await page.locator('#photo-gallery').setInputFiles(photo);
  // Scoped: the same words are also announced through the (hidden) live region.
  await page.locator('.suggestion').getByText('This photo was taken at 52.52130, 13.40550').waitFor();
  expect(await page.locator('.photo-list li').count()).toBe(1);
  await page.getByRole('button', { name: 'Remove photo 1' }).waitFor();
  await page.getByRole('button', { name: 'No, thanks' }).focus();
  await page.keyboard.press('Enter');
  expect(await placeStatus(page)).toContain('52.52000, 13.40500');

  const posted = page.waitForRequest((r) => r.url().endsWith('/api/v1/reports') && r.method() === 'POST');
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/reports') && r.request().method() === 'POST');
  await page.locator('#send').focus();
  await page.keyboard.press('Enter');
  const request = await posted;
  const response = await answered;
  expect(response.status()).toBe(201);
  expect(request.headers()['idempotency-key']).toMatch(UUID);
  expect(request.headers()['content-type']).toMatch(/^multipart\/form-data/);
  const id = ((await response.json()) as { id: number }).id;

  await page.getByRole('heading', { name: 'Thank you — your report was sent' }).waitFor();
  const link = page.getByRole('link', { name: 'View the report page' });
  expect(await link.getAttribute('href')).toBe(`/reports/${id}`);

  const stored = await getReport(server.baseUrl, id);
  expect(stored.geometry.coordinates).toEqual([13.405, 52.52]);
  expect(stored.properties).toMatchObject({ category: 'kerb_missing', severity: 3, passability: 'no', description });
  expect(stored.properties.photos).toHaveLength(1);

  await link.focus();
  await Promise.all([page.waitForURL(`**/reports/${id}`), page.keyboard.press('Enter')]);
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
  expect(await page.getByText(description).count()).toBe(1);
  expect(await page.getByText('3 — Impassable').count()).toBe(1);
  const thumb = page.getByRole('img', { name: `Photo 1 of the report “${label}”` });
  await thumb.waitFor();
  expect(await thumb.getAttribute('src')).toBe(stored.properties.photos[0]!.thumbnail_url);
  expect(await page.locator('.photo-grid a').getAttribute('href')).toBe(stored.properties.photos[0]!.url);
  expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await page.getByRole('button', { name: 'Still there' }).click();
  await page.getByText('Thank you, your answer was recorded.').waitFor();
  expect(await page.getByText('1 person says it is still there, 0 say it is gone.').count()).toBe(1);
  expect(await page.getByRole('button', { name: 'Gone' }).isDisabled()).toBe(true);

  // Back on the map, centred on the person: the report is a marker and a list entry.
  await page.goto('/');
  const item = page.locator(`.report-list a[href="/reports/${id}"]`);
  await item.waitFor();
  expect(await item.textContent()).toBe(label);
  const marker = page.locator(`.report-marker[title="${label}, Impassable, New"]`);
  expect(await marker.count()).toBe(1);
  await marker.click();
  const popupLink = page.locator('.leaflet-popup a', { hasText: 'Open report page' });
  expect(await popupLink.getAttribute('href')).toBe(`/reports/${id}`);
});

test('a report of the same category at the same spot offers to confirm the existing one', async () => {
  const spot = { latitude: 52.531, longitude: 13.384 };
  const existing = await createReport(server.baseUrl, {
    kind: 'barrier',
    category: 'steps',
    lat: spot.latitude,
    lon: spot.longitude + 0.0002,
    severity: 2,
    description: 'Three steps into the pharmacy',
  });
  const page = await openApp(spot);
  await locateMe(page);
  await chooseByKeyboard(page, '#category-steps');

  const panel = page.getByRole('region', { name: 'Already reported here?' });
  await panel.waitFor();
  expect(await panel.getByText('Three steps into the pharmacy').count()).toBe(1);
  expect(await panel.locator(`a[href="/reports/${existing.id}"]`).count()).toBe(1);
  await panel.getByRole('button', { name: 'Confirm this one instead' }).click();

  await page.getByRole('heading', { name: 'Thank you! You confirmed it is still there.' }).waitFor();
  expect(await page.getByRole('link', { name: 'View the report page' }).getAttribute('href')).toBe(
    `/reports/${existing.id}`,
  );
  expect((await getReport(server.baseUrl, existing.id)).properties.confirmations).toEqual({ still_there: 1, gone: 0 });

  // "Report another" starts over with an empty form.
  await page.getByRole('button', { name: 'Report another' }).click();
  expect(await page.locator('#category-steps').isChecked()).toBe(false);
  expect(await placeStatus(page)).toBe('No place chosen yet.');
});

test("the server's field error is shown next to the field it names", async () => {
  const page = await openApp({ latitude: 52.508, longitude: 13.425 });
  await locateMe(page);
  await chooseByKeyboard(page, '#category-surface');
  await chooseByKeyboard(page, '#severity-1');
  // Named and typed as a JPEG, but not one: only the server, which reads the bytes, can tell.
  await page.locator('#photo-gallery').setInputFiles({
    name: 'holiday.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from('this is a text file, not a photo'),
  });

  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/reports') && r.request().method() === 'POST');
  await page.locator('#send').click();
  const response = await answered;
  expect(response.status()).toBeGreaterThanOrEqual(400);
  expect(response.status()).toBeLessThan(500);
  const problem = (await response.json()) as { errors: { field: string; detail: string }[] };
  expect(problem.errors[0]!.field).toBe('photos[0]');

  const message = page.locator('#error-photos');
  await message.waitFor();
  expect(await message.textContent()).toBe(`Photo 1 ${problem.errors[0]!.detail}`);
  const gallery = page.locator('#photo-gallery');
  expect(await gallery.getAttribute('aria-invalid')).toBe('true');
  expect(await gallery.getAttribute('aria-describedby')).toContain('error-photos');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('photo-gallery');
  expect(await page.locator('.action-bar__problem').textContent()).toBe('Please correct 1 field.');
});

test('the app, a chosen category and a report page have no WCAG 2.2 AA violations', async () => {
  const page = await openApp({ latitude: 52.515, longitude: 13.395 });
  await page.locator('.leaflet-tile-loaded').first().waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await locateMe(page);
  await chooseByKeyboard(page, '#category-help_medical');
  await page.locator('#people-count').waitFor();
  await page.locator('#send').click();
  await page.locator('#error-severity').waitFor();
  expect(await axeViolations(page)).toEqual([]);

  const report = await createReport(
    server.baseUrl,
    {
      kind: 'barrier',
      category: 'entrance',
      lat: 52.5151,
      lon: 13.3951,
      severity: 2,
      description: 'Door is too heavy',
    },
    await jpegBuffer(),
  );
  await page.goto(`/reports/${report.id}`);
  await page.locator('.photo-grid img').waitFor();
  await page.locator('#report-map .leaflet-tile-loaded').first().waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await page.goto('/reports/987654');
  await page.getByRole('heading', { name: 'Report not found' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
});

test('when map tiles fail, the notice shows and typed coordinates still make a report', async () => {
  server.tiles.fail = true;
  try {
    const page = await openApp({ latitude: 52.5, longitude: 13.44 });
    await page.getByText('Map images could not load; you can still type coordinates.').waitFor();

    await page.locator('#place-input').fill('52.5005, 13.4410');
    await page.keyboard.press('Enter');
    expect(await placeStatus(page)).toBe('Place: 52.50050, 13.44100');
    await chooseByKeyboard(page, '#category-obstacle');
    await chooseByKeyboard(page, '#severity-2');
    await page.locator('#send').click();
    await page.getByRole('heading', { name: 'Thank you — your report was sent' }).waitFor();
    const href = await page.getByRole('link', { name: 'View the report page' }).getAttribute('href');
    const id = Number(/^\/reports\/(\d+)$/.exec(href ?? '')?.[1]);
    expect((await getReport(server.baseUrl, id)).geometry.coordinates).toEqual([13.441, 52.5005]);
  } finally {
    server.tiles.fail = false;
  }
});

test('the map places and nudges the pin by keyboard and lets focus out with Escape', async () => {
  const page = await openApp({ latitude: 52.495, longitude: 13.37 });
  const map = page.locator('#map');
  await map.focus();
  await page.keyboard.press('Enter');
  const placed = await placeStatus(page);
  expect(placed).toMatch(/^Place: -?\d+\.\d{5}, -?\d+\.\d{5}$/);
  await page.keyboard.press('Shift+ArrowRight');
  const nudged = await placeStatus(page);
  expect(nudged).not.toBe(placed);
  // Same latitude, a little further east.
  expect(nudged.split(',')[0]).toBe(placed.split(',')[0]);
  await page.keyboard.press('Escape');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Pin at map centre');
});

test('a retry after a lost answer reuses the Idempotency-Key and stores the report once', async () => {
  const spot = { latitude: 52.488, longitude: 13.355 };
  // page.route() cannot see requests of a page that a service worker controls.
  const page = await openApp(spot, { serviceWorkers: 'block' });
  await locateMe(page);
  await chooseByKeyboard(page, '#category-works');
  await chooseByKeyboard(page, '#severity-2');
  await page.locator('#description').fill('Scaffolding across the whole footway');

  // The first attempt reaches the server, but its answer is lost on the way back.
  const keys: string[] = [];
  let attempts = 0;
  await page.route('**/api/v1/reports', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    keys.push(route.request().headers()['idempotency-key'] ?? '');
    attempts += 1;
    if (attempts === 1) {
      await route.fetch();
      return route.abort('internetdisconnected');
    }
    return route.continue();
  });

  // Without an answer the report stays on the phone, waiting; "Send now" tries again at once.
  await page.locator('#send').click();
  await page.getByRole('heading', { name: 'Saved on this phone — waiting to send' }).waitFor();
  const mine = page.getByRole('region', { name: 'My reports' });
  expect(await mine.getByRole('list', { name: 'Waiting to send' }).getByRole('listitem').count()).toBe(1);
  await mine.getByRole('button', { name: 'Send now' }).click();
  await page.getByRole('heading', { name: 'Thank you — your report was sent' }).waitFor();
  await mine.getByRole('list', { name: 'Waiting to send' }).waitFor({ state: 'hidden' });

  expect(keys).toHaveLength(2);
  expect(keys[0]).toMatch(UUID);
  expect(keys[1]).toBe(keys[0]);
  const d = 0.001;
  const bbox = [spot.longitude - d, spot.latitude - d, spot.longitude + d, spot.latitude + d].join(',');
  const list = (await (await fetch(`${server.baseUrl}/api/v1/reports?bbox=${bbox}&category=works`)).json()) as {
    features: { id: number }[];
  };
  expect(list.features).toHaveLength(1);
  const href = await page.getByRole('link', { name: 'View the report page' }).getAttribute('href');
  expect(href).toBe(`/reports/${list.features[0]!.id}`);
});
