// Map tiles and clusters. One function builds a tile for any viewer: the public sees public
// points of visible reports, staff (a later feature) everything at its exact place.
import vtpbf, { type TileFeature } from 'vt-pbf';
import type { Audience, Queryable } from '../reports/reports.repo';
import {
  bboxCells,
  cellCount,
  CELL_LEVEL_OFFSET,
  MAX_CELL_LEVEL,
  rangeAt,
  SINGLE_REPORT_MIN_ZOOM,
  TILE_EXTENT,
  tileCells,
  tileCellsAt,
  type CellRange,
  xToLon,
  yToLat,
} from './tiles.grid';
import {
  countLiveReports,
  queryClusters,
  querySingles,
  type ClusterRow,
  type MapFilter,
  type SingleRow,
} from './tiles.repo';
import { AppError } from '../../http/errors';
import { seesEverything } from '../triage/triage.scope';

export const TILE_LAYER = 'reports';
/** A clusters request may span this many cells at most (a full-HD screen needs ≈ 2,000). */
export const MAX_CLUSTER_CELLS = 65_536;
/**
 * From zoom 15 a clusters request lists single reports, one per report: its bbox may span at
 * most this many tiles of that zoom (a phone or laptop screen shows 20–60, so this is a dozen screens), or one request
 * would return every report of a city (6.6 MB for 32,000 reports).
 */
export const MAX_SINGLES_TILES = 1024;
/**
 * `since` cannot use the precomputed cells: clusters then count the reports themselves, which
 * grows with the data (1.2 s for tile 0/0/0 at 5,000 reports). Changes of the last week stay
 * few (the updated_at index finds them); older ones are for the list and the exports.
 */
export const MAX_CLUSTER_SINCE_DAYS = 7;
/**
 * In a disaster a week can hold 100,000 changes, so `since` is bounded by rows as well: the
 * live clusters of one tile or bbox may count at most this many reports. They cost about 30 µs
 * a report on the 2-core dev machine, on both databases (tile 0/0/0 at 20,000 changed reports:
 * 0.5–0.65 s on PostgreSQL, 0.65 s on PGlite; at 40,000 0.7–0.9 s and 1.3 s; at 80,000
 * 0.8–1.1 s and 2.7 s), so this keeps one such request near half a second. The bound counts
 * the request's own area with its own filters, so a quiet town keeps its changes while a city
 * elsewhere is busy; the count stops at the bound (at most 16 ms on PostgreSQL, 35 ms on PGlite).
 */
export const MAX_CLUSTER_SINCE_REPORTS = 20_000;
/**
 * The same on the embedded database, which answers one query at a time: a citizen's report
 * waits for the one read that runs (wire-gate.ts), so a read there is kept near a third of a
 * second (0.46–0.74 s at 20,000 in issue 11's last attack, at load 3–8).
 */
export const EMBEDDED_CLUSTER_SINCE_REPORTS = 10_000;
/**
 * A public tile of zoom 15 or 16 that would carry more single reports than this shows the
 * finest clusters instead (the cells of level 17: 4 × 4 of them at zoom 15, 2 × 2 at 16), so
 * that its cost stays bounded: a single report costs a tile about 25 µs of PostgreSQL and Node
 * time, and at ten million reports a dense zoom-15 tile held 2,835 of them (101 KB, 90 ms).
 * From zoom 17 on (190–300 m) every tile has single reports. Staff tiles always do: triage
 * needs each report, and the dashboard zooms in.
 */
export const MAX_PUBLIC_TILE_SINGLES = 250;
/**
 * The single reports one clusters answer may carry (about 1 MB of GeoJSON). A bbox of 1,024
 * zoom-15 tiles over a city centre at ten million reports held 188,912 of them: 40 MB, 5 s.
 * Its finest clusters instead are at most 16 a tile (16,384 for the largest bbox, about 2 MB).
 */
export const MAX_GEOJSON_SINGLES = 5000;

export interface TileLimits {
  /** MAX_CLUSTER_SINCE_REPORTS unless set (tests use a small one). */
  maxSinceReports?: number;
}

/**
 * Refuses clusters that would count too many reports live: a `since` too far back or matching
 * too many, or a responder's scope (the precomputed cells know no assignments) holding too
 * many in the area — a team's whole year of work at zoom 0. `zoomField` names the zoom.
 */
