// Schemas of the core API: a report as GeoJSON, its photos and confirmations, problems. The
// properties of ReportProperties come from the field table (reports.fields.ts), as the
// GeoJSON does; the API test validates real answers against it.
import type { OpenAPIV3 } from 'openapi-types';
import { PHOTO_LIMITS } from '../photos/photos.pipeline';
import { PUBLIC_PROPERTIES } from '../reports/reports.fields';

type Schema = OpenAPIV3.SchemaObject;
const ref = (name: string): OpenAPIV3.ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

export const exampleFeature = {
  type: 'Feature',
  id: 42,
  geometry: { type: 'Point', coordinates: [13.405, 52.52] },
  properties: {
    category: 'steps',
    kind: 'barrier',
    status: 'new',
    severity: 3,
    passability: 'no',
    people_count: null,
    description: 'Three steps, no ramp',
    address: 'Alexanderplatz 1',
    accuracy_m: 8,
    confirmations: { still_there: 2, gone: 0 },
    photos: [
      {
        url: 'https://wegfrei.example/photos/3f5e…c1.jpg',
        thumbnail_url: 'https://wegfrei.example/photos/3f5e…c1.thumb.jpg',
        width: 1200,
        height: 1600,
      },
    ],
    created_at: '2026-11-26T10:21:42.295Z',
    updated_at: '2026-11-26T10:21:42.295Z',
    url: 'https://wegfrei.example/reports/42',
    duplicate_of: null,
    review: 'published',
  },
};

