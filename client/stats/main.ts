/**
 * The public statistics page (/stats): the filters in the address (since, until, kind), the
 * numbers from /api/v1/stats, each section as a chart and a table with the same numbers, and
 * the CSV of them. A plain GET form, so every view has its own address to share.
 */
import { api, type Category } from '../lib/api';
import { byId, h, replaceChildren } from '../lib/dom';
import { formatNumber, language } from '../lib/i18n';
import { staffLanguageSwitch } from '../lib/staff-language';
import { barChart, chartLegend, columnChart, patternDefs, type BarRow } from './charts';
import { loadStatsLanguage, t } from './strings';
import { dataTable, type Cell } from './table';
import type { AreaStats, Stats, StatsCounts } from './types';

const FILTERS = ['since', 'until', 'kind'] as const;
/** Areas drawn in the chart; the table lists them all. */
const CHART_AREAS = 15;

function filtersFromAddress(): URLSearchParams {
  const from = new URLSearchParams(location.search);
  const q = new URLSearchParams();
  for (const key of FILTERS) {
    const v = from.get(key);
    if (v) q.set(key, v);
  }
  return q;
}

const withQuery = (path: string, q: URLSearchParams) => (q.size ? `${path}?${q.toString()}` : path);
const num = (n: number) => formatNumber(n);
const days = (d: number | null) => (d === null ? t.none : formatNumber(d, { maximumFractionDigits: 1 }));
const count = (n: number | null) => (n === null ? t.fewerThan3 : num(n));

function field(id: string, label: string, input: HTMLElement, hint?: string): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    input,
    h('p', { class: 'error', id: `${id}-error`, hidden: true }),
  );
}

function filterForm(q: URLSearchParams): HTMLFormElement {
  const date = (name: 'since' | 'until') =>
    h('input', {
      type: 'date',
      id: `f-${name}`,
      name,
      value: q.get(name) ?? '',
      'aria-describedby': `f-${name}-hint f-${name}-error`,
    });
  const kind = h(
    'select',
    { id: 'f-kind', name: 'kind', 'aria-describedby': 'f-kind-error' },
    (['', 'barrier', 'help'] as const).map((k) =>
      h('option', { value: k, selected: (q.get('kind') ?? '') === k }, t.kinds[k || 'all']),
    ),
  );
  const lang = new URLSearchParams(location.search).get('lang');
  return h(
    'form',
    { class: 'card filters', method: 'get', action: '/stats', 'aria-labelledby': 'filters-heading' },
    h('h2', { id: 'filters-heading' }, t.filtersHeading),
    lang ? h('input', { type: 'hidden', name: 'lang', value: lang }) : null,
    h(
      'div',
      { class: 'filters__grid' },
      field('f-since', t.since, date('since'), t.dateHint),
      field('f-until', t.until, date('until'), t.dateHint),
      field('f-kind', t.kind, kind),
    ),
    h(
      'div',
      { class: 'filters__actions' },
      h('button', { type: 'submit', class: 'button' }, t.apply),
      h('a', { class: 'button button--secondary', href: lang ? `/stats?lang=${lang}` : '/stats' }, t.reset),
    ),
  );
}

function totals(s: Stats): HTMLElement {
  const item = (label: string, value: string) =>
    h('div', { class: 'totals__item' }, h('dt', {}, label), h('dd', {}, value));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'totals-heading' },
    h('h2', { id: 'totals-heading' }, t.totalsHeading),
    h(
      'dl',
      { class: 'totals' },
      item(t.open, num(s.totals.open ?? 0)),
      item(t.resolved, num(s.totals.resolved ?? 0)),
      item(t.medianDays, s.totals.median_days === null ? t.noneLong : t.days(days(s.totals.median_days))),
    ),
    h(
      'p',
      { class: 'csv' },
      h(
        'a',
        { href: withQuery('/api/v1/stats.csv', filtersFromAddress()), download: 'wegfrei-stats.csv', id: 'csv-link' },
        t.csv,
      ),
    ),
    h('p', { class: 'hint' }, t.csvHint),
  );
}

