// The SQL of the streaming exports. COPY takes no bind parameters, so every value here is
// either validated upstream (numbers, dates, codes from fixed lists) or quoted with
// escapeLiteral; the queries are built from fixed fragments only.
import { escapeLiteral } from 'pg';
import { literals, reportFilterTerms, whereClause, type BBox } from '../reports/reports.filter';
import { CSV_COLUMNS, PUBLIC_PROPERTIES } from '../reports/reports.fields';
import { photosFrom, reportsFrom } from '../reports/reports.repo';

export interface ExportFilter {
  bbox?: BBox;
  categories?: string[];
  kinds?: string[];
  statuses?: string[];
  severities?: number[];
  sources?: string[];
  /** Changed since (updated_at ≥), as the list's `since`. */
  since?: Date;
  createdFrom?: Date;
  createdTo?: Date;
  /** One page of an export read in pages (the embedded database): ids in (after, upTo]. */
  ids?: { after: number; upTo: number };
}

const num = (n: number) => {
  if (!Number.isFinite(n)) throw new Error('not a finite number');
  return String(n);
};

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
                                               'width', p.width, 'height', p.height, 'stage', p.stage) ORDER BY p.position) AS list,
                    string_agg(${base} || '/photos/' || p.hash || '.jpg', ' ' ORDER BY p.position) AS urls
               FROM ${photosFrom('public')}${f.ids ? ` WHERE p.report_id > ${num(f.ids.after)} AND p.report_id <= ${num(f.ids.upTo)}` : ''}
              GROUP BY p.report_id) ph ON ph.report_id = r.id`;

/** One line of GeoJSON per report, with the properties of the field table (reports.fields.ts). */
export function featuresQuery(filter: ExportFilter, baseUrl: string): string {
  const base = escapeLiteral(baseUrl);
  const properties = PUBLIC_PROPERTIES.filter((p) => p.sql && !p.optional)
    .map((p) => `'${p.name}', ${p.sql!(base)}`)
    .join(',\n        ');
  return `
    SELECT json_build_object(
      'type', 'Feature', 'id', r.id,
      'geometry', ST_AsGeoJSON(r.geom, 7)::json,
      'properties', json_build_object(
        ${properties}))
      FROM ${reportsFrom('public')} ${photosJoin(base, filter)}
     WHERE ${where(filter)}
     ORDER BY r.id`;
}

export { CSV_COLUMNS };

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
  const columns = CSV_COLUMNS.map((c) => (c.text ? csvText(c.sql(base)) : c.sql(base))).join(', ');
  return `
    SELECT ${columns}
      FROM ${reportsFrom('public')} JOIN categories c ON c.code = r.category ${photosJoin(base, filter)}
     WHERE ${where(filter)}
     ORDER BY r.id`;
}
