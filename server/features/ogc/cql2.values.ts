// The literal values of a CQL2 filter, checked before they reach the database: instants
// (a real calendar day and time, years 1–9999), WKT geometries (finite lon/lat, closed
// rings, a bounded number of vertices) and BBOX. A value PostgreSQL would refuse must be a
// 400 naming the filter here, never a database error and a 500 later.
import { AppError } from '../../http/errors';

/** A 400 for the `filter` parameter; `detail` says where and what. */
export function filterError(detail: string): AppError {
  return new AppError(400, 'invalid_filter', 'Invalid filter', `filter: ${detail}`, [{ field: 'filter', detail }]);
}

export const CQL2_MAX_VERTICES = 10_000;

type Position = number[];
export type Cql2Geometry =
  | { type: 'geometry'; kind: 'Point'; coordinates: Position }
  | { type: 'geometry'; kind: 'LineString' | 'MultiPoint'; coordinates: Position[] }
  | { type: 'geometry'; kind: 'Polygon' | 'MultiLineString'; coordinates: Position[][] }
  | { type: 'geometry'; kind: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'geometry'; kind: 'GeometryCollection'; geometries: Cql2Geometry[] };

type GeoJson =
  | { type: string; coordinates: Position | Position[] | Position[][] | Position[][][] }
  | { type: 'GeometryCollection'; geometries: GeoJson[] };

/** The geometry as GeoJSON in lon/lat, z dropped (the reports are points on a plane). */
export function geometryToGeoJson(geometry: Cql2Geometry): GeoJson {
  const budget = { vertices: 0 };
  return convert(geometry, budget);
}

function convert(g: Cql2Geometry, budget: { vertices: number }): GeoJson {
  const at = (p: Position): Position => position(p, budget);
  const line = (ps: Position[], what: string): Position[] => {
    if (ps.length < 2) throw filterError(`a ${what} needs at least 2 points`);
    return ps.map(at);
  };
  const ring = (ps: Position[]): Position[] => {
    const r = ps.map(at);
    const [first, last] = [r[0], r[r.length - 1]];
    if (r.length < 4) throw filterError('a polygon ring needs at least 4 points');
    if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) {
      throw filterError('a polygon ring must end where it starts');
    }
    return r;
  };
  switch (g.kind) {
    case 'Point':
      return { type: 'Point', coordinates: at(g.coordinates) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: g.coordinates.map(at) };
    case 'LineString':
      return { type: 'LineString', coordinates: line(g.coordinates, 'LINESTRING') };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: g.coordinates.map((l) => line(l, 'LINESTRING')) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: g.coordinates.map(ring) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map((m) => convert(m, budget)) };
  }
}

function position(p: Position, budget: { vertices: number }): Position {
  if (++budget.vertices > CQL2_MAX_VERTICES) {
    throw filterError(`a geometry may have at most ${CQL2_MAX_VERTICES} vertices`);
  }
  const [lon, lat] = p as [number, number];
  checkLonLat(lon, lat);
  return [lon, lat];
}

function checkLonLat(lon: number, lat: number): void {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) throw filterError('a coordinate is not a finite number');
  if (lon < -180 || lon > 180) throw filterError(`longitude ${lon} is outside -180..180`);
  if (lat < -90 || lat > 90) throw filterError(`latitude ${lat} is outside -90..90`);
}

/** BBOX(w, s, e, n) or BBOX(w, s, zmin, e, n, zmax), as in OGC API – Features' bbox. */
export function bboxEdges(values: number[]): { west: number; south: number; east: number; north: number } {
  if (values.length !== 4 && values.length !== 6) throw filterError('BBOX takes 4 or 6 numbers');
  const [west, south, east, north] = (values.length === 4 ? values : [values[0], values[1], values[3], values[4]]) as [
    number,
    number,
    number,
    number,
  ];
  checkLonLat(west, south);
  checkLonLat(east, north);
  if (south > north) throw filterError(`BBOX: the south edge ${south} is north of the north edge ${north}`);
  return { west, south, east, north };
}

// Anchored; each optional part starts with its own delimiter, so no two quantifiers can match
// the same text: linear. A time may stop after the hour or the minute, and 'YYYY-MM-DDT' is a
// date: GDAL writes the instants of -where that way in CQL text.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(?:(\d{2})(?::(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}:\d{2}))?)?$/i;

/**
 * An instant of DATE('…'), TIMESTAMP('…') or a string compared with a timestamp. A date is
 * its first instant, 00:00 UTC. The calendar is checked here because JavaScript's Date rolls
 * 30 February into March; a day short of years 1 and 9999 is kept clear so that no time zone
 * turns the instant into a year PostgreSQL cannot read back.
 */
export function parseInstant(text: string): Date | undefined {
  const m = INSTANT.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h = '00', mi = '00', sec = '00', fraction = '', zone = 'Z'] = m.slice(1);
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  const monthDays = month === 2 && leap(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return undefined;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}${fraction.slice(0, 4)}${zone.toUpperCase()}`);
  const t = date.getTime();
  return t >= EARLIEST && t <= LATEST ? date : undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const EARLIEST = Date.parse('0001-01-02T00:00:00Z');
const LATEST = Date.parse('9999-12-30T00:00:00Z');
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