function periodLabel(period: string, unit: string): string {
  return unit === 'month'
    ? new Intl.DateTimeFormat(language(), { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
        new Date(`${period}T00:00:00Z`),
      )
    : new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(`${period}T00:00:00Z`),
      );
}

function overTime(s: Stats): HTMLElement {
  const { unit, periods } = s.over_time;
  const labels = periods.map((p) => periodLabel(p.period, unit));
  const busiest = periods.reduce((best, p, i) => (p.reported > (periods[best]?.reported ?? -1) ? i : best), 0);
  const section = h(
    'section',
    { class: 'card', 'aria-labelledby': 'time-heading' },
    h('h2', { id: 'time-heading' }, t.timeHeading),
    h('p', { class: 'hint' }, t.timeUnit[unit]),
  );
  if (!periods.some((p) => p.reported || p.resolved)) {
    section.append(h('p', {}, t.timeEmpty));
    return section;
  }
  section.append(
    chartLegend(t.reported, t.resolved),
    columnChart(
      periods.map((p, i) => ({ label: labels[i]!, reported: p.reported, resolved: p.resolved })),
      t.timeChart(unit, periods.length, num(periods[busiest]?.reported ?? 0), labels[busiest] ?? ''),
      num,
    ),
    ...dataTable(
      'time',
      t.timeCaption(unit),
      [t.period[unit]!, t.reported, t.resolved, t.medianDays],
      periods.map((p, i): Cell[] => [labels[i]!, num(p.reported), num(p.resolved), days(p.median_days)]),
    ),
  );
  return section;
}

const barRow = (label: string, c: StatsCounts): BarRow => ({
  label,
  open: c.open ?? 0,
  resolved: c.resolved ?? 0,
  openText: t.labelled(t.open, count(c.open)),
  resolvedText: t.labelled(t.resolved, count(c.resolved)),
});

function byCategory(s: Stats, categories: Map<string, string>): HTMLElement {
  const rows = s.by_category
    .map((c) => ({ ...c, label: categories.get(c.category) ?? c.category }))
    .sort((a, b) => (b.open ?? 0) - (a.open ?? 0) || a.label.localeCompare(b.label));
  const top = rows[0];
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'category-heading' },
    h('h2', { id: 'category-heading' }, t.categoryHeading),
    chartLegend(t.open, t.resolved),
    barChart(
      rows.map((r) => barRow(r.label, r)),
      t.categoryChart(rows.length, top ? `${top.label} (${count(top.open)})` : t.none),
    ),
    dataTable(
      'category',
      t.categoryCaption,
      // The kind goes under the name rather than in a column of its own: four columns fit a phone.
      [t.withKind(t.category), t.open, t.resolved, t.medianDays],
      rows.map((r): Cell[] => [
        { label: r.label, note: t.kinds[r.kind]! },
        num(r.open ?? 0),
        num(r.resolved ?? 0),
        days(r.median_days),
      ]),
    ),
  );
}

