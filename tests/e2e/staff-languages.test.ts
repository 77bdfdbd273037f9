/**
 * The staff apps (dashboard, responder view, /data) in German and French like the citizen
 * app: from the browser's language, from `?lang=`, and by the switch in the header with the
 * keyboard, remembered on the device. Every main screen is compared with the same screen in
 * English: a text the English page shows must not be left on the German or French one (only
 * proper names, people's own words and words both languages share are allowed). Axe at
 * 1440×900 and 390×844 in each language.
 *
 * With SHOTS_DIR set, the French screens are also saved as screenshots at 1024 and 390 px.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, PHONE } from './support/browser';
import { createReport } from './support/reports';
import { startServer, type RunningServer } from './support/server';
import { StaffClient } from './support/staff';

jest.setTimeout(600_000);

type Lang = 'en' | 'de' | 'fr';
const DESKTOP = { width: 1440, height: 900 };
// The bootstrap admin is called "Administrator".
const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234', name: 'Administrator' };
const RUN = Date.now().toString(36);
const RESPONDER = { email: `responder-${RUN}@wegfrei.test`, password: 'responder-pass-1234', name: 'Remi Responder' };
const TEAM = `Nord ${RUN}`;
const DESCRIPTION = 'Drei Stufen vor dem Eingang der Bibliothek.';
const SPOT = { lat: 48.8566, lon: 2.3522 };

const WORDS: Record<
  Lang,
  { locale: string; nav: string; name: string; login: string; assignments: string; data: string }
> = {
  en: {
    locale: 'en-GB',
    nav: 'Language',
    name: 'English',
    login: 'Sign in to Wegfrei Staff',
    assignments: 'My assignments',
    data: 'Open data for research and GIS',
  },
  de: {
    locale: 'de-DE',
    nav: 'Sprache',
    name: 'Deutsch',
    login: 'Bei Wegfrei anmelden',
    assignments: 'Meine Aufträge',
    data: 'Offene Daten für Forschung und GIS',
  },
  fr: {
    locale: 'fr-FR',
    nav: 'Langue',
    name: 'Français',
    login: 'Connexion à Wegfrei',
    assignments: 'Mes missions',
    data: 'Données ouvertes pour la recherche et les SIG',
  },
};

/**
 * Texts that are the same in English and the other language and rightly so: names of
 * people, teams, products and formats, the reporter's own words, and words both share.
 */
const SAME: Record<Exclude<Lang, 'en'>, string[]> = {
  de: [
    'Administrator (Admin)',
    'Moderation — Wegfrei Staff',
    'Teams',
    `Team: ${'Administrator'}`,
    `Team: ${'Remi Responder'}`,
    'Status',
    'Team',
    'Admin',
    'Moderation',
    'Name',
    'Person',
    'System',
    'Live',
    'Downloads',
    'In QGIS',
  ],
  fr: [
    'Description',
    'Photos',
    'Contact',
    'Actions',
    'Total',
    'Publication',
    'Confirmations',
    'Modération',
    'services',
  ],
};
const NAMES = [
  'English',
  'Deutsch',
  'Français',
  'Wegfrei',
  'GeoJSON',
  'CSV',
  'OGC API – Features (QGIS, GDAL)',
  'OGC API – Features',
  'Open311 GeoReport v2',
  'ODbL-1.0',
  'ODbL 1.0',
  'Wegfrei Staff',
  'OpenStreetMap',
  'Leaflet',
  'MapLibre',
  // The tile provider's attribution, which its licence asks for as written.
  'contributors',
  ADMIN.name,
  ADMIN.email,
  RESPONDER.name,
  RESPONDER.email,
  TEAM,
  DESCRIPTION,
];

