// One release: every public report read page by page through the public read model (keyset by
// id, the connection given back between pages, so on the embedded database's one session
// other requests take their turn), each page written to every file, then checksums and the
// data package, all in a temporary directory that is renamed into place only when complete.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { escapeLiteral } from 'pg';
import type pg from 'pg';
import { photosFrom, reportsFrom } from '../reports/reports.repo';
import { licenceUrl, type DataLicence } from '../exports/exports.routes';
import { RELEASE_COLUMNS, tableSchema, typed } from './releases.fields';
import {
  csvtWriter,
  csvWriter,
  flatgeobufWriter,
  geojsonWriter,
  parquetWriter,
  type Extent,
  type FormatWriter,
  type ReleaseRow,
} from './releases.formats';

/** What each file of a release is, in datapackage.json and on the wire. */
export const RELEASE_FILES = {
  'datapackage.json': { type: 'application/json', format: 'json' },
  'reports.geojson': { type: 'application/geo+json', format: 'geojson' },
  'reports.csv': { type: 'text/csv; charset=utf-8; header=present', format: 'csv' },
  'reports-hxl.csv': { type: 'text/csv; charset=utf-8; header=present', format: 'csv' },
  'reports.csvt': { type: 'text/plain; charset=utf-8', format: 'csvt' },
  'reports.fgb': { type: 'application/vnd.flatgeobuf', format: 'fgb' },
  'reports.parquet': { type: 'application/vnd.apache.parquet', format: 'parquet' },
} as const;
export type ReleaseFileName = keyof typeof RELEASE_FILES;

export interface ReleaseFile {
  name: ReleaseFileName;
  type: string;
  bytes: number;
  /** `sha256:` and the hex digest, as datapackage.json writes it. */
  hash: string;
}

export interface ReleaseInfo {
  id: string;
  created: string;
  rows: number;
  /** The data files (datapackage.json describes them; it is not among them). */
  files: ReleaseFile[];
}

/** `2026-12-06T140512Z`: the UTC second the release was started, sortable as text. */
export const RELEASE_ID = /^\d{4}-\d\d-\d\dT\d{6}Z$/;
export const releaseId = (at: Date) =>
  at
    .toISOString()
    .replace(/:/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

/** Rows encoded in one go (one Parquet row group): tens of milliseconds of the event loop. */
export const SLICE_ROWS = 1000;

export interface BuildOptions {
  pool: pg.Pool;
  /** Where releases live; the new one goes to `<dir>/<id>`. */
  dir: string;
  baseUrl: string;
  licence: DataLicence;
  /** Reports read per query. */
  pageRows: number;
  at?: Date;
}

function pageSql(baseUrl: string): string {
  const base = escapeLiteral(baseUrl);
  const columns = RELEASE_COLUMNS.map((c) => `${c.sql(base)} AS "${c.name}"`).join(',\n         ');
  // The photos of this page's reports only: aggregating all of them on every page would cost O(n²).
  return `
    WITH page AS (
      SELECT r.id FROM ${reportsFrom('public')} WHERE r.id > $1 AND r.id <= $2 ORDER BY r.id LIMIT $3)
    SELECT ${columns}
      FROM ${reportsFrom('public')} JOIN page USING (id) JOIN categories c ON c.code = r.category
      LEFT JOIN (SELECT p.report_id, string_agg(${base} || '/photos/' || p.hash || '.jpg', ' ' ORDER BY p.position) AS urls
                   FROM ${photosFrom('public')} JOIN page ON page.id = p.report_id
                  GROUP BY p.report_id) ph ON ph.report_id = r.id
     ORDER BY r.id`;
}

async function digest(file: string): Promise<{ bytes: number; hash: string }> {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, hash: `sha256:${hash.digest('hex')}` };
}

