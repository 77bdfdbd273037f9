// Values for one named parameter or field, for the API fuzzer (tests/api/fuzz.test.ts):
// valid-looking at the edges of its schema, strictly valid, or hostile.
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';
import { PROTO_KEYS, hostileJson, hostileText, Raw, type WireValue } from './fuzz-values';

type Schema = OpenAPIV3.SchemaObject;

/** What the seeded database offers the generators, so some requests reach real data. */
export interface FuzzContext {
  ids: string[];
  bboxes: string[];
  cursors: string[];
  apiKey: string;
  categories: string[];
  /** A small real PNG for multipart bodies. */
  png: Buffer;
  /** The Telegram webhook's secret: most fuzzed updates carry it, so their bodies are read. */
  telegramSecret?: string;
}

function schemaOf(s: OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject | undefined): OpenAPIV3.SchemaObject {
  return s && !('$ref' in s) ? s : {};
}

const numberEdges = (s: OpenAPIV3.SchemaObject): string[] => {
  const out = ['0', '-0', '1e3', '1e999', 'NaN', '-Infinity', String(Number.MAX_SAFE_INTEGER + 2), '1e308'];
  for (const bound of [s.minimum, s.maximum]) {
    if (typeof bound !== 'number') continue;
    out.push(String(bound), String(bound - 1), String(bound + 1), String(bound + 1e-9), String(bound - 0.5));
    out.push(bound.toExponential());
  }
  return out;
};

/**
 * Values at the edges of a parameter's schema, as text: bounds and one past them, each enum
 * value in odd spellings, date-times at the ends of time, bboxes across the antimeridian or
 * around a point, opaque cursors.
 */
export function edgeText(
  name: string,
  schemaLike: OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject | undefined,
  extra: { bboxes?: string[]; cursors?: string[]; ids?: string[] } = {},
): fc.Arbitrary<string> {
  const s = schemaOf(schemaLike);
  const items = schemaOf(s.type === 'array' ? s.items : undefined);
  if (/bbox/.test(name)) {
    return fc.oneof(
      fc.constantFrom(
        '170,-10,-170,10',
        '180,-90,-180,90',
        '-180,-90,180,90',
        '-180,90,180,-90',
        '0,0,0,0',
        '-0,-0,-0,-0',
        '1e1,1e1,2e1,2e1',
        '13,52,14,53,0,100',
        '13,52,14',
        '13,52,14,53,1',
        'NaN,NaN,NaN,NaN',
        'Infinity,-90,180,90',
        '181,0,182,1',
        '0,-91,1,0',
        '  13 , 52 , 14 , 53 ',
        '13;52;14;53',
        ',,,',
        ...(extra.bboxes ?? []),
      ),
      fc
        .tuple(
          fc.double({ min: -200, max: 200, noNaN: true }),
          fc.double({ min: -100, max: 100, noNaN: true }),
          fc.double({ min: -200, max: 200, noNaN: true }),
          fc.double({ min: -100, max: 100, noNaN: true }),
        )
        .map((b) => b.join(',')),
    );
  }
  if (/cursor/.test(name)) {
    return fc.oneof(
      fc.base64String({ maxLength: 80 }),
      fc.string({ unit: fc.constantFrom(...'ABCabc019-_'), maxLength: 80 }),
      fc
        .oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.constant(2 ** 63))
        .map((before) => Buffer.from(JSON.stringify({ before })).toString('base64url')),
      fc.constantFrom('0', '-1', '1e3', '999999999999999', '9999999999999999', ...(extra.cursors ?? [])),
    );
  }
  if (s.enum || items.enum) {
    const values = (s.enum ?? items.enum ?? []).map(String);
    return fc.oneof(
      fc.constantFrom(...values),
      fc.constantFrom(...values).map((v) => v.toUpperCase()),
      fc.constantFrom(...values).map((v) => ` ${v} `),
      fc.subarray(values, { minLength: 1 }).map((v) => v.join(',')),
      fc.constantFrom(...values).map((v) => `${v},${v},`),
    );
  }
  if (s.format === 'date-time' || name === 'datetime' || /date|since/.test(name)) {
    return fc.oneof(
      fc.constantFrom(
        '2026-01-01T00:00:00Z',
        '2026-01-01T00:00:00Z/..',
        '../2026-01-01T00:00:00Z',
        '../..',
        '/',
        '2027-01-01T00:00:00Z/2026-01-01T00:00:00Z',
        '1970-01-01T00:00:00.000000001+14:00',
        '2026-01-01T00:00:00Z/2026-01-01T00:00:00Z/2026-01-01T00:00:00Z',
      ),
      fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
    );
  }
  if (s.type === 'integer' || s.type === 'number' || items.type === 'number' || items.type === 'integer') {
    return fc.oneof(
      fc.constantFrom(...numberEdges(s)),
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.double({ noNaN: false }).map(String),
      ...(extra.ids?.length && /id$/i.test(name) ? [fc.constantFrom(...extra.ids)] : []),
    );
  }
  return fc.oneof(
    fc.constantFrom('steps', 'help_medical', 'kerb_missing', 'STEPS', 'steps,help_medical', ...(extra.ids ?? [])),
    fc.string({ maxLength: 20 }),
  );
}

