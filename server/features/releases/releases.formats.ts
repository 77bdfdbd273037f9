// The files of a release, each written page by page (a page is a few thousand reports), so
// memory holds one page whatever the size of the data set: GeoJSON and CSV as text streams,
// FlatGeobuf as features into a body file that the header (which needs the count) is put in
// front of at the end, GeoParquet as one row group per page with the `geo` metadata (its bbox
// known only at the end) written in the footer.
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import * as flatbuffers from 'flatbuffers';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { Column } from 'flatgeobuf/lib/mjs/flat-geobuf/column.js';
import { Crs } from 'flatgeobuf/lib/mjs/flat-geobuf/crs.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
import { buildFeature } from 'flatgeobuf/lib/mjs/generic/feature.js';
import type { IParsedGeometry } from 'flatgeobuf/lib/mjs/generic/geometry.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { ByteWriter, ParquetWriter, type ColumnSource } from 'hyparquet-writer';
import { RELEASE_COLUMNS, type ReleaseColumn } from './releases.fields';

/** One report of a release: the columns' values in their types, by name. */
/** hyparquet-writer's own copy of hyparquet's type (a dev dependency of ours may be another version). */
type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

export type ReleaseRow = Record<string, string | number | null>;

export interface Extent {
  minx: number;
  miny: number;
  maxx: number;
  maxy: number;
}

/** Each file of a release takes pages of rows and is closed once, with the whole release's count and extent. */
export interface FormatWriter {
  readonly file: string;
  write(rows: ReleaseRow[]): Promise<void>;
  finish(count: number, extent: Extent | undefined): Promise<void>;
  /** A failed build: close what is open (the directory is removed). */
  abort(): Promise<void>;
}

