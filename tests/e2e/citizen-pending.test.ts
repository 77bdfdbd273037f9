/**
 * The sender sees their own report as "waiting for review" (issue 12, item 2): a help request's
 * words and photos stay private until a coordinator publishes them, and under
 * BARRIER_MODERATION=pre so does a whole barrier. The success view, My reports and the report
 * page say so in words, in each language, and turn back into the usual status once published.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, phoneContext } from './support/browser';
import { jpegFile } from './support/reports';
import { startServer, type RunningServer } from './support/server';

jest.setTimeout(180_000);

const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234' };

let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  // The harness passes its environment on to the server, which creates this admin at start-up.
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    server = await startServer({ BARRIER_MODERATION: 'pre' });
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
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

/** Publishes a report as a coordinator would from the moderation queue. */
async function publish(id: number): Promise<void> {
  const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (login.status !== 200) throw new Error(`login → ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = ((await login.json()) as { csrf_token: string }).csrf_token;
  const res = await fetch(`${server.baseUrl}/api/v1/staff/reports/${id}/publication`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: JSON.stringify({ review: 'published' }),
  });
  if (res.status !== 204) throw new Error(`publish ${id} → ${res.status} ${await res.text()}`);
}

const WORDS = {
  en: {
    locale: 'en-GB',
    locateMe: 'Locate me',
    helpHeading: 'Your request reached the coordinators',
    barrierHeading: 'Thank you — your report was sent',
    pending: 'Waiting for review',
    whyHelp: 'Your words and photos stay private until a coordinator has looked at them.',
    whyBarrier: 'It appears on the map once a coordinator has looked at it.',
    viewReport: 'View the report page',
    toMine: 'See my reports',
    mine: 'My reports',
    report: 'Report',
    sent: 'Sent',
    detailsPending: 'Details are waiting for review',
    statusNew: 'New',
  },
  de: {
    locale: 'de-DE',
    locateMe: 'Standort ermitteln',
    helpHeading: 'Ihre Anfrage ist bei der Koordination angekommen',
    barrierHeading: 'Danke – Ihre Meldung wurde gesendet',
    pending: 'Wartet auf Prüfung',
    whyHelp: 'Ihre Worte und Fotos bleiben privat, bis jemand aus der Koordination sie angesehen hat.',
    whyBarrier: 'Sie erscheint auf der Karte, sobald jemand aus der Koordination sie angesehen hat.',
    viewReport: 'Seite der Meldung ansehen',
    toMine: 'Meine Meldungen ansehen',
    mine: 'Meine Meldungen',
    report: 'Meldung',
    sent: 'Gesendet',
    detailsPending: 'Details warten auf Prüfung',
    statusNew: 'Neu',
  },
};
type Words = (typeof WORDS)['en'];

async function openApp(words: Words, spot: { latitude: number; longitude: number }): Promise<Page> {
  context = await phoneContext(browser, server.baseUrl, spot, { locale: words.locale });
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('#category-kerb_missing').waitFor({ state: 'attached' });
  await page.getByRole('button', { name: words.locateMe }).click();
  await page.locator('.place-status--set').waitFor();
  return page;
}

/** Sends what the form holds and returns the server's answer. */
async function send(page: Page): Promise<{ id: number; properties: Record<string, unknown> }> {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/reports') && r.request().method() === 'POST');
  await page.locator('#send').click();
  const response = await answered;
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: number; properties: Record<string, unknown> };
}

/** The entry for report `id` in My reports' "Sent" list. */
function sentEntry(page: Page, words: Words, id: number) {
  return page
    .getByRole('region', { name: words.mine })
    .getByRole('list', { name: words.sent })
    .getByRole('listitem')
    .filter({ hasText: `${words.report} ${id} ·` });
}

test.each(Object.entries(WORDS))(
  'in %s a help request is "waiting for review" after sending, in My reports and on its page, until published',
  async (lang, words) => {
    const index = Object.keys(WORDS).indexOf(lang);
    const page = await openApp(words, { latitude: 51.05 + index * 0.01, longitude: 13.74 });
    await page.locator('label[for="category-help_medical"]').click();
    await page.locator('label[for="severity-2"]').click();
    await page.locator('#people-count').fill('2');
    const description = `Need a lift to the pharmacy before 6 pm (${lang})`;
    await page.locator('#description').fill(description);
    await page.locator('#photo-gallery').setInputFiles(await jpegFile('prescription.jpg'));
    await page.locator('.photo-list li').waitFor();

    const answer = await send(page);
    expect(answer.properties).toMatchObject({ review: 'pending', description: null, people_count: null, photos: [] });

    // The success view says it in words, and the live region reads it out.
    const done = page.locator('section.done');
    await page.getByRole('heading', { name: words.helpHeading }).waitFor();
    expect(await done.locator('.done__review').innerText()).toContain(words.pending);
    expect(await done.innerText()).toContain(String(answer.id));
    await page.locator('[aria-live="polite"]', { hasText: words.pending }).waitFor({ state: 'attached' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('done-heading');
    // A pending help request has a public page (category and status at its coarse cell).
    expect(await done.getByRole('link', { name: words.viewReport }).getAttribute('href')).toBe(`/reports/${answer.id}`);
    expect(await axeViolations(page)).toEqual([]);

    const entry = sentEntry(page, words, answer.id);
    await entry.waitFor();
    expect(await entry.locator('.my-list__state').innerText()).toContain(words.pending);
    expect(await entry.getByText(words.whyHelp).isVisible()).toBe(true);

    // Reloaded online, the state comes from the public API again and stays "waiting".
    const checked = page.waitForResponse((r) => r.url().endsWith(`/api/v1/reports/${answer.id}`));
    await page.reload();
    expect((await checked).status()).toBe(200);
    await entry.locator('.my-list__state', { hasText: words.pending }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`/reports/${answer.id}`);
    await page.getByText(words.detailsPending).waitFor();
    expect(await page.getByText(description).count()).toBe(0);
    expect(await page.locator('.report__description, .photo-grid').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // Published: the page shows the words, My reports the plain status.
    await publish(answer.id);
    await page.reload();
    await page.getByText(description).waitFor();
    expect(await page.getByText(words.detailsPending).count()).toBe(0);
    await page.goto('/');
    await entry.locator('.my-list__state', { hasText: new RegExp(`^${words.statusNew}$`) }).waitFor();
    expect(await entry.getByText(words.whyHelp).count()).toBe(0);
  },
);

test('under pre-moderation a barrier answering 404 stays "waiting for review", not "removed"', async () => {
  const words = WORDS.en;
  const page = await openApp(words, { latitude: 51.08, longitude: 13.75 });
  await page.locator('label[for="category-kerb_missing"]').click();
  await page.locator('label[for="severity-3"]').click();
  await page.locator('#description').fill('Kerb without a ramp at the tram stop');

  const answer = await send(page);
  expect(answer.properties).toMatchObject({ review: 'pending' });
  expect((await fetch(`${server.baseUrl}/api/v1/reports/${answer.id}`)).status).toBe(404);

  await page.getByRole('heading', { name: words.barrierHeading }).waitFor();
  expect(await page.locator('.done__review').innerText()).toContain(words.pending);
  // No public page yet, so the view leads to My reports instead of a "not found".
  expect(await page.getByRole('link', { name: words.toMine }).getAttribute('href')).toBe('#my-reports');
  expect(await page.getByRole('link', { name: words.viewReport }).count()).toBe(0);

  const checked = page.waitForResponse((r) => r.url().endsWith(`/api/v1/reports/${answer.id}`));
  await page.reload();
  expect((await checked).status()).toBe(404);
  const entry = sentEntry(page, words, answer.id);
  await entry.locator('.my-list__state', { hasText: words.pending }).waitFor();
  expect(await entry.getByText(words.whyBarrier).isVisible()).toBe(true);
  expect(await entry.getByText('No longer public').count()).toBe(0);
  expect(await entry.getByRole('link').count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);

  await publish(answer.id);
  await page.reload();
  await entry.locator('.my-list__state', { hasText: /^New$/ }).waitFor();
  expect(await entry.getByRole('link').getAttribute('href')).toBe(`/reports/${answer.id}`);
});
