// Web Mercator tile arithmetic in normalised coordinates: x east and y south, both in [0, 1).
// A tile z/x/y covers [x, x+1) / 2^z; cluster cells of level L are tiles of zoom L.

export const TILE_EXTENT = 4096;
/** Each tile is drawn as CELLS_PER_TILE × CELLS_PER_TILE cluster cells: level = zoom + 3. */
export const CELL_LEVEL_OFFSET = 3;
/** report_cells holds levels 3…17, i.e. cluster zooms 0…14 (migrations/0004_report_cells.sql). */
export const MAX_CELL_LEVEL = 17;
/** From this zoom on, tiles carry single reports instead of clusters. */
export const SINGLE_REPORT_MIN_ZOOM = 15;
export const MAX_ZOOM = 22;

export interface CellRange {
  level: number;
  cx0: number;
  cx1: number;
  cy0: number;
  cy1: number;
}

export function tileCells(z: number, x: number, y: number): CellRange {
  return tileCellsAt(z, x, y, z + CELL_LEVEL_OFFSET);
}

/** The cells of `level` (at least z) that tile z/x/y covers. */
export function tileCellsAt(z: number, x: number, y: number, level: number): CellRange {
  return rangeAt({ level: z, cx0: x, cx1: x, cy0: y, cy1: y }, level);
}

/** The same area as `range`, in the cells of a finer `level`. */
export function rangeAt(range: CellRange, level: number): CellRange {
  const k = level - range.level;
  return {
    level,
    cx0: range.cx0 << k,
    cx1: ((range.cx1 + 1) << k) - 1,
    cy0: range.cy0 << k,
    cy1: ((range.cy1 + 1) << k) - 1,
  };
}

export const lonToX = (lon: number) => Math.min(Math.max((lon + 180) / 360, 0), 0.999999999);
/** The latitude the cells clamp to (wf_merc_y, migrations/0004): a hair inside Mercator's edge. */
export const MERCATOR_MAX_LAT = 85.0511;
export function latToY(lat: number): number {
  const φ = (Math.min(Math.max(lat, -MERCATOR_MAX_LAT), MERCATOR_MAX_LAT) * Math.PI) / 180;
  return Math.min(Math.max((1 - Math.log(Math.tan(φ) + 1 / Math.cos(φ)) / Math.PI) / 2, 0), 0.999999999);
}
export const xToLon = (x: number) => x * 360 - 180;
export const yToLat = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;

/** The cells of `level` that a lon/lat bbox touches. */
export function bboxCells(
  bbox: { minLon: number; minLat: number; maxLon: number; maxLat: number },
  level: number,
): CellRange {
  const scale = 2 ** level;
  return {
    level,
    cx0: Math.floor(lonToX(bbox.minLon) * scale),
    cx1: Math.floor(lonToX(bbox.maxLon) * scale),
    cy0: Math.floor(latToY(bbox.maxLat) * scale),
    cy1: Math.floor(latToY(bbox.minLat) * scale),
  };
}

/** The lon/lat rectangle of a cell range (a Mercator rectangle is one in lon/lat too). */
export function cellRangeBounds(r: CellRange): { west: number; south: number; east: number; north: number } {
  const scale = 2 ** r.level;
  return {
    west: xToLon(r.cx0 / scale),
    east: xToLon((r.cx1 + 1) / scale),
    north: yToLat(r.cy0 / scale),
    south: yToLat((r.cy1 + 1) / scale),
  };
}

export const cellCount = (r: CellRange) => (r.cx1 - r.cx0 + 1) * (r.cy1 - r.cy0 + 1);