export async function buildRelease(opts: BuildOptions): Promise<ReleaseInfo> {
  const at = opts.at ?? new Date();
  const id = releaseId(at);
  const final = path.join(opts.dir, id);
  await fsp.mkdir(opts.dir, { recursive: true });
  // A dot directory: never listed, never served (dotfiles are denied), removed if the build fails.
  const tmp = await fsp.mkdtemp(path.join(opts.dir, `.building-${id}-`));
  const title = 'Wegfrei reports';
  const writers: FormatWriter[] = [
    geojsonWriter(tmp, {
      name: 'reports',
      release: id,
      license: opts.licence.id,
      attribution: opts.licence.attribution,
      generated_at: at.toISOString(),
    }),
    csvWriter(tmp, 'reports.csv', false),
    csvWriter(tmp, 'reports-hxl.csv', true),
    csvtWriter(tmp),
    flatgeobufWriter(tmp, title),
    parquetWriter(tmp),
  ];
  try {
    // Reports made while the release is built are in the next one.
    const { rows: top } = await opts.pool.query<{ last: string | null }>('SELECT max(id)::text AS last FROM reports');
    const last = Number(top[0]?.last ?? 0);
    const sql = pageSql(opts.baseUrl);
    let after = 0;
    let count = 0;
    let extent: Extent | undefined;
    for (;;) {
      const { rows } = await opts.pool.query<Record<string, unknown>>(sql, [after, last, opts.pageRows]);
      if (!rows.length) break;
      const page: ReleaseRow[] = rows.map((raw) => {
        const row: ReleaseRow = {};
        for (const c of RELEASE_COLUMNS) row[c.name] = typed(c, raw[c.name]);
        return row;
      });
      for (const { lon, lat } of page as { lon: number; lat: number }[]) {
        if (!extent) extent = { minx: lon, miny: lat, maxx: lon, maxy: lat };
        else {
          extent.minx = Math.min(extent.minx, lon);
          extent.miny = Math.min(extent.miny, lat);
          extent.maxx = Math.max(extent.maxx, lon);
          extent.maxy = Math.max(extent.maxy, lat);
        }
      }
      // A slice to one file at a time, each its own turn of the event loop, so requests are
      // answered in between (a whole page at once held the loop for up to a second).
      for (let at = 0; at < page.length; at += SLICE_ROWS) {
        const slice = page.slice(at, at + SLICE_ROWS);
        for (const w of writers) {
          await w.write(slice);
          await yieldToEvents();
        }
      }
      count += page.length;
      after = page.at(-1)!.id as number;
    }
    for (const w of writers) await w.finish(count, extent);

    const files: ReleaseFile[] = [];
    for (const w of writers) {
      const name = path.basename(w.file) as ReleaseFileName;
      files.push({ name, type: RELEASE_FILES[name].type, ...(await digest(w.file)) });
    }
    const info: ReleaseInfo = { id, created: at.toISOString(), rows: count, files };
    await fsp.writeFile(
      path.join(tmp, 'datapackage.json'),
      `${JSON.stringify(dataPackage(info, opts, extent), null, 2)}\n`,
      { mode: 0o644 },
    );
    await fsp.chmod(tmp, 0o755);
    // Atomic on one file system: the release appears whole or not at all.
    await fsp.rename(tmp, final);
    return info;
  } catch (err) {
    await Promise.all(writers.map((w) => w.abort().catch(() => undefined)));
    await fsp.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Frictionless Data Package v1 (https://specs.frictionlessdata.io/data-package/). `rows` on
 * each resource is ours (the v1 specification has no row count; additional properties are
 * allowed); `hash` is `sha256:…` as the Data Resource specification writes other algorithms.
 */
/** The attribution line as an author's name: no leading ©, no trailing ", licence". */
export function citationAuthor(attribution: string): string {
  const name = attribution.replace(/^\s*(?:©|\(c\))\s*/i, '');
  const comma = name.lastIndexOf(',');
  return (comma > 0 ? name.slice(0, comma) : name).trim() || attribution;
}

export function dataPackage(info: ReleaseInfo, opts: Pick<BuildOptions, 'baseUrl' | 'licence'>, extent?: Extent) {
  const licence = {
    name: /^https?:/.test(opts.licence.id) ? undefined : opts.licence.id,
    path: licenceUrl(opts.licence.id),
    title: opts.licence.id,
  };
  const home = `${opts.baseUrl}/releases/${info.id}/`;
  const descriptions: Record<ReleaseFileName, string> = {
    'datapackage.json': '',
    'reports.geojson': 'GeoJSON (RFC 7946) FeatureCollection: the same columns as properties, the point as geometry',
    'reports.csv': 'CSV (RFC 4180, UTF-8, CRLF), one header row; lon and lat are the point',
    'reports-hxl.csv': 'The same CSV with the HXL hashtag row as its second row (https://hxlstandard.org/)',
    'reports.csvt': 'The column types of reports.csv for GDAL’s CSV driver, which reads it next to the CSV',
    'reports.fgb': 'FlatGeobuf: typed attributes, EPSG:4326 points, no spatial index',
    'reports.parquet': 'GeoParquet 1.1: typed columns, WKB points in `geometry`, row groups of 1,000 reports',
  };
  return {
    profile: 'data-package',
    name: 'wegfrei-reports',
    id: home,
    title: `Wegfrei reports, release ${info.id}`,
    description:
      'Every public report (barriers and help requests) at the time of the release, exactly the fields the public API publishes. Help requests are published at a grid cell, never at the point given.',
    version: info.id,
    created: info.created,
    homepage: home,
    licenses: [Object.fromEntries(Object.entries(licence).filter(([, v]) => v !== undefined))],
    sources: [{ title: 'Wegfrei', path: opts.baseUrl }],
    // Who to name as author in a citation: the attribution without its © and licence
    // ("© Wegfrei contributors, ODbL 1.0" → "Wegfrei contributors"); the whole line as given.
    contributors: [{ title: citationAuthor(opts.licence.attribution), role: 'author', path: opts.baseUrl }],
    attribution: opts.licence.attribution,
    keywords: ['accessibility', 'barriers', 'humanitarian', 'hxl'],
    ...(extent ? { spatial: { bbox: [extent.minx, extent.miny, extent.maxx, extent.maxy] } } : {}),
    resources: info.files.map((f) => {
      // The HXL file's second row is hashtags, not data: a plain resource, described in words.
      const tabular = f.name === 'reports.csv';
      const text = !/\.(fgb|parquet)$/.test(f.name);
      return {
        name: f.name.replace(/[^a-z0-9]+/g, '-'),
        path: f.name,
        profile: tabular ? 'tabular-data-resource' : 'data-resource',
        title: descriptions[f.name],
        format: RELEASE_FILES[f.name].format,
        mediatype: f.type.split(';')[0],
        ...(text ? { encoding: 'utf-8' } : {}),
        bytes: f.bytes,
        hash: f.hash,
        // The reports in it (the .csvt describes the CSV's columns, it has none).
        ...(f.name === 'reports.csvt' ? {} : { rows: info.rows }),
        ...(tabular
          ? {
              dialect: {
                delimiter: ',',
                lineTerminator: '\r\n',
                quoteChar: '"',
                doubleQuote: true,
                header: true,
              },
              schema: tableSchema(),
            }
          : {}),
      };
    }),
  };
}
