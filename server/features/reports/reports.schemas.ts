// What a client may send and ask for. Multipart sends every field as text, so numbers are
// accepted as JSON numbers or as numeric strings, and an empty string means "not given".
import { z } from 'zod';
import { REPORT_SOURCES } from './reports.repo';

export const STATUSES = ['new', 'verified', 'assigned', 'in_progress', 'resolved', 'rejected', 'duplicate'] as const;
export const OPEN_STATUSES = ['new', 'verified', 'assigned', 'in_progress'] as const;
export const PUBLIC_STATUSES = STATUSES.filter((s) => s !== 'rejected');
export type Status = (typeof STATUSES)[number];

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
/** zod's datetime check lets offsets such as +25:00 through, which Date (and PostgreSQL) cannot read. */
export const isValidDate = (d: Date) => !Number.isNaN(d.getTime());
const textSchema = (max: number) =>
  z.string({ invalid_type_error: 'must be text' }).trim().max(max, `must be at most ${max} characters`).optional();

/** Longer numeric text is refused before any parsing (a 40,000-digit `lat` once cost seconds). */
export const MAX_NUMBER_TEXT = 40;
/** A decimal number: the alternatives cannot overlap, so a failed match is linear. */
const NUMERIC_TEXT = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
/** The same without an exponent, as in a bbox. */
const PLAIN_NUMBER_TEXT = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*$/;
/** What too long a text becomes, so that the number's error can say why. */
const TOO_LONG = Symbol('too long');

/** A number as sent: a JSON number, or numeric text (multipart), too long a text marked as such. */
function numberText(v: unknown): unknown {
  const b = blankToUndefined(v);
  if (typeof b !== 'string') return b;
  // Length first: no number we take needs more than a few dozen characters.
  if (b.length > MAX_NUMBER_TEXT) return TOO_LONG;
  return NUMERIC_TEXT.test(b) ? Number(b) : b;
}

interface NumberRange {
  min: number;
  max: number;
  int?: boolean;
  what?: string;
}

function numberSchema(opts: NumberRange) {
  const schema = z
    .number({
      errorMap: (issue, ctx) => ({
        message:
          issue.code !== 'invalid_type'
            ? ctx.defaultError
            : ctx.data === undefined
              ? 'is required'
              : ctx.data === TOO_LONG
                ? `must be a number of at most ${MAX_NUMBER_TEXT} characters`
                : 'must be a number',
      }),
    })
    .finite('must be a finite number')
    .min(opts.min, `must be between ${opts.min} and ${opts.max}${opts.what ?? ''}`)
    .max(opts.max, `must be between ${opts.min} and ${opts.max}${opts.what ?? ''}`);
  return opts.int ? schema.int('must be a whole number') : schema;
}

const num = (opts: NumberRange) => z.preprocess(numberText, numberSchema(opts));
/**
 * An optional number with its default: inside the preprocess, so that a blank (`?limit=`)
 * is "not given" too, not "is required" as an `.optional()` outside it made it.
 */
const numOr = (fallback: number, opts: NumberRange) =>
  z.preprocess(numberText, numberSchema(opts).optional().default(fallback));

/** To 1e-9° (0.1 mm): finer means nothing, and the Mercator maths of the map cells underflows on 5e-324. */
const toNanodegrees = (degrees: number) => Math.round(degrees * 1e9) / 1e9;

/** A new report's fields as checked, after prepareReport. */
const reportFields = z
  .object({
    kind: z.enum(['barrier', 'help']).optional(),
    category: z
      .string({ required_error: 'is required', invalid_type_error: 'must be a category code' })
      .trim()
      .min(1, 'is required'),
    lat: numberSchema({ min: -90, max: 90, what: ' (degrees of latitude)' }),
    lon: numberSchema({ min: -180, max: 180, what: ' (degrees of longitude)' }),
    accuracy_m: numberSchema({ min: 0, max: 100_000 }).optional(),
    description: textSchema(4000),
    severity: numberSchema({ min: 1, max: 3, int: true }).optional().default(2),
    passability: z
      .enum(['yes', 'limited', 'no'], { errorMap: () => ({ message: 'must be yes, limited or no' }) })
      .optional(),
    people_count: numberSchema({ min: 1, max: 10_000, int: true }).optional(),
    address: textSchema(300),
    contact: textSchema(300),
  })
  .strict('is not a field of a report');

