/**
 * The Overview tab: reports by category and status, created vs resolved per day (a chart and
 * the same numbers as a table), and the median time to resolve.
 */
import type { Status } from '../lib/api';
import { h } from '../lib/dom';
import { errorText, type Overview } from '../lib/staff-api';
import { lineChart } from './chart';
import { labelOf, type Ctx } from './state';
import { t } from './strings';

const STATUSES: Status[] = ['new', 'verified', 'assigned', 'in_progress', 'resolved', 'rejected', 'duplicate'];

function categoryTable(ctx: Ctx, data: Overview): HTMLElement {
  const byCat = new Map<string, Map<string, number>>();
  for (const row of data.by_category) {
    const m = byCat.get(row.category) ?? new Map<string, number>();
    m.set(row.status, (m.get(row.status) ?? 0) + row.count);
    byCat.set(row.category, m);
  }
  const cats = [...byCat.keys()].sort((a, b) => labelOf(ctx, a).localeCompare(labelOf(ctx, b)));
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const colTotals = STATUSES.map((s) => cats.reduce((sum, c) => sum + (byCat.get(c)?.get(s) ?? 0), 0));
  return h(
    'table',
    { class: 'data-table data-table--numbers' },
    h('caption', {}, t.byCategory),
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
        ? h('tr', {}, h('td', { colspan: STATUSES.length + 2 }, t.queueEmpty))
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
}

function perDay(data: Overview, days: number): HTMLElement {
  const rows = data.per_day;
  const created = rows.reduce((a, r) => a + r.created, 0);
  const resolved = rows.reduce((a, r) => a + r.resolved, 0);
  const chart = lineChart(
    rows.map((r) => r.day),
    [
      { label: t.created, values: rows.map((r) => r.created), colour: '#0072b2', marker: 'circle' },
      { label: t.resolvedLabel, values: rows.map((r) => r.resolved), colour: '#c04400', dash: '6 4', marker: 'square' },
    ],
    t.chartLabel(days, created, resolved),
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
        h('caption', { class: 'visually-hidden' }, t.perDay),
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
              h('th', { scope: 'row' }, r.day),
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
      const data = await ctx.api.overview(n);
      content.replaceChildren(
        h(
          'section',
          { class: 'panel-block median', 'aria-labelledby': 'median-heading' },
          h('h2', { id: 'median-heading' }, t.median),
          h('p', { class: 'median__value' }, t.medianValue(data.median_hours_to_resolve)),
        ),
        perDay(data, n),
        h('section', { class: 'panel-block' }, categoryTable(ctx, data)),
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
