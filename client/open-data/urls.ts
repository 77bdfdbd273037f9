/**
 * The researchers' filters as URLs and commands: pure functions, no DOM, so the same rules
 * build the links on the page and are checked by a unit test.
 */
export interface DataFilter {
  /** minLon, minLat, maxLon, maxLat in WGS 84 degrees. */
  bbox?: [number, number, number, number];
  /** Calendar days (YYYY-MM-DD), read as whole days in UTC; either end may be open. */
  from?: string;
  to?: string;
  categories: string[];
  kinds: string[];
  statuses: string[];
  severities: string[];
}

export const EMPTY_FILTER: DataFilter = { categories: [], kinds: [], statuses: [], severities: [] };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The `datetime` parameter: an RFC 3339 interval on created_at, `..` for an open end. */
export function datetimeOf(filter: Pick<DataFilter, 'from' | 'to'>): string | undefined {
  const from = filter.from && DAY.test(filter.from) ? `${filter.from}T00:00:00Z` : undefined;
  const to = filter.to && DAY.test(filter.to) ? `${filter.to}T23:59:59.999Z` : undefined;
  if (!from && !to) return undefined;
  return `${from ?? '..'}/${to ?? '..'}`;
}

/** The query string shared by the exports and the OGC items: only what is set. */
export function filterQuery(filter: DataFilter): URLSearchParams {
  const q = new URLSearchParams();
  if (filter.bbox) q.set('bbox', filter.bbox.join(','));
  const datetime = datetimeOf(filter);
  if (datetime) q.set('datetime', datetime);
  if (filter.categories.length) q.set('category', filter.categories.join(','));
  if (filter.kinds.length) q.set('kind', filter.kinds.join(','));
  if (filter.statuses.length) q.set('status', filter.statuses.join(','));
  if (filter.severities.length) q.set('severity', filter.severities.join(','));
  return q;
}

/** Commas, colons and slashes may stand unescaped in a query (RFC 3986): URLs people can read. */
const withQuery = (url: string, q: URLSearchParams) => {
  const s = q.toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%2F/gi, '/');
  return s ? `${url}?${s}` : url;
};

export interface ExportLink {
  id: 'geojson' | 'geojsonseq' | 'csv' | 'csv-hxl';
  label: string;
  format: string;
  href: string;
}

export function exportLinks(origin: string, filter: DataFilter): ExportLink[] {
  const base = `${origin}/api/v1/exports/reports`;
  const q = filterQuery(filter);
  const hxl = new URLSearchParams(q);
  hxl.set('hxl', '1');
  return [
    { id: 'geojson', label: 'GeoJSON', format: 'RFC 7946 FeatureCollection', href: withQuery(`${base}.geojson`, q) },
    {
      id: 'geojsonseq',
      label: 'GeoJSON text sequence',
      format: 'RFC 8142, one Feature per record: best for very large downloads',
      href: withQuery(`${base}.geojsonseq`, q),
    },
    { id: 'csv', label: 'CSV', format: 'one row per report, UTF-8', href: withQuery(`${base}.csv`, q) },
    {
      id: 'csv-hxl',
      label: 'CSV with HXL hashtags',
      format: 'a second header row for the Humanitarian Exchange Language',
      href: withQuery(`${base}.csv`, hxl),
    },
  ];
}

/** The OGC collection for the kinds chosen: `barriers`, `help`, or all `reports`. */
export function collectionOf(filter: Pick<DataFilter, 'kinds'>): 'reports' | 'barriers' | 'help' {
  if (filter.kinds.length !== 1) return 'reports';
  return filter.kinds[0] === 'help' ? 'help' : 'barriers';
}

/** The OGC API items URL of a collection with the same filters (what a browser or script pages through). */
export function ogcItemsUrl(origin: string, filter: DataFilter): string {
  const collection = collectionOf(filter);
  const q = filterQuery(filter);
  if (collection !== 'reports') q.delete('kind');
  return withQuery(`${origin}/ogc/collections/${collection}/items`, q);
}

