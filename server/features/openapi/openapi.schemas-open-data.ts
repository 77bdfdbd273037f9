// Schemas of the open-data surfaces: exports, OGC API – Features and Open311 GeoReport v2.
import type { OpenAPIV3 } from 'openapi-types';
import { OGC_FIELDS } from '../ogc/ogc.fields';
import { CSV_COLUMNS as CSV_FIELDS } from '../reports/reports.fields';

type Schema = OpenAPIV3.SchemaObject;
const ref = (name: string): OpenAPIV3.ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const links = { type: 'array', items: ref('Link') } satisfies Schema;

/** The columns of the CSV export, in order (the field table's, reports.fields.ts). */
export const CSV_COLUMNS = CSV_FIELDS.map((c) => c.name);

export const openDataSchemas: Record<string, Schema> = {
  ExportCollection: {
    type: 'object',
    description:
      'Every matching public report as one RFC 7946 FeatureCollection, streamed from one database snapshot, with the data licence and attribution at the top level.',
    required: ['type', 'features', 'license', 'attribution', 'generated_at'],
    properties: {
      type: { type: 'string', enum: ['FeatureCollection'] },
      license: { type: 'string', description: 'SPDX id or URL of the data licence.', example: 'ODbL-1.0' },
      attribution: { type: 'string', example: '© Wegfrei contributors, ODbL 1.0' },
      generated_at: { type: 'string', format: 'date-time' },
      features: { type: 'array', items: ref('ReportFeature') },
    },
  },
  LandingPage: {
    type: 'object',
    required: ['links'],
    properties: { title: { type: 'string' }, description: { type: 'string' }, links },
  },
  Conformance: {
    type: 'object',
    required: ['conformsTo'],
    properties: {
      conformsTo: {
        type: 'array',
        items: { type: 'string', format: 'uri' },
        example: [
          'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
          'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
          'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
        ],
      },
    },
  },
  Collections: {
    type: 'object',
    required: ['links', 'collections'],
    properties: { links, collections: { type: 'array', items: ref('Collection') } },
  },
  Collection: {
    type: 'object',
    required: ['id', 'links'],
    properties: {
      id: { type: 'string', enum: ['reports', 'barriers', 'help'] },
      title: { type: 'string' },
      description: { type: 'string' },
      links,
      extent: {
        type: 'object',
        properties: {
          spatial: {
            type: 'object',
            properties: {
              bbox: { type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 6 } },
              crs: { type: 'string' },
            },
          },
          temporal: {
            type: 'object',
            properties: {
              interval: {
                type: 'array',
                items: {
                  type: 'array',
                  minItems: 2,
                  maxItems: 2,
                  items: { type: 'string', format: 'date-time', nullable: true },
                },
              },
              trs: { type: 'string' },
            },
          },
        },
      },
      itemType: { type: 'string', example: 'feature' },
      crs: { type: 'array', items: { type: 'string' } },
    },
  },
  OgcFeatureCollection: {
    type: 'object',
    description:
      'One page of items. `numberMatched` is counted once a minute per filter, so it may lag reports that just arrived; it is left out when counting a `filter` takes longer than its statement budget. Follow the `next` link while there is one.',
    required: ['type', 'features', 'links', 'timeStamp', 'numberReturned'],
    properties: {
      type: { type: 'string', enum: ['FeatureCollection'] },
      features: { type: 'array', items: ref('OgcFeature') },
      links,
      timeStamp: { type: 'string', format: 'date-time' },
      numberMatched: { type: 'integer', minimum: 0 },
      numberReturned: { type: 'integer', minimum: 0 },
    },
  },
  OgcFeature: {
    type: 'object',
    description:
      'One report as a Feature with flat, typed properties (`OgcProperties`); alone, with `links` to itself and its collection.',
    required: ['type', 'id', 'geometry', 'properties'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'integer', minimum: 1 },
      geometry: ref('Point'),
      properties: ref('OgcProperties'),
      links,
    },
  },
  OgcProperties: {
    type: 'object',
    description:
      'The public properties flattened, one typed value each: `confirmations` as `still_there` and `gone`, `photos` as `photo_count` and `photo_urls` (so GeoPackage, Shapefile and FlatGeobuf take them as they are).',
    required: OGC_FIELDS.map((f) => f.name),
    additionalProperties: false,
    properties: Object.fromEntries(
      OGC_FIELDS.map((f) => [
        f.name,
        {
          type: f.type,
          ...(f.format ? { format: f.format } : {}),
          ...(f.nullable ? { nullable: true } : {}),
          ...(f.enum ? { enum: f.nullable ? [...f.enum, null] : [...f.enum] } : {}),
          ...(f.minimum !== undefined ? { minimum: f.minimum } : {}),
          ...(f.maximum !== undefined ? { maximum: f.maximum } : {}),
          ...(f.description ? { description: f.description } : {}),
        } satisfies Schema,
      ]),
    ),
  },
  Queryables: {
    type: 'object',
    description: 'A JSON Schema (application/schema+json) of the properties that can filter `items`.',
    required: ['type', 'properties'],
    properties: {
      $schema: { type: 'string' },
      $id: { type: 'string' },
      type: { type: 'string', enum: ['object'] },
      title: { type: 'string' },
      properties: { type: 'object', additionalProperties: { type: 'object' } },
    },
  },
  Open311Error: {
    type: 'array',
    description: 'GeoReport v2 errors.',
    items: {
      type: 'object',
      required: ['code', 'description'],
      properties: { code: { type: 'integer' }, description: { type: 'string' } },
    },
    example: [{ code: 400, description: 'service_code: is required' }],
  },
  Open311Discovery: {
    type: 'object',
    required: ['endpoints'],
    properties: {
      changeset: { type: 'string' },
      contact: { type: 'string' },
      key_service: { type: 'string' },
      endpoints: {
        type: 'array',
        items: {
          type: 'object',
          required: ['specification', 'url'],
          properties: {
            specification: { type: 'string', example: 'http://wiki.open311.org/GeoReport_v2' },
            url: { type: 'string', format: 'uri' },
            changeset: { type: 'string' },
            type: { type: 'string', enum: ['production', 'test'] },
            formats: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
  Open311Service: {
    type: 'object',
    description: 'A category of the taxonomy; `service_code` is its code, `group` its kind.',
    required: ['service_code', 'service_name', 'metadata', 'type'],
    properties: {
      service_code: { type: 'string', example: 'steps' },
      service_name: { type: 'string', example: 'Steps, no ramp' },
      description: { type: 'string' },
      metadata: { type: 'boolean', description: 'true: the service has attributes (severity, …).' },
      type: { type: 'string', enum: ['realtime', 'batch', 'blackbox'] },
      keywords: { type: 'string' },
      group: { type: 'string', example: 'barrier' },
    },
  },
  Open311ServiceDefinition: {
    type: 'object',
    required: ['service_code', 'attributes'],
    properties: {
      service_code: { type: 'string' },
      attributes: {
        type: 'array',
        items: {
          type: 'object',
          required: ['variable', 'code', 'datatype', 'required', 'order'],
          properties: {
            variable: { type: 'boolean' },
            code: { type: 'string', example: 'severity' },
            datatype: {
              type: 'string',
              enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'],
            },
            required: { type: 'boolean' },
            datatype_description: { type: 'string', nullable: true },
            order: { type: 'integer' },
            description: { type: 'string' },
            values: {
              type: 'array',
              items: {
                type: 'object',
                required: ['key', 'name'],
                properties: { key: { type: 'string' }, name: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  },
  Open311Request: {
    type: 'object',
    description:
      'A report as a GeoReport v2 service request: `open` for new, verified, assigned, in progress; `closed` for resolved and duplicate. Help requests on the coarse grid, without address.',
    required: ['service_request_id', 'status', 'service_code', 'requested_datetime', 'lat', 'long'],
    properties: {
      service_request_id: { type: 'string', example: '42' },
      status: { type: 'string', enum: ['open', 'closed'] },
      status_notes: { type: 'string', nullable: true },
      service_name: { type: 'string' },
      service_code: { type: 'string' },
      description: { type: 'string', nullable: true },
      agency_responsible: { type: 'string', nullable: true },
      service_notice: { type: 'string', nullable: true },
      requested_datetime: { type: 'string', format: 'date-time' },
      updated_datetime: { type: 'string', format: 'date-time', nullable: true },
      expected_datetime: { type: 'string', format: 'date-time', nullable: true },
      address: { type: 'string', nullable: true },
      address_id: { type: 'string', nullable: true },
      zipcode: { type: 'string', nullable: true },
      lat: { type: 'number', minimum: -90, maximum: 90 },
      long: { type: 'number', minimum: -180, maximum: 180 },
      media_url: { type: 'string', nullable: true },
    },
  },
  Open311Requests: { type: 'array', items: ref('Open311Request') },
  Open311NewRequest: {
    type: 'object',
    description:
      'GeoReport v2 `POST requests` form. `attribute[severity]`, `attribute[passability]`, `attribute[people_count]` are the service attributes; the photo comes by `media_url` or (multipart) as the file `media`.',
    required: ['service_code', 'lat', 'long', 'attribute[severity]'],
    properties: {
      api_key: {
        type: 'string',
        description:
          'Made by an admin: `npm run apikey:create -- --name N`. Required here unless sent in the `X-API-Key` or `Authorization: Bearer` header.',
      },
      service_code: { type: 'string', example: 'steps' },
      lat: { type: 'number', minimum: -90, maximum: 90 },
      long: { type: 'number', minimum: -180, maximum: 180 },
      description: { type: 'string', maxLength: 4000 },
      address_string: { type: 'string', maxLength: 300 },
      email: { type: 'string', description: 'Private, like `first_name`, `last_name`, `phone`: staff only.' },
      first_name: { type: 'string' },
      last_name: { type: 'string' },
      phone: { type: 'string' },
      'attribute[severity]': {
        type: 'string',
        enum: ['1', '2', '3'],
        description: '1 an inconvenience / can wait, 2 hard to pass / needs help soon, 3 impassable / urgent.',
      },
      'attribute[passability]': { type: 'string', enum: ['yes', 'limited', 'no'] },
      'attribute[people_count]': { type: 'string', description: 'Help requests: 1–10000.' },
      'attribute[accuracy_m]': { type: 'string', description: 'Metres.' },
      media_url: { type: 'string', format: 'uri' },
    },
  },
  Open311NewRequestMultipart: {
    allOf: [ref('Open311NewRequest'), { type: 'object', properties: { media: { type: 'string', format: 'binary' } } }],
  },
  Open311Created: {
    type: 'array',
    items: {
      type: 'object',
      required: ['service_request_id'],
      properties: {
        service_request_id: { type: 'string' },
        service_notice: { type: 'string', nullable: true },
        account_id: { type: 'string', nullable: true },
        token: { type: 'string', nullable: true },
      },
    },
    example: [{ service_request_id: '43', service_notice: null, account_id: null }],
  },
};