export const coreSchemas: Record<string, Schema> = {
  Problem: {
    type: 'object',
    description:
      'RFC 9457 problem details (`application/problem+json`). Bad input is always a 4xx; `errors[]` names each bad field as the client sent it.',
    required: ['type', 'title', 'status', 'detail', 'instance', 'request_id', 'errors'],
    additionalProperties: false,
    properties: {
      type: {
        type: 'string',
        description: 'A URN naming the kind of problem.',
        example: 'urn:wegfrei:problem:validation',
      },
      title: { type: 'string', example: 'The report has invalid fields' },
      status: { type: 'integer', minimum: 400, maximum: 599, example: 422 },
      detail: { type: 'string', example: 'lat: must be between -90 and 90 (degrees of latitude)' },
      instance: { type: 'string', description: 'The request path.', example: '/api/v1/reports' },
      request_id: {
        type: 'string',
        description: 'Also in the `X-Request-Id` header and on every server log line of the request.',
      },
      errors: { type: 'array', items: ref('FieldError') },
    },
  },
  FieldError: {
    type: 'object',
    required: ['field', 'detail'],
    additionalProperties: false,
    properties: {
      field: {
        type: 'string',
        description: 'The request field at fault: `lat`, `photos[1]`, `bbox`, `Idempotency-Key`.',
        example: 'lat',
      },
      detail: { type: 'string', example: 'must be between -90 and 90 (degrees of latitude)' },
    },
  },
  Point: {
    type: 'object',
    description: 'A GeoJSON Point, WGS 84, longitude first (RFC 7946), at most 7 decimals.',
    required: ['type', 'coordinates'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['Point'] },
      coordinates: {
        type: 'array',
        description: '[longitude, latitude] in degrees.',
        minItems: 2,
        maxItems: 2,
        items: { type: 'number', minimum: -180, maximum: 180 },
        example: [13.405, 52.52],
      },
    },
  },
  Link: {
    type: 'object',
    required: ['href', 'rel'],
    properties: {
      href: { type: 'string', format: 'uri' },
      rel: { type: 'string', example: 'next' },
      type: { type: 'string', example: 'application/geo+json' },
      title: { type: 'string' },
      hreflang: { type: 'string' },
      length: { type: 'integer', minimum: 0, description: 'Bytes (enclosures: the files of a release).' },
    },
  },
  Photo: {
    type: 'object',
    description: `A photo, re-encoded as JPEG (at most ${PHOTO_LIMITS.displayMaxSide} px on the longest side; thumbnail ${PHOTO_LIMITS.thumbMaxSide} px) without any metadata. URLs name the content hash and never change.`,
    required: ['url', 'thumbnail_url', 'width', 'height'],
    additionalProperties: false,
    properties: {
      url: { type: 'string', format: 'uri' },
      thumbnail_url: { type: 'string', format: 'uri' },
      width: { type: 'integer', minimum: 1, description: 'Pixels of the display version.' },
      height: { type: 'integer', minimum: 1 },
      stage: {
        type: 'string',
        enum: ['report', 'resolution'],
        description: '`report`: sent with the report (before); `resolution`: taken by staff of the fix (after).',
      },
    },
  },
  Confirmations: {
    type: 'object',
    description: 'How often people on the spot confirmed the report.',
    required: ['still_there', 'gone'],
    additionalProperties: false,
    properties: {
      still_there: { type: 'integer', minimum: 0 },
      gone: { type: 'integer', minimum: 0 },
    },
  },
  ReportProperties: {
    type: 'object',
    description:
      'A report as the public sees it. `contact` is never here. Help requests are at the centre of a coarse grid cell and their `address` and `accuracy_m` are null. docs/DATA.md explains every field.',
    required: PUBLIC_PROPERTIES.filter((p) => !p.optional).map((p) => p.name),
    additionalProperties: false,
    properties: Object.fromEntries(PUBLIC_PROPERTIES.map((p) => [p.name, p.schema])),
  },
  ReportFeature: {
    type: 'object',
    description: 'A report as an RFC 7946 Feature; `id` is the report number.',
    required: ['type', 'id', 'geometry', 'properties'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'integer', minimum: 1 },
      geometry: ref('Point'),
      properties: ref('ReportProperties'),
    },
    example: exampleFeature,
  },
  ReportPage: {
    type: 'object',
    description: 'One page of reports, newest first. Follow the `next` link while there is one.',
    required: ['type', 'features', 'numberReturned', 'links'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['FeatureCollection'] },
      features: { type: 'array', items: ref('ReportFeature') },
      numberReturned: { type: 'integer', minimum: 0 },
      links: { type: 'array', items: ref('Link') },
    },
  },
  NearbyReports: {
    type: 'object',
    description: 'Open reports near a point, nearest first; each with `distance_m`.',
    required: ['type', 'features'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['FeatureCollection'] },
      features: { type: 'array', items: ref('ReportFeature') },
    },
  },
  NewReport: {
    type: 'object',
    description: 'A new report. Unknown fields are refused (they are usually typos).',
    required: ['category', 'lat', 'lon'],
    additionalProperties: false,
    properties: {
      category: { type: 'string', description: 'A code from `/api/v1/categories`.', example: 'steps' },
      kind: { type: 'string', enum: ['barrier', 'help'], description: 'Follows from the category if left out.' },
      lat: { type: 'number', minimum: -90, maximum: 90, example: 52.52 },
      lon: { type: 'number', minimum: -180, maximum: 180, example: 13.405 },
      accuracy_m: { type: 'number', minimum: 0, maximum: 100000 },
      severity: { type: 'integer', minimum: 1, maximum: 3, default: 2 },
      passability: { type: 'string', enum: ['yes', 'limited', 'no'], description: 'Barriers only.' },
      people_count: { type: 'integer', minimum: 1, maximum: 10000, description: 'Help requests only.' },
      description: { type: 'string', maxLength: 4000 },
      address: { type: 'string', maxLength: 300 },
      contact: {
        type: 'string',
        maxLength: 300,
        description: 'Private: staff only, never in a public answer, export or log.',
      },
    },
    example: { category: 'steps', lat: 52.52, lon: 13.405, severity: 3, passability: 'no', description: 'Three steps' },
  },
  NewReportForm: {
    type: 'object',
    description: `The same fields as text form fields (numbers as decimal text), plus up to ${PHOTO_LIMITS.maxFiles} files in \`photos\` (JPEG, PNG, WebP, HEIC or AVIF, each at most ${PHOTO_LIMITS.maxBytes / 1024 / 1024} MB).`,
    required: ['category', 'lat', 'lon'],
    properties: {
      category: { type: 'string' },
      kind: { type: 'string', enum: ['barrier', 'help'] },
      lat: { type: 'string', example: '52.52' },
      lon: { type: 'string', example: '13.405' },
      accuracy_m: { type: 'string' },
      severity: { type: 'string', enum: ['1', '2', '3'] },
      passability: { type: 'string', enum: ['yes', 'limited', 'no'] },
      people_count: { type: 'string' },
      description: { type: 'string', maxLength: 4000 },
      address: { type: 'string', maxLength: 300 },
      contact: { type: 'string', maxLength: 300 },
      photos: { type: 'array', maxItems: PHOTO_LIMITS.maxFiles, items: { type: 'string', format: 'binary' } },
    },
  },
  Confirmation: {
    type: 'object',
    required: ['type'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['still_there', 'gone'] },
      device: {
        type: 'string',
        format: 'uuid',
        description:
          'A random UUID the app makes once (`crypto.randomUUID()`) and sends with every confirmation; never a hardware id. One answer per device and report.',
      },
    },
    example: { type: 'still_there', device: '3f1c2b8e-5d4a-4e6f-9a7b-0c1d2e3f4a5b' },
  },
  ConfirmationResult: {
    type: 'object',
    required: ['report_id', 'confirmations', 'counted'],
    additionalProperties: false,
    properties: {
      report_id: { type: 'integer', minimum: 1 },
      confirmations: ref('Confirmations'),
      counted: {
        type: 'boolean',
        description:
          '`false` when this network address already has as many confirmations of the report as are counted: accepted, not stored.',
      },
    },
    example: { report_id: 42, confirmations: { still_there: 3, gone: 0 }, counted: true },
  },
};
