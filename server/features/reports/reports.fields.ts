// The public fields of a report, in one table: each field's name, its OpenAPI schema, its value
// from a row of the public read model (the API, OGC API) and the same value in SQL (the
// exports' COPY), and the CSV/HXL columns. The GeoJSON properties (reports.geojson.ts), the
// GeoJSON and CSV exports (exports.sql.ts) and the OpenAPI document (openapi.schemas.ts,
// openapi.schemas-open-data.ts) are made from these lists. *Whether* a value is public is the
// read model's (migrations/0009_publication.sql): a row here was already read through it.
// docs/ARCHITECTURE.md, "Where to add a field".
import type { OpenAPIV3 } from 'openapi-types';
import { REPORT_SOURCES, type ReportRow } from './reports.repo';
import { PUBLIC_STATUSES } from './reports.schemas';

type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;
const ref = (name: string): OpenAPIV3.ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const nullableText = (description: string): Schema => ({ type: 'string', nullable: true, description });

/** ISO 8601 in UTC with milliseconds, as Date.toISOString() writes it. */
export const isoSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export interface PublicProperty {
  name: string;
  schema: Schema;
  /** Only in some answers (nearby): neither required nor exported. */
  optional?: boolean;
  /** The value, from a row read through the public read model; `base` is the site's URL. */
  value(row: ReportRow, base: string): unknown;
  /**
   * The same in SQL over `public_reports r` with `ph` (its published photos aggregated, see
   * exports.sql.ts); `base` is the site's URL as an SQL literal.
   */
  sql?(base: string): string;
}

const photoUrl = (base: string, hash: string, thumb: boolean) => `${base}/photos/${hash}${thumb ? '.thumb' : ''}.jpg`;

/** The properties of a public report Feature, in their order. */
export const PUBLIC_PROPERTIES: readonly PublicProperty[] = [
  {
    name: 'category',
    schema: { type: 'string', description: 'A code from `/api/v1/categories`.', example: 'steps' },
    value: (r) => r.category,
    sql: () => 'r.category',
  },
  { name: 'kind', schema: { type: 'string', enum: ['barrier', 'help'] }, value: (r) => r.kind, sql: () => 'r.kind' },
  {
    name: 'status',
    schema: { type: 'string', enum: [...PUBLIC_STATUSES], description: 'Rejected reports are never public.' },
    value: (r) => r.status,
    sql: () => 'r.status',
  },
  {
    name: 'severity',
    schema: {
      type: 'integer',
      minimum: 1,
      maximum: 3,
      description: '1 an inconvenience, 2 hard to pass / needs help soon, 3 impassable / urgent.',
    },
    value: (r) => r.severity,
    sql: () => 'r.severity',
  },
  {
    name: 'passability',
    schema: {
      type: 'string',
      enum: ['yes', 'limited', 'no', null],
      nullable: true,
      description: 'Barriers: can a wheelchair user pass?',
    },
    value: (r) => r.passability,
    sql: () => 'r.passability',
  },
  {
    name: 'people_count',
    schema: {
      type: 'integer',
      minimum: 1,
      nullable: true,
      description: 'Help requests: how many people need help; null while `review` is pending.',
    },
    value: (r) => r.peopleCount,
    sql: () => 'r.people_count',
  },
  {
    name: 'description',
    schema: nullableText(
      'Free text by the reporter, as published (redacted where needed); null while `review` is pending.',
    ),
    value: (r) => r.description,
    sql: () => 'r.description',
  },
  {
    name: 'address',
    schema: nullableText('As given by the reporter; null for help requests.'),
    value: (r) => r.address,
    sql: () => 'r.address',
  },
  {
    name: 'accuracy_m',
    schema: {
      type: 'number',
      minimum: 0,
      nullable: true,
      description: 'Metres, as the phone estimated; null for help requests.',
    },
    value: (r) => r.accuracyM,
    sql: () => 'r.accuracy_m',
  },
  {
    name: 'confirmations',
    schema: ref('Confirmations'),
    value: (r) => ({ still_there: r.stillThere, gone: r.gone }),
    sql: () => `json_build_object('still_there', r.still_there_count, 'gone', r.gone_count)`,
  },
  {
    name: 'photos',
    schema: { type: 'array', items: ref('Photo'), maxItems: 50 },
    value: (r, base) =>
      r.photos.map((p) => ({
        url: photoUrl(base, p.hash, false),
        thumbnail_url: photoUrl(base, p.hash, true),
        width: p.width,
        height: p.height,
        stage: p.stage ?? 'report',
      })),
    sql: () => `coalesce(ph.list, '[]'::json)`,
  },
  {
    name: 'created_at',
    schema: { type: 'string', format: 'date-time' },
    value: (r) => r.createdAt.toISOString(),
    sql: () => isoSql('r.created_at'),
  },
  {
    name: 'updated_at',
    schema: { type: 'string', format: 'date-time' },
    value: (r) => r.updatedAt.toISOString(),
    sql: () => isoSql('r.updated_at'),
  },
  {
    name: 'url',
    schema: { type: 'string', format: 'uri', description: 'The public page of the report.' },
    value: (r, base) => `${base}/reports/${r.id}`,
    sql: (base) => `${base} || '/reports/' || r.id`,
  },
  {
    name: 'distance_m',
    optional: true,
    schema: {
      type: 'integer',
      minimum: 0,
      description: 'Only in answers to `/api/v1/reports/nearby`: metres from the asked point.',
    },
    value: (r) => (r.distanceM === undefined ? undefined : Math.round(r.distanceM)),
  },
  {
    name: 'duplicate_of',
    schema: {
      type: 'integer',
      minimum: 1,
      nullable: true,
      description:
        'When staff marked the report a duplicate: the report it repeats (always of the same kind); otherwise null.',
    },
    value: (r) => r.duplicateOf,
    sql: () => 'r.duplicate_of',
  },
  {
    name: 'review',
    schema: {
      type: 'string',
      enum: ['pending', 'published'],
      description:
        'Whether a person has looked at the words and photos: `pending` withholds `description`, `people_count` and `photos` (help requests always wait for a coordinator; barriers only where the deployment moderates before publishing).',
    },
    value: (r) => r.review,
    sql: () => 'r.review',
  },
  {
    name: 'source',
    schema: {
      type: 'string',
      enum: [...REPORT_SOURCES],
      description:
        'The channel the report came through: the web app, Open311, an SMS, a Telegram message, an import, or staff. Reports from before channels were recorded say `web`.',
    },
    value: (r) => r.source,
    sql: () => 'r.source',
  },
  // The two below are on the report's own answers and page, not in exports (optional: no SQL).
  {
    name: 'endorsements',
    optional: true,
    schema: {
      type: 'integer',
      minimum: 0,
      description: 'How many devices said "Affects me too" (one per device; docs/SECURITY.md).',
    },
    value: (r) => r.endorsements,
  },
  {
    name: 'resolution_note',
    optional: true,
    schema: nullableText(
      'While resolved: what the resolver wrote for the public about the fix (staff notes are never public).',
    ),
    value: (r) => r.resolutionNote,
  },
];