/** Writes to a file with backpressure: the next page waits until the disk has taken this one. */
class TextFile {
  private readonly stream: fs.WriteStream;
  constructor(file: string) {
    this.stream = fs.createWriteStream(file, { flags: 'wx', mode: 0o644 });
  }
  async write(chunk: string | Uint8Array): Promise<void> {
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async end(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
  async abort(): Promise<void> {
    this.stream.destroy();
    await once(this.stream, 'close').catch(() => undefined);
  }
}

const geometryOnly = new Set(['id', 'lon', 'lat']);

export function geojsonWriter(dir: string, head: Record<string, unknown>): FormatWriter {
  const file = `${dir}/reports.geojson`;
  const out = new TextFile(file);
  let first = true;
  let started = false;
  const properties = RELEASE_COLUMNS.filter((c) => !geometryOnly.has(c.name));
  return {
    file,
    async write(rows) {
      let text = '';
      if (!started) {
        // RFC 7946 allows members beyond type and features: the licence and release travel with the file.
        text += `${JSON.stringify({ type: 'FeatureCollection', ...head }).slice(0, -1)},"features":[\n`;
        started = true;
      }
      for (const row of rows) {
        const props: Record<string, unknown> = {};
        for (const c of properties) props[c.name] = row[c.name];
        text += `${first ? '' : ',\n'}${JSON.stringify({
          type: 'Feature',
          id: row.id,
          geometry: { type: 'Point', coordinates: [row.lon, row.lat] },
          properties: props,
        })}`;
        first = false;
      }
      await out.write(text);
    },
    async finish() {
      if (!started) await this.write([]);
      await out.write('\n]}\n');
      await out.end();
    },
    abort: () => out.abort(),
  };
}

/** RFC 4180: a field with a comma, quote, CR or LF (or edge spaces) in quotes, quotes doubled. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Text a spreadsheet would run as a formula gets a leading apostrophe, as in the CSV export
 * (exports.sql.ts csvText): CSV files are what spreadsheets open. The other formats keep the text as it is.
 */
const guarded = (c: ReleaseColumn, v: string | number | null) =>
  c.text && typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;

/** reports.csv, and reports-hxl.csv with the HXL hashtags as its second row. CRLF after every record. */
export function csvWriter(dir: string, name: string, hxl: boolean): FormatWriter {
  const file = `${dir}/${name}`;
  const out = new TextFile(file);
  let head = `${RELEASE_COLUMNS.map((c) => c.name).join(',')}\r\n`;
  if (hxl) head += `${RELEASE_COLUMNS.map((c) => c.hxl).join(',')}\r\n`;
  let started = false;
  return {
    file,
    async write(rows) {
      let text = started ? '' : head;
      started = true;
      for (const row of rows) text += `${RELEASE_COLUMNS.map((c) => csvField(guarded(c, row[c.name]!))).join(',')}\r\n`;
      await out.write(text);
    },
    async finish() {
      if (!started) await this.write([]);
      await out.end();
    },
    abort: () => out.abort(),
  };
}

/**
 * GDAL's CSV driver reads `<name>.csvt` next to `<name>.csv` (also over /vsicurl/): one quoted
 * type per column, so ogrinfo and QGIS see integers, reals and date-times without guessing.
 */
export function csvtWriter(dir: string): FormatWriter {
  const file = `${dir}/reports.csvt`;
  const type = (c: ReleaseColumn) =>
    c.type === 'integer'
      ? c.wide
        ? 'Integer64'
        : 'Integer'
      : c.type === 'number'
        ? 'Real'
        : c.type === 'datetime'
          ? 'DateTime'
          : 'String';
  return {
    file,
    write: () => Promise.resolve(),
    finish: () =>
      fsp.writeFile(file, `${RELEASE_COLUMNS.map((c) => `"${type(c)}"`).join(',')}\r\n`, { flag: 'wx', mode: 0o644 }),
    abort: () => Promise.resolve(),
  };
}

const FGB_MAGIC = new Uint8Array([0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62, 0x00]);

const fgbType = (c: ReleaseColumn): ColumnType =>
  c.type === 'integer'
    ? c.wide
      ? ColumnType.Long
      : ColumnType.Int
    : c.type === 'number'
      ? ColumnType.Double
      : c.type === 'datetime'
        ? ColumnType.DateTime
        : ColumnType.String;

// All the CSV's columns, lon and lat too (as in Parquet): a GIS user filters on them as on any other.
const fgbColumns = RELEASE_COLUMNS;

/** The FlatGeobuf header: layer `reports`, EPSG:4326, typed columns, no spatial index (see docs/DATA.md). */
function fgbHeader(count: number, extent: Extent | undefined, title: string): Uint8Array {
  const b = new flatbuffers.Builder(4096);
  const columns = fgbColumns.map((c) => {
    const name = b.createString(c.name);
    const description = b.createString(c.description);
    Column.startColumn(b);
    Column.addName(b, name);
    Column.addType(b, fgbType(c));
    Column.addDescription(b, description);
    Column.addNullable(b, !c.constraints?.required);
    if (c.name === 'id') {
      Column.addPrimaryKey(b, true);
      Column.addUnique(b, true);
    }
    return Column.endColumn(b);
  });
  const columnsVector = Header.createColumnsVector(b, columns);
  const name = b.createString('reports');
  const titleOffset = b.createString(title);
  const org = b.createString('EPSG');
  Crs.startCrs(b);
  Crs.addOrg(b, org);
  Crs.addCode(b, 4326);
  const crs = Crs.endCrs(b);
  const envelope = extent
    ? Header.createEnvelopeVector(b, [extent.minx, extent.miny, extent.maxx, extent.maxy])
    : undefined;
  Header.startHeader(b);
  Header.addName(b, name);
  Header.addTitle(b, titleOffset);
  if (envelope !== undefined) Header.addEnvelope(b, envelope);
  Header.addGeometryType(b, GeometryType.Point);
  Header.addColumns(b, columnsVector);
  Header.addFeaturesCount(b, BigInt(count));
  Header.addIndexNodeSize(b, 0);
  Header.addCrs(b, crs);
  b.finishSizePrefixed(Header.endHeader(b));
  return b.asUint8Array();
}

export function flatgeobufWriter(dir: string, title: string): FormatWriter {
  const file = `${dir}/reports.fgb`;
  // The header holds the feature count, known at the end: features go to a body file first.
  const bodyFile = `${dir}/.reports.fgb.body`;
  const body = new TextFile(bodyFile);
  const meta = { columns: fgbColumns.map((c) => ({ name: c.name, type: fgbType(c) })) } as unknown as HeaderMeta;
  return {
    file,
    async write(rows) {
      const parts: Uint8Array[] = [];
      for (const row of rows) {
        const geometry = { xy: [row.lon, row.lat], type: GeometryType.Point } as unknown as IParsedGeometry;
        const props: Record<string, string | number | null> = {};
        for (const c of fgbColumns) props[c.name] = row[c.name]!;
        parts.push(buildFeature(geometry, props, meta));
      }
      await body.write(Buffer.concat(parts));
    },
    async finish(count, extent) {
      await body.end();
      const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o644 });
      out.write(FGB_MAGIC);
      out.write(fgbHeader(count, extent, title));
      await pipeline(fs.createReadStream(bodyFile), out);
      await fsp.rm(bodyFile);
    },
    abort: () => body.abort(),
  };
}

