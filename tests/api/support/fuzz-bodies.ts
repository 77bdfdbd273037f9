// Request bodies for the API fuzzer (tests/api/fuzz.test.ts): JSON, urlencoded forms and
// multipart, from the schema of the operation, loose or all-valid-but-one, whole or broken.
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';
import { jsonValueFor, textFor, UNKNOWN_NAMES, validFor, type FuzzContext } from './fuzz-fields';
import type { Operation } from './fuzz-operations';
import {
  encodeWire,
  hostileJson,
  hostileText,
  MALFORMED_JSON,
  ODD_CONTENT_TYPES,
  Raw,
  sometimes,
  toJsonText,
} from './fuzz-values';

type Schema = OpenAPIV3.SchemaObject;

/**
 * An object for a body schema: every field loose (valid-looking or hostile, some left out,
 * unknown and prototype keys added), or every field valid but one hostile, so that the
 * hostile one gets past validation of the rest and as deep as it can.
 */
function objectFor(schema: Schema, ctx: FuzzContext): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(schema.properties ?? {}) as [string, Schema][];
  const required = new Set(schema.required ?? []);
  const loose = fc
    .record({
      fields: fc.tuple(
        ...props.map(([name, s]) =>
          sometimes(jsonValueFor(name, s, ctx), required.has(name) ? 0.9 : 0.5).map((v) => [name, v] as const),
        ),
      ),
      unknown: fc.array(fc.tuple(fc.constantFrom(...UNKNOWN_NAMES), hostileJson), { maxLength: 2 }),
    })
    .map(({ fields, unknown }) => [...fields, ...unknown]);
  const oneBad = fc
    .record({
      fields: fc.tuple(
        ...props.map(([name, s]) =>
          sometimes(validFor(name, s, ctx), required.has(name) ? 0.99 : 0.3).map((v) => [name, v] as const),
        ),
      ),
      bad: fc.tuple(fc.constantFrom(...props.map(([name]) => name), ...UNKNOWN_NAMES), hostileJson),
    })
    .map(({ fields, bad }) => [...fields.filter(([name]) => name !== bad[0]), bad]);
  return fc
    .oneof(loose, oneBad)
    .map((entries) => Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as Record<string, unknown>);
}

const jsonBodyArb = (schema: Schema, ctx: FuzzContext) =>
  fc.record({
    text: fc.oneof(
      { weight: 5, arbitrary: objectFor(schema, ctx).map(toJsonText) },
      { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_JSON) },
      { weight: 1, arbitrary: hostileJson.map(toJsonText) },
    ),
    type: fc.oneof(
      { weight: 6, arbitrary: fc.constant('application/json') },
      { weight: 1, arbitrary: fc.constantFrom(...ODD_CONTENT_TYPES) },
    ),
  });

/** Form fields as text pairs: the schema's fields, unknown and prototype names, repeats. */
function formPairs(schema: Schema, ctx: FuzzContext): fc.Arbitrary<[string, string][]> {
  const props = Object.keys(schema.properties ?? {}).filter((n) => n !== 'photos' && n !== 'media');
  const required = new Set(schema.required ?? []);
  const propSchema = (name: string) => (schema.properties?.[name] as Schema | undefined) ?? {};
  const text = (name: string): fc.Arbitrary<string> =>
    name === 'media_url'
      ? // Never a name that resolves on the internet: no test reaches it.
        fc.constantFrom(
          'http://127.0.0.1/a.jpg',
          'http://[::1]/',
          'http://169.254.169.254/',
          'file:///etc/passwd',
          'gopher://x',
          'http://localhost:1/',
        )
      : textFor(name, propSchema(name), ctx).map((v) => (v instanceof Raw ? v.text : v));
  const loose = fc.tuple(
    ...props.map((n) => sometimes(text(n), required.has(n) ? 0.9 : 0.5).map((v) => [n, v] as const)),
  );
  const oneBad = fc
    .record({
      fields: fc.tuple(
        ...props
          .filter((n) => n !== 'media_url')
          .map((n) =>
            sometimes(validFor(n, propSchema(n), ctx).map(String), required.has(n) ? 0.99 : 0.3).map(
              (v) => [n, v] as const,
            ),
          ),
      ),
      bad: fc
        .constantFrom(...props, 'x')
        .chain((n) => fc.tuple(fc.constant(n), n === 'media_url' ? text(n) : hostileText)),
    })
    .map(
      ({ fields, bad }) => [...fields.filter(([n]) => n !== bad[0]), bad] as (readonly [string, string | undefined])[],
    );
  return fc
    .record({
      fields: fc.oneof(loose, oneBad),
      unknown: fc.array(
        fc.tuple(
          fc.constantFrom(
            ...UNKNOWN_NAMES,
            'attribute[__proto__]',
            'attribute[x]',
            'n'.repeat(150),
            'photos',
            'category',
          ),
          hostileText,
        ),
        { maxLength: 3 },
      ),
      many: sometimes(fc.integer({ min: 50, max: 120 }), 0.1),
    })
    .map(({ fields, unknown, many }) => {
      const pairs: [string, string][] = [];
      for (const [n, v] of fields) if (v !== undefined) pairs.push([n, v]);
      pairs.push(...unknown);
      if (many !== undefined) for (let i = 0; i < many; i++) pairs.push([`f${i}`, String(i)]);
      return pairs;
    });
}