/** The type under `.optional()` and `.default()`. */
const bareType = (t: z.ZodTypeAny): z.ZodTypeAny =>
  t instanceof z.ZodOptional || t instanceof z.ZodDefault ? bareType(t._def.innerType as z.ZodTypeAny) : t;
const reportKeys = Object.entries(reportFields.shape) as [string, z.ZodTypeAny][];
/** Read from the shape, so that a field added there is prepared too. */
const REPORT_NUMBERS = reportKeys.filter(([, t]) => bareType(t) instanceof z.ZodNumber).map(([key]) => key);
/** Text fields where an empty text means "not given" (a category never does). */
const REPORT_BLANKABLE = reportKeys
  .filter(([key, t]) => key !== 'category' && !(bareType(t) instanceof z.ZodNumber))
  .map(([key]) => key);

/**
 * What `numberText` and `blankToUndefined` do field by field, done once for the whole report:
 * each zod preprocess or transform costs microseconds and garbage, and a report passed eleven
 * of them (40 µs a parse, 8 µs now; docs/BENCHMARKS.md, "Ingest: the app's thread"). The rules
 * and the messages are the same, except that an empty optional number is now "not given", as
 * the header says, instead of "is required".
 */
function prepareReport(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const fields: Record<string, unknown> = { ...body };
  // Only fields that were given: zod tells a field absent from one given as undefined.
  for (const key of REPORT_NUMBERS) if (key in fields) fields[key] = numberText(fields[key]);
  for (const key of REPORT_BLANKABLE) if (key in fields) fields[key] = blankToUndefined(fields[key]);
  return fields;
}

export const newReportSchema = z.preprocess(prepareReport, reportFields).transform((report) => {
  report.lat = toNanodegrees(report.lat);
  report.lon = toNanodegrees(report.lon);
  // To the centimetre: finer means nothing, and the column (a real) cannot hold 5e-324.
  if (report.accuracy_m !== undefined) report.accuracy_m = Math.round(report.accuracy_m * 100) / 100;
  return report;
});
export type NewReport = z.infer<typeof newReportSchema>;

const list = <T extends string>(values: readonly [T, ...T[]], what: string) =>
  z.preprocess(
    (v) => (Array.isArray(v) ? v.join(',') : blankToUndefined(v)),
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(values, { errorMap: () => ({ message: `must be ${what}` }) })))
      .optional(),
  );

const bbox = z.preprocess(
  blankToUndefined,
  z
    .string({ invalid_type_error: 'must be minLon,minLat,maxLon,maxLat' })
    .transform((s, ctx) => {
      const given = s
        .split(',')
        .map((p) => (p.length <= MAX_NUMBER_TEXT && PLAIN_NUMBER_TEXT.test(p) ? Number(p) : NaN));
      // Six numbers carry heights (OGC API – Features /req/core/fc-bbox-definition); points here
      // have none, so the heights bound nothing.
      const parts = given.length === 6 ? [given[0]!, given[1]!, given[3]!, given[4]!] : given;
      const [minLon, minLat, maxLon, maxLat] = parts;
      if (parts.length !== 4 || given.some(Number.isNaN)) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be four numbers: minLon,minLat,maxLon,maxLat (or six, with heights)',
        });
        return z.NEVER;
      }
      if ([minLon, maxLon].some((x) => Math.abs(x!) > 180) || [minLat, maxLat].some((y) => Math.abs(y!) > 90)) {
        ctx.addIssue({ code: 'custom', message: 'longitudes must be within ±180 and latitudes within ±90' });
        return z.NEVER;
      }
      if (minLat! > maxLat!) {
        ctx.addIssue({ code: 'custom', message: 'minLat must not be greater than maxLat' });
        return z.NEVER;
      }
      return { minLon: minLon!, minLat: minLat!, maxLon: maxLon!, maxLat: maxLat! };
    })
    .optional(),
);

const categoryList = z.preprocess(
  (v) => (Array.isArray(v) ? v.join(',') : blankToUndefined(v)),
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .optional(),
);