export interface CsvColumn {
  name: string;
  /** Its HXL hashtag (the second header row with `hxl=1`). */
  hxl: string;
  /** The value in SQL, as for PublicProperty.sql, with `c` the report's category row. */
  sql(base: string): string;
  /** Free text or a code an admin may name: guarded against spreadsheet formulas. */
  text?: boolean;
}

/** The CSV export's columns, in order: the public properties flattened, plus id and point. */
export const CSV_COLUMNS: readonly CsvColumn[] = [
  { name: 'id', hxl: '#meta+id', sql: () => 'r.id' },
  { name: 'lon', hxl: '#geo+lon', sql: () => 'round(ST_X(r.geom)::numeric, 7)' },
  { name: 'lat', hxl: '#geo+lat', sql: () => 'round(ST_Y(r.geom)::numeric, 7)' },
  { name: 'category', hxl: '#event+type+code', sql: () => 'r.category', text: true },
  { name: 'sector', hxl: '#sector', sql: () => 'c.hxl_sector', text: true },
  { name: 'kind', hxl: '#event+x_kind', sql: () => 'r.kind' },
  { name: 'status', hxl: '#status+code', sql: () => 'r.status' },
  { name: 'severity', hxl: '#severity', sql: () => 'r.severity' },
  { name: 'passability', hxl: '#access+code', sql: () => 'r.passability' },
  { name: 'people_count', hxl: '#affected', sql: () => 'r.people_count' },
  { name: 'description', hxl: '#description', sql: () => 'r.description', text: true },
  { name: 'address', hxl: '#loc+x_address', sql: () => 'r.address', text: true },
  { name: 'accuracy_m', hxl: '#geo+x_precision', sql: () => 'r.accuracy_m' },
  { name: 'still_there', hxl: '#indicator+num+x_still_there', sql: () => 'r.still_there_count' },
  { name: 'gone', hxl: '#indicator+num+x_gone', sql: () => 'r.gone_count' },
  { name: 'photo_urls', hxl: '#meta+url+x_photo', sql: () => 'ph.urls' },
  { name: 'created_at', hxl: '#date+reported', sql: () => isoSql('r.created_at') },
  { name: 'updated_at', hxl: '#date+x_updated', sql: () => isoSql('r.updated_at') },
  { name: 'url', hxl: '#meta+url', sql: (base) => `${base} || '/reports/' || r.id` },
  { name: 'source', hxl: '#meta+x_source', sql: () => 'r.source' },
];

/** The public properties of `row` (read through the public read model) as GeoJSON properties. */
export function publicProperties(row: ReportRow, base: string): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const p of PUBLIC_PROPERTIES) {
    const value = p.value(row, base);
    if (value !== undefined) properties[p.name] = value;
  }
  return properties;
}
