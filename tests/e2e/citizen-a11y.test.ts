/**
 * Accessibility of the citizen app: a whole report made with the keyboard alone, and
 * axe-core (WCAG 2.0–2.2 A and AA) on every state of the app in English, German and French.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, phoneContext, serviceWorkerReady } from './support/browser';
import { createReport, jpegFile, reportsNear } from './support/reports';
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

/** What has focus, in words a failure message can show. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
    return `${el.tagName.toLowerCase()}#${el.id} ${(label ?? el.textContent ?? '').trim().slice(0, 60)}`;
  });

/** Presses Tab until `selector` has focus, checking on the way that every stop shows its focus. */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate((sel) => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { match: false, visible: true };
      // Hidden native inputs show their focus on the element drawn for them (tile, button).
      const shown = el.matches('.tile__input, .file-input') ? (el.nextElementSibling as HTMLElement) : el;
      const style = getComputedStyle(shown);
      const visible = style.outlineStyle !== 'none' || style.boxShadow !== 'none';
      return { match: el.matches(sel), visible };
    }, selector);
    if (!here.visible) throw new Error(`no visible focus on ${await focused(page)}`);
    if (here.match) return;
  }
  throw new Error(`${selector} not reached with Tab; focus is on ${await focused(page)}`);
}

test('a report with a photo is made with the keyboard alone', async () => {
  const spot = { latitude: 52.4701, longitude: 13.3901 };
  context = await phoneContext(browser, server.baseUrl, spot);
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });

  // The skip link is the first stop and leads to the form.
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('a#skip-link Skip to the report form');
  await page.keyboard.press('Enter');

  await tabTo(page, '#locate-me');
  await page.keyboard.press('Enter');
  await page.locator('.place-status--set').waitFor();

  // A radio group: Tab enters it, arrows move, Space chooses.
  await tabTo(page, 'input[name="category"]');
  for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  expect(await page.locator('#category-steps').isChecked()).toBe(true);

  await tabTo(page, 'input[name="severity"]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  expect(await page.locator('#severity-3').isChecked()).toBe(true);

  await tabTo(page, '#description');
  await page.keyboard.type('Four steps at the side entrance, keyboard report');

  await tabTo(page, '#photo-gallery');
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Space');
  await (await chooser).setFiles(await jpegFile('steps.jpg'));
  await page.locator('.photo-list li').waitFor();

  await tabTo(page, '#send');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Thank you — your report was sent' }).waitFor();
  // Focus lands on the result, so a screen reader reads it at once.
  expect(await focused(page)).toBe('h2#done-heading Thank you — your report was sent');

  await tabTo(page, '.done__actions a');
  await Promise.all([page.waitForURL(/\/reports\/\d+$/), page.keyboard.press('Enter')]);
  await page.getByRole('heading', { level: 1, name: 'Steps, no ramp' }).waitFor();
  const stored = await reportsNear(server.baseUrl, spot, 'steps');
  expect(stored).toHaveLength(1);
  expect(stored[0]!.properties).toMatchObject({ severity: 3, photos: [expect.anything()] });
});

test('touch targets are at least 44 × 44 px', async () => {
  context = await phoneContext(browser, server.baseUrl, { latitude: 52.4712, longitude: 13.3922 });
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
  await page.locator('label[for="category-help_medical"]').click();
  const small = await page.evaluate(() =>
    Array.from(
      document.querySelectorAll<HTMLElement>(
        'button, .button, .tile__box, .choice, .lang-switch__link, .leaflet-control-zoom a, input:not([type="radio"]):not(.file-input):not(.tile__input), textarea',
      ),
    )
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ el: el.textContent?.trim() || el.id || el.className, ...el.getBoundingClientRect().toJSON() }))
      .filter((r) => r.width < 44 || r.height < 44)
      .map((r) => `${r.el}: ${Math.round(r.width)}×${Math.round(r.height)}`),
  );
  expect(small).toEqual([]);
});

/** Runs axe and names the state and language in the failure. */
async function expectAxeClean(page: Page, state: string, lang: string): Promise<void> {
  expect({ state, lang, violations: await axeViolations(page) }).toEqual({ state, lang, violations: [] });
}

test.each([
  ['en', 'en-GB', 'Locate me', 'Saved on this phone — waiting to send', 'Thank you — your report was sent'],
  [
    'de',
    'de-DE',
    'Standort ermitteln',
    'Auf diesem Gerät gespeichert – wartet auf Versand',
    'Danke – Ihre Meldung wurde gesendet',
  ],
  [
    'fr',
    'fr-FR',
    'Me localiser',
    'Enregistré sur cet appareil, en attente d’envoi',
    'Merci, votre signalement a été envoyé',
  ],
])('every state of the app passes axe in %s', async (lang, locale, locateMe, queuedHeading, sentHeading) => {
  const index = ['en', 'de', 'fr'].indexOf(lang);
  const spot = { latitude: 52.48 + index * 0.01, longitude: 13.37 };
  // An open report at the spot, so the "already reported here?" review appears.
  const existing = await createReport(server.baseUrl, {
    kind: 'barrier',
    category: 'crossing',
    lat: spot.latitude,
    lon: spot.longitude + 0.0001,
    severity: 2,
    description: 'No dropped kerb at the crossing',
  });
  context = await phoneContext(browser, server.baseUrl, spot, { locale });
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
  expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
  await page.locator('.leaflet-tile-loaded').first().waitFor();
  await serviceWorkerReady(page);
  await expectAxeClean(page, 'map', lang);

  await page.getByRole('button', { name: locateMe }).click();
  await page.locator('.place-status--set').waitFor();
  await page.locator('label[for="category-crossing"]').click();
  await page.locator(`.nearby a[href="/reports/${existing.id}"]`).waitFor();
  await expectAxeClean(page, 'review (already reported nearby)', lang);

  await page.locator('#send').click();
  await page.locator('#error-severity:not([hidden])').waitFor();
  await expectAxeClean(page, 'error', lang);

  await page.locator('label[for="severity-2"]').click();
  await page.locator('label[for="passability-limited"]').click();
  await page.locator('#description').fill('Kerb 10 cm');
  await expectAxeClean(page, 'form', lang);

  await page.locator('#photo-gallery').setInputFiles(await jpegFile('crossing.jpg'));
  await page.locator('.photo-list li').waitFor();
  await expectAxeClean(page, 'photo added', lang);

  await context.setOffline(true);
  await page.locator('#send').click();
  await page.getByRole('heading', { name: queuedHeading }).waitFor();
  await page.locator('.my-reports__waiting:not([hidden])').waitFor();
  await expectAxeClean(page, 'offline queue', lang);

  await context.setOffline(false);
  await page.getByRole('heading', { name: sentHeading }).waitFor();
  await page.locator('.my-reports__waiting').waitFor({ state: 'hidden' });
  await expectAxeClean(page, 'success', lang);

  // Lists: my reports (sent, with status) and the reports in the map view.
  await page.locator('#my-reports .my-list__item').first().waitFor();
  await page.locator(`.report-list a[href="/reports/${existing.id}"]`).waitFor();
  await page.locator('#list-heading').scrollIntoViewIfNeeded();
  await expectAxeClean(page, 'list', lang);

  await page.goto(`/reports/${existing.id}`);
  await page.locator('#report-map .leaflet-tile-loaded').first().waitFor();
  await expectAxeClean(page, 'report page', lang);
});
