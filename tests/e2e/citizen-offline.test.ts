/**
 * The citizen app without a connection: it opens from the service worker's cache, a report
 * made offline (photo included) waits on the phone in IndexedDB, and it arrives exactly once
 * when the connection returns. The network is switched off with Playwright's setOffline,
 * which also cuts the service worker off.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, phoneContext, serviceWorkerReady } from './support/browser';
import { bigPhoneJpeg, getReport, reportsNear } from './support/reports';
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
  const errors = server?.errors() ?? [];
  if (errors.length) console.warn(`The server logged ${errors.length} error(s):\n${errors.join('\n')}`);
  await browser?.close();
  await server?.stop();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

/** Opens the app and waits until it is installed for offline use. */
async function openApp(at: { latitude: number; longitude: number }): Promise<Page> {
  context = await phoneContext(browser, server.baseUrl, at);
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
  await serviceWorkerReady(page);
  return page;
}

async function fillBarrier(page: Page, category: string, description: string): Promise<void> {
  await page.getByRole('button', { name: 'Locate me' }).click();
  await page.locator('.place-status--set').waitFor();
  await page.locator(`label[for="category-${category}"]`).click();
  await page.locator('label[for="severity-2"]').click();
  await page.locator('#description').fill(description);
}

/** What the outbox holds, read from IndexedDB in the page: keys, photo types, sizes and bytes. */
async function outboxContents(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('wegfrei');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(new Error(String(open.error)));
    });
    const items = await new Promise<{ key: string; photos: File[] }[]>((resolve, reject) => {
      const req = db.transaction('outbox').objectStore('outbox').getAll();
      req.onsuccess = () => resolve(req.result as { key: string; photos: File[] }[]);
      req.onerror = () => reject(new Error(String(req.error)));
    });
    db.close();
    return Promise.all(
      items.map(async (item) => ({
        key: item.key,
        photos: await Promise.all(
          item.photos.map(async (photo) => {
            const bitmap = await createImageBitmap(photo);
            const text = new TextDecoder('latin1').decode(await photo.arrayBuffer());
            return {
              type: photo.type,
              bytes: photo.size,
              width: bitmap.width,
              height: bitmap.height,
              exif: text.includes('Exif') || text.includes('SERIAL-123456'),
            };
          }),
        ),
      })),
    );
  });
}

test('a report with a photo made offline waits on the phone and arrives exactly once when online again', async () => {
  const spot = { latitude: 52.4901, longitude: 13.4301 };
  const page = await openApp(spot);
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/reports')) posts.push(r.headers()['idempotency-key'] ?? '');
  });

  await fillBarrier(page, 'surface', 'Paving stones lifted by tree roots, offline report');
  await context!.setOffline(true);
  await page.getByText('You are offline. You can still make a report', { exact: false }).waitFor();

  // A 2400×1800 photo with GPS in its EXIF, chosen without a connection.
  const photo = await bigPhoneJpeg('roots.jpg', { lat: 52.4901, lon: 13.4301 });
  await page.locator('#photo-gallery').setInputFiles(photo);
  await page.getByRole('button', { name: 'Remove photo 1' }).waitFor();
  await page.locator('#send').click();

  await page.getByRole('heading', { name: 'Saved on this phone — waiting to send' }).waitFor();
  const mine = page.getByRole('region', { name: 'My reports' });
  const waiting = mine.getByRole('list', { name: 'Waiting to send' });
  await waiting.getByText('Waiting for a connection.').waitFor();
  expect(await waiting.getByRole('listitem').count()).toBe(1);
  expect(await waiting.getByRole('listitem').textContent()).toContain('1 photo');
  expect(await waiting.getByText('Waiting for a connection.').count()).toBe(1);
  expect(posts).toEqual([]);

  // Kept in IndexedDB: the Idempotency-Key made on Send, the photo shrunk on the phone
  // (longest side 1600 px, JPEG, without its EXIF).
  const queued = await outboxContents(page);
  expect(queued).toHaveLength(1);
  expect(queued[0]!.key).toMatch(UUID);
  expect(queued[0]!.photos).toEqual([
    { type: 'image/jpeg', bytes: expect.any(Number), width: 1600, height: 1200, exif: false },
  ]);
  expect(await reportsNear(server.baseUrl, spot, 'surface')).toHaveLength(0);

  // The connection returns: the outbox sends by itself, with the key made offline.
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/reports') && r.request().method() === 'POST');
  await context!.setOffline(false);
  expect((await answered).status()).toBe(201);
  await page.getByRole('heading', { name: 'Thank you — your report was sent' }).waitFor();
  await waiting.waitFor({ state: 'hidden' });
  expect(posts).toEqual([queued[0]!.key]);
  expect(await outboxContents(page)).toEqual([]);

  const stored = await reportsNear(server.baseUrl, spot, 'surface');
  expect(stored).toHaveLength(1);
  const report = await getReport(server.baseUrl, stored[0]!.id);
  expect(report.properties.description).toBe('Paving stones lifted by tree roots, offline report');
  expect(report.properties.photos).toHaveLength(1);

  // It is now among "my reports", with its status from the server.
  const sent = mine.getByRole('list', { name: 'Sent' });
  await sent.locator(`a[href="/reports/${report.id}"]`).waitFor();
  expect(await sent.getByRole('listitem').first().textContent()).toContain('New');

  // Sending the same key again (as a retry after a lost answer would) stores nothing new.
  const replay = await page.evaluate(async (key) => {
    const res = await fetch('/api/v1/reports', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify({ category: 'surface', lat: 1, lon: 1 }),
    });
    return res.status;
  }, queued[0]!.key);
  expect(replay).toBe(422);
  expect(await reportsNear(server.baseUrl, spot, 'surface')).toHaveLength(1);
});