async function checkLiveClusters(
  db: Queryable,
  range: CellRange,
  filter: MapFilter,
  audience: Audience,
  limits: TileLimits,
  zoomField: string,
): Promise<void> {
  const max = limits.maxSinceReports ?? MAX_CLUSTER_SINCE_REPORTS;
  if (!filter.since) {
    if (!filter.viewer || seesEverything(filter.viewer)) return;
    if ((await countLiveReports(db, range, filter, audience, max + 1)) > max) {
      throw AppError.validation([
        {
          field: zoomField,
          detail: `your reports in this area number more than ${max.toLocaleString('en')}, too many to count below zoom ${SINGLE_REPORT_MIN_ZOOM}; zoom in, or filter by status or category`,
        },
      ]);
    }
    return;
  }
  if (Date.now() - filter.since.getTime() > MAX_CLUSTER_SINCE_DAYS * 86_400_000) {
    throw AppError.validation([
      {
        field: 'since',
        detail: `may be at most ${MAX_CLUSTER_SINCE_DAYS} days back below zoom ${SINGLE_REPORT_MIN_ZOOM}; zoom in, or use the list or an export for older changes`,
      },
    ]);
  }
  // LIMIT max + 1: the count stops as soon as the answer is known, however busy the place.
  if ((await countLiveReports(db, range, filter, audience, max + 1)) > max) {
    throw AppError.validation([
      {
        field: 'since',
        detail: `matches more than ${max.toLocaleString('en')} changed reports in this area below zoom ${SINGLE_REPORT_MIN_ZOOM}; choose a later since or zoom in, or use the list or an export for this many changes`,
      },
    ]);
  }
}

export interface TileRequest {
  z: number;
  x: number;
  y: number;
  filter: MapFilter;
  audience: Audience;
}

type Point = [number, number];

function tilePoint(req: TileRequest, x: number, y: number): Point {
  const scale = 2 ** req.z;
  const clamp = (v: number) => Math.min(Math.max(Math.round(v), 0), TILE_EXTENT - 1);
  return [clamp((x * scale - req.x) * TILE_EXTENT), clamp((y * scale - req.y) * TILE_EXTENT)];
}

const clusterTags = (c: ClusterRow) => ({
  count: c.count,
  count_barrier: c.countBarrier,
  count_help: c.countHelp,
  max_severity: c.maxSeverity,
});

const singleTags = (s: SingleRow) => ({
  id: s.id,
  category: s.category,
  kind: s.kind,
  status: s.status,
  severity: s.severity,
});

/**
 * For a public tile of single reports that would hold too many (MAX_PUBLIC_TILE_SINGLES), the
 * finest clusters; undefined when the tile shows its single reports. The count comes from the
 * same cells as the clusters (a few rows), so asking costs a sparse tile about a millisecond.
 */
async function crowdedTileClusters(db: Queryable, req: TileRequest): Promise<ClusterRow[] | undefined> {
  if (req.audience !== 'public' || req.z < SINGLE_REPORT_MIN_ZOOM || req.z >= MAX_CELL_LEVEL || req.filter.since) {
    return undefined;
  }
  const clusters = await queryClusters(db, tileCellsAt(req.z, req.x, req.y, MAX_CELL_LEVEL), req.filter, req.audience);
  const count = clusters.reduce((n, c) => n + c.count, 0);
  return count > MAX_PUBLIC_TILE_SINGLES ? clusters : undefined;
}

export async function buildTile(db: Queryable, req: TileRequest, limits: TileLimits = {}): Promise<Buffer> {
  const range = tileCells(req.z, req.x, req.y);
  let features: TileFeature[];
  const crowded = await crowdedTileClusters(db, req);
  if (crowded) {
    features = crowded.map((c) => ({ type: 1, geometry: [tilePoint(req, c.x, c.y)], tags: clusterTags(c) }));
  } else if (req.z >= SINGLE_REPORT_MIN_ZOOM) {
    const singles = await querySingles(
      db,
      { ...range, level: req.z, cx0: req.x, cx1: req.x, cy0: req.y, cy1: req.y },
      req.filter,
      req.audience,
    );
    features = singles.map((s) => ({ id: s.id, type: 1, geometry: [tilePoint(req, s.x, s.y)], tags: singleTags(s) }));
  } else {
    await checkLiveClusters(db, range, req.filter, req.audience, limits, 'z');
    const clusters = await queryClusters(db, range, req.filter, req.audience);
    features = clusters.map((c) => ({ type: 1, geometry: [tilePoint(req, c.x, c.y)], tags: clusterTags(c) }));
  }
  return Buffer.from(vtpbf.fromGeojsonVt({ [TILE_LAYER]: { features } }, { version: 2, extent: TILE_EXTENT }));
}

