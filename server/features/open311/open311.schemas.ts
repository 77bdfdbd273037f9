// What an Open311 client may send and ask for, and how a GeoReport form becomes our report.
// Query and form values are text; unknown query parameters are ignored, as GeoReport clients
// send their own (jurisdiction_id, extensions, …).
import { z } from 'zod';
import type { FieldError } from '../../http/errors';
import { isValidDate, type NewReport } from '../reports/reports.schemas';
import { ATTRIBUTES } from './open311.catalog';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** `a,b` or a repeated parameter, as a list; an empty list is no filter. */
const commaList = (v: unknown) => {
  const joined = Array.isArray(v) ? v.join(',') : v;
  if (typeof joined !== 'string') return joined;
  const list = joined
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  return list.length ? list : undefined;
};

const wholeNumber = (min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string({ invalid_type_error: 'must be given once' })
      .regex(/^\d{1,9}$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`))
      .optional(),
  );

const w3cDateTime = z.preprocess(
  blankToUndefined,
  z
    .string({ invalid_type_error: 'must be given once' })
    .datetime({ offset: true, message: 'must be a W3C date-time with a time zone, like 2024-05-01T00:00:00Z' })
    .transform((s) => new Date(s))
    .refine(isValidDate, 'must be a W3C date-time with a time zone, like 2024-05-01T00:00:00Z')
    .optional(),
);

export const MAX_PAGE_SIZE = 1000;

export const requestsQuerySchema = z
  .object({
    service_request_id: z.preprocess(
      commaList,
      z
        .array(z.string().regex(/^[1-9]\d{0,14}$/, 'must be service request ids, comma separated'))
        .max(MAX_PAGE_SIZE, `must name at most ${MAX_PAGE_SIZE} requests`)
        .transform((ids) => [...new Set(ids.map(Number))])
        .optional(),
    ),
    service_code: z.preprocess(
      commaList,
      z.array(z.string().max(100)).max(100, 'must name at most 100 services').optional(),
    ),
    start_date: w3cDateTime,
    end_date: w3cDateTime,
    status: z.preprocess(
      commaList,
      z.array(z.enum(['open', 'closed'], { errorMap: () => ({ message: 'must be open or closed' }) })).optional(),
    ),
    page: wholeNumber(1, 1_000_000),
    page_size: wholeNumber(1, MAX_PAGE_SIZE),
  })
  .refine((q) => !q.start_date || !q.end_date || q.start_date <= q.end_date, {
    path: ['end_date'],
    message: 'must not be before start_date',
  });
export type RequestsQuery = z.infer<typeof requestsQuerySchema>;

export const requestParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'is not a service request id')
    .transform(Number),
});

/** A posted GeoReport form, read into our report's fields and what is not a report field. */
export interface Open311Form {
  apiKey: string | undefined;
  serviceCode: string | undefined;
  mediaUrl: string | undefined;
  /** For newReportSchema; `category` is the service_code. */
  fields: Partial<Record<keyof NewReport, unknown>>;
  errors: FieldError[];
}

const ATTRIBUTE_CODES = new Set<string>(ATTRIBUTES.map((a) => a.code));

/** `attribute[code]` arrives flat from a urlencoded body and nested from multer's parser. */
function attributesOf(body: Record<string, unknown>): Map<string, unknown> {
  const attributes = new Map<string, unknown>();
  for (const [key, value] of Object.entries(body)) {
    const flat = /^attribute\[([^\]]*)\]$/.exec(key);
    if (flat) attributes.set(flat[1]!, value);
  }
  const nested = body.attribute;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    for (const [code, value] of Object.entries(nested)) attributes.set(code, value);
  }
  return attributes;
}

export function readForm(body: Record<string, unknown>): Open311Form {
  const errors: FieldError[] = [];
  const text = (key: string): string | undefined => {
    const value = blankToUndefined(body[key]);
    if (value === undefined || typeof value === 'string') return value?.trim();
    errors.push({ field: key, detail: 'must be given once, as text' });
    return undefined;
  };
  const attributes = attributesOf(body);
  for (const code of attributes.keys()) {
    if (!ATTRIBUTE_CODES.has(code)) errors.push({ field: `attribute[${code}]`, detail: 'is not an attribute we know' });
  }
  if (blankToUndefined(attributes.get('severity')) === undefined) {
    errors.push({ field: 'attribute[severity]', detail: 'is required (1, 2 or 3)' });
  }
  const lat = text('lat');
  const long = text('long');
  const address = text('address_string');
  if ((lat === undefined || long === undefined) && (address !== undefined || text('address_id') !== undefined)) {
    errors.push({ field: 'lat', detail: 'lat and long are required: this server does not look addresses up' });
  }
  const name = [text('first_name'), text('last_name')].filter(Boolean).join(' ');
  const email = text('email');
  const person = name && email ? `${name} <${email}>` : name || email;
  const contact = [person, text('phone')].filter(Boolean).join(', ');
  const serviceCode = text('service_code');
  return {
    apiKey: text('api_key'),
    serviceCode,
    mediaUrl: text('media_url'),
    fields: {
      category: serviceCode,
      lat,
      lon: long,
      description: text('description'),
      address,
      contact: contact || undefined,
      severity: attributes.get('severity'),
      passability: attributes.get('passability'),
      people_count: attributes.get('people_count'),
      accuracy_m: attributes.get('accuracy_m'),
    },
    errors,
  };
}

/** Our field names in errors, as the client sent them. */
export function open311FieldName(field: string, mediaField: 'media' | 'media_url'): string {
  if (/^photos(\[\d+\])?$/.test(field)) return mediaField;
  if (ATTRIBUTE_CODES.has(field)) return `attribute[${field}]`;
  const names: Record<string, string> = {
    category: 'service_code',
    kind: 'service_code',
    lon: 'long',
    address: 'address_string',
    contact: 'email',
  };
  return names[field] ?? field;
}