const formBodyArb = (schema: Schema, ctx: FuzzContext) =>
  fc.record({
    text: formPairs(schema, ctx).map((pairs) => pairs.map(([k, v]) => `${encodeWire(k)}=${encodeWire(v)}`).join('&')),
    type: fc.oneof(
      { weight: 6, arbitrary: fc.constant('application/x-www-form-urlencoded') },
      { weight: 1, arbitrary: fc.constantFrom(...ODD_CONTENT_TYPES) },
    ),
  });

const FILES: { name: string; type: string; bytes: (ctx: FuzzContext) => Buffer }[] = [
  { name: 'a.png', type: 'image/png', bytes: (ctx) => ctx.png },
  { name: 'a.png', type: 'image/png', bytes: (ctx) => ctx.png.subarray(0, 40) },
  { name: 'empty.jpg', type: 'image/jpeg', bytes: () => Buffer.alloc(0) },
  {
    name: 'x.svg',
    type: 'image/svg+xml',
    bytes: () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
  },
  { name: '../../etc/passwd', type: 'image/jpeg', bytes: () => Buffer.from('not an image') },
  { name: '\u0000.jpg', type: 'text/plain', bytes: () => Buffer.from('GIF89a') },
];

const multipartBodyArb = (schema: Schema, ctx: FuzzContext, fileField: string) =>
  fc
    .record({
      pairs: formPairs(schema, ctx),
      files: fc.array(
        fc.record({ field: fc.constantFrom(fileField, 'other', '__proto__'), file: fc.constantFrom(...FILES) }),
        { maxLength: 2 },
      ),
      broken: fc.constantFrom('none', 'none', 'none', 'unterminated', 'wrong-boundary', 'no-boundary'),
    })
    .map(({ pairs, files, broken }) => {
      const boundary = 'fuzzBoundary7MA4YWxkTrZu0gW';
      const chunks: Buffer[] = [];
      for (const [name, value] of pairs) {
        chunks.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/"/g, '%22')}"\r\n\r\n${value}\r\n`,
          ),
        );
      }
      for (const { field, file } of files) {
        chunks.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
          ),
          file.bytes(ctx),
          Buffer.from('\r\n'),
        );
      }
      if (broken !== 'unterminated') chunks.push(Buffer.from(`--${boundary}--\r\n`));
      const type =
        broken === 'wrong-boundary'
          ? 'multipart/form-data; boundary=other'
          : broken === 'no-boundary'
            ? 'multipart/form-data'
            : `multipart/form-data; boundary=${boundary}`;
      return { data: Buffer.concat(chunks), type };
    });

export function bodyArb(op: Operation, ctx: FuzzContext): fc.Arbitrary<{ data: Buffer; type: string } | undefined> {
  if (!op.bodies.length) return fc.constant(undefined);
  const kinds = op.bodies.map(({ kind, schema }) => {
    if (kind === 'json') return jsonBodyArb(schema, ctx).map(({ text, type }) => ({ data: Buffer.from(text), type }));
    if (kind === 'form') return formBodyArb(schema, ctx).map(({ text, type }) => ({ data: Buffer.from(text), type }));
    return multipartBodyArb(schema, ctx, op.path.startsWith('/open311/') ? 'media' : 'photos');
  });
  return fc.oneof({ weight: 12, arbitrary: fc.oneof(...kinds) }, { weight: 1, arbitrary: fc.constant(undefined) });
}
