/**
 * Every word of the statistics page (/stats). English is the shape German and French follow
 * (./locales/), so a missing translation is a type error. Category names come from the
 * server's taxonomy in the page's language.
 */
import { plural } from '../lib/i18n';
import { loadStaffLanguage } from '../lib/staff-language';

const en = {
  title: 'Statistics — Wegfrei',
  skip: 'Skip to content',
  section: 'Statistics',
  languageNav: 'Language',
  heading: 'How reports are dealt with',
  lead: 'How many public reports are open, how many were resolved, and how many days resolving took — by category, by area and over time.',
  facts: [
    'Counted: every public report. Hidden and rejected reports are not counted; a duplicate is counted through its original.',
    'Open means new, verified, assigned or in progress. Days to resolve are from the report to its resolution; the median is the middle value, so one very slow case does not distort it.',
    'Help requests are counted at their public grid point. In an area, 1 or 2 help requests are shown as “fewer than 3”, so that no one can be singled out.',
    'The numbers are counted at most once a minute.',
  ],
  otherPages: 'The reports themselves:',
  mapLink: 'the map',
  dataLink: 'open data',

  filtersHeading: 'Choose the reports',
  since: 'Reported from',
  until: 'Reported until',
  dateHint: 'A whole day in UTC; leave empty for no limit.',
  kind: 'Kind',
  kinds: { all: 'Barriers and help requests', barrier: 'Barriers', help: 'Help requests' } as Record<string, string>,
  apply: 'Show',
  reset: 'Show everything',
  loading: 'Counting…',
  failed: 'The statistics could not be loaded. Please try again in a minute.',
  invalid: 'Please correct the marked field.',
  loaded: (n: number) => `Statistics shown for ${n} ${plural(n, { one: 'report', other: 'reports' })}.`,

  totalsHeading: 'In total',
  open: 'Open',
  /** A label and its number, as a chart's bar says it. */
  labelled: (label: string, value: string) => `${label}: ${value}`,
  resolved: 'Resolved',
  reported: 'Reported',
  medianDays: 'Median days to resolve',
  none: '—',
  noneLong: 'none resolved',
  days: (d: string) => `${d} days`,
  fewerThan3: 'fewer than 3',
  csv: 'Download these numbers as CSV',
  csvHint: 'One table: totals, categories, areas and periods, with the same numbers as this page.',

  timeHeading: 'Over time',
  timeUnit: { week: 'Per week (from Monday)', month: 'Per month' } as Record<string, string>,
  period: { week: 'Week from', month: 'Month' } as Record<string, string>,
  timeCaption: (unit: string) => `Reports made and resolved ${unit === 'week' ? 'per week' : 'per month'}`,
  timeChart: (unit: string, n: number, maxReported: string, busiest: string) =>
    `Column chart of reports made and resolved per ${unit}, ${n} ${unit === 'week' ? plural(n, { one: 'week', other: 'weeks' }) : plural(n, { one: 'month', other: 'months' })}; most reports made: ${maxReported} in ${busiest}. The table below has the same numbers.`,
  timeEmpty: 'No reports in this period.',

  categoryHeading: 'By category',
  category: 'Category',
  categoryCaption: 'Open and resolved reports per category',
  categoryChart: (n: number, top: string) =>
    `Bar chart of open and resolved reports for ${n} ${plural(n, { one: 'category', other: 'categories' })}; most open: ${top}. The table below has the same numbers.`,

  areaHeading: 'By area',
  area: 'Area',
  areaCaption: 'Open and resolved reports per area',
  areaImported: 'Areas are the districts the organisation has set up.',
  areaGrid: (deg: string) =>
    `No districts are set up, so areas are grid squares of ${deg}° (about ${Math.round(Number(deg) * 111)} km), named by their centre.`,
  areaLeftOut: (n: number) => `${n} quieter grid ${plural(n, { one: 'square is', other: 'squares are' })} not listed.`,
  outside: 'Outside every district',
  areaChart: (shown: number, total: number, top: string) =>
    `Bar chart of open and resolved reports in the ${shown} areas with the most open reports (of ${total}); most open: ${top}. The table below lists every area.`,
  chartTop: (n: number) => `The ${n} areas with the most open reports:`,
  kindColumn: 'Kind',
  withKind: (column: string) => `${column} (kind)`,

  legend: 'Legend',
  tableRegion: (caption: string) => `${caption} (table, scrolls sideways)`,
  north: 'N',
  south: 'S',
  east: 'E',
  west: 'W',
};

export type StatsStrings = typeof en;

/** The words in the page's language; a live binding, set by loadStatsLanguage(). */
export let t: StatsStrings = en;

/** Chooses the language (`?lang=`, remembered, browser) and loads its words. */
export async function loadStatsLanguage(): Promise<void> {
  t = await loadStaffLanguage(en, {
    de: () => import('./locales/de').then((m) => m.de),
    fr: () => import('./locales/fr').then((m) => m.fr),
  });
}