/** "52.55° N, 13.45° E" in the page's language. */
function cellName(code: string): string {
  const [lat, lon] = code.split(',').map(Number) as [number, number];
  const deg = (n: number) => formatNumber(Math.abs(n), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${deg(lat)}° ${lat >= 0 ? t.north : t.south}, ${deg(lon)}° ${lon >= 0 ? t.east : t.west}`;
}

function areaName(a: AreaStats, source: Stats['areas']['source']): string {
  if (a.area === null) return t.outside;
  return source === 'grid' ? cellName(a.area) : (a.name ?? a.area);
}

function byArea(s: Stats): HTMLElement {
  const source = s.areas.source;
  const rows = s.by_area.map((a) => ({ ...a, label: areaName(a, source) }));
  // The chart sums an area's kinds; a withheld help count adds nothing to its bar.
  const perArea = new Map<string, { label: string; open: number; resolved: number }>();
  for (const r of rows) {
    const key = r.area ?? '';
    const sum = perArea.get(key) ?? { label: r.label, open: 0, resolved: 0 };
    sum.open += r.open ?? 0;
    sum.resolved += r.resolved ?? 0;
    perArea.set(key, sum);
  }
  const chartRows = [...perArea.values()]
    .sort((a, b) => b.open - a.open || b.resolved - a.resolved)
    .slice(0, CHART_AREAS);
  const withheld = rows.some((r) => r.suppressed);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'area-heading' },
    h('h2', { id: 'area-heading' }, t.areaHeading),
    h(
      'p',
      { class: 'hint', id: 'area-source' },
      source === 'grid' ? t.areaGrid(String(s.areas.cell_deg)) : t.areaImported,
    ),
    s.areas.left_out ? h('p', { class: 'hint' }, t.areaLeftOut(s.areas.left_out)) : null,
    withheld ? h('p', { class: 'hint' }, t.facts[2]) : null,
    perArea.size > CHART_AREAS ? h('p', {}, t.chartTop(CHART_AREAS)) : null,
    chartLegend(t.open, t.resolved),
    barChart(
      chartRows.map((r) => barRow(r.label, { open: r.open, resolved: r.resolved, median_days: null })),
      t.areaChart(
        chartRows.length,
        perArea.size,
        chartRows[0] ? `${chartRows[0].label} (${num(chartRows[0].open)})` : t.none,
      ),
    ),
    dataTable(
      'area',
      t.areaCaption,
      [t.withKind(t.area), t.open, t.resolved, t.medianDays],
      rows.map((r): Cell[] => [
        { label: r.label, note: t.kinds[r.kind]! },
        count(r.open),
        count(r.resolved),
        days(r.median_days),
      ]),
    ),
  );
}

async function loadCategories(): Promise<Map<string, string>> {
  try {
    const list: Category[] = await api.categories();
    return new Map(list.map((c) => [c.code, c.labels[language()] ?? c.labels.en ?? c.code]));
  } catch {
    return new Map();
  }
}

interface Problem {
  errors?: { field: string; detail: string }[];
}

function showProblem(problem: Problem): void {
  const status = byId('status');
  status.textContent = t.invalid;
  let first: HTMLElement | undefined;
  for (const e of problem.errors ?? []) {
    const input = document.getElementById(`f-${e.field}`);
    const error = document.getElementById(`f-${e.field}-error`);
    if (!input || !error) continue;
    input.setAttribute('aria-invalid', 'true');
    error.textContent = e.detail;
    error.hidden = false;
    first ??= input;
  }
  first?.focus();
}

async function main(): Promise<void> {
  await loadStatsLanguage();
  document.title = t.title;
  byId('skip-link').textContent = t.skip;
  byId('site-section').textContent = t.section;
  byId('site-header').append(staffLanguageSwitch(t.languageNav));
  const q = filtersFromAddress();
  const results = h('div', { id: 'results' });
  replaceChildren(
    byId('main'),
    patternDefs(),
    h('h1', {}, t.heading),
    h('p', { class: 'lead' }, t.lead),
    h(
      'ul',
      { class: 'facts' },
      t.facts.map((f) => h('li', {}, f)),
    ),
    h('p', {}, `${t.otherPages} `, h('a', { href: '/' }, t.mapLink), ', ', h('a', { href: '/data' }, t.dataLink), '.'),
    filterForm(q),
    h('p', { id: 'status', role: 'status', class: 'status' }, t.loading),
    results,
  );
  const categories = loadCategories();
  let res: Response;
  try {
    res = await fetch(withQuery('/api/v1/stats', q), {
      headers: { Accept: 'application/json', 'Accept-Language': language() },
    });
  } catch {
    byId('status').textContent = t.failed;
    return;
  }
  if (res.status === 422) {
    showProblem((await res.json()) as Problem);
    return;
  }
  if (!res.ok) {
    byId('status').textContent = t.failed;
    return;
  }
  const stats = (await res.json()) as Stats;
  replaceChildren(results, totals(stats), overTime(stats), byCategory(stats, await categories), byArea(stats));
  const reported = stats.by_category.reduce((n, c) => n + (c.open ?? 0) + (c.resolved ?? 0), 0);
  byId('status').textContent = t.loaded(reported);
}

void main();
