// GeoReport v2 answers in its two formats: the same content as JSON (arrays and objects) and
// as XML (a root element around repeated item elements), built with fast-xml-parser.
import type { Response } from 'express';
import { XMLBuilder } from 'fast-xml-parser';

export type Format = 'json' | 'xml';
export const FORMATS: readonly Format[] = ['json', 'xml'];

export interface Open311Error {
  code: number;
  description: string;
}

const builder = new XMLBuilder({ format: true, ignoreAttributes: false, suppressEmptyNode: false });
const DECLARATION = { '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' } };

// Characters XML 1.0 cannot carry at all, not even escaped; a description may hold them.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

type Tree = string | number | boolean | null | Tree[] | { [key: string]: Tree };

function xmlSafe(value: Tree): Tree {
  if (typeof value === 'string') return value.replace(NOT_XML, '');
  if (Array.isArray(value)) return value.map(xmlSafe);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlSafe(v)]));
  }
  return value;
}

export function toXml(tree: Record<string, Tree>): string {
  return builder.build({ ...DECLARATION, ...(xmlSafe(tree) as Record<string, Tree>) });
}

/**
 * Sends `json` as JSON, or as XML the list `items` each wrapped in `<item>` under `<root>`
 * (GeoReport's shape: `<services><service>…`), or the object `json` under `<root>`.
 */
export function send(
  res: Response,
  format: Format,
  body: { json: Tree; root: string; item?: string },
  status = 200,
): void {
  res.status(status);
  if (format === 'json') {
    res.type('application/json; charset=utf-8').send(JSON.stringify(body.json));
    return;
  }
  const content = body.item ? { [body.item]: body.json } : body.json;
  res.type('text/xml; charset=utf-8').send(toXml({ [body.root]: content }));
}

export function sendErrors(res: Response, format: Format, status: number, errors: Open311Error[]): void {
  send(res, format, { json: errors.map((e) => ({ ...e })), root: 'errors', item: 'error' }, status);
}

/** W3C date-time as the spec's examples write it: seconds, and Z for UTC. */
export const w3cDateTime = (d: Date | null): string | null => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null);
