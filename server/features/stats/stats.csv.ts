// The statistics as one CSV table (RFC 4180: a header row, CRLF, quotes where needed), the same
// numbers as the JSON: one row per total, category, area and period, `section` saying which.
// A help count withheld in an area (1 or 2) reads "<3"; a median that does not exist is empty.
import type { Stats, StatsCounts } from './stats.service';

export const STATS_CSV_COLUMNS = [
  'section',
  'kind',
  'category',
  'area',
  'area_name',
  'period',
  'open',
  'resolved',
  'reported',
  'median_days',
] as const;

type Cell = string | number | null;

/**
 * Text a spreadsheet would run as a formula (an area's name comes from a coordinator's file)
 * gets a leading apostrophe, as in the exports (server/features/exports/exports.sql.ts csvText).
 */
const guarded = (v: Cell) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

function cell(v: Cell): string {
  if (v === null) return '';
  const text = String(guarded(v));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const count = (n: number | null, suppressed: boolean) => (n === null && suppressed ? '<3' : n);

function row(values: Partial<Record<(typeof STATS_CSV_COLUMNS)[number], Cell>>): string {
  return STATS_CSV_COLUMNS.map((c) => cell(values[c] ?? null)).join(',');
}

const numbers = (c: StatsCounts, suppressed = false) => ({
  open: count(c.open, suppressed),
  resolved: count(c.resolved, suppressed),
  median_days: c.median_days,
});

export function statsCsv(stats: Stats): string {
  const lines = [STATS_CSV_COLUMNS.join(',')];
  lines.push(row({ section: 'total', kind: stats.filters.kind, ...numbers(stats.totals) }));
  for (const c of stats.by_category)
    lines.push(row({ section: 'category', kind: c.kind, category: c.category, ...numbers(c) }));
  for (const a of stats.by_area) {
    lines.push(row({ section: 'area', kind: a.kind, area: a.area, area_name: a.name, ...numbers(a, a.suppressed) }));
  }
  for (const p of stats.over_time.periods) {
    lines.push(
      row({
        section: stats.over_time.unit,
        kind: stats.filters.kind,
        period: p.period,
        resolved: p.resolved,
        reported: p.reported,
        median_days: p.median_days,
      }),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
