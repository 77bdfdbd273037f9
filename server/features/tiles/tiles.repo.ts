// SQL for clusters and single reports in a range of grid cells. All spatial work happens here;
// positions come back as normalised Mercator x/y for Node to place in a tile or on the globe.
import { parameters, reportFilterTerms } from '../reports/reports.filter';
import type { Audience, Queryable } from '../reports/reports.repo';
import { seesEverything, staffScope, type Viewer } from '../triage/triage.scope';
import { cellRangeBounds, latToY, lonToX, MAX_CELL_LEVEL, MERCATOR_MAX_LAT, type CellRange } from './tiles.grid';

export interface MapFilter {
  categories?: string[];
  kinds?: string[];
  statuses?: string[];
  since?: Date;
  /** Staff maps: whose scope the reports must be in (a responder's own and team's work). */
  viewer?: Viewer;
}

export interface ClusterRow {
  x: number;
  y: number;
  count: number;
  countBarrier: number;
  countHelp: number;
  maxSeverity: number;
}

export interface SingleRow {
  id: number;
  x: number;
  y: number;
  category: string;
  kind: string;
  status: string;
  severity: number;
}

class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    return `$${this.values.push(v)}`;
  }
}

/**
 * WHERE terms for the filter and the viewer's rights, on a table aliased `t` (the reports, the
 * public read model or the precomputed cells, which carry `hidden` and `status` so that the
 * same public rule applies to them). The filters themselves are the one compiler's.
 */
function filterTerms(p: Params, filter: MapFilter, audience: Audience, opts: { hasUpdatedAt: boolean }): string[] {
  const terms: string[] = [];
  const { categories, kinds, statuses } = filter;
  if (audience === 'public') terms.push(`NOT t.hidden AND t.status <> 'rejected'`);
  // A duplicate repeats a report already on the map: the public map shows the one it repeats.
  // Only a filter that asks for duplicates by name gets them (the report and its duplicate_of
  // link stay public in the API and the exports).
  if (audience === 'public' && !statuses?.includes('duplicate')) terms.push(`t.status <> 'duplicate'`);
  const since = opts.hasUpdatedAt ? filter.since : undefined;
  terms.push(...reportFilterTerms({ categories, kinds, statuses, since }, parameters(p.values), { alias: 't' }));
  if (filter.viewer && !seesEverything(filter.viewer)) terms.push(staffScope(filter.viewer, (v) => p.add(v), 't'));
  return terms;
}

const toCluster = (r: Record<string, number>): ClusterRow => ({
  x: r.x!,
  y: r.y!,
  count: r.n!,
  countBarrier: r.n_barrier!,
  countHelp: r.n_help!,
  maxSeverity: r.s3! > 0 ? 3 : r.s2! > 0 ? 2 : 1,
});

/**
 * Whether the default public map's sums answer this (migrations/0024_public_cells.sql): the
 * public audience with no filter but kinds. Any other filter needs the detail rows, which carry
 * category, status and hidden.
 */
const usesPublicCells = (filter: MapFilter, audience: Audience) =>
  audience === 'public' && !filter.categories?.length && !filter.statuses?.length;

/**
 * The index term for a range's columns. A range's cells are cx0…cx1 by cy0…cy1, but the index
 * leads with cx: `cx BETWEEN` would walk each column from pole to pole, `cx = ANY` reads one
 * short run per column. Wide ranges (a whole-world clusters request) take the one walk.
 */
function columnsTerm(p: Params, range: CellRange): string {
  const width = range.cx1 - range.cx0 + 1;
  if (width > MAX_COLUMN_LOOKUPS) return `t.cx BETWEEN ${p.add(range.cx0)} AND ${p.add(range.cx1)}`;
  const columns = Array.from({ length: width }, (_, i) => range.cx0 + i);
  return `t.cx = ANY(${p.add(columns)}::int[])`;
}
const MAX_COLUMN_LOOKUPS = 64;

