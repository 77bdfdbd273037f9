/**
 * The staff apps' language (dashboard, responder view, /data): the citizen app's choice
 * (./i18n.ts: `?lang=`, then the remembered choice, then the browser's list) and formatters,
 * with a word table per app. English is each app's shape; German and French load on demand.
 *
 * Switching reloads the page in the new language instead of rebuilding it in place: the
 * staff apps keep their state in the address (view, report, map), and a reload cannot miss
 * a word some view built earlier.
 */
import { h } from './dom';
import { language, LANGUAGES, preferredLanguage, useLanguage, type Lang } from './i18n';
import './staff-language.css';

export type Loaders<S> = Record<Exclude<Lang, 'en'>, () => Promise<S>>;

/** The table of the preferred language, made the page's language; English if it cannot load. */
export async function loadStaffLanguage<S>(en: S, loaders: Loaders<S>): Promise<S> {
  const lang = preferredLanguage();
  if (lang !== 'en') {
    try {
      const table = await loaders[lang]();
      useLanguage(lang);
      return table;
    } catch {
      // Offline or a failed deploy: the page still works, in English.
    }
  }
  useLanguage('en');
  return en;
}

// Set just before the reload, so the new page puts focus back on the switch.
const FOCUS_KEY = 'wegfrei:lang-switched';

function addressIn(lang: Lang): string {
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Links to this page in each language, named in their own language (with `lang`, so screen
 * readers pronounce them right). The choice is remembered on the device.
 */
export function staffLanguageSwitch(label: string): HTMLElement {
  const links = LANGUAGES.map(({ code, name }) => {
    const current = code === language();
    const link = h(
      'a',
      {
        href: addressIn(code),
        lang: code,
        hreflang: code,
        class: 'staff-lang__link',
        'aria-current': current ? 'true' : undefined,
      },
      name,
    );
    // The view and the report live in the address and change without a reload.
    const refresh = () => (link.href = addressIn(code));
    link.addEventListener('focus', refresh);
    link.addEventListener('pointerenter', refresh);
    link.addEventListener('click', (e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      if (current) return;
      useLanguage(code, true);
      try {
        sessionStorage.setItem(FOCUS_KEY, code);
      } catch {
        // Without storage the page simply starts at the top.
      }
      location.assign(addressIn(code));
    });
    return link;
  });
  const nav = h(
    'nav',
    { class: 'staff-lang', 'aria-label': label },
    h(
      'ul',
      { class: 'staff-lang__list' },
      links.map((l) => h('li', {}, l)),
    ),
  );
  let returning = false;
  try {
    returning = sessionStorage.getItem(FOCUS_KEY) === language();
    sessionStorage.removeItem(FOCUS_KEY);
  } catch {
    // As above.
  }
  if (returning) {
    const focusCurrent = () => links.find((l) => l.lang === language())?.focus();
    requestAnimationFrame(() => requestAnimationFrame(focusCurrent));
  }
  return nav;
}
