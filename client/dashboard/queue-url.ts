/**
 * The filters and the search in the URL's hash, beside the map's own `map=` (which MapLibre
 * reads and writes as one `&`-separated part, leaving the others as they are), so a reload or a
 * shared link shows the same queue and back/forward step through the filters. The hash, not
 * the query: the dashboard's paths change (/dashboard/reports/12) and keep only the hash.
 * Whatever the hash says is checked as the server would, and dropped if it is not a filter.
 */
import { CHANNELS, type Filters } from './state';

type Key = keyof Filters;
const KEYS: readonly Key[] = ['q', 'status', 'category', 'kind', 'team', 'assignee', 'channel', 'from', 'to', 'area'];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID_OR_NONE = /^(none|[1-9]\d{0,14})$/;
const STATUS = /^(all|new|verified|assigned|in_progress|resolved|rejected|duplicate)$/;
const CODE = /^[a-z0-9_]{1,50}$/;
const NUMBER = /^-?\d{1,3}(\.\d{1,8})?$/;

const valid: Record<Key, (v: string) => boolean> = {
  q: (v) => v.trim().length > 0 && v.length <= 200,
  status: (v) => STATUS.test(v),
  category: (v) => CODE.test(v),
  kind: (v) => v === 'barrier' || v === 'help',
  team: (v) => ID_OR_NONE.test(v),
  assignee: (v) => ID_OR_NONE.test(v),
  channel: (v) => (CHANNELS as readonly string[]).includes(v),
  from: (v) => DAY.test(v),
  to: (v) => DAY.test(v),
  area: (v) => {
    const parts = v.split(',');
    return parts.length === 4 && parts.every((p) => NUMBER.test(p));
  },
};

function parts(hash: string): string[] {
  return hash.replace(/^#/, '').split('&').filter(Boolean);
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** The filters a hash holds (missing or invalid ones at their defaults). */
export function filtersFromHash(hash: string): Filters {
  const f: Filters = { category: '', kind: '', status: '' };
  for (const part of parts(hash)) {
    const at = part.indexOf('=');
    const key = (at < 0 ? part : part.slice(0, at)) as Key;
    if (!KEYS.includes(key)) continue;
    const value = decode(part.slice(at + 1));
    if (value !== null && valid[key](value)) f[key] = value;
  }
  return f;
}

/** The hash with these filters and every other part (the map's) as it was. */
export function hashWithFilters(hash: string, f: Filters): string {
  const others = parts(hash).filter((p) => !KEYS.includes(p.split('=')[0] as Key));
  const ours = KEYS.flatMap((k) => {
    const v = f[k];
    return v ? [`${k}=${encodeURIComponent(v)}`] : [];
  });
  const all = [...others, ...ours];
  return all.length ? `#${all.join('&')}` : '';
}

export const sameFilters = (a: Filters, b: Filters): boolean => KEYS.every((k) => (a[k] ?? '') === (b[k] ?? ''));

/** Writes the filters into the URL: a new history entry, or (while typing) the current one. */
export function saveFilters(f: Filters, push: boolean): void {
  const hash = hashWithFilters(location.hash, f);
  if (hash === location.hash || (hash === '' && location.hash === '')) return;
  const url = `${location.pathname}${location.search}${hash}`;
  if (push) history.pushState(history.state, '', url);
  else history.replaceState(history.state, '', url);
}
