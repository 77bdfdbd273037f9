// The operations the API fuzzer (tests/api/fuzz.test.ts) drives, read from the OpenAPI
// document the app serves; the fast-check arbitrary of a whole hostile request for one; and
// a client that sends it byte for byte.
import http from 'node:http';
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';
import { bodyArb } from './fuzz-bodies';
import { textFor, UNKNOWN_NAMES, type FuzzContext } from './fuzz-fields';
import type { Received, SentRequest } from './fuzz-oracle';
import {
  ACCEPTS,
  encodeWire,
  headerSafe,
  hostileText,
  IDEMPOTENCY_KEYS,
  LONG,
  RAW_URL_PARTS,
  Raw,
  REQUEST_IDS,
  sometimes,
  type WireValue,
} from './fuzz-values';

type Schema = OpenAPIV3.SchemaObject;
export type BodyKind = 'json' | 'multipart' | 'form';

export interface FuzzParam {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema?: Schema;
}

export interface Operation {
  /** `GET /api/v1/reports/{id}`: how the suite and its run budget name it. */
  key: string;
  method: string;
  path: string;
  params: FuzzParam[];
  bodies: { kind: BodyKind; schema: Schema }[];
  /** Needs a staff session: fuzzed anonymously, so it must refuse with 401 or 403. */
  staff: boolean;
  /** Where the operation comes from: the document, or a route the document does not list. */
  source: 'openapi' | 'extra';
}

const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;

function deref<T>(doc: OpenAPIV3.Document, x: T | OpenAPIV3.ReferenceObject): T {
  if (x && typeof x === 'object' && '$ref' in x) {
    const path = x.$ref.replace(/^#\//, '').split('/');
    let node: unknown = doc;
    for (const part of path) node = (node as Record<string, unknown>)[part];
    return deref(doc, node as T | OpenAPIV3.ReferenceObject);
  }
  return x;
}

/** A schema with its $refs and allOf resolved to one object (enough for making values). */
function flatten(doc: OpenAPIV3.Document, s: Schema | OpenAPIV3.ReferenceObject | undefined): Schema {
  if (!s) return {};
  const schema = deref(doc, s);
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map((p) => flatten(doc, p));
  return {
    type: 'object',
    required: parts.flatMap((p) => p.required ?? []),
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Schema['properties'],
  };
}

export function operationsFrom(doc: OpenAPIV3.Document): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => {
        const param = deref(doc, p);
        return {
          name: param.name,
          in: param.in as FuzzParam['in'],
          required: param.required ?? false,
          schema: flatten(doc, param.schema),
        };
      });
      const content = op.requestBody ? (deref(doc, op.requestBody).content ?? {}) : {};
      const bodies = Object.entries(content).flatMap(([type, media]) => {
        const kind: BodyKind | undefined = type.includes('json')
          ? 'json'
          : type.startsWith('multipart/')
            ? 'multipart'
            : type === 'application/x-www-form-urlencoded'
              ? 'form'
              : undefined;
        return kind ? [{ kind, schema: flatten(doc, media.schema) }] : [];
      });
      const security = op.security ?? doc.security ?? [];
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        params,
        bodies,
        staff: security.some((req) => Object.keys(req).length > 0),
        source: 'openapi',
      });
    }
  }
  return ops;
}

/**
 * Routes the app serves that the document does not list as paths: the XML twin of every
 * Open311 resource (the document only says so in prose) and a report's public page.
 */
export function extraOperations(ops: Operation[]): Operation[] {
  const xml = ops
    .filter((op) => op.path.startsWith('/open311/v2/') && op.path.endsWith('.json'))
    .map((op) => {
      const path = op.path.replace(/\.json$/, '.xml');
      return { ...op, key: `${op.method} ${path}`, path, source: 'extra' as const };
    });
  const page: Operation = {
    key: 'GET /reports/{id}',
    method: 'GET',
    path: '/reports/{id}',
    params: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
    bodies: [],
    staff: false,
    source: 'extra',
  };
  return [...xml, page].filter((extra) => !ops.some((op) => op.key === extra.key));
}

