/**
 * The Overview tab, every number for the chosen period (the server counts it, overview.service):
 * reports created in it by category and status now, created vs resolved per day (a chart and
 * the same numbers as a table), by the channel they came through, and the median time to
 * resolve of those resolved in it.
 */
import type { Status } from '../lib/api';
import { h } from '../lib/dom';
import { formatPercent, language } from '../lib/i18n';
import { errorText, type Overview } from '../lib/staff-api';
import { lineChart } from './chart';
import { labelOf, type Ctx } from './state';
import { t } from './strings';
import './styles/overview.css';

const STATUSES: Status[] = ['new', 'verified', 'assigned', 'in_progress', 'resolved', 'rejected', 'duplicate'];

/** The answer of GET /api/v1/overview (server/features/overview/overview.service.ts). */
type PeriodOverview = Overview & {
  period: { days: number; from: string; to: string };
  by_source: { source: string; count: number }[];
  created: number;
  resolved: number;
  fix_checks: { by_team: FixCheckRow[]; by_area: FixCheckRow[] };
};

/** One team's or area's answers to "Is it really fixed?" (`team`, or an area's `name`). */
interface FixCheckRow {
  team?: string | null;
  name?: string | null;
  team_id?: number | null;
  area_id?: number | null;
  fixed: number;
  not_fixed: number;
  share: number | null;
}

/** A day of the period ("2026-12-06") as the page's language writes a date. */
function dayText(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

function periodOf(data: PeriodOverview): string {
  return t.periodPhrase(data.period.days, dayText(data.period.from), dayText(data.period.to));
}

function categoryTable(ctx: Ctx, data: PeriodOverview): HTMLElement {
  const byCat = new Map<string, Map<string, number>>();
  for (const row of data.by_category) {
    const m = byCat.get(row.category) ?? new Map<string, number>();
    m.set(row.status, (m.get(row.status) ?? 0) + row.count);
    byCat.set(row.category, m);
  }
  const cats = [...byCat.keys()].sort((a, b) => labelOf(ctx, a).localeCompare(labelOf(ctx, b)));
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const colTotals = STATUSES.map((s) => cats.reduce((sum, c) => sum + (byCat.get(c)?.get(s) ?? 0), 0));
  // The table is wider than a phone: it scrolls on its own (a focusable region), under a heading
  // that stays in view, instead of a caption that would scroll away with it.
  const table = h(
    'table',
    { id: 'bycat-table', class: 'data-table data-table--numbers', 'aria-labelledby': 'bycat-heading' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t.category),
        STATUSES.map((s) => h('th', { scope: 'col' }, t.status(s))),
        h('th', { scope: 'col' }, t.total),
      ),
    ),
    h(
      'tbody',
      {},
      cats.length === 0
        ? h('tr', {}, h('td', { colspan: STATUSES.length + 2 }, t.noneCreated(periodOf(data))))
        : cats.map((c) => {
            const m = byCat.get(c)!;
            return h(
              'tr',
              {},
              h('th', { scope: 'row' }, labelOf(ctx, c)),
              STATUSES.map((s) => h('td', {}, String(m.get(s) ?? 0))),
              h('td', {}, String(total(m))),
            );
          }),
    ),
    h(
      'tfoot',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, t.total),
        colTotals.map((n) => h('td', {}, String(n))),
        h('td', {}, String(colTotals.reduce((a, b) => a + b, 0))),
      ),
    ),
  );
  return h(
    'section',
    { class: 'panel-block', 'aria-labelledby': 'bycat-heading' },
    h('h2', { id: 'bycat-heading' }, t.byCategoryIn(periodOf(data))),
    h('div', { class: 'overview__scroll', role: 'region', 'aria-labelledby': 'bycat-heading', tabindex: 0 }, table),
  );
}

/** Two columns, narrow enough for a phone: a caption rather than a scrolling region. */
function sourceTable(data: PeriodOverview): HTMLElement {
  const rows = data.by_source;
  return h(
    'section',
    { class: 'panel-block', 'aria-labelledby': 'bysource-heading' },
    h('h2', { id: 'bysource-heading' }, t.bySourceHeading),
    h(
      'table',
      { id: 'bysource-table', class: 'data-table data-table--numbers' },
      h('caption', {}, t.bySourceIn(periodOf(data))),
      h(
        'thead',
        {},
        h('tr', {}, h('th', { scope: 'col' }, t.channelFilter), h('th', { scope: 'col' }, t.reportsColumn)),
      ),
      h(
        'tbody',
        {},
        rows.length === 0
          ? h('tr', {}, h('td', { colspan: 2 }, t.noneCreated(periodOf(data))))
          : rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, t.source(r.source)), h('td', {}, String(r.count)))),
      ),
      h(
        'tfoot',
        {},
        h('tr', {}, h('th', { scope: 'row' }, t.total), h('td', {}, String(rows.reduce((n, r) => n + r.count, 0)))),
      ),
    ),
  );
}

/**
 * Four columns whose headers (team names, "Not fixed" in German and French) make the table wider
 * than a 320 px screen: it scrolls on its own in a focusable region named by its caption, like the
 * per-category table, so the page itself never scrolls sideways (WCAG 1.4.10).
 */