/**
 * Builds a tile of clusters and one of single reports on `connections` read connections at
 * once, before the server listens: a connection's first tile pays for its start and for
 * PostgreSQL loading what the queries touch (50–75 ms at ten million reports), which would
 * otherwise fall on the first people to open the map. The pool keeps them 30 s when idle.
 */
export async function warmTileReads(db: Queryable, connections: number): Promise<void> {
  const tile = (z: number): TileRequest => ({ z, x: 0, y: 0, filter: {}, audience: 'public' });
  await Promise.all(
    Array.from({ length: connections }, () =>
      buildTile(db, tile(0)).then(() => buildTile(db, tile(SINGLE_REPORT_MIN_ZOOM))),
    ),
  );
}

export interface ClustersRequest {
  bbox: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  zoom: number;
  filter: MapFilter;
  audience: Audience;
}

const round7 = (n: number) => Math.round(n * 1e7) / 1e7;
const lonLat = (x: number, y: number): Point => [round7(xToLon(x)), round7(yToLat(y))];

/** The clusters (or, zoomed in, single reports) of a bbox as GeoJSON: the tiles' query, for Leaflet and lists. */
export async function clustersGeoJson(db: Queryable, req: ClustersRequest, limits: TileLimits = {}) {
  const singles = req.zoom >= SINGLE_REPORT_MIN_ZOOM;
  const range = bboxCells(req.bbox, singles ? req.zoom : req.zoom + CELL_LEVEL_OFFSET);
  if (req.bbox.minLon > req.bbox.maxLon || cellCount(range) > (singles ? MAX_SINGLES_TILES : MAX_CLUSTER_CELLS)) {
    throw AppError.validation([
      { field: 'bbox', detail: 'is too large for this zoom (or crosses the antimeridian); zoom out or split it' },
    ]);
  }
  if (singles) {
    const crowded = await crowdedBboxClusters(db, req, range);
    if (crowded) return clusterCollection(crowded);
    const rows = await querySingles(db, range, req.filter, req.audience);
    return {
      type: 'FeatureCollection' as const,
      features: rows.map((s) => ({
        type: 'Feature' as const,
        id: s.id,
        geometry: { type: 'Point' as const, coordinates: lonLat(s.x, s.y) },
        properties: { cluster: false, ...singleTags(s) },
      })),
    };
  }
  await checkLiveClusters(db, range, req.filter, req.audience, limits, 'zoom');
  return clusterCollection(await queryClusters(db, range, req.filter, req.audience));
}

const clusterCollection = (rows: ClusterRow[]) => ({
  type: 'FeatureCollection' as const,
  features: rows.map((c) => ({
    type: 'Feature' as const,
    geometry: { type: 'Point' as const, coordinates: lonLat(c.x, c.y) },
    properties: { cluster: true, ...clusterTags(c) },
  })),
});

/**
 * A bbox of single reports holding more than MAX_GEOJSON_SINGLES: at zoom 15–16 on the public
 * map the finest clusters, as a crowded tile shows; otherwise a problem naming `bbox`.
 * Undefined when the singles are few enough.
 */
async function crowdedBboxClusters(
  db: Queryable,
  req: ClustersRequest,
  range: CellRange,
): Promise<ClusterRow[] | undefined> {
  const count = await countLiveReports(db, range, req.filter, req.audience, MAX_GEOJSON_SINGLES + 1);
  if (count <= MAX_GEOJSON_SINGLES) return undefined;
  if (req.audience === 'public' && req.zoom < MAX_CELL_LEVEL && !req.filter.since) {
    return queryClusters(db, rangeAt(range, MAX_CELL_LEVEL), req.filter, req.audience);
  }
  throw AppError.validation([
    {
      field: 'bbox',
      detail: `holds more than ${MAX_GEOJSON_SINGLES} reports at this zoom; zoom in, split it, or read the vector tiles`,
    },
  ]);
}
