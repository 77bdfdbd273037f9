/**
 * The UI language of the citizen pages: chosen from the browser, switchable, remembered on
 * the device. Numbers, distances, dates and plurals go through Intl in that language.
 *
 * Adding a language: one entry here and one table in ./locales/ (see ./strings.ts). A
 * right-to-left language sets `dir: 'rtl'`; the stylesheets use logical properties.
 *
 * Pages that never call useLanguage() (the staff apps) stay in English.
 */
export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'de', name: 'Deutsch', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
] as const satisfies readonly { code: string; name: string; dir: 'ltr' | 'rtl' }[];

export type Lang = (typeof LANGUAGES)[number]['code'];

const STORE_KEY = 'wegfrei:lang';
let current: Lang = 'en';

export function language(): Lang {
  return current;
}

export function isLanguage(value: unknown): value is Lang {
  return typeof value === 'string' && LANGUAGES.some((l) => l.code === value);
}

function stored(): string | null {
  try {
    return localStorage.getItem(STORE_KEY);
  } catch {
    return null;
  }
}

/** The first supported of: `?lang=` in the address, the remembered choice, the browser's list. */
export function preferredLanguage(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (isLanguage(fromUrl)) return fromUrl;
  const remembered = stored();
  if (isLanguage(remembered)) return remembered;
  const browser = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of browser) {
    const base = tag?.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** Makes `lang` the page's language: formatters, `<html lang dir>`, and (if asked) the device's memory. */
export function useLanguage(lang: Lang, remember = false): void {
  current = lang;
  const info = LANGUAGES.find((l) => l.code === lang) ?? LANGUAGES[0];
  document.documentElement.lang = lang;
  document.documentElement.dir = info.dir;
  if (!remember) return;
  try {
    localStorage.setItem(STORE_KEY, lang);
  } catch {
    // Storage may be blocked; the choice then lasts for this page only.
  }
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(opts: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${current}|${JSON.stringify(opts)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(current, opts);
    numberFormats.set(key, f);
  }
  return f;
}

export function formatNumber(n: number, opts?: Intl.NumberFormatOptions): string {
  return numberFormat(opts).format(n);
}

/** 0.5 → "50%", "50 %" or "50 %" as the language writes it. */
export function formatPercent(fraction: number): string {
  return numberFormat({ style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

/** "40 m", "1.2 km" / "1,2 km". */
export function formatDistance(m: number): string {
  return m >= 1000
    ? numberFormat({ style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 }).format(m / 1000)
    : numberFormat({ style: 'unit', unit: 'meter', maximumFractionDigits: 0 }).format(Math.round(m));
}

export function formatDate(iso: string | Date): string {
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** Picks the plural form of `n` in the current language; `other` is the fallback. */
export function plural<T>(n: number, forms: Partial<Record<Intl.LDMLPluralRule, T>> & { other: T }): T {
  return forms[new Intl.PluralRules(current).select(n)] ?? forms.other;
}
