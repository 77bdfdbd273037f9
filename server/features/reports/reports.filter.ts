// The one filter compiler for reports: the list, OGC API, Open311, the exports and the map
// read the same filters through here, on the public read model or (staff) the table, aliased
// as the caller says. Values reach the SQL through a binder: bind parameters where the query
// takes them, quoted literals for COPY (the exports), which takes none.
import { escapeLiteral } from 'pg';

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

export interface ReportFilterTerms {
  bbox?: BBox;
  ids?: number[];
  categories?: readonly string[];
  kinds?: readonly string[];
  statuses?: readonly string[];
  severities?: readonly number[];
  /** The channels the reports came through (reports.source). */
  sources?: readonly string[];
  /** Changed since (updated_at). */
  since?: Date;
  /** Created within [from, to] (either end open). */
  createdFrom?: Date;
  createdTo?: Date;
  /** Keyset: ids below this (newest-first lists). */
  beforeId?: number;
  /** Keyset or a page of ids: ids above this. */
  afterId?: number;
  /** A page of ids: ids up to this. */
  upToId?: number;
}

type Cast = 'text[]' | 'int[]' | 'bigint[]' | 'text' | 'boolean' | 'float8' | 'bigint' | 'timestamptz';

/** Makes a value part of the SQL: `$n` with a cast, or a literal. */
export type Binder = (value: unknown, cast: Cast) => string;

/** Bind parameters, appended to `params`. */
export const parameters =
  (params: unknown[]): Binder =>
  (value, cast) =>
    `$${params.push(value)}::${cast}`;

const finite = (n: unknown): string => {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error('not a finite number');
  return String(n);
};

/**
 * Literals, for COPY. Dates as seconds since the epoch, not ISO text: years 0000 and 10000 (a
 * +14:00 offset on 9999-12-31) have ISO forms PostgreSQL cannot read.
 */
export const literals: Binder = (value, cast) => {
  switch (cast) {
    case 'text[]':
      return `ARRAY[${(value as string[]).map(escapeLiteral).join(', ')}]::text[]`;
    case 'int[]':
    case 'bigint[]':
      return `ARRAY[${(value as number[]).map(finite).join(', ')}]::${cast}`;
    case 'text':
      return `${escapeLiteral(value as string)}::text`;
    case 'boolean':
      if (typeof value !== 'boolean') throw new Error('not a boolean');
      return `${value}::boolean`;
    case 'timestamptz':
      return `to_timestamp(${finite((value as Date).getTime() / 1000)})`;
    default:
      return `${finite(value)}::${cast}`;
  }
};

/**
 * WHERE terms for `filter` on `alias` (a row of reports or of the public read model), with its
 * point column `point` (the public point for the public). Empty lists mean "no filter".
 * `keysetId` is what the page bounds (before, after, up to) compare: the id itself, or the
 * expression an index that orders the query holds (reports.repo.ts, listReports).
 */
export function reportFilterTerms(
  filter: ReportFilterTerms,
  bind: Binder,
  opts: { alias?: string; point?: string; keysetId?: string } = {},
): string[] {
  const a = opts.alias ?? 'r';
  const point = opts.point ?? `${a}.geom`;
  const keysetId = opts.keysetId ?? `${a}.id`;
  const terms: string[] = [];
  if (filter.bbox) {
    const { minLon, minLat, maxLon, maxLat } = filter.bbox;
    const [south, north] = [bind(minLat, 'float8'), bind(maxLat, 'float8')];
    const envelope = (west: string, east: string) =>
      `${point} && ST_MakeEnvelope(${west}, ${south}, ${east}, ${north}, 4326)`;
    // A bbox whose west edge is east of its east edge crosses the antimeridian (RFC 7946 §5.2).
    terms.push(
      minLon <= maxLon
        ? envelope(bind(minLon, 'float8'), bind(maxLon, 'float8'))
        : `(${envelope(bind(minLon, 'float8'), '180')} OR ${envelope('-180', bind(maxLon, 'float8'))})`,
    );
  }
  if (filter.ids) terms.push(`${a}.id = ANY(${bind(filter.ids, 'bigint[]')})`);
  if (filter.categories?.length) terms.push(`${a}.category = ANY(${bind(filter.categories, 'text[]')})`);
  if (filter.kinds?.length) terms.push(`${a}.kind = ANY(${bind(filter.kinds, 'text[]')})`);
  if (filter.statuses?.length) terms.push(`${a}.status = ANY(${bind(filter.statuses, 'text[]')})`);
  if (filter.severities?.length) terms.push(`${a}.severity = ANY(${bind(filter.severities, 'int[]')})`);
  if (filter.sources?.length) terms.push(`${a}.source = ANY(${bind(filter.sources, 'text[]')})`);
  if (filter.since) terms.push(`${a}.updated_at >= ${bind(filter.since, 'timestamptz')}`);
  if (filter.createdFrom) terms.push(`${a}.created_at >= ${bind(filter.createdFrom, 'timestamptz')}`);
  if (filter.createdTo) terms.push(`${a}.created_at <= ${bind(filter.createdTo, 'timestamptz')}`);
  if (filter.beforeId !== undefined) terms.push(`${keysetId} < ${bind(filter.beforeId, 'bigint')}`);
  if (filter.afterId !== undefined) terms.push(`${keysetId} > ${bind(filter.afterId, 'bigint')}`);
  if (filter.upToId !== undefined) terms.push(`${keysetId} <= ${bind(filter.upToId, 'bigint')}`);
  return terms;
}

/** The terms joined for a WHERE clause ("true" when there are none). */
export const whereClause = (terms: string[]) => (terms.length ? terms.join(' AND ') : 'true');
