/**
 * The citizen app in German and French: chosen from the browser, switched in the header
 * without losing what was entered, remembered, with category names from the API and the
 * server's error details in the same language.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, phoneContext } from './support/browser';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';

jest.setTimeout(180_000);

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

async function openApp(at: { latitude: number; longitude: number }, locale: string): Promise<Page> {
  context = await phoneContext(browser, server.baseUrl, at, { locale });
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
  return page;
}

const htmlLang = (page: Page) => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);

test('a German browser gets the app in German; switching to French keeps the report and is remembered', async () => {
  const page = await openApp({ latitude: 52.5401, longitude: 13.4101 }, 'de-DE');
  await page.getByRole('heading', { level: 1, name: 'Eine Barriere melden oder um Hilfe bitten' }).waitFor();
  expect(await htmlLang(page)).toEqual(['de', 'ltr']);
  expect(await page.title()).toBe('Eine Barriere melden oder um Hilfe bitten — Wegfrei');
  // Category names come from the API, in the page's language.
  expect(await page.locator('label[for="category-kerb_missing"]').textContent()).toContain('Keine Bordsteinabsenkung');
  const nav = page.getByRole('navigation', { name: 'Sprache' });
  expect(await nav.getByRole('link', { name: 'Deutsch' }).getAttribute('aria-current')).toBe('true');

  await page.getByRole('button', { name: 'Standort ermitteln' }).click();
  await page.locator('.place-status--set').waitFor();
  expect(await page.locator('#place-status').textContent()).toBe('Ort: 52.54010, 13.41010 ±12 m');
  await page.locator('label[for="category-steps"]').click();
  await page.locator('label[for="severity-3"]').click();
  await page.locator('#description').fill('Drei Stufen vor der Apotheke');
  expect(await page.locator('#description-count').textContent()).toBe('Noch 3972 Zeichen');

  await nav.getByRole('link', { name: 'Français' }).click();
  await page.getByRole('heading', { level: 1, name: 'Signaler un obstacle ou demander de l’aide' }).waitFor();
  expect(await htmlLang(page)).toEqual(['fr', 'ltr']);
  expect(await page.locator('label[for="category-steps"]').textContent()).toContain('Marches sans rampe');
  // What was entered is still there, now described in French.
  expect(await page.locator('#category-steps').isChecked()).toBe(true);
  expect(await page.locator('#severity-3').isChecked()).toBe(true);
  expect(await page.locator('#description').inputValue()).toBe('Drei Stufen vor der Apotheke');
  // French puts a non-breaking space before the colon and between number and unit.
  expect(await page.locator('#place-status').textContent()).toMatch(
    /^Lieu\u00a0: 52\.54010, 13\.41010 ±12[\u00a0\u202f]m$/,
  );
  expect(await page.locator('#description-count').textContent()).toBe('Il reste 3972 caractères');
  // Focus stays where the person was: on the switcher.
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Français');

  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Signaler un obstacle ou demander de l’aide' }).waitFor();
  expect(
    await page
      .getByRole('navigation', { name: 'Langue' })
      .getByRole('link', { name: 'Français' })
      .getAttribute('aria-current'),
  ).toBe('true');
});

test("after switching to German the server's error detail comes back in German", async () => {
  const page = await openApp({ latitude: 52.5412, longitude: 13.4122 }, 'en-GB');
  await page.getByRole('heading', { level: 1, name: 'Report a barrier or ask for help' }).waitFor();
  await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Deutsch' }).click();
  await page.getByRole('heading', { level: 1, name: 'Eine Barriere melden oder um Hilfe bitten' }).waitFor();

  await page.getByRole('button', { name: 'Standort ermitteln' }).click();
  await page.locator('.place-status--set').waitFor();
  await page.locator('label[for="category-surface"]').click();
  // Client-side check first: the missing severity, in German.
  await page.locator('#send').click();
  await page.locator('#error-severity').getByText('Wählen Sie, wie schlimm es ist.').waitFor();
  await page.locator('.action-bar__problem').getByText('Bitte korrigieren Sie 1 Feld.').waitFor();

  await page.locator('label[for="severity-1"]').click();
  // Named and typed as a JPEG, but not one: only the server, which reads the bytes, can tell.
  await page.locator('#photo-gallery').setInputFiles({
    name: 'urlaub.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from('dies ist eine Textdatei, kein Foto'),
  });
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/reports') && r.request().method() === 'POST');
  await page.locator('#send').click();
  const response = await answered;
  expect(response.status()).toBe(415);
  expect(response.request().headers()['accept-language']).toBe('de');
  expect(response.headers()['content-language']).toBe('de');
  const problem = (await response.json()) as { title: string; errors: { field: string; detail: string }[] };
  expect(problem.title).toBe('Nicht unterstütztes Foto');
  expect(problem.errors).toEqual([{ field: 'photos[0]', detail: 'ist kein JPEG-, PNG-, WebP-, HEIC- oder AVIF-Bild' }]);
  const message = page.locator('#error-photos');
  await message.waitFor();
  expect(await message.textContent()).toBe('Foto 1: ist kein JPEG-, PNG-, WebP-, HEIC- oder AVIF-Bild');
  expect(await page.locator('.action-bar__problem').textContent()).toBe('Bitte korrigieren Sie 1 Feld.');
});

test('the report page, dates and statuses follow the language', async () => {
  const report = await createReport(server.baseUrl, {
    kind: 'help',
    category: 'help_medical',
    lat: 52.5423,
    lon: 13.4143,
    severity: 3,
  });
  context = await phoneContext(browser, server.baseUrl, { latitude: 52.5423, longitude: 13.4143 }, { locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`/reports/${report.id}`);
  await page.getByRole('heading', { level: 1, name: 'Aide médicale' }).waitFor();
  expect(await htmlLang(page)).toEqual(['fr', 'ltr']);
  expect(await page.getByText('3 — Urgent').count()).toBe(1);
  expect(await page.getByText('Nouveau').count()).toBe(1);
  // Dates in French (e.g. "26 nov. 2025, 11:07"), distances with French units.
  expect(await page.locator('.facts time').first().textContent()).toMatch(/^\d{1,2} \S+ \d{4}/);
  expect(await page.getByText('sur une grille de 500\u00a0m', { exact: false }).count()).toBe(1);

  await page.getByRole('navigation', { name: 'Langue' }).getByRole('link', { name: 'Deutsch' }).click();
  await page.getByRole('heading', { level: 1, name: 'Medizinische Hilfe' }).waitFor();
  expect(await page.locator('.facts time').first().textContent()).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
  // The story and what comes next in German; passers-by are asked nothing about a help request.
  await page.getByRole('heading', { level: 2, name: 'Was geschah' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Wie es weitergeht' }).waitFor();
  expect(await page.getByRole('button', { name: 'Noch da' }).count()).toBe(0);
});
