/**
 * Every word of the open-data page (/data). English is the shape German and French follow
 * (./locales/), so a missing translation is a type error. Longer texts use a small markup
 * that rich() turns into elements: *strong*, `code`, [link](href) and {slot} for an element
 * the page fills in (the grid size, the licence link, a service URL).
 * Category names come from the server's taxonomy in the page's language.
 */
import { plural } from '../lib/i18n';
import { loadStaffLanguage } from '../lib/staff-language';
import type { ExportLink } from './urls';

const en = {
  title: 'Open data — Wegfrei',
  skip: 'Skip to content',
  section: 'Open data',
  languageNav: 'Language',
  heading: 'Open data for research and GIS',
  lead: 'Every public report of a barrier or a request for help, as files and as standard web services, for QGIS, GDAL, R, Python and civic apps.',
  facts: [
    'Coordinates are WGS 84, longitude first (RFC 7946). Times are RFC 3339 in UTC. [What each field means](/api/docs#schema-ReportProperties).',
    'No personal data: contact details are never published; help requests are shown at the centre of a grid cell of about {grid}, without address or accuracy; rejected and hidden reports are left out; photos carry no metadata.',
    'Licence: {licence}, unless this server names another one. Every download names its licence and attribution.',
    'How many reports are open and how fast they are resolved, by category, area and over time: [statistics](/stats), also as CSV.',
  ],

  // Filters
  filtersHeading: 'Filters',
  filtersIntro: 'Leave a filter empty to include everything. The links below follow your choices.',
  areaLegend: 'Area (WGS 84 degrees)',
  areaHint:
    'All four or none. Longitudes −180 to 180, latitudes −90 to 90; west greater than east crosses the antimeridian.',
  west: 'West (min. longitude)',
  south: 'South (min. latitude)',
  east: 'East (max. longitude)',
  north: 'North (max. latitude)',
  example: (value: string) => `e.g. ${value}`,
  datesLegend: 'Reported between',
  datesHint: 'Whole days in UTC; either end may stay open.',
  from: 'From',
  to: 'To',
  kindLegend: 'Kind',
  kinds: { barrier: 'Barriers', help: 'Help requests' } as Record<string, string>,
  severityLegend: 'Severity',
  severities: {
    '1': '1 – an inconvenience',
    '2': '2 – hard to pass, needs help soon',
    '3': '3 – impassable, urgent',
  } as Record<string, string>,
  statusLegend: 'Status',
  statusHint: 'Rejected reports are never published.',
  statuses: {
    new: 'New',
    verified: 'Verified',
    assigned: 'Assigned',
    in_progress: 'In progress',
    resolved: 'Resolved',
    duplicate: 'Duplicate',
  } as Record<string, string>,
  barrierCategories: 'Barrier categories',
  helpCategories: 'Help request categories',
  categoriesFailed: 'The categories could not be loaded; every category is included.',
  clearFilters: 'Clear all filters',
  badCoordinate: (limit: number) => `Enter a number from −${limit} to ${limit}.`,
  allFourOrNone: 'Fill in all four sides, or none.',
  northOfSouth: 'North must not be south of South.',
  endBeforeStart: 'The end date must not be before the start date.',
  filtersInvalid: 'Some filters need fixing; the links keep the last valid filters.',
  linksUpdated: (n: number) =>
    n
      ? `Links updated for ${n} ${plural(n, { one: 'filter', other: 'filters' })}.`
      : 'Links updated: no filters, everything.',

  // Downloads
  downloadsHeading: 'Downloads',
  downloadsHint: 'Complete and streamed: a download of any size starts at once and holds one consistent snapshot.',
  exports: {
    geojson: { label: 'GeoJSON', format: 'RFC 7946 FeatureCollection' },
    geojsonseq: {
      label: 'GeoJSON text sequence',
      format: 'RFC 8142, one Feature per record: best for very large downloads',
    },
    csv: { label: 'CSV', format: 'one row per report, UTF-8' },
    'csv-hxl': { label: 'CSV with HXL hashtags', format: 'a second header row for the Humanitarian Exchange Language' },
  } as Record<ExportLink['id'], { label: string; format: string }>,

  // Releases
  releasesHeading: 'Releases to cite',
  releasesLead:
    'The whole public data set as dated files that never change, made regularly (every day unless this server says otherwise): cite the dated URL and the checksum from its data package. GDAL, DuckDB and pandas read them in place.',
  releaseLatest: (id: string, date: string, n: number, rows: string) =>
    `Latest release: ${id}, made ${date}, ${rows} ${plural(n, { one: 'report', other: 'reports' })}.`,
  releaseCite: (author: string, year: string, title: string, url: string, licence: string) =>
    `Cite this release as: ${author} (${year}). ${title} [Data set]. ${url}. Licence: ${licence}.`,
  releaseNone: 'No release yet: the first one is made soon after the server starts.',
  releaseFailed: 'The releases could not be loaded. [The list of releases](/releases/) may still open.',
  releaseFiles: {
    'datapackage.json': 'Data package: table schema, licence, checksums, row count',
    'reports.geojson': 'GeoJSON',
    'reports.csv': 'CSV',
    'reports-hxl.csv': 'CSV with HXL hashtags',
    'reports.csvt': 'Column types of the CSV, for GDAL',
    'reports.fgb': 'FlatGeobuf',
    'reports.parquet': 'GeoParquet 1.1',
  } as Record<string, string>,
  releaseReadInPlace: 'Read the latest release in place, without downloading it first (GDAL, DuckDB, pandas):',
  releasesAll: '[Every release](/releases/), as JSON: each keeps its URL.',

  // OGC API – Features
  ogcHeading: 'OGC API – Features (QGIS, GDAL)',
  ogcService: 'Service URL: {url}. Collections: `reports` (all), `barriers`, `help`.',
  qgisHeading: 'In QGIS',
  qgisSteps: [
    'Open *Layer › Add Layer › Add WFS / OGC API – Features Layer…*',
    'Choose *New*, give the connection a name, paste the service URL above.',
    'Pick *OGC API – Features* as the version (or let QGIS detect it), then OK.',
    '*Connect*, select `reports`, `barriers` or `help`, tick *Only request features overlapping the view extent* (a large collection then loads only what you look at), *Add*.',
  ],
  qgisGdal:
    'QGIS 3.22 guesses the type of a field from the first ten features and filters in QGIS itself. Opened through GDAL instead (in the Python console, *Plugins › Python Console*), every field has its type and the filter runs on the server:',
  gdalHeading: 'With GDAL/OGR',
  gdalDescribe: 'Describe the collection:',
  gdalCopy:
    'Copy it to a GeoPackage (the kind picks the collection; GDAL sends the area and the other filters to the server; `-preserve_fid` keeps the report numbers as feature ids):',
  gdalConvert: 'Or convert the filtered GeoJSON download directly:',
  ogcItems: 'Items with the filters above, page by page: {items}',
  copy: 'Copy',
  copyLabel: (command: string) => `Copy the command: ${command}`,
  copied: 'Copied to the clipboard.',
  copyFailed: 'Copying is not allowed here; select the command and copy it by hand.',

  // Open311 and the API
  open311Heading: 'Open311 GeoReport v2',
  open311:
    'Endpoint: {endpoint} — [discovery](/open311/v2/discovery.json), [services](/open311/v2/services.json), [requests](/open311/v2/requests.json). Every resource is also available as XML (`.xml`). Reading needs no key; posting requests needs an API key from the people who run this server.',
  apiHeading: 'API description',
  apiLinks: [
    '[Readable API reference](/api/docs)',
    '[OpenAPI 3.0 document](/api/openapi.json) (for code generators and GDAL)',
  ],
};

export type OpenDataStrings = typeof en;

/** The words in the page's language; a live binding, set by loadOpenDataLanguage(). */
export let t: OpenDataStrings = en;

/** Chooses the language (`?lang=`, remembered, browser) and loads its words. */
export async function loadOpenDataLanguage(): Promise<void> {
  t = await loadStaffLanguage(en, {
    de: () => import('./locales/de').then((m) => m.de),
    fr: () => import('./locales/fr').then((m) => m.fr),
  });
}