function fixCheckTable(
  id: string,
  caption: string,
  who: string,
  rows: FixCheckRow[],
  name: (r: FixCheckRow) => string,
) {
  const table = h(
    'table',
    { id, class: 'data-table data-table--numbers' },
    h('caption', { id: `${id}-caption`, class: 'visually-hidden' }, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [who, t.fixedColumn, t.notFixedColumn, t.shareColumn].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, name(r)),
          h('td', {}, String(r.fixed)),
          h('td', {}, String(r.not_fixed)),
          h('td', {}, r.share === null ? '—' : formatPercent(r.share)),
        ),
      ),
    ),
  );
  // The caption scrolls away with a wide table, cut at the screen's edge: its visible copy stands
  // above the region (hidden from screen readers, which read the caption with the table).
  return h(
    'div',
    { class: 'overview__table' },
    h('p', { class: 'overview__table-title', 'aria-hidden': 'true' }, caption),
    h('div', { class: 'overview__scroll', role: 'region', 'aria-labelledby': `${id}-caption`, tabindex: 0 }, table),
  );
}

/** The share of resolutions citizens confirmed, per team and per imported area (issue 16). */
function fixChecks(data: PeriodOverview): HTMLElement {
  const { by_team: teams, by_area: areas } = data.fix_checks;
  const section = h(
    'section',
    { class: 'panel-block', 'aria-labelledby': 'fixchecks-heading' },
    h('h2', { id: 'fixchecks-heading' }, t.fixChecksHeading),
  );
  if (teams.length === 0) {
    section.append(h('p', {}, t.fixChecksNone(periodOf(data))));
    return section;
  }
  section.append(
    h('p', { class: 'hint' }, t.fixChecksIntro(periodOf(data))),
    fixCheckTable('fixchecks-team-table', t.fixChecksByTeam, t.teamColumn, teams, (r) => r.team ?? t.fixChecksNoTeam),
    areas.length
      ? fixCheckTable('fixchecks-area-table', t.fixChecksByArea, t.areaColumn, areas, (r) => r.name ?? t.outsideAreas)
      : h('p', { class: 'hint' }, t.fixChecksNoAreas),
  );
  return section;
}

function perDay(data: PeriodOverview): HTMLElement {
  const rows = data.per_day;
  const chart = lineChart(
    rows.map((r) => r.day),
    [
      { label: t.created, values: rows.map((r) => r.created), colour: '#0072b2', marker: 'circle' },
      { label: t.resolvedLabel, values: rows.map((r) => r.resolved), colour: '#c04400', dash: '6 4', marker: 'square' },
    ],
    t.chartLabel(data.period.days, data.created, data.resolved),
  );
  return h(
    'section',
    { class: 'panel-block', 'aria-labelledby': 'perday-heading' },
    h('h2', { id: 'perday-heading' }, t.perDay),
    h('figure', { class: 'chart-figure' }, chart),
    h(
      'details',
      {},
      h('summary', {}, t.showTable),
      h(
        'table',
        { class: 'data-table data-table--numbers' },
        h('caption', {}, t.perDayIn(periodOf(data))),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t.day),
            h('th', { scope: 'col' }, t.created),
            h('th', { scope: 'col' }, t.resolvedLabel),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((r) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, dayText(r.day)),
              h('td', {}, String(r.created)),
              h('td', {}, String(r.resolved)),
            ),
          ),
        ),
      ),
    ),
  );
}

export function createOverview(ctx: Ctx) {
  const days = h(
    'select',
    { id: 'overview-days', class: 'input input--compact' },
    [7, 30, 90, 365].map((n) => h('option', { value: String(n), selected: n === 30 }, t.days(n))),
  );
  const content = h('div', { class: 'overview__content', 'aria-live': 'polite', 'aria-busy': 'false' });
  const el = h(
    'section',
    { class: 'page-section overview', 'aria-labelledby': 'overview-heading' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { id: 'overview-heading', tabindex: -1 }, t.overviewHeading),
      h('label', { class: 'label label--inline', for: 'overview-days' }, t.daysLabel),
      days,
    ),
    content,
  );

  async function load(): Promise<void> {
    const n = Number(days.value);
    content.setAttribute('aria-busy', 'true');
    try {
      const data = (await ctx.api.overview(n)) as PeriodOverview;
      // An answer to an earlier choice arriving late must not replace the one asked for now.
      if (Number(days.value) !== data.period.days) return;
      const period = periodOf(data);
      const hours = data.median_hours_to_resolve;
      content.replaceChildren(
        h(
          'p',
          { class: 'overview__summary', id: 'overview-summary' },
          t.periodSummary(period, data.created, data.resolved),
        ),
        h(
          'section',
          { class: 'panel-block median', 'aria-labelledby': 'median-heading' },
          h('h2', { id: 'median-heading' }, t.median),
          ...(data.resolved === 0 || hours === null
            ? [h('p', { class: 'median__none' }, t.noneResolved(period))]
            : [
                h('p', { class: 'median__value' }, t.medianValue(hours)),
                h('p', { class: 'hint median__of' }, t.medianOf(data.resolved, period)),
              ]),
        ),
        perDay(data),
        categoryTable(ctx, data),
        sourceTable(data),
        fixChecks(data),
      );
    } catch (err) {
      content.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorText(err, t.loadFailed)));
    } finally {
      content.setAttribute('aria-busy', 'false');
    }
  }
  days.addEventListener('change', () => void load());
  return { el, enter: load };
}
