// Map tiles, the clusters endpoint and the bbox list: sequential requests (latency, not
// throughput) over random places where the data is.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type http from 'node:http';
import type pg from 'pg';
import type { Random } from '../scripts/seed/random';
import { type Stats, request, stats } from './http';

export interface Position {
  lon: number;
  lat: number;
}

/** Public points of random reports on the public map (a duplicate shows as its original): where the data is. */
export async function samplePositions(pool: pg.Pool, rng: () => number, wanted: number): Promise<Position[]> {
  const { rows } = await pool.query<{ lo: number; hi: number }>('SELECT min(id) AS lo, max(id) AS hi FROM reports');
  const { lo, hi } = rows[0]!;
  const ids = Array.from({ length: wanted * 2 }, () => lo + Math.floor(rng() * (hi - lo + 1)));
  const found = await pool.query<Position>(
    `SELECT ST_X(public_geom) AS lon, ST_Y(public_geom) AS lat FROM reports
      WHERE id = ANY($1::bigint[]) AND NOT hidden AND status NOT IN ('rejected', 'duplicate') ORDER BY id LIMIT $2`,
    [ids, wanted],
  );
  return found.rows;
}

export interface Band {
  label: string;
  minZoom: number;
  maxZoom: number;
}

export const BANDS: Band[] = [
  { label: 'z0–5', minZoom: 0, maxZoom: 5 },
  { label: 'z6–9', minZoom: 6, maxZoom: 9 },
  { label: 'z10–12', minZoom: 10, maxZoom: 12 },
  { label: 'z13–14', minZoom: 13, maxZoom: 14 },
  { label: 'z15–17', minZoom: 15, maxZoom: 17 },
];

/** Single reports from this zoom on, clusters below (the tile contract). */
const SINGLE_REPORT_MIN_ZOOM = 15;
/** Up to this zoom a crowded public tile has clusters instead of single reports. */
const CROWDED_MAX_ZOOM = 16;

export interface TileResult {
  band: Band;
  cold: Stats;
  warm: Stats;
  meanBytes: number;
  meanFeatures: number;
  errors: number;
  /** The slowest cold tiles, for whoever tunes the queries. */
  slowest: { tile: string; ms: number }[];
}

const mercX = (lon: number) => (lon + 180) / 360;
function mercY(lat: number): number {
  const φ = (Math.min(Math.max(lat, -85.0511), 85.0511) * Math.PI) / 180;
  return (1 - Math.log(Math.tan(φ) + 1 / Math.cos(φ)) / Math.PI) / 2;
}

export function tileAt(p: Position, z: number): [number, number, number] {
  const n = 2 ** z;
  const clamp = (v: number) => Math.min(n - 1, Math.max(0, Math.floor(v * n)));
  return [z, clamp(mercX(p.lon)), clamp(mercY(p.lat))];
}

const pick = <T>(rng: Random, list: T[]): T => list[Math.floor(rng() * list.length)]!;

/** Decodes a tile and checks what the contract promises; returns the number of features or an error. */
export function checkTile(body: Buffer, z: number): number | string {
  let tile: VectorTile;
  try {
    tile = new VectorTile(new PbfReader(body));
  } catch (err) {
    return `does not decode: ${(err as Error).message}`;
  }
  const layer = tile.layers.reports;
  if (!layer || layer.length === 0) return 'has no features although a report lies in it';
  // From zoom 15 single reports, with their ids; a crowded tile of zoom 15 or 16 has the
  // finest clusters instead (server/features/tiles/tiles.service.ts, MAX_PUBLIC_TILE_SINGLES).
  const isCluster = (i: number) => Number(layer.feature(i).properties.count) > 0;
  const clusters = z < SINGLE_REPORT_MIN_ZOOM || (z < CROWDED_MAX_ZOOM + 1 && isCluster(0));
  for (let i = 0; i < layer.length; i++) {
    const f = layer.feature(i);
    f.loadGeometry();
    if (clusters ? !isCluster(i) : typeof f.properties.id !== 'number') {
      return `feature ${i} lacks ${clusters ? 'count' : 'id'}`;
    }
  }
  return layer.length;
}