/** The filters the list, the map tiles and the clusters share. */
export const mapFilterShape = {
  bbox,
  category: categoryList,
  kind: list(['barrier', 'help'], 'barrier or help'),
  status: list(STATUSES, `one of ${STATUSES.join(', ')}`),
  since: z.preprocess(
    blankToUndefined,
    z
      .string()
      .datetime({ offset: true, message: 'must be an RFC 3339 date-time' })
      .transform((s) => new Date(s))
      .refine(isValidDate, 'must be an RFC 3339 date-time')
      .optional(),
  ),
};

/**
 * The channels a report came through. Not one of the map's filters: the tiles' precomputed
 * cells do not carry the channel.
 */
export const sourceFilter = list(REPORT_SOURCES, `one of ${REPORT_SOURCES.join(', ')}`);

export const listQuerySchema = z
  .object({
    ...mapFilterShape,
    source: sourceFilter,
    limit: numOr(100, { min: 1, max: 1000, int: true }),
    cursor: z.preprocess(blankToUndefined, z.string().max(200).optional()),
  })
  .strict('is not a filter of this list');
export type ListQuery = z.infer<typeof listQuerySchema>;

export const nearbyQuerySchema = z
  .object({
    lat: num({ min: -90, max: 90 }),
    lon: num({ min: -180, max: 180 }),
    radius_m: numOr(50, { min: 1, max: 1000 }),
    category: z.preprocess(blankToUndefined, z.string().optional()),
    limit: numOr(20, { min: 1, max: 100, int: true }),
  })
  .strict('is not a parameter of this search');

/** A device token: any UUID, fixed length, so the check is one linear pass. */
const DEVICE_TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The citizen app's device token (docs/API.md): one counted answer per device and report. */
export const deviceTokenField = z
  .string({ invalid_type_error: 'must be a UUID made once per device' })
  .refine((s) => s.length === 36 && DEVICE_TOKEN.test(s), 'must be a UUID made once per device')
  .transform((s) => s.toLowerCase());

export const confirmationSchema = z
  .object({
    type: z.enum(['still_there', 'gone'], {
      errorMap: (_issue, ctx) => ({ message: ctx.data === undefined ? 'is required' : 'must be still_there or gone' }),
    }),
    device: deviceTokenField.optional(),
  })
  .strict('is not a field of a confirmation');

export const reportParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'must be a report number')
    .transform(Number),
});

/** RFC 3339 instant, or an interval `start/end` with `..` (or nothing) for an open end (OGC API). */
/** What `datetime` takes, with an example of each. */
const DATETIME_FORMS =
  'must be an RFC 3339 date-time (2026-01-01T00:00:00Z) or an interval start/end with .. for an open end (2026-01-01T00:00:00Z/..)';
const datetime = z.preprocess(
  blankToUndefined,
  z
    .string()
    .max(100)
    .transform((s, ctx) => {
      const instant = (v: string) => {
        if (v === '..' || v === '') return undefined;
        const valid = z.string().datetime({ offset: true }).safeParse(v).success && isValidDate(new Date(v));
        const d = valid ? new Date(v) : undefined;
        if (!d) ctx.addIssue({ code: 'custom', message: DATETIME_FORMS });
        return d;
      };
      const parts = s.split('/');
      if (parts.length > 2) {
        ctx.addIssue({ code: 'custom', message: DATETIME_FORMS });
        return z.NEVER;
      }
      const from = instant(parts[0]!);
      const to = parts.length === 2 ? instant(parts[1]!) : from;
      if (from && to && from > to) ctx.addIssue({ code: 'custom', message: 'the interval ends before it starts' });
      return { from, to };
    })
    .optional(),
);

/** The filters of the open-data outputs (exports, OGC API items). */
export const openDataFilterShape = {
  bbox: mapFilterShape.bbox,
  category: mapFilterShape.category,
  kind: mapFilterShape.kind,
  status: mapFilterShape.status,
  source: sourceFilter,
  datetime,
  severity: z.preprocess(
    (v) => (Array.isArray(v) ? v.join(',') : blankToUndefined(v)),
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(z.enum(['1', '2', '3'], { errorMap: () => ({ message: 'must be 1, 2 or 3' }) }))
          .transform((a) => a.map(Number)),
      )
      .optional(),
  ),
};