/** A little-endian WKB Point (21 bytes). */
function wkbPoint(x: number, y: number): Uint8Array {
  const bytes = new Uint8Array(21);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, 1);
  view.setUint32(1, 1, true);
  view.setFloat64(5, x, true);
  view.setFloat64(13, y, true);
  return bytes;
}

const parquetColumns = RELEASE_COLUMNS;

function parquetElement(c: ReleaseColumn): SchemaElement {
  const repetition_type = c.constraints?.required ? 'REQUIRED' : 'OPTIONAL';
  const name = c.name;
  switch (c.type) {
    case 'integer':
      return { name, type: c.wide ? 'INT64' : 'INT32', repetition_type };
    case 'number':
      return { name, type: 'DOUBLE', repetition_type };
    case 'datetime':
      // Instants in UTC, milliseconds: DuckDB, pandas and GDAL read a TIMESTAMP with time zone.
      return {
        name,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        repetition_type,
      };
    default:
      return { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type };
  }
}

const parquetValue = (c: ReleaseColumn, v: string | number | null): unknown =>
  v === null ? null : c.type === 'datetime' ? new Date(v) : c.wide ? BigInt(v) : v;

/**
 * GeoParquet 1.1 (https://geoparquet.org/releases/v1.1.0/): WKB points in `geometry`, no `crs`
 * key, which the specification reads as OGC:CRS84 (longitude, latitude on WGS 84).
 */
export function geoMetadata(extent: Extent | undefined) {
  return {
    version: '1.1.0',
    primary_column: 'geometry',
    columns: {
      geometry: {
        encoding: 'WKB',
        geometry_types: ['Point'],
        ...(extent ? { bbox: [extent.minx, extent.miny, extent.maxx, extent.maxy] } : {}),
      },
    },
  };
}

/** The writer of hyparquet-writer, its buffer written out after each row group and at the end. */
function fileByteWriter(handle: fsp.FileHandle): ByteWriter {
  const writer = new ByteWriter(1 << 20);
  const flush = async () => {
    const chunk = new Uint8Array(writer.buffer, 0, writer.index).slice();
    writer.index = 0;
    if (chunk.length) await handle.write(chunk);
  };
  return Object.assign(writer, { flush, finish: flush });
}

export function parquetWriter(dir: string): FormatWriter {
  const file = `${dir}/reports.parquet`;
  let handle: fsp.FileHandle | undefined;
  let writer: ParquetWriter | undefined;
  const kvMetadata: { key: string; value: string }[] = [];
  const schema: SchemaElement[] = [
    { name: 'root', num_children: parquetColumns.length + 1 },
    ...parquetColumns.map(parquetElement),
    { name: 'geometry', type: 'BYTE_ARRAY', repetition_type: 'REQUIRED' },
  ];
  async function open(): Promise<ParquetWriter> {
    handle = await fsp.open(file, 'wx', 0o644);
    writer = new ParquetWriter({ writer: fileByteWriter(handle), schema, kvMetadata, createdBy: 'Wegfrei' });
    return writer;
  }
  return {
    file,
    async write(rows) {
      const w = writer ?? (await open());
      if (!rows.length) return;
      const columnData: ColumnSource[] = parquetColumns.map((c) => ({
        name: c.name,
        data: rows.map((r) => parquetValue(c, r[c.name]!)),
      }));
      columnData.push({ name: 'geometry', data: rows.map((r) => wkbPoint(r.lon as number, r.lat as number)) });
      await w.write({ columnData, rowGroupSize: rows.length });
    },
    async finish(_count, extent) {
      const w = writer ?? (await open());
      // The footer is written last: the bbox of the whole release goes in there.
      kvMetadata.push({ key: 'geo', value: JSON.stringify(geoMetadata(extent)) });
      await w.finish();
      await handle!.close();
    },
    async abort() {
      await handle?.close().catch(() => undefined);
    },
  };
}
