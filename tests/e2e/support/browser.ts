/**
 * Debian's Chromium driven by playwright-core, with the phone the citizen app is made for:
 * 390×844, touch, and location access granted at a fixed position.
 */
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const PHONE = { width: 390, height: 844 };

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function phoneContext(
  browser: Browser,
  baseURL: string,
  position: { latitude: number; longitude: number; accuracy?: number },
  /**
   * `locale`: the browser's language (navigator.languages, Accept-Language), British English
   * unless given. `serviceWorkers: 'block'` for tests that use page.route(), which does not
   * see requests of a page a service worker controls.
   */
  options: { locale?: string; serviceWorkers?: 'allow' | 'block' } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: options.locale ?? 'en-GB',
    serviceWorkers: options.serviceWorkers ?? 'allow',
    permissions: ['geolocation'],
    geolocation: { accuracy: 12, ...position },
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Violations of WCAG 2.0–2.2 A and AA, reduced to what a failure message needs. */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? '',
    nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
  }));
}

/** Resolves once the citizen app's service worker is active and controls the page. */
export async function serviceWorkerReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}