/** A query or path value: plain text, already-encoded text, or (queries) the parameter repeated. */
function wireValueFor(param: FuzzParam, ctx: FuzzContext): fc.Arbitrary<WireValue | WireValue[]> {
  const text = textFor(param.name, param.schema, ctx);
  return fc.oneof(
    { weight: 8, arbitrary: text },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_URL_PARTS).map((s) => new Raw(s)) },
    ...(param.in === 'query' ? [{ weight: 1, arbitrary: fc.array(text, { minLength: 2, maxLength: 3 }) }] : []),
  );
}

export interface FuzzRequest {
  method: string;
  /** Path and query, encoded as they go on the wire. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

function queryString(pairs: [string, WireValue | WireValue[]][]): string {
  const parts = pairs.flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => `${encodeWire(name)}=${encodeWire(v)}`),
  );
  return parts.length ? `?${parts.join('&')}` : '';
}

const pathArb = (op: Operation, ctx: FuzzContext) =>
  fc
    .tuple(
      ...op.params
        .filter((p) => p.in === 'path')
        .map((p) =>
          fc
            .oneof(
              { weight: 9, arbitrary: textFor(p.name, p.schema, ctx) },
              {
                weight: 1,
                arbitrary: fc.constantFrom(...RAW_URL_PARTS, '..', '.', '../../etc/passwd').map((s) => new Raw(s)),
              },
            )
            .map((v) => [p.name, v] as const),
        ),
    )
    .map((values) => {
      let path = op.path;
      for (const [name, value] of values) path = path.replace(`{${name}}`, encodeWire(value));
      return { path, wellFormed: values.every(([, v]) => typeof v === 'string' && v !== '') };
    });

const queryArb = (op: Operation, ctx: FuzzContext) => {
  const declared = op.params.filter((p) => p.in === 'query');
  return fc
    .record({
      values: fc.tuple(
        ...declared.map((p) =>
          sometimes(wireValueFor(p, ctx), p.required ? 0.9 : 0.5).map((v) => [p.name, v] as const),
        ),
      ),
      unknown: fc.array(fc.tuple(fc.constantFrom(...UNKNOWN_NAMES), hostileText), { maxLength: 2 }),
      // At most one very long value, so the request head stays under Node's 16 KB limit.
      long: sometimes(fc.constantFrom(...declared.map((p) => p.name), 'x'), 0.1),
    })
    .map(({ values, unknown, long }) => {
      const pairs: [string, WireValue | WireValue[]][] = values.flatMap(([name, v]) =>
        v === undefined ? [] : [[name, v] as [string, WireValue | WireValue[]]],
      );
      pairs.push(...unknown);
      if (long !== undefined) pairs.push([long, 'x'.repeat(LONG)]);
      return queryString(pairs);
    });
};

const SESSION_COOKIES = [
  'wegfrei_session=' + 'a'.repeat(43),
  'wegfrei_session=../../etc/passwd',
  'wegfrei_session=%00',
  "wegfrei_session=' OR 1=1--",
  'wegfrei_session=a; wegfrei_session=b',
  '__proto__=x',
  '=;;=',
];

/** A header the operation declares as a secret (Telegram's webhook): the right one mostly, else hostile. */
const secretHeaderArb = (op: Operation, ctx: FuzzContext) =>
  op.params.some((p) => p.in === 'header' && p.name === 'X-Telegram-Bot-Api-Secret-Token') && ctx.telegramSecret
    ? sometimes(
        fc.oneof(
          { weight: 8, arbitrary: fc.constant(ctx.telegramSecret) },
          { weight: 1, arbitrary: fc.constantFrom('', ' ', `${ctx.telegramSecret}x`, 'x'.repeat(3000)) },
          { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map(headerSafe) },
        ),
        0.95,
      )
    : fc.constant(undefined);

const headersArb = (op: Operation) =>
  fc
    .record(
      {
        'X-Request-Id': REQUEST_IDS,
        Accept: fc.constantFrom(...ACCEPTS),
        'Accept-Language': fc.constantFrom('de', 'fr', 'xx', '*', 'de;q=abc', 'de-DE,fr;q=0.5', 'x'.repeat(3000)),
        'Idempotency-Key': IDEMPOTENCY_KEYS,
        Cookie: fc.oneof(fc.constantFrom(...SESSION_COOKIES), fc.string({ maxLength: 60 }).map(headerSafe)),
        'X-CSRF-Token': fc.oneof(fc.constantFrom('', 'x'.repeat(64)), fc.string({ maxLength: 60 }).map(headerSafe)),
        'If-None-Match': fc.constantFrom('*', 'W/"x"', '"abc"', `"${'a'.repeat(3000)}"`, ','),
        Range: fc.constantFrom('bytes=0-0', 'bytes=999999999-', 'bytes=abc', 'bytes=0-1,2-3,4-5', 'lines=1-2'),
        'X-Forwarded-For': fc.constantFrom('127.0.0.1', '::1, 10.0.0.1', 'garbage', "' OR 1=1--"),
        // Open311 takes its key here too; everywhere else these must change nothing.
        'X-API-Key': fc.oneof(
          fc.constantFrom('', ' ', 'wf_not-a-key', 'x'.repeat(3000)),
          fc.string({ maxLength: 60 }).map(headerSafe),
        ),
        Authorization: fc.constantFrom(
          'Bearer ',
          'Bearer wf_not-a-key',
          'Bearer a b',
          'Basic d2Y6eA==',
          `Bearer ${'x'.repeat(3000)}`,
        ),
      },
      { requiredKeys: [] },
    )
    .map((h) => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(h)) {
        // Only POSTs that create something read Idempotency-Key; CSRF matters only for writes.
        if (k === 'Idempotency-Key' && op.method !== 'POST') continue;
        if (v !== undefined) out[k] = v;
      }
      return out;
    });

