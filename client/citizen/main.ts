/**
 * Start of the citizen app: the language first (so the first screen is already in it), then
 * the page (./app.ts), then what may come later — the outbox that sends waiting reports,
 * and the service worker that makes the app open without a connection.
 */
import { api, type AppConfig, type Category } from '../lib/api';
import { mountAnnouncers } from '../lib/announce';
import { byId, h } from '../lib/dom';
import { preferredLanguage, type Lang } from '../lib/i18n';
import { loadLanguage, t } from '../lib/strings';
import { createApp, type AppData } from './app';
import { createLanguageSwitch } from './language-switch';
import { outbox } from './outbox-client';
import { startPwa } from './pwa';

const FALLBACK_CONFIG: AppConfig = { tile_url: '', tile_attribution: '', help_grid_m: 500 };

function renderChrome(): void {
  byId('skip-link').textContent = t.skipToForm;
  byId('brand-tagline').textContent = t.tagline;
  byId('footer-nav').setAttribute('aria-label', t.footerNav);
  byId('footer-data').textContent = t.footerOpenData;
  byId('footer-stats').textContent = t.footerStats;
  byId('footer-api').textContent = t.footerApi;
  document.title = `${t.title} — ${t.appName}`;
}

/** The map and the categories load side by side; either may fail without blocking the other. */
async function loadData(): Promise<AppData> {
  const [config, categories] = await Promise.allSettled([api.config(), api.categories()]);
  return {
    config: config.status === 'fulfilled' ? config.value : FALLBACK_CONFIG,
    categories: categories.status === 'fulfilled' ? (categories.value satisfies Category[]) : null,
  };
}

async function start(): Promise<void> {
  const data = loadData();
  await loadLanguage(preferredLanguage()).catch(() => loadLanguage('en'));
  renderChrome();

  const main = byId('main');
  const root = h('div', { class: 'app' });
  main.replaceChildren(root);
  // Outside the part that is rebuilt, so a message is not lost in a language switch.
  mountAnnouncers(main);
  let app = createApp(root, data, null);

  const switcher = createLanguageSwitch(async (lang: Lang) => {
    // A report being sent finishes in the language it was started in.
    await app.settled();
    await loadLanguage(lang, true);
    const carry = app.snapshot();
    app.destroy();
    app = createApp(root, data, carry);
    renderChrome();
    switcher.update();
  });
  byId('site-header').append(switcher.nav);

  startPwa();
  // Reports waiting from an earlier visit go out now; later ones when the connection returns.
  void outbox().then((box) => box?.startAutoSend());
}

void start();
