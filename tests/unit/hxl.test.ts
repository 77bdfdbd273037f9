// Every hashtag and attribute of the CSV's HXL row is either HXL core (the HXL 1.1 hashtag
// dictionary, https://hxlstandard.org/standard/1-1final/dictionary/) with the meaning it has
// there, or ours, marked `x_` and listed in docs/DATA.md's HXL section.
import fs from 'node:fs';
import path from 'node:path';
import { CSV_COLUMNS } from '../../server/features/reports/reports.fields';

/** The core hashtags of HXL 1.1. */
const CORE_HASHTAGS = new Set([
  'access', 'activity', 'adm1', 'adm2', 'adm3', 'adm4', 'adm5', 'affected', 'beneficiary', 'capacity',
  'cause', 'channel', 'contact', 'country', 'crisis', 'currency', 'date', 'delivery', 'description',
  'event', 'financial', 'frequency', 'geo', 'group', 'impact', 'indicator', 'inneed', 'item', 'loc',
  'meta', 'modality', 'need', 'office', 'operations', 'org', 'output', 'population', 'reached',
  'region', 'respondee', 'sector', 'service', 'severity', 'status', 'subsector', 'targeted', 'value',
]); // prettier-ignore

/**
 * The core attributes this file may use, with their HXL meaning (a subset of the dictionary:
 * the sex/age ones such as +m "male" and the impact ones such as +confirmed "confirmed cases"
 * are left out on purpose, so that using one here fails).
 */
const CORE_ATTRIBUTES: Record<string, string> = {
  code: 'the value is a code (a P-code, an identifier from a code list)',
  id: 'a unique identifier',
  name: 'the value is a name',
  type: 'the value is a type or category of the thing the hashtag names',
  num: 'the value is numeric',
  url: 'the value is a web link',
  lat: 'latitude, WGS 84 decimal degrees',
  lon: 'longitude, WGS 84 decimal degrees',
  reported: 'the date something was reported',
};

const hxlSection = () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/DATA.md'), 'utf8');
  const start = doc.indexOf('### HXL');
  const end = doc.indexOf('\n## ', start);
  expect(start).toBeGreaterThan(0);
  return doc.slice(start, end < 0 ? undefined : end);
};

const parsed = CSV_COLUMNS.map((c) => {
  const [hashtag, ...attributes] = c.hxl.split('+');
  return { column: c, hashtag: hashtag!, attributes };
});

it.each(parsed.map((p) => [p.column.name, p.column.hxl, p] as const))('%s: %s is valid HXL', (_name, _hxl, p) => {
  // HXL tag syntax: #hashtag, then +attributes, all lower-case letters, digits and _.
  expect(p.column.hxl).toMatch(/^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$/);
  expect(CORE_HASHTAGS).toContain(p.hashtag.slice(1));
  for (const attribute of p.attributes) {
    if (attribute.startsWith('x_')) continue; // checked against the docs below
    expect(Object.keys(CORE_ATTRIBUTES)).toContain(attribute);
  }
  // #indicator holds numbers (HXL's own validation schema checks #indicator+num as numeric): a
  // text code goes under another hashtag.
  if (p.hashtag === '#indicator') expect(p.attributes).toContain('num');
});

it('documents every custom attribute in docs/DATA.md, and says it is ours', () => {
  const custom = [...new Set(parsed.flatMap((p) => p.attributes.filter((a) => a.startsWith('x_'))))];
  expect(custom.length).toBeGreaterThan(0);
  const section = hxlSection();
  for (const attribute of custom) expect(section).toMatch(new RegExp(`\\+${attribute}\\b[^\\n]*custom`));
});

it('lists every column with its tag in docs/DATA.md', () => {
  const section = hxlSection();
  for (const { name, hxl } of CSV_COLUMNS)
    expect(section).toMatch(new RegExp(`\`${name}\`[^\\n]*\`${hxl.replace(/\+/g, '\\+')}\``));
});

it('tags no two columns alike', () => {
  expect(new Set(CSV_COLUMNS.map((c) => c.hxl)).size).toBe(CSV_COLUMNS.length);
});