export interface GeneratedRequest extends FuzzRequest {
  /** Every path value was non-empty, plainly encoded text (no raw `%`, `..`), so the route itself answers. */
  wellFormedPath: boolean;
}

export function requestArb(op: Operation, ctx: FuzzContext): fc.Arbitrary<GeneratedRequest> {
  return fc
    .record({
      path: pathArb(op, ctx),
      query: queryArb(op, ctx),
      headers: headersArb(op),
      secret: secretHeaderArb(op, ctx),
      body: bodyArb(op, ctx),
      encoding: sometimes(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown'), 0.1),
    })
    .map(({ path, query, headers, body, encoding, secret }) => {
      const all: Record<string, string> = { ...headers };
      if (secret !== undefined) all['X-Telegram-Bot-Api-Secret-Token'] = secret;
      if (body) {
        all['Content-Type'] = body.type;
        if (encoding !== undefined) all['Content-Encoding'] = encoding;
      }
      const req = {
        method: op.method,
        url: path.path + query,
        headers: all,
        body: body?.data,
        wellFormedPath: path.wellFormed,
      };
      // fast-check prints a counterexample with this: short, and the body as text.
      return Object.assign(req, { [fc.toStringMethod]: () => describeRequest(req) });
    });
}

/** A request in a few lines, long values cut, for failure messages. */
export function describeRequest(req: FuzzRequest): string {
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
  const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${cut(v)}`);
  return [`${req.method} ${cut(req.url)}`, ...headers, ...(req.body ? ['', cut(req.body.toString('utf8'))] : [])].join(
    '\n',
  );
}

/** Sends a request exactly as given (no URL normalisation, unlike URL-parsing clients). */
export function send(server: http.Server, req: FuzzRequest): Promise<Received> {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the server is not listening');
  return new Promise((resolve, reject) => {
    let answered = false;
    const out = http.request(
      {
        host: '127.0.0.1',
        port: address.port,
        method: req.method,
        path: req.url,
        agent: false,
        headers: { ...req.headers, ...(req.body ? { 'Content-Length': String(req.body.length) } : {}) },
        timeout: 30_000,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', (err) => reject(new Error(`the answer broke off: ${err.message}`)));
      },
    );
    out.on('timeout', () => out.destroy(new Error('no answer within 30 s')));
    // The server may answer (413) before it has read the whole body; that is not a failure.
    out.on('error', (err) => {
      if (!answered) reject(new Error(`no answer: ${err.message}`));
    });
    out.end(req.body);
  });
}

export function asSent(req: FuzzRequest): SentRequest {
  return { method: req.method, url: req.url, headers: req.headers, body: req.body };
}
