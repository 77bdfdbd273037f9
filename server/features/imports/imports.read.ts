// From a file's text to its records: which format it is (by its content, unless told), and
// the reader of that format.
import { parseCsv } from './csv';
import type { Category } from '../categories/categories.repo';
import { wegfreiRecords } from './imports.geojson';
import type { Mapping } from './imports.mapping';
import { categoryResolver, type ImportFormat, type ImportRecord } from './imports.rows';
import { sidewalkRecords } from './imports.sidewalk';
import { tableRecords } from './imports.table';
import { isUshahidiHeader, USHAHIDI_CATEGORIES, ushahidiRecords } from './imports.ushahidi';

export class ImportFileError extends Error {}

/** JSON (or RS-separated JSON) is GeoJSON; Project Sidewalk's when its features have a label_type. */
export function detectFormat(text: string, mapping?: Mapping): ImportFormat {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{') || start.startsWith('[') || start.startsWith('\x1e')) {
    // The first feature's properties are near the start; a city's labels run to many megabytes,
    // so the whole file is not parsed twice to find them.
    return /"label_type"\s*:/.test(start.slice(0, 64 * 1024)) ? 'sidewalk' : 'geojson';
  }
  const header = parseCsv(firstLines(start), mapping?.delimiter).records[0]?.cells ?? [];
  return isUshahidiHeader(header) ? 'ushahidi' : 'csv';
}

/** Enough of a CSV to read its header, even with line breaks inside quoted header cells. */
const firstLines = (text: string) => {
  const cut = text.slice(0, 64 * 1024);
  return (cut.split('"').length - 1) % 2 === 0 ? cut : text;
};

export function readRecords(
  text: string,
  format: ImportFormat,
  categories: Category[],
  mapping: Mapping,
): ImportRecord[] {
  try {
    switch (format) {
      case 'geojson':
        return wegfreiRecords(text, categoryResolver(categories, mapping.categories), { origin: mapping.origin });
      case 'sidewalk':
        return sidewalkRecords(text, categories, { origin: mapping.origin });
      case 'ushahidi':
        return ushahidiRecords(text, categoryResolver(categories, mapping.categories, USHAHIDI_CATEGORIES), mapping);
      case 'csv':
        return tableRecords(text, categoryResolver(categories, mapping.categories), mapping);
    }
  } catch (err) {
    throw new ImportFileError(err instanceof Error ? err.message : String(err));
  }
}
