// Project Sidewalk's labels as GeoJSON: the raw labels API (/v3/api/labels: label_id,
// label_type, severity 1–5, tags, description; ProjectSidewalk/SidewalkWebpage
// app/models/api/LabelApiModels.scala) and the older access attributes
// (/v2/access/attributes: attribute_id instead of label_id). Which of our categories a label
// type becomes is the taxonomy's `sidewalk_label` column (migrations/0002_categories.sql):
// "Type" takes every label of the type, "Type: tag" the labels tagged so (a tag containing the
// word), "Type (bad)" only a positive feature rated bad (severity 3 or more).
import type { Category } from '../categories/categories.repo';
import { pointOf, readFeatures } from './imports.geojson';
import { contentRef, originRef, refuse, type ImportRecord } from './imports.rows';

/**
 * Project Sidewalk marks good things too: a curb ramp, a marked crosswalk, a pedestrian
 * signal are there to be found, and their severity rates how usable they are. Only a bad one
 * is a barrier. An Occlusion says the sidewalk could not be seen: nothing to report.
 */
const POSITIVE = new Set(['curbramp', 'crosswalk', 'signal']);
const BAD_FROM = 3;

interface Rule {
  code: string;
  tag?: string;
  badOnly: boolean;
}

export function sidewalkRules(categories: Category[]): Map<string, Rule[]> {
  const rules = new Map<string, Rule[]>();
  for (const c of categories) {
    const m = /^(\w+)(?: ?\((bad)\)|: ?(\S.*))?$/.exec(c.sidewalkLabel?.trim() ?? '');
    if (!m) continue;
    // Project Sidewalk writes both NoSidewalk and NoSideWalk.
    const type = m[1]!.toLowerCase();
    const list = rules.get(type) ?? [];
    list.push({ code: c.code, tag: m[3]?.toLowerCase(), badOnly: m[2] === 'bad' });
    rules.set(type, list);
  }
  // Tagged rules first: "Obstacle: stairs" wins over plain "Obstacle".
  for (const list of rules.values()) list.sort((a, b) => Number(!!b.tag) - Number(!!a.tag));
  return rules;
}

/** Project Sidewalk's 1 (passable) … 5 (not passable) onto our 1 … 3. */
export function severityOf(s: number): number {
  return s <= 2 ? 1 : s === 3 ? 2 : 3;
}

function tagsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((t): t is string => typeof t === 'string');
  // The CSV form of the API writes "[narrow,cracks]".
  if (typeof value === 'string') {
    return value
      .replace(/^\[|\]$/g, '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  }
  return [];
}

export function sidewalkRecords(text: string, categories: Category[], opts: { origin?: string } = {}): ImportRecord[] {
  const rules = sidewalkRules(categories);
  const prefix = opts.origin ?? 'sidewalk';
  return readFeatures(text).map((raw) => {
    const point = pointOf(raw);
    if ('row' in point) return point;
    const p = point.properties;
    const type = typeof p.label_type === 'string' ? p.label_type : '';
    const severity = p.severity === null || p.severity === undefined ? undefined : p.severity;
    if (
      severity !== undefined &&
      !(Number.isInteger(severity) && (severity as number) >= 1 && (severity as number) <= 5)
    ) {
      return refuse(
        raw.row,
        'invalid',
        `severity: must be a whole number from 1 to 5 (Project Sidewalk), not ${JSON.stringify(severity)}`,
      );
    }
    if (type === 'Occlusion') return refuse(raw.row, 'not_a_barrier', 'Occlusion: the sidewalk could not be seen');
    const tags = tagsOf(p.tags);
    const bad = typeof severity === 'number' && severity >= BAD_FROM;
    if (POSITIVE.has(type.toLowerCase()) && !bad) {
      return refuse(
        raw.row,
        'not_a_barrier',
        `${type}${severity ? ` of severity ${severity as number}` : ''} is a feature that works`,
      );
    }
    const candidates = rules.get(type.toLowerCase()) ?? [];
    const rule = candidates.find(
      (r) => (!r.tag || tags.some((t) => t.toLowerCase().includes(r.tag!))) && (!r.badOnly || bad),
    );
    if (!rule) {
      return refuse(raw.row, 'unknown_category', type ? `label type "${type}" has no category` : 'no label_type');
    }
    const words = [
      typeof p.description === 'string' ? p.description.trim() : '',
      tags.length ? `Tags: ${tags.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    const fields: Record<string, unknown> = { category: rule.code, kind: 'barrier', lat: point.lat, lon: point.lon };
    if (typeof severity === 'number') fields.severity = severityOf(severity);
    if (words) fields.description = words;
    const id = p.label_id ?? p.attribute_id;
    const ref =
      typeof id === 'number' || (typeof id === 'string' && id)
        ? originRef(prefix, `${p.label_id === undefined ? 'attribute:' : ''}${String(id)}`)
        : contentRef(prefix, raw.feature);
    return { row: raw.row, originRef: ref, fields };
  });
}
