// A table with latitude and longitude columns (CSV, `,` `;` or tab). Which column is which
// comes from the mapping file, or is found by its header: the usual names in English, German
// and French, and our own field names (so Wegfrei's CSV export reads back too).
import { parseCsv } from './csv';
import type { ColumnField, Mapping } from './imports.mapping';
import { contentRef, decimal, originRef, refuse, type CategoryResolver, type ImportRecord } from './imports.rows';

const HEADER_NAMES: Record<ColumnField, string[]> = {
  lat: ['lat', 'latitude', 'y', 'breite', 'breitengrad', 'geo_lat', 'location.lat', 'wgs84_lat'],
  lon: [
    'lon',
    'lng',
    'long',
    'longitude',
    'x',
    'länge',
    'laenge',
    'längengrad',
    'geo_lon',
    'location.lon',
    'wgs84_lon',
  ],
  category: ['category', 'kategorie', 'catégorie', 'categorie', 'type', 'art', 'category_code'],
  kind: ['kind'],
  description: ['description', 'beschreibung', 'comment', 'kommentar', 'commentaire', 'notes', 'text'],
  severity: ['severity', 'schwere', 'gravité', 'gravite'],
  passability: ['passability', 'passierbar', 'praticable'],
  people_count: ['people_count', 'personen', 'personnes'],
  address: ['address', 'adresse', 'ort', 'lieu', 'location'],
  accuracy_m: ['accuracy_m', 'accuracy', 'genauigkeit', 'précision'],
  // An id alone says nothing about where it comes from (two files both have a row 1): it is
  // used only when the mapping names the column and the origin.
  id: [],
};
const URL_NAMES = ['url'];
/** A Wegfrei report's public page (its CSV export's `url`): the same identity as its GeoJSON. */
const REPORT_URL = /^https?:\/\/\S+\/reports\/\d+$/;

const fold = (s: string) => s.trim().toLocaleLowerCase('de');

export interface Columns {
  index: Partial<Record<Exclude<ColumnField, 'description'>, number>>;
  description: number[];
  url: number;
}

/** Finds each field's column; a column the mapping names must exist. */
export function findColumns(header: string[], mapping: Mapping): Columns {
  const folded = header.map(fold);
  const at = (name: string) => {
    const i = folded.indexOf(fold(name));
    if (i < 0)
      throw new Error(`the mapping names a column "${name}" that the file does not have (${header.join(', ')})`);
    return i;
  };
  const index: Columns['index'] = {};
  for (const [field, names] of Object.entries(HEADER_NAMES) as [ColumnField, string[]][]) {
    if (field === 'description') continue;
    const named = mapping.columns[field];
    if (named) index[field] = at(named);
    else {
      const i = folded.findIndex((h) => names.includes(h));
      if (i >= 0) index[field] = i;
    }
  }
  const named = mapping.columns.description;
  const description = named
    ? (Array.isArray(named) ? named : [named]).map(at)
    : [folded.findIndex((h) => HEADER_NAMES.description.includes(h))].filter((i) => i >= 0);
  if (index.lat === undefined || index.lon === undefined) {
    throw new Error(
      `no latitude/longitude columns found in ${header.join(', ')}: name them in a mapping file ("columns": {"lat": …, "lon": …})`,
    );
  }
  return { index, description, url: folded.findIndex((h) => URL_NAMES.includes(h)) };
}

const cell = (cells: string[], i: number | undefined) => {
  if (i === undefined) return undefined;
  const v = cells[i]?.trim();
  return v ? v : undefined;
};

export function tableRecords(
  text: string,
  resolve: CategoryResolver,
  mapping: Mapping,
  opts: { prefix?: string } = {},
): ImportRecord[] {
  const { records } = parseCsv(text, mapping.delimiter);
  const [header, ...rows] = records;
  if (!header) throw new Error('the file is empty');
  const columns = findColumns(header.cells, mapping);
  const prefix = mapping.origin ?? opts.prefix ?? 'csv';
  return rows.map(({ line, cells }) => {
    if (cells.length === 1 && header.cells.length > 1) {
      return refuse(line, 'unreadable', `one field where ${header.cells.length} were expected (another delimiter?)`);
    }
    const get = (f: Exclude<ColumnField, 'description'>) => cell(cells, columns.index[f]);
    const lat = decimal(get('lat'));
    const lon = decimal(get('lon'));
    if (!lat || !lon) return refuse(line, 'no_coordinates', 'latitude or longitude is empty');
    const category = get('category');
    const code = category ? resolve(category) : undefined;
    if (!code) return refuse(line, 'unknown_category', category ? `"${category}" is not mapped` : 'no category');
    const fields: Record<string, unknown> = { category: code, lat, lon };
    const severity = get('severity');
    // Own keys only: a cell "constructor" is not Object.prototype's.
    if (severity !== undefined)
      fields.severity = Object.hasOwn(mapping.severity, severity) ? mapping.severity[severity] : severity;
    for (const f of ['kind', 'passability', 'people_count', 'address'] as const) {
      const v = get(f);
      if (v !== undefined) fields[f] = v;
    }
    const accuracy = decimal(get('accuracy_m'));
    if (accuracy !== undefined) fields.accuracy_m = accuracy;
    const description = columns.description
      .map((i) => cell(cells, i))
      .filter(Boolean)
      .join('\n\n');
    if (description) fields.description = description;
    const id = mapping.origin ? get('id') : undefined;
    const url = cell(cells, columns.url >= 0 ? columns.url : undefined);
    const ref = id
      ? originRef(prefix, id)
      : url && REPORT_URL.test(url)
        ? originRef('wegfrei', url)
        : contentRef(prefix, cells);
    return { row: line, originRef: ref, fields };
  });
}