/** Clusters from the precomputed cells plus the changes not yet folded into them. */
async function clustersFromCells(db: Queryable, range: CellRange, filter: MapFilter, audience: Audience) {
  const p = new Params();
  const shift = MAX_CELL_LEVEL - range.level;
  const level = p.add(range.level);
  const columns = columnsTerm(p, range);
  const [cy0, cy1] = [range.cy0, range.cy1].map((v) => p.add(v));
  const [gx0, gx1, gy0, gy1] = [
    range.cx0 << shift,
    ((range.cx1 + 1) << shift) - 1,
    range.cy0 << shift,
    ((range.cy1 + 1) << shift) - 1,
  ].map((v) => p.add(v));
  const sh = p.add(shift);
  const publicSums = usesPublicCells(filter, audience);
  const cellTerms = publicSums
    ? reportFilterTerms({ kinds: filter.kinds }, parameters(p.values), { alias: 't' })
    : filterTerms(p, filter, audience, { hasUpdatedAt: false });
  const deltaTerms = filterTerms(p, filter, audience, { hasUpdatedAt: false });
  const and = (terms: string[]) => terms.map((t) => ` AND ${t}`).join('');
  const { rows } = await db.query<Record<string, number>>(
    `SELECT sum(n)::int AS n,
            coalesce(sum(n) FILTER (WHERE kind = 'barrier'), 0)::int AS n_barrier,
            coalesce(sum(n) FILTER (WHERE kind = 'help'), 0)::int AS n_help,
            sum(sev2)::int AS s2, sum(sev3)::int AS s3,
            sum(sum_x) / sum(n) AS x, sum(sum_y) / sum(n) AS y
       FROM (SELECT t.cx, t.cy, t.kind, t.n, t.sev2, t.sev3, t.sum_x, t.sum_y
               FROM ${publicSums ? 'report_cells_public' : 'report_cells'} t
              WHERE t.level = ${level} AND ${columns} AND t.cy BETWEEN ${cy0} AND ${cy1}${and(cellTerms)}
             UNION ALL
             SELECT t.gx >> ${sh}, t.gy >> ${sh}, t.kind, t.sign, t.sign * (t.severity = 2)::int,
                    t.sign * (t.severity = 3)::int, t.sign * t.x, t.sign * t.y
               FROM report_cell_deltas t
              WHERE t.gx BETWEEN ${gx0} AND ${gx1} AND t.gy BETWEEN ${gy0} AND ${gy1}${and(deltaTerms)}) c
      GROUP BY c.cx, c.cy
     HAVING sum(n) > 0`,
    p.values,
  );
  return rows.map(toCluster);
}

const pointOf = (audience: Audience) => (audience === 'staff' ? 't.geom' : 't.public_geom');
/** The public read model for the public (reports.repo.ts, reportsFrom), the table for staff. */
const tableOf = (audience: Audience) => (audience === 'staff' ? 'reports' : 'public_reports');

/** The index term that finds a cell range's candidate reports (a hair wider than the range). */
function envelopeTerm(p: Params, range: CellRange, point: string): string {
  const b = cellRangeBounds(range);
  const margin = 1e-9;
  // Mercator stops at ±85.0511°: the cells (and latToY) count a report beyond it as if it were
  // on it, so the envelope of the rows holding that latitude reaches the pole.
  const north = b.north >= MERCATOR_MAX_LAT ? 90 : b.north + margin;
  const south = b.south <= -MERCATOR_MAX_LAT ? -90 : b.south - margin;
  return `${point} && ST_MakeEnvelope(${p.add(b.west - margin)}, ${p.add(south)},
                                       ${p.add(b.east + margin)}, ${p.add(north)}, 4326)`;
}

/**
 * `FROM … WHERE …` for the reports the viewer may see in a range with the filter: found by index
 * on the envelope, which is a hair wider than the range (border points need a cell test).
 */
function candidates(p: Params, range: CellRange, filter: MapFilter, audience: Audience): string {
  const envelope = envelopeTerm(p, range, pointOf(audience));
  const terms = filterTerms(p, filter, audience, { hasUpdatedAt: true });
  return `FROM ${tableOf(audience)} t WHERE ${envelope}${terms.map((t) => ` AND ${t}`).join('')}`;
}

/** The reports in a cell range, read from the table itself (high zoom, or a `since` filter). */
function liveReports(p: Params, range: CellRange, filter: MapFilter, audience: Audience): string {
  const point = pointOf(audience);
  const scale = p.add(2 ** range.level);
  // The cell test assigns border points to one tile only.
  return `
    SELECT t.id, t.category, t.kind, t.status, t.severity, wf_merc_x(${point}) AS x, wf_merc_y(${point}) AS y
      ${candidates(p, range, filter, audience)}
       AND floor(wf_merc_x(${point}) * ${scale}) BETWEEN ${p.add(range.cx0)} AND ${p.add(range.cx1)}
       AND floor(wf_merc_y(${point}) * ${scale}) BETWEEN ${p.add(range.cy0)} AND ${p.add(range.cy1)}`;
}

