/**
 * A help request asks for nothing that identifies the person (issue 12, item 5): its
 * description has a hint of its own, and while it is drafted no exact point leaves the phone
 * for the "already reported here?" check (docs/SECURITY.md, "What a help request sends").
 */
import type { Browser, BrowserContext, Request } from 'playwright-core';
import { axeViolations, launchBrowser, phoneContext } from './support/browser';
import { startServer, type RunningServer } from './support/server';

jest.setTimeout(180_000);

let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  // At info, so the access log is there to read.
  server = await startServer({ LOG_LEVEL: 'info' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

const HINTS = {
  en: {
    locale: 'en-GB',
    locateMe: 'Locate me',
    barrier: 'What is in the way, where exactly, since when?',
    help: 'What do you need, by when, for how many people? Please leave out addresses, names and phone numbers: staff see the exact place, and your contact goes in the private field below.',
  },
  de: {
    locale: 'de-DE',
    locateMe: 'Standort ermitteln',
    barrier: 'Was ist im Weg, wo genau, seit wann?',
    help: 'Was brauchen Sie, bis wann, für wie viele Menschen? Bitte ohne Adresse, Namen und Telefonnummern: Die Mitarbeitenden sehen den genauen Ort, und Ihr Kontakt gehört in das private Feld weiter unten.',
  },
  fr: {
    locale: 'fr-FR',
    locateMe: 'Me localiser',
    barrier: 'Qu’est-ce qui gêne, où exactement, depuis quand\u202f?',
    help: 'De quoi avez-vous besoin, pour quand, pour combien de personnes\u202f? Merci de ne mettre ni adresse, ni noms, ni numéros de téléphone\u00a0: le personnel voit le lieu exact, et vos coordonnées vont dans le champ privé plus bas.',
  },
};

test.each(Object.entries(HINTS))(
  'in %s a help request has its own hint and sends no point for the nearby check',
  async (lang, words) => {
    const index = Object.keys(HINTS).indexOf(lang);
    const spot = { latitude: 51.3391 + index * 0.01, longitude: 12.3731 };
    // Blocked service workers, so every request of the page passes the context's listener.
    context = await phoneContext(browser, server.baseUrl, spot, { locale: words.locale, serviceWorkers: 'block' });
    const nearby: string[] = [];
    context.on('request', (r: Request) => {
      if (r.url().includes('/api/v1/reports/nearby')) nearby.push(r.url());
    });
    const page = await context.newPage();
    await page.goto('/');
    await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
    await page.getByRole('button', { name: words.locateMe }).click();
    await page.locator('.place-status--set').waitFor();

    const hint = page.locator('#description-hint');
    expect(await hint.textContent()).toBe(words.barrier);
    await page.locator('label[for="category-help_medical"]').click();
    await page.locator('#people-count').waitFor();
    expect(await hint.textContent()).toBe(words.help);
    expect((await page.locator('#description').getAttribute('aria-describedby'))?.split(' ')).toContain(
      'description-hint',
    );
    // The check waits 300 ms after the last change; twice that and more, and nothing was asked.
    await page.waitForTimeout(1000);
    expect(nearby).toEqual([]);
    expect(await page.locator('.nearby').isHidden()).toBe(true);
    // Where the click left the page scrolled is incidental: with the taller category step the
    // severity choices can sit half under the sticky send bar until the person scrolls (axe's
    // target-size counts that), so they are brought to the middle as a person would see them.
    await page.locator('#severity-2').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    expect(await axeViolations(page)).toEqual([]);

    // A barrier still gets its check (so the listener above does see it), and its own hint.
    await Promise.all([
      page.waitForRequest((r) => r.url().includes('/api/v1/reports/nearby')),
      page.locator('label[for="category-kerb_missing"]').click(),
    ]);
    expect(await hint.textContent()).toBe(words.barrier);
    expect(nearby).toHaveLength(1);
    expect(new URL(nearby[0]!).searchParams.get('category')).toBe('kerb_missing');

    await page.locator('label[for="category-help_medical"]').click();
    await page.waitForTimeout(1000);
    expect(nearby).toHaveLength(1);
    expect(await hint.textContent()).toBe(words.help);
  },
);

test('the server logs no exact point of the nearby check', async () => {
  const spot = { latitude: 51.318765, longitude: 12.390123 };
  context = await phoneContext(browser, server.baseUrl, spot, { serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
  await page.getByRole('button', { name: 'Locate me' }).click();
  await page.locator('.place-status--set').waitFor();
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/reports/nearby')),
    page.locator('label[for="category-kerb_missing"]').click(),
  ]);
  // The access line is written when the response ends; give the process a moment.
  await page.waitForTimeout(500);
  const output = server.output();
  expect(output).toContain('/api/v1/reports/nearby?lat=[redacted]&lon=[redacted]');
  expect(output).not.toContain('51.3187');
  expect(output).not.toContain('12.3901');
});