test('a waiting report is sent when the app is opened again, and a deleted one never', async () => {
  const spot = { latitude: 52.4912, longitude: 13.4322 };
  const page = await openApp(spot);

  await context!.setOffline(true);
  await fillBarrier(page, 'narrow', 'Bins leave 60 cm of footway');
  await page.locator('#send').click();
  await page.getByRole('heading', { name: 'Saved on this phone — waiting to send' }).waitFor();
  await page.getByRole('button', { name: 'Report another' }).click();
  await fillBarrier(page, 'obstacle', 'Parked scooter across the ramp, delete me');
  await page.locator('#send').click();
  await page.getByRole('heading', { name: 'Saved on this phone — waiting to send' }).waitFor();

  const waiting = page.getByRole('list', { name: 'Waiting to send' });
  await waiting.getByRole('listitem').nth(1).waitFor();
  expect(await waiting.getByRole('listitem').count()).toBe(2);
  // Deleting asks first; "Keep it" is focused, so a stray Enter deletes nothing.
  await waiting.getByRole('button', { name: /^Delete .*Obstacle in the way/ }).click();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep it');
  await page.getByRole('button', { name: 'Yes, delete it' }).click();
  await page.getByText('The report was deleted from this phone.').waitFor();
  expect(await waiting.getByRole('listitem').count()).toBe(1);

  // The app opens without a connection, from the service worker's cache, queue and all.
  await page.reload();
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
  // The queue is read from IndexedDB after the page is up: wait for it before counting.
  const waitingAgain = page.getByRole('list', { name: 'Waiting to send' }).getByRole('listitem');
  await waitingAgain.first().waitFor();
  expect(await waitingAgain.count()).toBe(1);

  // Back online, the next start of the app sends what waits.
  await context!.setOffline(false);
  await page.reload();
  await page.getByRole('list', { name: 'Waiting to send' }).waitFor({ state: 'hidden' });
  await page.getByRole('list', { name: 'Sent' }).getByRole('listitem').first().waitFor();
  expect(await reportsNear(server.baseUrl, spot, 'narrow')).toHaveLength(1);
  expect(await reportsNear(server.baseUrl, spot, 'obstacle')).toHaveLength(0);
});

test('the app is installable and its service worker leaves the staff apps and the API alone', async () => {
  const page = await openApp({ latitude: 52.4923, longitude: 13.4343 });
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!.href;
    return (await fetch(href)).json();
  });
  expect(manifest).toMatchObject({ start_url: '/', display: 'standalone', short_name: 'Wegfrei' });
  const sizes = (manifest.icons as { sizes: string; purpose: string }[]).map((i) => `${i.sizes} ${i.purpose}`);
  expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));

  // Offline, the report page opens from the cache and says what it cannot show.
  await context!.setOffline(true);
  await page.goto('/reports/1');
  await page.getByRole('heading', { name: 'The report could not be loaded' }).waitFor();
  // The dashboard is not the citizen app's to cache: offline it simply does not load.
  const dashboard = await page.goto('/dashboard').catch((err: Error) => err);
  expect(dashboard).toBeInstanceOf(Error);
  await context!.setOffline(false);

  // Only the citizen pages' files and two GETs are cached; never the API's other answers.
  await page.goto('/');
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  expect(cached).toEqual(expect.arrayContaining(['/', '/report.html', '/api/v1/categories', '/api/v1/config']));
  expect(cached.filter((u) => u.startsWith('/api/') && !['/api/v1/categories', '/api/v1/config'].includes(u))).toEqual(
    [],
  );
  expect(cached.filter((u) => /dashboard|responder|tiles|events/.test(u))).toEqual([]);

  // A new worker takes over at once (as after a deploy: here the same build under a new
  // script URL), and the open page says so instead of silently running old code.
  await page.evaluate(() => navigator.serviceWorker.register('/sw.js?next-version'));
  await page.getByText('Wegfrei has been updated.').waitFor();
  expect(await page.getByRole('button', { name: 'Load the new version' }).isVisible()).toBe(true);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/sw\.js\?next-version$/);
});