let server: RunningServer;
let browser: Browser;
let reportId = 0;
/** Category names the server gives alike in English and the language (e.g. "Information"). */
const sameCategories: Record<Exclude<Lang, 'en'>, string[]> = { de: [], fr: [] };
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    // Each screen is opened in three languages at two sizes, with the map's tiles each time:
    // far more than a person does, so the per-address limits are off for this test.
    server = await startServer({ REQUEST_RATE_LIMIT: '0', READ_CONCURRENT_MAX: '0', READ_RATE_LIMIT: '0' });
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();
  const admin = new StaffClient(server.baseUrl);
  await admin.login(ADMIN.email, ADMIN.password);
  const team = await admin.send<{ id: number }>('POST', '/api/v1/teams', { name: TEAM });
  await admin.send('POST', '/api/v1/users', { ...RESPONDER, role: 'responder', team_id: team.id });
  const report = await createReport(server.baseUrl, {
    kind: 'barrier',
    category: 'steps',
    lat: SPOT.lat,
    lon: SPOT.lon,
    severity: 3,
    description: DESCRIPTION,
  });
  reportId = report.id;
  const res = await fetch(`${server.baseUrl}/api/v1/categories`);
  const { categories } = (await res.json()) as { categories: { labels: Record<Lang, string> }[] };
  for (const lang of ['de', 'fr'] as const) {
    sameCategories[lang] = categories.filter((c) => c.labels[lang] === c.labels.en).map((c) => c.labels.en);
  }
  await admin.send('PATCH', `/api/v1/reports/${report.id}`, { status: 'assigned', assigned_team_id: team.id });
});

afterAll(async () => {
  for (const page of englishPages.values()) await page.context().close();
  await browser?.close();
  await server?.stop();
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  const errors = server.errors();
  if (errors.length) throw new Error(`The server logged errors:\n${errors.join('\n')}`);
});

async function newPage(lang: Lang, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport, locale: WORDS[lang].locale });
  context.setDefaultTimeout(30_000);
  contexts.push(context);
  return context.newPage();
}

async function signIn(page: Page, path: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(path);
  await page.locator('#login-email').fill(user.email);
  await page.locator('#login-password').fill(user.password);
  await page.locator('form.login button[type="submit"]').click();
  // Signed in once the form has gone (the next page load would otherwise beat the cookie).
  await page.locator('form.login').waitFor({ state: 'detached' });
}

interface Screen {
  name: string;
  open(page: Page, query: string): Promise<void>;
}

const dataScreen: Screen = {
  name: 'data',
  open: async (page, query) => {
    await page.goto(`/data${query}`);
    await page.locator('#filters').waitFor();
    await page.locator('.categories input').first().waitFor();
  },
};

const responderScreen: Screen = {
  name: 'responder',
  open: async (page, query) => {
    await page.goto(`/responder${query}`);
    await page.locator(`article[data-id="${reportId}"]`).waitFor();
    await page.locator(`article[data-id="${reportId}"] button[aria-expanded]`).click();
    await page.locator(`#resolve-note-${reportId}`).waitFor();
  },
};

function dashboardScreen(name: string, url: () => string, ready: string): Screen {
  return {
    name: `dashboard ${name}`,
    open: async (page, query) => {
      await page.goto(`${url()}${query}`);
      // Attached, not visible: at phone width the workspace shows one panel at a time.
      await page.locator(ready).waitFor({ state: 'attached' });
      // Let the queue, map and counts settle so both languages are compared at rest.
      await page.waitForLoadState('networkidle').catch(() => undefined);
    },
  };
}

const dashboardScreens: Screen[] = [
  dashboardScreen('report', () => `/dashboard/reports/${reportId}`, '#detail .facts'),
  dashboardScreen('moderation', () => '/dashboard/moderation', '#moderation-heading'),
  dashboardScreen('deployments', () => '/dashboard/deployments', '#deployment-name'),
  dashboardScreen('overview', () => '/dashboard/overview', '#overview-heading'),
  dashboardScreen('admin', () => '/dashboard/admin', '#admin-heading'),
];