// Form fields are text in the document; these say which text is a number and in what range.
export const NUMERIC_FIELDS: Record<string, Schema> = {
  lat: { type: 'number', minimum: -90, maximum: 90 },
  lon: { type: 'number', minimum: -180, maximum: 180 },
  long: { type: 'number', minimum: -180, maximum: 180 },
  accuracy_m: { type: 'number', minimum: 0, maximum: 100_000 },
  people_count: { type: 'integer', minimum: 1, maximum: 10_000 },
  'attribute[people_count]': { type: 'integer', minimum: 1, maximum: 10_000 },
  'attribute[accuracy_m]': { type: 'number', minimum: 0, maximum: 100_000 },
  severity: { type: 'integer', minimum: 1, maximum: 3 },
};

export const UNKNOWN_NAMES = [
  ...PROTO_KEYS,
  'x',
  'bbox[]',
  'a[b]',
  '',
  'callback',
  'f',
  'limit',
  'api_key',
  '__proto__[x]',
];

/** A value for one parameter or field, as text: valid-looking at the edges, or hostile. */
export function textFor(name: string, schema: Schema | undefined, ctx: FuzzContext): fc.Arbitrary<WireValue> {
  const hint = NUMERIC_FIELDS[name] ?? schema;
  const known: string[] = [];
  if (/category|service_code/.test(name)) known.push(...ctx.categories);
  if (name === 'api_key') known.push(ctx.apiKey);
  if (/(^|_)id$|featureId|service_request_id/.test(name)) known.push(...ctx.ids);
  const options: fc.WeightedArbitrary<WireValue>[] = [
    { weight: 4, arbitrary: edgeText(name, hint, { bboxes: ctx.bboxes, cursors: ctx.cursors, ids: ctx.ids }) },
    { weight: 3, arbitrary: hostileText },
  ];
  if (known.length) options.push({ weight: 3, arbitrary: fc.constantFrom(...known) });
  return fc.oneof(...options);
}

/** A JSON value for a property: valid-looking (at the edges) most of the time, hostile otherwise. */
export function jsonValueFor(name: string, schemaLike: Schema | undefined, ctx: FuzzContext): fc.Arbitrary<unknown> {
  const schema = NUMERIC_FIELDS[name] ?? schemaLike ?? {};
  let valid: fc.Arbitrary<unknown>;
  if (schema.type === 'number' || schema.type === 'integer') {
    const min = schema.minimum ?? -1e6;
    const max = schema.maximum ?? 1e6;
    valid = fc.oneof(
      fc.constantFrom(min, max, min - 1, max + 1, 0, new Raw('-0'), new Raw(`${max}e0`), new Raw('1e999')),
      schema.type === 'integer' ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true }),
      fc.double({ min, max, noNaN: true }).map(String),
    );
  } else if (schema.enum) {
    valid = fc.constantFrom(...schema.enum);
  } else if (/category|service_code/.test(name)) {
    valid = fc.constantFrom(...ctx.categories);
  } else if (schema.format === 'uuid') {
    // A confirmation's device token: real ones (also upper case) reach the database.
    valid = fc.oneof(
      fc.uuid(),
      fc.uuid().map((u) => u.toUpperCase()),
      fc.string({ maxLength: 40 }),
    );
  } else if (schema.type === 'array') {
    valid = fc.array(jsonValueFor(`${name}[]`, schema.items as Schema, ctx), { maxLength: 3 });
  } else if (schema.type === 'boolean') {
    valid = fc.boolean();
  } else {
    valid = fc.oneof(fc.string({ maxLength: 40 }), fc.constant('x'.repeat((schema.maxLength ?? 300) + 1)));
  }
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: hostileJson });
}

/** A strictly valid value for a field, so that one hostile field beside it reaches the database. */
export function validFor(
  name: string,
  schemaLike: Schema | undefined,
  ctx: FuzzContext,
): fc.Arbitrary<string | number> {
  const schema = NUMERIC_FIELDS[name] ?? schemaLike ?? {};
  if (schema.type === 'number' || schema.type === 'integer') {
    const [min, max] = [schema.minimum ?? 1, schema.maximum ?? 1000];
    return schema.type === 'integer'
      ? fc.integer({ min, max })
      : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  }
  if (schema.enum) return fc.constantFrom(...(schema.enum as string[]));
  if (schema.format === 'uuid') return fc.uuid();
  if (/category|service_code/.test(name)) return fc.constantFrom(...ctx.categories);
  if (name === 'api_key') return fc.constant(ctx.apiKey);
  return fc.string({ maxLength: 30 });
}