export async function benchTiles(
  agent: http.Agent,
  base: string,
  positions: Position[],
  rng: Random,
  perBand: number,
  log: (line: string) => void,
): Promise<TileResult[]> {
  const results: TileResult[] = [];
  for (const band of BANDS) {
    const tiles = new Map<string, number>();
    for (let i = 0; i < perBand; i++) {
      const z = band.minZoom + Math.floor(rng() * (band.maxZoom - band.minZoom + 1));
      const [tz, tx, ty] = tileAt(pick(rng, positions), z);
      tiles.set(`${tz}/${tx}/${ty}`, tz);
    }
    const cold: number[] = [];
    const warm: number[] = [];
    let bytes = 0;
    let features = 0;
    let errors = 0;
    const slowest: { tile: string; ms: number }[] = [];
    for (const pass of ['cold', 'warm'] as const) {
      for (const [tile, z] of tiles) {
        const res = await request(agent, `${base}/tiles/public/${tile}.mvt`).catch((err: Error) => err);
        if (res instanceof Error || res.status !== 200) {
          errors++;
          log(`tile ${tile} (${pass}): ${res instanceof Error ? res.message : `HTTP ${res.status}`}`);
          continue;
        }
        (pass === 'cold' ? cold : warm).push(res.ms);
        if (pass === 'warm') continue;
        slowest.push({ tile, ms: res.ms });
        const checked = checkTile(res.body, z);
        if (typeof checked === 'string') {
          errors++;
          log(`tile ${tile} ${checked}`);
        } else features += checked;
        bytes += res.body.length;
      }
    }
    slowest.sort((a, b) => b.ms - a.ms);
    results.push({
      band,
      cold: stats(cold),
      warm: stats(warm),
      meanBytes: cold.length ? bytes / cold.length : NaN,
      meanFeatures: cold.length ? features / cold.length : NaN,
      errors,
      slowest: slowest.slice(0, 3),
    });
    log(`tiles ${band.label}: ${tiles.size} tiles, cold p95 ${stats(cold).p95.toFixed(1)} ms`);
  }
  return results;
}

export interface QueryResult {
  latency: Stats;
  meanFeatures: number;
  errors: number;
}

/** A viewport of about 1280 × 800 px at `zoom` around a position, as minLon,minLat,maxLon,maxLat. */
export function viewport(p: Position, zoom: number, widthPx = 1280, heightPx = 800): string {
  const degPerPx = 360 / (256 * 2 ** zoom);
  const halfW = (widthPx / 2) * degPerPx;
  const halfH = (heightPx / 2) * degPerPx * Math.cos((p.lat * Math.PI) / 180);
  const r = (v: number) => v.toFixed(6);
  return [r(p.lon - halfW), r(p.lat - halfH), r(p.lon + halfW), r(p.lat + halfH)].join(',');
}

/** GET a GeoJSON endpoint `count` times, each with a random viewport; checks it is a FeatureCollection. */
export async function benchGeoJson(
  agent: http.Agent,
  makeUrl: (rng: Random) => string,
  count: number,
  rng: Random,
  log: (line: string) => void,
): Promise<QueryResult> {
  const times: number[] = [];
  let features = 0;
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const url = makeUrl(rng);
    const res = await request(agent, url).catch((err: Error) => err);
    if (res instanceof Error || res.status !== 200) {
      errors++;
      log(`${url}: ${res instanceof Error ? res.message : `HTTP ${res.status} ${res.body.toString().slice(0, 200)}`}`);
      continue;
    }
    times.push(res.ms);
    try {
      const body = JSON.parse(res.body.toString()) as { type?: string; features?: unknown[] };
      if (body.type !== 'FeatureCollection' || !Array.isArray(body.features))
        throw new Error('not a FeatureCollection');
      features += body.features.length;
    } catch (err) {
      errors++;
      log(`${url}: ${(err as Error).message}`);
    }
  }
  return { latency: stats(times), meanFeatures: times.length ? features / times.length : NaN, errors };
}
