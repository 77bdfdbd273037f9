// The SQL of the streaming exports. COPY takes no bind parameters, so every value here is
// either validated upstream (numbers, dates, codes from fixed lists) or quoted with
// escapeLiteral; the queries are built from fixed fragments only.
import { escapeLiteral } from 'pg';
import { literals, reportFilterTerms, whereClause, type BBox } from '../reports/reports.filter';
import { photosFrom, reportsFrom } from '../reports/reports.repo';

export interface ExportFilter {
  bbox?: BBox;
  categories?: string[];
  kinds?: string[];
  statuses?: string[];
  severities?: number[];
  createdFrom?: Date;
  createdTo?: Date;
  /** One page of an export read in pages (the embedded database): ids in (after, upTo]. */
  ids?: { after: number; upTo: number };
}

const num = (n: number) => {
  if (!Number.isFinite(n)) throw new Error('not a finite number');
  return String(n);
};
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The reader's filters as literals (reports.filter.ts); what is public at all is reportsFrom's. */
function where(f: ExportFilter): string {
  const { ids, ...rest } = f;
  return whereClause(reportFilterTerms({ ...rest, afterId: ids?.after, upToId: ids?.upTo }, literals));
}

/** Photos are few; aggregating them once beats a subquery per report. */
const photosJoin = (base: string, f: ExportFilter) => `
  LEFT JOIN (SELECT p.report_id,
                    json_agg(json_build_object('url', ${base} || '/photos/' || p.hash || '.jpg',
                                               'thumbnail_url', ${base} || '/photos/' || p.hash || '.thumb.jpg',
                                               'width', p.width, 'height', p.height) ORDER BY p.position) AS list,
                    string_agg(${base} || '/photos/' || p.hash || '.jpg', ' ' ORDER BY p.position) AS urls
               FROM ${photosFrom('public')}${f.ids ? ` WHERE p.report_id > ${num(f.ids.after)} AND p.report_id <= ${num(f.ids.upTo)}` : ''}
              GROUP BY p.report_id) ph ON ph.report_id = r.id`;

/** One line of GeoJSON per report, in the property order and names of the API. */
export function featuresQuery(filter: ExportFilter, baseUrl: string): string {
  const base = escapeLiteral(baseUrl);
  return `
    SELECT json_build_object(
      'type', 'Feature', 'id', r.id,
      'geometry', ST_AsGeoJSON(r.public_geom, 7)::json,
      'properties', json_build_object(
        'category', r.category, 'kind', r.kind, 'status', r.status, 'severity', r.severity,
        'passability', r.passability, 'people_count', r.people_count, 'description', r.description,
        'address', r.address, 'accuracy_m', r.accuracy_m,
        'confirmations', json_build_object('still_there', r.still_there_count, 'gone', r.gone_count),
        'photos', coalesce(ph.list, '[]'::json),
        'created_at', ${iso('r.created_at')}, 'updated_at', ${iso('r.updated_at')},
        'url', ${base} || '/reports/' || r.id,
        'duplicate_of', r.duplicate_of, 'review', r.review))
      FROM ${reportsFrom('public')} ${photosJoin(base, filter)}
     WHERE ${where(filter)}
     ORDER BY r.id`;
}

export const CSV_COLUMNS = [
  ['id', '#meta+id'],
  ['lon', '#geo+lon'],
  ['lat', '#geo+lat'],
  ['category', '#indicator+category+code'],
  ['sector', '#sector'],
  ['kind', '#indicator+kind'],
  ['status', '#status'],
  ['severity', '#severity'],
  ['passability', '#access+passability'],
  ['people_count', '#affected'],
  ['description', '#description'],
  ['address', '#loc+address'],
  ['accuracy_m', '#geo+precision+m'],
  ['still_there', '#indicator+confirmed+still_there'],
  ['gone', '#indicator+confirmed+gone'],
  ['photo_urls', '#meta+photo+url'],
  ['created_at', '#date+reported'],
  ['updated_at', '#date+updated'],
  ['url', '#meta+url'],
] as const;

/**
 * Text a spreadsheet would run as a formula (OWASP, "CSV Injection"): a cell that starts with
 * = + - @, a tab or a carriage return gets a leading apostrophe, so Excel and LibreOffice show
 * it as text. For the free text people type, and codes an admin may name; numbers and
 * coordinates (a longitude of -3.7) pass unchanged.
 */
export const csvText = (expr: string) =>
  `CASE WHEN left(${expr}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${expr} ELSE ${expr} END`;

export function csvQuery(filter: ExportFilter, baseUrl: string): string {
  const base = escapeLiteral(baseUrl);
  return `
    SELECT r.id, round(ST_X(r.public_geom)::numeric, 7), round(ST_Y(r.public_geom)::numeric, 7),
           ${csvText('r.category')}, ${csvText('c.hxl_sector')}, r.kind, r.status, r.severity, r.passability,
           r.people_count, ${csvText('r.description')}, ${csvText('r.address')}, r.accuracy_m,
           r.still_there_count, r.gone_count, ph.urls,
           ${iso('r.created_at')}, ${iso('r.updated_at')}, ${base} || '/reports/' || r.id
      FROM ${reportsFrom('public')} JOIN categories c ON c.code = r.category ${photosJoin(base, filter)}
     WHERE ${where(filter)}
     ORDER BY r.id`;
}
