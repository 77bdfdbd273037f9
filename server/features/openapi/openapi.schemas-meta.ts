// Schemas of the taxonomy, the configuration, health and the map clusters.
import type { OpenAPIV3 } from 'openapi-types';
import { STATUSES } from '../reports/reports.schemas';

type Schema = OpenAPIV3.SchemaObject;
const ref = (name: string): OpenAPIV3.ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const nullableText = (description: string): Schema => ({ type: 'string', nullable: true, description });

export const metaSchemas: Record<string, Schema> = {
  Category: {
    type: 'object',
    required: ['code', 'kind', 'icon', 'labels', 'descriptions', 'osm_tags', 'project_sidewalk', 'hxl_sector'],
    additionalProperties: false,
    properties: {
      code: { type: 'string', pattern: '^[a-z_]+$', description: 'Also the Open311 `service_code`.' },
      kind: { type: 'string', enum: ['barrier', 'help'] },
      icon: {
        type: 'string',
        description:
          'An emoji for clients that want a glyph. It may show as an empty box on older phones: Wegfrei’s own apps draw SVG icons by category code instead.',
      },
      labels: ref('Translations'),
      descriptions: ref('Translations'),
      osm_tags: nullableText('The OpenStreetMap tags that describe the same thing.'),
      project_sidewalk: nullableText('The Project Sidewalk label.'),
      hxl_sector: nullableText('The HXL `#sector` of a help request.'),
    },
    example: {
      code: 'steps',
      kind: 'barrier',
      icon: '🪜',
      labels: { en: 'Steps, no ramp', de: 'Stufen ohne Rampe', fr: 'Marches sans rampe' },
      descriptions: {
        en: 'Steps with no ramp or lift',
        de: 'Stufen ohne Rampe oder Aufzug',
        fr: 'Marches sans rampe ni ascenseur',
      },
      osm_tags: 'highway=steps, step_count, ramp:wheelchair=no',
      project_sidewalk: 'Obstacle: stairs',
      hxl_sector: null,
    },
  },
  Translations: {
    type: 'object',
    required: ['en', 'de', 'fr'],
    additionalProperties: false,
    properties: { en: { type: 'string' }, de: { type: 'string' }, fr: { type: 'string' } },
  },
  CategoryList: {
    type: 'object',
    required: ['categories'],
    additionalProperties: false,
    properties: { categories: { type: 'array', items: ref('Category') } },
  },
  AppConfig: {
    type: 'object',
    required: ['tile_url', 'tile_attribution', 'help_grid_m'],
    additionalProperties: false,
    properties: {
      tile_url: { type: 'string', description: 'The raster basemap URL template.' },
      tile_attribution: { type: 'string', description: 'HTML attribution of the basemap.' },
      help_grid_m: { type: 'integer', description: 'Metres: the grid help requests are snapped to in public.' },
      address_search: {
        type: 'boolean',
        description: 'Whether `/api/v1/geocode` searches addresses (GEOCODER_URL is set).',
      },
    },
  },
  Health: {
    type: 'object',
    required: ['status', 'database'],
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: ['ok', 'unavailable'] },
      database: { type: 'string', enum: ['embedded', 'postgres'] },
    },
  },
  ClusterCollection: {
    type: 'object',
    description:
      'Below zoom 15: cluster points (`cluster: true`) at the mean position of their reports. From zoom 15: single reports (`cluster: false`).',
    required: ['type', 'features'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['FeatureCollection'] },
      features: { type: 'array', items: { oneOf: [ref('ClusterFeature'), ref('ClusterSingleFeature')] } },
    },
  },
  ClusterFeature: {
    type: 'object',
    required: ['type', 'geometry', 'properties'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      geometry: ref('Point'),
      properties: {
        type: 'object',
        required: ['cluster', 'count', 'count_barrier', 'count_help', 'max_severity'],
        additionalProperties: false,
        properties: {
          cluster: { type: 'boolean', enum: [true] },
          count: { type: 'integer', minimum: 1 },
          count_barrier: { type: 'integer', minimum: 0 },
          count_help: { type: 'integer', minimum: 0 },
          max_severity: { type: 'integer', minimum: 1, maximum: 3 },
        },
      },
    },
  },
  ClusterSingleFeature: {
    type: 'object',
    required: ['type', 'id', 'geometry', 'properties'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'integer', minimum: 1 },
      geometry: ref('Point'),
      properties: {
        type: 'object',
        required: ['cluster', 'id', 'category', 'kind', 'status', 'severity'],
        additionalProperties: false,
        properties: {
          cluster: { type: 'boolean', enum: [false] },
          id: { type: 'integer', minimum: 1 },
          category: { type: 'string' },
          kind: { type: 'string', enum: ['barrier', 'help'] },
          status: { type: 'string', enum: [...STATUSES] },
          severity: { type: 'integer', minimum: 1, maximum: 3 },
        },
      },
    },
  },
};
