// Reads a coordinator's districts (a GeoJSON FeatureCollection of Polygons and MultiPolygons)
// into areas, or says which feature is wrong and why. The geometry's validity is the
// database's to judge and mend (areas.repo.ts); this checks what plain reading can.

/** A larger file is not districts; ogr2ogr -simplify makes one smaller (docs/STATS.md). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_AREAS = 5000;
/** Vertices in one area: a district outline with more is too detailed for counting reports. */
export const MAX_VERTICES = 200_000;

/** Properties tried in order when no --name-property is given. */
const NAME_GUESSES = [
  'name',
  'Name',
  'NAME',
  'name_de',
  'name_fr',
  'name_en',
  'nom',
  'NOM',
  'Bezeichnung',
  'BEZEICHNUNG',
  'bezirk',
  'Bezirk',
  'BEZIRK',
  'GEN',
  'NAME_1',
  'NAME_2',
  'NAME_3',
  'district',
  'District',
  'label',
  'title',
];

export class AreasFileError extends Error {}

export interface AreaInput {
  /** 1-based, as a person counts features in the file. */
  feature: number;
  name: string;
  code: string | null;
  geometry: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function countVertices(coords: unknown, feature: number, depth = 0): number {
  if (!Array.isArray(coords)) throw new AreasFileError(`feature ${feature}: coordinates are not a list`);
  if (depth > 3) throw new AreasFileError(`feature ${feature}: coordinates are nested too deeply`);
  if (coords.length && typeof coords[0] === 'number') {
    const [x, y] = coords as number[];
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x!) > 180 || Math.abs(y!) > 90) {
      throw new AreasFileError(
        `feature ${feature}: coordinate ${String(x)}, ${String(y)} is not longitude, latitude in WGS 84 ` +
          `(reproject the file: ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson)`,
      );
    }
    return 1;
  }
  let n = 0;
  for (const c of coords) n += countVertices(c, feature, depth + 1);
  return n;
}

/** The name property: the one asked for, or the first guess every feature has as text. */
function nameProperty(features: Json[], asked: string | undefined): string {
  const props = (f: Json) => (isObject(f.properties) ? f.properties : {});
  const hasText = (f: Json, key: string) => {
    const v = props(f)[key];
    return (typeof v === 'string' && v.trim() !== '') || typeof v === 'number';
  };
  if (asked !== undefined) {
    const missing = features.findIndex((f) => !hasText(f, asked));
    if (missing >= 0) {
      throw new AreasFileError(
        `feature ${missing + 1}: has no "${asked}" (its properties: ${Object.keys(props(features[missing]!)).join(', ') || 'none'})`,
      );
    }
    return asked;
  }
  const guess = NAME_GUESSES.find((key) => features.every((f) => hasText(f, key)));
  if (guess) return guess;
  throw new AreasFileError(
    `no name property found in every feature; choose one with --name-property ` +
      `(properties of feature 1: ${Object.keys(props(features[0]!)).join(', ') || 'none'})`,
  );
}

/** The areas in `text`, with the property their names were taken from. */
export function readAreas(
  text: string,
  opts: { nameProperty?: string } = {},
): { areas: AreaInput[]; nameProperty: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AreasFileError(`not JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new AreasFileError('not a GeoJSON FeatureCollection');
  }
  const crs = isObject(doc.crs) && isObject(doc.crs.properties) ? doc.crs.properties.name : undefined;
  if (typeof crs === 'string' && !/(CRS84|4326)$/.test(crs)) {
    throw new AreasFileError(`the file is in ${crs}; reproject it: ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson`);
  }
  const features = doc.features as unknown[];
  if (features.length === 0) throw new AreasFileError('the file has no features');
  if (features.length > MAX_AREAS) throw new AreasFileError(`${features.length} features; at most ${MAX_AREAS} areas`);
  features.forEach((f, i) => {
    if (!isObject(f) || f.type !== 'Feature') throw new AreasFileError(`feature ${i + 1}: not a GeoJSON Feature`);
  });
  const property = nameProperty(features as Json[], opts.nameProperty);
  const codes = new Set<string>();
  const areas = (features as Json[]).map((f, i): AreaInput => {
    const feature = i + 1;
    const g = f.geometry;
    if (!isObject(g) || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
      const type = isObject(g) && typeof g.type === 'string' ? g.type : 'missing';
      throw new AreasFileError(`feature ${feature}: geometry is ${type}; areas must be Polygon or MultiPolygon`);
    }
    const vertices = countVertices(g.coordinates, feature);
    if (vertices > MAX_VERTICES) {
      throw new AreasFileError(
        `feature ${feature}: ${vertices} vertices, at most ${MAX_VERTICES} (simplify: ogr2ogr -simplify 0.0001 …)`,
      );
    }
    const name = String((f.properties as Json)[property])
      .trim()
      .slice(0, 200);
    const id = f.id;
    let code = typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 100) : null;
    // A code given twice identifies nothing: the areas are then told apart by their own ids.
    if (code !== null && codes.has(code)) code = null;
    if (code !== null) codes.add(code);
    return { feature, name, code, geometry: JSON.stringify({ type: g.type, coordinates: g.coordinates }) };
  });
  return { areas, nameProperty: property };
}