async function clustersLive(db: Queryable, range: CellRange, filter: MapFilter, audience: Audience) {
  const p = new Params();
  const inner = liveReports(p, range, filter, audience);
  const scale = p.add(2 ** range.level);
  const { rows } = await db.query<Record<string, number>>(
    `SELECT count(*)::int AS n,
            count(*) FILTER (WHERE kind = 'barrier')::int AS n_barrier,
            count(*) FILTER (WHERE kind = 'help')::int AS n_help,
            count(*) FILTER (WHERE severity = 2)::int AS s2, count(*) FILTER (WHERE severity = 3)::int AS s3,
            avg(x) AS x, avg(y) AS y
       FROM (${inner}) r
      GROUP BY floor(r.x * ${scale}), floor(r.y * ${scale})`,
    p.values,
  );
  return rows.map(toCluster);
}

/**
 * How many reports the live clusters of a range would count, stopping at `limit` matches: their
 * filter on the envelope alone (a hair wider than the range, so never fewer), without the
 * per-report Mercator arithmetic and grouping that make the clusters 25–50 times dearer.
 */
export async function countLiveReports(
  db: Queryable,
  range: CellRange,
  filter: MapFilter,
  audience: Audience,
  limit: number,
): Promise<number> {
  const p = new Params();
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 ${candidates(p, range, filter, audience)} LIMIT ${p.add(limit)}) r`,
    p.values,
  );
  return rows[0]?.n ?? 0;
}

export function queryClusters(
  db: Queryable,
  range: CellRange,
  filter: MapFilter,
  audience: Audience,
): Promise<ClusterRow[]> {
  // The precomputed cells know no assignments: a responder's few reports are counted live.
  const limited = filter.viewer !== undefined && !seesEverything(filter.viewer);
  return range.level <= MAX_CELL_LEVEL && !filter.since && !limited
    ? clustersFromCells(db, range, filter, audience)
    : clustersLive(db, range, filter, audience);
}

/**
 * The single reports of a cell range. Their Mercator positions and the cell test that gives a
 * border point to one tile only are worked out here, not in SQL: wf_merc_x/y cost PostgreSQL
 * three quarters of the query (a dense tile of 767 reports: 12.5 ms, 1.3 ms without them).
 */
export async function querySingles(
  db: Queryable,
  range: CellRange,
  filter: MapFilter,
  audience: Audience,
): Promise<SingleRow[]> {
  const p = new Params();
  const point = pointOf(audience);
  const { rows } = await db.query<Omit<SingleRow, 'x' | 'y'> & { lon: number; lat: number }>(
    `SELECT t.id, t.category, t.kind, t.status, t.severity, ST_X(${point}) AS lon, ST_Y(${point}) AS lat
       ${candidates(p, range, filter, audience)}
      ORDER BY t.id`,
    p.values,
  );
  const scale = 2 ** range.level;
  const placed = rows.map(({ lon, lat, ...report }) => ({ ...report, x: lonToX(lon), y: latToY(lat) }));
  const cells = await cellsNearBorders(db, placed, scale, audience);
  const within = (cell: number, lo: number, hi: number) => cell >= lo && cell <= hi;
  return placed.filter(({ id, x, y }) => {
    const [cx, cy] = cells.get(id) ?? [Math.floor(x * scale), Math.floor(y * scale)];
    return within(cx, range.cx0, range.cx1) && within(cy, range.cy0, range.cy1);
  });
}

/** How close to a cell's edge (in cells) Node's Mercator may disagree with PostgreSQL's. */
const BORDER_CELLS = 1e-9;

/**
 * The cells PostgreSQL gives the reports lying on a cell border. Node's Math and PostgreSQL's
 * libm can differ in the last bit, and the cells were counted in PostgreSQL: a report on the
 * border of a crowded tile (drawn from the cells) was shown twice or not at all by a neighbour
 * placing it in Node. Reports that close to an edge are rare, so they are asked about alone.
 */
async function cellsNearBorders(
  db: Queryable,
  reports: { id: number; x: number; y: number }[],
  scale: number,
  audience: Audience,
): Promise<Map<number, [number, number]>> {
  const onEdge = (v: number) => Math.abs(v * scale - Math.round(v * scale)) < BORDER_CELLS;
  const ids = reports.filter((r) => onEdge(r.x) || onEdge(r.y)).map((r) => r.id);
  if (ids.length === 0) return new Map();
  const point = pointOf(audience);
  const { rows } = await db.query<{ id: number; cx: number; cy: number }>(
    `SELECT t.id, floor(wf_merc_x(${point}) * $2)::int AS cx, floor(wf_merc_y(${point}) * $2)::int AS cy
       FROM ${tableOf(audience)} t WHERE t.id = ANY($1::bigint[])`,
    [ids, scale],
  );
  return new Map(rows.map((r) => [r.id, [r.cx, r.cy]]));
}

/** Folds pending cell changes; returns how many it folded. */
export async function refreshCells(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ folded: number }>('SELECT refresh_report_cells() AS folded');
  return rows[0]?.folded ?? 0;
}