/** Reading the latest release in place: GDAL over HTTP ranges, DuckDB, pandas. */
export function releaseCommands(origin: string): { gdal: string; duckdb: string; pandas: string } {
  const latest = `${origin}/releases/latest`;
  return {
    gdal: `ogrinfo -ro -so -al ${shellQuote(`/vsicurl/${latest}/reports.fgb`)}`,
    duckdb: `duckdb -c ${shellQuote(`SELECT category, count(*) FROM read_parquet('${latest}/reports.parquet') GROUP BY 1`)}`,
    pandas: `python3 -c ${shellQuote(`import pandas; print(pandas.read_csv('${latest}/reports.csv').describe())`)}`,
  };
}

/** Quotes a shell word for POSIX shells (single quotes; a single quote inside is closed and escaped). */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface Commands {
  /** QGIS's Python console: the collection as a GDAL layer (typed fields, filters on the server). */
  qgisGdal: string;
  ogrinfo: string;
  ogr2ogrOgc: string;
  ogr2ogrExport: string;
}

/**
 * The filters (besides the area and the kind, which `-spat` and the collection carry) as an
 * OGR SQL `-where` that GDAL sends to the server as a CQL filter: equalities joined by OR,
 * since GDAL 3.6 keeps an IN list to itself and would download the whole layer to apply it.
 */
export function ogcWhere(filter: DataFilter): string | undefined {
  const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const anyOf = (field: string, values: string[], literal: (v: string) => string) =>
    values.length > 1
      ? `(${values.map((v) => `${field} = ${literal(v)}`).join(' OR ')})`
      : `${field} = ${literal(values[0]!)}`;
  const terms: string[] = [];
  if (filter.categories.length) terms.push(anyOf('category', filter.categories, quote));
  if (filter.statuses.length) terms.push(anyOf('status', filter.statuses, quote));
  if (filter.severities.length) terms.push(anyOf('severity', filter.severities, (v) => String(Number(v))));
  if (filter.from && DAY.test(filter.from)) terms.push(`created_at >= '${filter.from}T00:00:00Z'`);
  // Before the next midnight, not `<= 23:59:59.999`: GDAL 3.6 drops a time's fraction of a
  // second before sending it, which would leave out the day's last second.
  const end = filter.to && DAY.test(filter.to) ? nextDay(filter.to) : undefined;
  if (end) terms.push(`created_at < '${end}T00:00:00Z'`);
  return terms.length ? terms.join(' AND ') : undefined;
}

/**
 * The calendar day after `day` (YYYY-MM-DD), in UTC; undefined for a day that does not exist
 * or the last one CQL2 can name (9999-12-31 bounds nothing).
 */
function nextDay(day: string): string | undefined {
  const start = Date.parse(`${day}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March: such a day is no day.
  if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== day) return undefined;
  const next = new Date(start + 86_400_000).toISOString().slice(0, 10);
  return DAY.test(next) && next <= '9999-12-31' ? next : undefined;
}

/**
 * GDAL commands: read the OGC API directly, or convert a filtered export to a GeoPackage.
 * The report number is the Feature's `id`, not a property: without -preserve_fid the
 * GeoPackage numbers its rows 1, 2, 3 … and the link back to the report is lost.
 */
export function gdalCommands(origin: string, filter: DataFilter): Commands {
  const ogc = `OAPIF:${origin}/ogc`;
  const spat = filter.bbox ? ` -spat ${filter.bbox.join(' ')}` : '';
  const where = ogcWhere(filter);
  const exportUrl = exportLinks(origin, filter)[0]!.href;
  return {
    qgisGdal: `iface.addVectorLayer(${JSON.stringify(`${ogc}|layername=${collectionOf(filter)}`)}, ${JSON.stringify(collectionOf(filter))}, "ogr")`,
    ogrinfo: `ogrinfo ${shellQuote(ogc)} ${collectionOf(filter)} -so`,
    ogr2ogrOgc: `ogr2ogr -f GPKG -preserve_fid wegfrei.gpkg ${shellQuote(ogc)} ${collectionOf(filter)}${spat}${where ? ` -where ${shellQuote(where)}` : ''}`,
    ogr2ogrExport: `ogr2ogr -f GPKG -preserve_fid wegfrei.gpkg ${shellQuote(exportUrl)} -nln reports`,
  };
}
