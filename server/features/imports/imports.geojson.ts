// GeoJSON in: a FeatureCollection, a GeoJSON text sequence (RFC 8142, each record after an
// RS character) or one Feature per line. Properties are read in Wegfrei's own names, so a
// Wegfrei export (/api/v1/exports/reports.geojson) comes back as the same reports; a
// record's identity is its report URL there, and its content elsewhere.
import { contentRef, originRef, refuse, reportedAt, type CategoryResolver, type ImportRecord } from './imports.rows';

/** The fields of a report a GeoJSON Feature may carry, as the API names them. */
const REPORT_PROPERTIES = ['kind', 'severity', 'passability', 'people_count', 'description', 'address', 'accuracy_m'];

export interface RawFeature {
  row: number;
  feature?: unknown;
  /** Why the record could not be read as JSON. */
  error?: string;
}

/** Splits the file into its features, each with its number (1 = the first feature or line). */
export function readFeatures(text: string): RawFeature[] {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('\x1e')) return records(trimmed.split('\x1e').slice(1));
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let whole: unknown;
    try {
      whole = JSON.parse(trimmed);
    } catch {
      // Not one document: one Feature per line (newline-delimited GeoJSON).
      return records(trimmed.split(/\r?\n/));
    }
    if (Array.isArray(whole)) return (whole as unknown[]).map((feature, i) => ({ row: i + 1, feature }));
    const collection = whole as { type?: unknown; features?: unknown };
    if (collection.type === 'FeatureCollection' && Array.isArray(collection.features)) {
      return collection.features.map((feature, i) => ({ row: i + 1, feature: feature as unknown }));
    }
    return [{ row: 1, feature: whole }];
  }
  throw new Error('not GeoJSON: expected a FeatureCollection, RS-separated features or one feature per line');
}

function records(parts: string[]): RawFeature[] {
  const out: RawFeature[] = [];
  parts.forEach((part, i) => {
    if (!part.trim()) return;
    try {
      out.push({ row: i + 1, feature: JSON.parse(part) as unknown });
    } catch (err) {
      out.push({ row: i + 1, error: err instanceof Error ? err.message : String(err) });
    }
  });
  return out;
}

export interface PointFeature {
  lon: unknown;
  lat: unknown;
  properties: Record<string, unknown>;
}

/** The point and properties of a Feature, or why it has none a report can use. */
export function pointOf(raw: RawFeature): PointFeature | ImportRecord {
  if (raw.error !== undefined) return refuse(raw.row, 'unreadable', `not JSON: ${raw.error}`);
  const f = raw.feature as { type?: unknown; geometry?: unknown; properties?: unknown } | null;
  if (!f || typeof f !== 'object' || f.type !== 'Feature')
    return refuse(raw.row, 'unreadable', 'not a GeoJSON Feature');
  const g = f.geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!g) return refuse(raw.row, 'no_coordinates', 'the feature has no geometry');
  if (g.type !== 'Point') return refuse(raw.row, 'not_a_point', `a ${String(g.type)} is not a Point`);
  const c = g.coordinates;
  if (!Array.isArray(c) || c.length < 2 || c.slice(0, 2).some((n) => typeof n !== 'number')) {
    return refuse(raw.row, 'no_coordinates', 'the point has no [longitude, latitude] numbers');
  }
  const properties = f.properties && typeof f.properties === 'object' ? (f.properties as Record<string, unknown>) : {};
  return { lon: c[0], lat: c[1], properties };
}

const isRecord = (x: PointFeature | ImportRecord): x is ImportRecord => 'row' in x;

/** A Wegfrei report's public page, as its export writes it in `url`. */
const REPORT_URL = /^https?:\/\/[^\s]+\/reports\/\d+$/;

export function wegfreiRecords(
  text: string,
  resolve: CategoryResolver,
  opts: { origin?: string } = {},
): ImportRecord[] {
  return readFeatures(text).map((raw) => {
    const point = pointOf(raw);
    if (isRecord(point)) return point;
    const p = point.properties;
    const category = typeof p.category === 'string' ? p.category : '';
    const code = category ? resolve(category) : undefined;
    if (!code) {
      return refuse(raw.row, 'unknown_category', category ? `"${category}" is not a category` : 'no category');
    }
    const fields: Record<string, unknown> = { category: code, lat: point.lat, lon: point.lon };
    for (const name of REPORT_PROPERTIES) {
      if (p[name] !== null && p[name] !== undefined) fields[name] = p[name];
    }
    const url = typeof p.url === 'string' && REPORT_URL.test(p.url) ? p.url : undefined;
    const ref = opts.origin
      ? contentRef(opts.origin, raw.feature)
      : url
        ? originRef('wegfrei', url)
        : contentRef('geojson', raw.feature);
    const createdAt = reportedAt(p.created_at);
    return { row: raw.row, originRef: ref, fields, ...(createdAt ? { createdAt } : {}) };
  });
}
