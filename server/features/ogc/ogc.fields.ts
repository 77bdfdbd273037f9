// The OGC API's features are flat: one typed value per property, no nested objects, so that
// GeoPackage, Shapefile and FlatGeobuf take them as they are (QGIS could not save the nested
// `confirmations` and `photos` to a GeoPackage). Values and descriptions come from the public
// field table (reports.fields.ts); this file only says how each is flattened, its type for the
// schema and the queryables, and its column for filters.
import type { OpenAPIV3 } from 'openapi-types';
import { PUBLIC_PROPERTIES } from '../reports/reports.fields';
import type { ReportRow } from '../reports/reports.repo';
import type { ReportFeature } from '../reports/reports.geojson';
import { toFeature } from '../reports/reports.geojson';

export type OgcType = 'string' | 'integer' | 'number';

export interface OgcField {
  name: string;
  type: OgcType;
  format?: 'date-time' | 'uri';
  nullable: boolean;
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
  description?: string;
  /** The column on the public read model (`public_reports r`) that filters read; none: not queryable. */
  column?: string;
  value(row: ReportRow, base: string): unknown;
}

/** A field as the public field table has it, with the column filters read. */
function fromPublic(name: string, column?: string): OgcField {
  const p = PUBLIC_PROPERTIES.find((f) => f.name === name);
  if (!p || '$ref' in p.schema) throw new Error(`${name} is not a plain public property`);
  const s = p.schema as OpenAPIV3.NonArraySchemaObject;
  return {
    name,
    type: s.type as OgcType,
    format: s.format as OgcField['format'],
    nullable: s.nullable === true,
    enum: s.enum?.filter((v): v is string | number => v !== null),
    minimum: s.minimum,
    maximum: s.maximum,
    description: s.description,
    column,
    value: (row, base) => p.value(row, base),
  };
}

const photos = PUBLIC_PROPERTIES.find((p) => p.name === 'photos')!;

/** The properties of an OGC feature, in order. */
export const OGC_FIELDS: readonly OgcField[] = [
  fromPublic('category', 'r.category'),
  fromPublic('kind', 'r.kind'),
  fromPublic('status', 'r.status'),
  fromPublic('severity', 'r.severity'),
  fromPublic('passability', 'r.passability'),
  fromPublic('people_count', 'r.people_count'),
  fromPublic('description', 'r.description'),
  fromPublic('address', 'r.address'),
  fromPublic('accuracy_m', 'r.accuracy_m'),
  {
    name: 'still_there',
    type: 'integer',
    nullable: false,
    minimum: 0,
    description: 'How many people confirmed the barrier is still there.',
    column: 'r.still_there_count',
    value: (r) => r.stillThere,
  },
  {
    name: 'gone',
    type: 'integer',
    nullable: false,
    minimum: 0,
    description: 'How many people said it is gone.',
    column: 'r.gone_count',
    value: (r) => r.gone,
  },
  {
    name: 'photo_count',
    type: 'integer',
    nullable: false,
    minimum: 0,
    description: 'Published photos.',
    value: (r) => r.photos.length,
  },
  {
    name: 'photo_urls',
    type: 'string',
    nullable: true,
    description: 'The published photos, full size, separated by spaces (as in the CSV export); null when none.',
    value: (r, base) => (photos.value(r, base) as { url: string }[]).map((p) => p.url).join(' ') || null,
  },
  fromPublic('created_at', 'r.created_at'),
  fromPublic('updated_at', 'r.updated_at'),
  fromPublic('url'),
  fromPublic('duplicate_of', 'r.duplicate_of'),
  fromPublic('review', 'r.review'),
  fromPublic('source', 'r.source'),
];

/** A public report as an OGC feature: the GeoJSON point, flat properties. */
export function ogcFeature(row: ReportRow, base: string): ReportFeature {
  const { geometry } = toFeature(row, { baseUrl: base, audience: 'public' });
  const properties: Record<string, unknown> = {};
  for (const f of OGC_FIELDS) properties[f.name] = f.value(row, base);
  return { type: 'Feature', id: row.id, geometry, properties };
}