/** Every text a person can see or hear: text nodes and the names and hints in attributes. */
function screenTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out = new Set<string>([document.title]);
    const shown = (el: Element) =>
      !el.closest('[hidden], script, style, noscript, code, pre, [aria-hidden="true"], [translate="no"]') &&
      (el as HTMLElement).getClientRects().length > 0;
    const keep = (s: string | null | undefined) => {
      const text = (s ?? '').replace(/\s+/g, ' ').trim();
      // Addresses are not words: links that show their URL, paths.
      if (/\p{L}{3}/u.test(text) && !/^(https?:\/\/|\/)\S*$/.test(text)) out.add(text);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement && shown(n.parentElement)) keep(n.textContent);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (!shown(el)) continue;
      for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) keep(el.getAttribute(attr));
    }
    return [...out];
  });
}

type SignIn = { path: string; user: { email: string; password: string } };
const english = new Map<string, Set<string>>();
const englishPages = new Map<string, Page>();

/** The texts of a screen in English, read once per screen (one signed-in English page per app). */
async function englishTexts(screen: Screen, signInAs?: SignIn): Promise<Set<string>> {
  const known = english.get(screen.name);
  if (known) return known;
  const key = signInAs?.path ?? '';
  let page = englishPages.get(key);
  if (!page || page.isClosed()) {
    const context = await browser.newContext({ baseURL: server.baseUrl, viewport: DESKTOP, locale: 'en-GB' });
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
    if (signInAs) await signIn(page, signInAs.path, signInAs.user);
    englishPages.set(key, page);
  }
  await screen.open(page, '');
  const texts = new Set(await screenTexts(page));
  english.set(screen.name, texts);
  return texts;
}

/** Texts of the English screen still on this one, other than names and shared words. */
async function englishLeft(page: Page, lang: Exclude<Lang, 'en'>, reference: Set<string>): Promise<string[]> {
  const allowed = new Set([...NAMES, ...SAME[lang], ...sameCategories[lang]]);
  return (await screenTexts(page)).filter(
    (text) => reference.has(text) && !allowed.has(text) && !text.includes(DESCRIPTION),
  );
}

function expectNoViolations(violations: Awaited<ReturnType<typeof axeViolations>>): void {
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`)).toEqual([]);
}

const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);

async function shoot(page: Page, name: string): Promise<void> {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}

/** Opens each screen, checks its words and axe at desktop and phone size. */
async function checkScreens(
  page: Page,
  lang: Exclude<Lang, 'en'>,
  screens: Screen[],
  query: string,
  signInAs?: SignIn,
): Promise<void> {
  for (const screen of screens) {
    const reference = await englishTexts(screen, signInAs);
    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      await screen.open(page, query);
      expect(await htmlLang(page)).toBe(lang);
      expect({ screen: screen.name, viewport, english: await englishLeft(page, lang, reference) }).toEqual({
        screen: screen.name,
        viewport,
        english: [],
      });
      expectNoViolations(await axeViolations(page));
      if (lang === 'fr') {
        await page.setViewportSize(viewport === DESKTOP ? { width: 1024, height: 768 } : viewport);
        await shoot(page, `${screen.name.replace(/ /g, '-')}-fr-${viewport === DESKTOP ? 1024 : 390}`);
      }
    }
  }
}

test.each(['de', 'fr'] as const)(
  'a %s browser gets the sign-in, the dashboard, the responder view and /data in its language, with no English left',
  async (lang) => {
    const w = WORDS[lang];
    const page = await newPage(lang);

    await dataScreen.open(page, '');
    await page.getByRole('heading', { level: 1, name: w.data }).waitFor();
    await checkScreens(page, lang, [dataScreen], '');

    // The sign-in forms are in the browser's language before anyone has signed in.
    await page.setViewportSize(DESKTOP);
    await page.goto('/dashboard');
    await page.getByRole('heading', { level: 1, name: w.login }).waitFor();
    expect(await htmlLang(page)).toBe(lang);
    await signIn(page, '/dashboard', ADMIN);
    await page.locator(`#queue-table tr[data-id="${reportId}"]`).waitFor();
    expect(
      await page
        .getByRole('navigation', { name: w.nav })
        .getByRole('link', { name: w.name })
        .getAttribute('aria-current'),
    ).toBe('true');
    await checkScreens(page, lang, dashboardScreens, '', { path: '/dashboard', user: ADMIN });

    const phone = await newPage(lang, PHONE);
    await signIn(phone, '/responder', RESPONDER);
    await phone.getByRole('heading', { level: 1, name: w.assignments }).waitFor();
    await checkScreens(phone, lang, [responderScreen], '', { path: '/responder', user: RESPONDER });
  },
);

