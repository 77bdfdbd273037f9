// What a collection's features hold, as JSON Schema, three ways from the one field list
// (ogc.fields.ts): the queryables (Part 3: what `filter` may name), the schema (Part 5: every
// property with its type and role), and the GeoJSON Feature schema that GDAL up to 3.7 reads
// from the `describedby` link to type its fields instead of guessing them from ten features.
import { OGC_FIELDS, type OgcField } from './ogc.fields';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

export interface SchemaContext {
  url: string;
  title: string;
  /** The category codes and kinds the collection holds. */
  categories: readonly string[];
  kinds: readonly string[];
}

function enumOf(f: OgcField, ctx: SchemaContext): readonly (string | number)[] | undefined {
  if (f.name === 'category') return ctx.categories;
  if (f.name === 'kind') return ctx.kinds;
  return f.enum;
}

/** One property as JSON Schema; `nullable` as a type list (Part 5) or left to the description. */
function property(f: OgcField, ctx: SchemaContext, nulls: 'type-list' | 'omit'): Record<string, unknown> {
  const values = enumOf(f, ctx);
  return {
    title: f.name,
    ...(f.description ? { description: f.description } : {}),
    type: nulls === 'type-list' && f.nullable ? [f.type, 'null'] : f.type,
    ...(f.format ? { format: f.format } : {}),
    ...(values ? { enum: nulls === 'type-list' && f.nullable ? [...values, null] : values } : {}),
    ...(f.minimum !== undefined ? { minimum: f.minimum } : {}),
    ...(f.maximum !== undefined ? { maximum: f.maximum } : {}),
    ...(f.name === 'created_at' ? { 'x-ogc-role': 'primary-instant' } : {}),
  };
}

const GEOMETRY = { title: 'geometry', format: 'geometry-point', 'x-ogc-role': 'primary-geometry' };

/** An object schema of the geometry, the id and `fields`, as the queryables and the schema share it. */
function objectSchema(ctx: SchemaContext, fields: readonly OgcField[]): Record<string, unknown> {
  return {
    $schema: DRAFT,
    $id: ctx.url,
    type: 'object',
    title: ctx.title,
    properties: {
      geometry: GEOMETRY,
      id: { title: 'id', type: 'integer', minimum: 1, 'x-ogc-role': 'id' },
      ...Object.fromEntries(fields.map((f) => [f.name, property(f, ctx, 'type-list')])),
    },
  };
}

/** Part 3: the properties `filter` may name, with their types. */
export function queryablesSchema(ctx: SchemaContext): Record<string, unknown> {
  const fields = OGC_FIELDS.filter((f) => f.column);
  return {
    ...objectSchema(ctx, fields),
    additionalProperties: false,
    // The draft's list, which GDAL up to 3.7 reads to know what it may send in `filter`.
    queryables: [{ id: 'id' }, ...fields.map((f) => ({ id: f.name }))],
  };
}

/** Part 5: the feature's properties, each with its type and, where it has one, its role. */
export function propertiesSchema(ctx: SchemaContext): Record<string, unknown> {
  return { ...objectSchema(ctx, OGC_FIELDS), required: OGC_FIELDS.map((f) => f.name) };
}

/**
 * A GeoJSON Feature with these properties. GDAL reads one `type` word per property, so nullable
 * fields name their type alone here and say in `nullable` (as OpenAPI 3.0 does) that null occurs.
 */
export function featureSchema(ctx: SchemaContext): Record<string, unknown> {
  return {
    $schema: DRAFT,
    $id: ctx.url,
    title: ctx.title,
    type: 'object',
    required: ['type', 'id', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'integer', minimum: 1 },
      geometry: { $ref: 'https://geojson.org/schema/Point.json' },
      properties: {
        type: 'object',
        properties: Object.fromEntries(
          OGC_FIELDS.map((f) => [f.name, { ...property(f, ctx, 'omit'), ...(f.nullable ? { nullable: true } : {}) }]),
        ),
      },
    },
  };
}
