// The columns of a release: the CSV export's columns (CSV_COLUMNS in reports.fields.ts), each
// with one type that every format of the release keeps: the Table Schema of datapackage.json,
// FlatGeobuf's column types and Parquet's physical and logical types. A column added to the
// CSV export without a type here fails at start (and in tests), so no format guesses a type.
import { CSV_COLUMNS, type CsvColumn } from '../reports/reports.fields';

/** Table Schema field types (https://specs.frictionlessdata.io/table-schema/#types-and-formats). */
export type FieldType = 'integer' | 'number' | 'string' | 'datetime';

interface ColumnType {
  type: FieldType;
  description: string;
  /** Table Schema `format` (uri) or constraints where the value set is fixed. */
  format?: 'uri';
  constraints?: { required?: boolean; unique?: boolean; enum?: string[]; minimum?: number; maximum?: number };
  /** Parquet and FlatGeobuf store it as a 64-bit integer (ids). */
  wide?: boolean;
}

const TYPES: Record<string, ColumnType> = {
  id: { type: 'integer', wide: true, description: 'The report’s id', constraints: { required: true, unique: true } },
  lon: { type: 'number', description: 'Longitude (WGS 84) of the published point; a help request’s is its grid cell' },
  lat: { type: 'number', description: 'Latitude (WGS 84) of the published point; a help request’s is its grid cell' },
  category: { type: 'string', description: 'Category code (/api/v1/categories)', constraints: { required: true } },
  sector: { type: 'string', description: 'The category’s HXL sector' },
  kind: { type: 'string', description: 'barrier or help', constraints: { required: true, enum: ['barrier', 'help'] } },
  status: {
    type: 'string',
    description: 'Status (rejected reports are never public)',
    constraints: { required: true },
  },
  severity: {
    type: 'integer',
    description: '1 an inconvenience, 2 hard to pass / needs help soon, 3 impassable / urgent',
    constraints: { required: true, minimum: 1, maximum: 3 },
  },
  passability: {
    type: 'string',
    description: 'Barriers: yes, limited or no',
    constraints: { enum: ['yes', 'limited', 'no'] },
  },
  people_count: { type: 'integer', description: 'Help requests: people who need help; empty until reviewed' },
  description: { type: 'string', description: 'The reporter’s words as published; empty until reviewed' },
  address: { type: 'string', description: 'As given by the reporter; empty for help requests' },
  accuracy_m: { type: 'number', description: 'Metres, as the phone estimated; empty for help requests' },
  still_there: { type: 'integer', description: 'Confirmations that the barrier is still there' },
  gone: { type: 'integer', description: 'Confirmations that the barrier is gone' },
  photo_urls: { type: 'string', description: 'Published photos, URLs separated by spaces' },
  created_at: { type: 'datetime', description: 'When it was reported (UTC)', constraints: { required: true } },
  updated_at: { type: 'datetime', description: 'Last change (UTC)', constraints: { required: true } },
  url: { type: 'string', format: 'uri', description: 'The report’s public page', constraints: { required: true } },
  source: {
    type: 'string',
    description: 'The channel it came through (web, open311, sms, telegram, import, staff)',
    constraints: { required: true, enum: ['web', 'open311', 'sms', 'telegram', 'import', 'staff'] },
  },
};

export interface ReleaseColumn extends CsvColumn, ColumnType {}

export const RELEASE_COLUMNS: readonly ReleaseColumn[] = CSV_COLUMNS.map((c) => {
  const t = TYPES[c.name];
  if (!t)
    throw new Error(
      `The release has no type for the CSV column ${c.name} (server/features/releases/releases.fields.ts)`,
    );
  return { ...c, ...t };
});

/** The Table Schema of reports.csv (and of the other formats' attributes). */
export function tableSchema() {
  return {
    fields: RELEASE_COLUMNS.map((c) => ({
      name: c.name,
      type: c.type,
      ...(c.format ? { format: c.format } : {}),
      description: c.description,
      ...(c.hxl ? { hxl: c.hxl } : {}),
      ...(c.constraints ? { constraints: c.constraints } : {}),
    })),
    primaryKey: ['id'],
    missingValues: [''],
  };
}

/** A value as the database sends it (bigint and numeric as text), in the column's type; null stays null. */
export function typed(column: ReleaseColumn, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (column.type === 'integer' || column.type === 'number') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : JSON.stringify(value);
}