test('?lang= overrides the browser language in all three apps', async () => {
  const page = await newPage('en');
  await page.goto('/data?lang=fr');
  await page.getByRole('heading', { level: 1, name: WORDS.fr.data }).waitFor();
  expect(await htmlLang(page)).toBe('fr');
  expect(await page.title()).toBe('Données ouvertes — Wegfrei');

  await page.goto('/responder?lang=de');
  await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
  expect(await htmlLang(page)).toBe('de');

  await page.goto('/dashboard?lang=fr');
  await page.getByRole('heading', { level: 1, name: WORDS.fr.login }).waitFor();
  await page.locator('#login-email').fill(ADMIN.email);
  await page.locator('#login-password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // Category names come from the server's taxonomy, in French.
  await page.locator(`#queue-table tr[data-id="${reportId}"]`, { hasText: 'Marches sans rampe' }).waitFor();
  expect(await htmlLang(page)).toBe('fr');
  // Dates in French: "6 déc. 2026, 07:12".
  await page.goto(`/dashboard/reports/${reportId}?lang=fr`);
  expect(await page.locator('#detail .facts time').first().textContent()).toMatch(/^\d{1,2} \S+ \d{4}/);
  // A `?lang=` alone is not remembered: without it the browser's language is back.
  await page.goto('/data');
  await page.getByRole('heading', { level: 1, name: WORDS.en.data }).waitFor();
});

/** Tabs from the top of the page to the link named `name` and follows it with Enter. */
async function switchByKeyboard(page: Page, name: string): Promise<void> {
  await page.locator('body').focus();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (focused === name) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`"${name}" was not reached with Tab`);
}

test.each([
  ['/data', null, (l: Lang) => WORDS[l].data],
  ['/responder', RESPONDER, (l: Lang) => WORDS[l].assignments],
  ['/dashboard/overview', ADMIN, (l: Lang) => ({ en: 'Overview', de: 'Übersicht', fr: 'Vue d’ensemble' })[l]],
] as const)(
  'in %s the switch works with the keyboard, keeps the place and is remembered',
  async (url, user, heading) => {
    const page = await newPage('en', url === '/responder' ? PHONE : DESKTOP);
    if (user) await signIn(page, url, user);
    else await page.goto(url);
    await page
      .getByRole('heading', { level: 1, name: heading('en') })
      .first()
      .waitFor();

    await switchByKeyboard(page, 'Deutsch');
    await page
      .getByRole('heading', { level: 1, name: heading('de') })
      .first()
      .waitFor();
    expect(new URL(page.url()).pathname).toBe(url);
    expect(await htmlLang(page)).toBe('de');
    const nav = page.getByRole('navigation', { name: 'Sprache' });
    expect(await nav.getByRole('link', { name: 'Deutsch' }).getAttribute('aria-current')).toBe('true');
    // Focus comes back to the switch, where the person was.
    await page.waitForFunction(() => document.activeElement?.textContent === 'Deutsch');

    await switchByKeyboard(page, 'Français');
    await page
      .getByRole('heading', { level: 1, name: heading('fr') })
      .first()
      .waitFor();
    // Remembered on this device: the plain address opens in French.
    await page.goto(url);
    await page
      .getByRole('heading', { level: 1, name: heading('fr') })
      .first()
      .waitFor();
    expect(await htmlLang(page)).toBe('fr');
  },
);
