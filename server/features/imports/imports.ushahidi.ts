// The CSV that Ushahidi Platform (v3 and later) exports. Its shape, from the platform's own
// exporter (ushahidi/platform src/App/Formatter/Post/CSV.php and the native attributes of its
// export repository): one header row of labels — the native "Post ID", "Survey",
// "Post Status", "Created (UTC)", "Updated (UTC)", "Post Date (UTC)", "Contact ID", "Contact",
// then each survey field by its label, a location field as two columns "<label>.lat" and
// "<label>.lon", a categories field as one cell of comma-separated names — then a second row
// of HXL hashtags (empty cells when none were set), then one row per post.
// The Contact columns (phone numbers, e-mail addresses) are never read.
import { parseCsv } from './csv';
import type { Mapping } from './imports.mapping';
import { decimal, originRef, refuse, reportedAt, type CategoryResolver, type ImportRecord } from './imports.rows';

/**
 * Category names common on Ushahidi deployments (crisis maps in English, German and French)
 * → our codes. A deployment's own names go in the mapping file's "categories", which wins.
 */
export const USHAHIDI_CATEGORIES: Record<string, string> = {
  medical: 'help_medical',
  'medical help': 'help_medical',
  'medical emergency': 'help_medical',
  health: 'help_medical',
  'medizinische hilfe': 'help_medical',
  medizin: 'help_medical',
  gesundheit: 'help_medical',
  médical: 'help_medical',
  'aide médicale': 'help_medical',
  santé: 'help_medical',
  shelter: 'help_shelter',
  'emergency shelter': 'help_shelter',
  unterkunft: 'help_shelter',
  notunterkunft: 'help_shelter',
  abri: 'help_shelter',
  hébergement: 'help_shelter',
  food: 'help_food_water',
  water: 'help_food_water',
  'food and water': 'help_food_water',
  'food & water': 'help_food_water',
  wash: 'help_food_water',
  essen: 'help_food_water',
  wasser: 'help_food_water',
  lebensmittel: 'help_food_water',
  trinkwasser: 'help_food_water',
  nourriture: 'help_food_water',
  eau: 'help_food_water',
  'eau potable': 'help_food_water',
  evacuation: 'help_evacuation',
  transport: 'help_evacuation',
  evakuierung: 'help_evacuation',
  évacuation: 'help_evacuation',
  rescue: 'help_assist',
  'search and rescue': 'help_assist',
  trapped: 'help_assist',
  rettung: 'help_assist',
  sauvetage: 'help_assist',
  'people trapped': 'help_assist',
  information: 'help_info',
  informationen: 'help_info',
  'blocked road': 'obstacle',
  'road blocked': 'obstacle',
  'roads blocked': 'obstacle',
  'straße gesperrt': 'obstacle',
  'strasse gesperrt': 'obstacle',
  'route bloquée': 'obstacle',
  'route coupée': 'obstacle',
  infrastructure: 'other_barrier',
  'damaged infrastructure': 'other_barrier',
  infrastruktur: 'other_barrier',
  'infrastructure endommagée': 'other_barrier',
  accessibility: 'other_barrier',
  barrierefreiheit: 'other_barrier',
  accessibilité: 'other_barrier',
  stairs: 'steps',
  treppe: 'steps',
  escaliers: 'steps',
  'wheelchair repair': 'help_equipment',
  rollstuhl: 'help_equipment',
  'fauteuil roulant': 'help_equipment',
};

/** A file is Ushahidi's when its header has the native "Post ID" column. */
export const isUshahidiHeader = (cells: string[]) => cells.some((c) => c.trim().toLowerCase() === 'post id');

const CATEGORY_COLUMNS = ['categories', 'category', 'kategorien', 'kategorie', 'catégories', 'catégorie', 'tags'];

export function ushahidiRecords(text: string, resolve: CategoryResolver, mapping: Mapping): ImportRecord[] {
  const { records } = parseCsv(text, mapping.delimiter);
  const [header, ...rest] = records;
  if (!header || !isUshahidiHeader(header.cells)) throw new Error('not an Ushahidi export: no "Post ID" column');
  const names = header.cells.map((c) => c.trim());
  const lower = names.map((c) => c.toLowerCase());
  const named = (name: string | undefined) => {
    if (!name) return -1;
    const i = lower.indexOf(name.toLowerCase());
    if (i < 0) throw new Error(`the mapping names a column "${name}" that the export does not have`);
    return i;
  };
  const col = (name: string) => lower.indexOf(name);
  const lat = mapping.columns.lat ? named(mapping.columns.lat) : lower.findIndex((c) => c.endsWith('.lat'));
  const lon = mapping.columns.lon ? named(mapping.columns.lon) : lower.findIndex((c) => c.endsWith('.lon'));
  const category = mapping.columns.category
    ? named(mapping.columns.category)
    : lower.findIndex((c) => CATEGORY_COLUMNS.includes(c));
  const described = mapping.columns.description;
  const description = described
    ? (Array.isArray(described) ? described : [described]).map(named)
    : [col('title'), col('description')].filter((i) => i >= 0);
  const id = col('post id');
  const status = col('post status');
  const postDate = col('post date (utc)');
  const created = col('created (utc)');
  if (lat < 0 || lon < 0) throw new Error('the export has no location field (columns "<label>.lat" and "<label>.lon")');
  // The second row holds HXL hashtags, or nothing when none were set.
  const rows = rest[0] && rest[0].cells.every((c) => c === '' || c.startsWith('#')) ? rest.slice(1) : rest;
  const prefix = mapping.origin ?? 'ushahidi';
  return rows.map(({ line, cells }) => {
    const get = (i: number) => (i >= 0 ? (cells[i] ?? '').trim() : '');
    const postId = get(id);
    if (!/^\d{1,18}$/.test(postId)) return refuse(line, 'unreadable', `"Post ID" is not a post number: "${postId}"`);
    if (get(status).toLowerCase() === 'archived') return refuse(line, 'archived', `post ${postId} is archived`);
    const [latText, lonText] = [decimal(get(lat)), decimal(get(lon))];
    if (!latText || !lonText) return refuse(line, 'no_coordinates', `post ${postId} has no location`);
    const values = get(category)
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    const code = values.map(resolve).find((c) => c !== undefined);
    if (!code) {
      return refuse(
        line,
        'unknown_category',
        values.length ? `none of "${values.join('", "')}" is mapped` : 'no category',
      );
    }
    const fields: Record<string, unknown> = { category: code, lat: latText, lon: lonText };
    const words = description.map(get).filter(Boolean).join('\n\n');
    if (words) fields.description = words;
    const severity = mapping.columns.severity ? get(named(mapping.columns.severity)) : '';
    if (severity) fields.severity = Object.hasOwn(mapping.severity, severity) ? mapping.severity[severity] : severity;
    // "Post Date" is when it happened as the reporter said; "Created" when it reached Ushahidi.
    const createdAt = reportedAt(
      `${get(postDate) || get(created)}${/z$|[+-]\d\d:?\d\d$/i.test(get(postDate) || get(created)) ? '' : 'Z'}`,
    );
    return { row: line, originRef: originRef(prefix, postId), fields, ...(createdAt ? { createdAt } : {}) };
  });
}
