// API fuzzing (issue 7): every operation of the OpenAPI document the app serves, plus the
// routes it does not list, gets hostile requests made by fast-check — wrong types, edge
// numbers, long and broken Unicode, SQL-ish and path-traversal text, repeated and unknown
// parameters, prototype keys, malformed bodies and Content-Types, odd headers — and every
// answer must be a 2xx/3xx or a 4xx in the API's error format, never a 5xx, and never show a
// stack, SQL, a file path or a private detail. Staff operations are fuzzed anonymously and
// must refuse. A failure prints the seed and path; FUZZ_SEED and FUZZ_SCALE (a multiple of
// the runs) change them. The examples at the end are the weaknesses the fuzzing found.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';
import request from 'supertest';
import { createApiKey } from '../../server/features/apikeys/apikeys.service';
import { openApiDocument } from '../../server/features/openapi/openapi.document';
import { CLIENT_DIR } from '../../server/features/pages/pages.routes';
import { solidPng } from '../fixtures/images';
import type { FuzzContext } from './support/fuzz-fields';
import { problemsOf, type Received } from './support/fuzz-oracle';
import {
  asSent,
  describeRequest,
  extraOperations,
  operationsFrom,
  requestArb,
  send,
  type GeneratedRequest,
  type Operation,
} from './support/fuzz-operations';
import { loginAs } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(300_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_707);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);

/**
 * Runs per operation, for about a minute on the embedded database: most where the input is
 * richest, fewest where only headers vary or the route refuses at once.
 */
function runsFor(op: Operation): number {
  const runs: Record<string, number> = {
    'POST /api/v1/reports': 1500,
    'GET /api/v1/reports': 750,
    'GET /api/v1/clusters': 750,
    'GET /tiles/public/{z}/{x}/{y}.mvt': 750,
    'GET /ogc/collections/{collectionId}/items': 600,
    'POST /open311/v2/requests.json': 750,
    'GET /open311/v2/requests.json': 450,
    'GET /api/v1/reports/nearby': 450,
  };
  const headersOnly = op.params.length === 0 && op.bodies.length === 0;
  const base = runs[op.key] ?? (op.staff ? 75 : headersOnly ? 60 : 300);
  return Math.max(1, Math.round(base * SCALE));
}

/** One seed per operation, derived from SEED, so operations do not all draw the same values. */
function seedFor(key: string): number {
  let h = SEED;
  for (const c of key) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

// Private details of the seeded reports: none may appear in any answer to the public.
const CONTACT = 'fuzz-private-7q3x@example.org';
const HELP = { lat: 48.8571234, lon: 2.3451234, address: 'Rue Cachée 17 fuzz', contact: 'fuzz-help-contact-9k2m' };
const REJECTED = 'fuzz-rejected-report-5w8v';
const TELEGRAM_SECRET = 'fuzz-telegram-secret-4p7z';
const SECRETS = {
  'the contact of a report': CONTACT,
  "a help request's contact": HELP.contact,
  "a help request's exact latitude": String(HELP.lat),
  "a help request's exact longitude": String(HELP.lon),
  "a help request's address": HELP.address,
  'a rejected report': REJECTED,
};

// Operation names come from the same builder the route serves, so each gets its own test; the
// first test checks that the served document names exactly these.
const builtDoc = openApiDocument('http://127.0.0.1');
const OP_KEYS = (() => {
  const ops = operationsFrom(builtDoc);
  return [...ops, ...extraOperations(ops)].map((op) => ({ key: op.key, staff: op.staff }));
})();

let t: TestApp;
let server: http.Server;
let ops: Operation[];
let ctx: FuzzContext;
let barrierId = '';
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).join();
/** Statuses the fuzzer met that the document does not declare for the operation. */
const undeclared = new Map<string, Set<number>>();

const post = async (body: object) => {
  const res = await request(t.app).post('/api/v1/reports').send(body);
  if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${res.text}`);
  return String(res.body.id);
};

beforeAll(async () => {
  // The SMS webhooks exist only when configured: fuzzed unsigned, they must refuse cleanly.
  t = await startTestApp({
    config: {
      twilio: { authToken: 'fuzz-twilio-token', apiBaseUrl: 'http://127.0.0.1:9' },
      androidSms: { signingKey: 'fuzz-android-key' },
      // Telegram's webhook is fuzzed with its secret (most requests), so hostile updates reach
      // the conversation; its Bot API calls meet a closed port and are logged, never answered.
      telegram: {
        botToken: '1:fuzz-telegram-token-000000',
        webhookSecret: TELEGRAM_SECRET,
        apiBaseUrl: 'http://127.0.0.1:9',
      },
    },
  });
  // Node refuses a request head over 16 KB with a bare 431 before the app sees it; let the
  // app meet the long values itself.
  server = http.createServer({ maxHeaderSize: 64 * 1024 }, t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  barrierId = await post({ category: 'steps', lat: 52.52, lon: 13.405, contact: CONTACT, address: 'Fuzzweg 1' });
  const help = await post({ category: 'help_medical', people_count: 2, ...HELP });
  const rejected = await post({ category: 'obstacle', lat: 52.53, lon: 13.41, description: REJECTED });
  await t.pool.query(`UPDATE reports SET status = 'rejected' WHERE id = $1`, [rejected]);
  const edges = [
    await post({ category: 'lift', lat: 90, lon: 180 }),
    await post({ category: 'surface', lat: -90, lon: -180 }),
    await post({ category: 'works', lat: 0.5, lon: 179.9999999 }),
    await post({ category: 'help_food_water', lat: -0.5, lon: -179.9999999, contact: HELP.contact }),
  ];
  const page = await request(t.app).get('/api/v1/reports?limit=1');
  const next = (page.body.links as { rel: string; href: string }[]).find((l) => l.rel === 'next');
  const d = 1e-6;
  ctx = {
    ids: [barrierId, help, rejected, ...edges],
    // A tiny bbox around the help request's exact point must not give it away.
    bboxes: [`${HELP.lon - d},${HELP.lat - d},${HELP.lon + d},${HELP.lat + d}`, '13.4,52.5,13.5,52.6', '179,-1,-179,1'],
    cursors: next ? [new URL(next.href).searchParams.get('cursor')!] : [],
    apiKey: (await createApiKey(t.pool, { name: 'fuzz', createdBy: null })).key,
    categories: ['steps', 'help_medical', 'kerb_missing', 'help_other'],
    png: await solidPng(8, 8),
    telegramSecret: TELEGRAM_SECRET,
  };
  const served = await send(server, { method: 'GET', url: '/api/openapi.json', headers: {} });
  const fromDoc = operationsFrom(JSON.parse(served.body.toString('utf8')) as OpenAPIV3.Document);
  ops = [...fromDoc, ...extraOperations(fromDoc)];
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

// Before `npm run build:client` (as in CI's `npm test`) every page answers its documented 503.
const clientBuilt = fs.existsSync(path.join(CLIENT_DIR, 'report.html'));

function check(op: Operation, req: GeneratedRequest, got: Received): string[] {
  const kind = req.url.startsWith('/open311/v2/') ? 'open311' : 'problem';
  const unbuiltPage = !clientBuilt && op.key === 'GET /reports/{id}' && got.status === 503;
  const problems = problemsOf(asSent(req), got, { kind }, SECRETS).filter(
    (p) => !(unbuiltPage && p === 'answered 503'),
  );
  // Overlong input is refused before anything else looks at the request, sessions included.
  const inputTooLong =
    (got.status === 400 || got.status === 414) && got.body.includes('urn:wegfrei:problem:input_too_long');
  if (op.staff && req.wellFormedPath && got.status !== 401 && got.status !== 403 && !inputTooLong) {
    problems.push(`a staff operation answered ${got.status} to an anonymous request`);
  }
  if (Object.getOwnPropertyNames(Object.prototype).join() !== prototypeKeys || 'polluted' in {}) {
    problems.push('Object.prototype was polluted');
  }
  const responses = builtDoc.paths[op.path]?.[op.method.toLowerCase() as OpenAPIV3.HttpMethods]?.responses;
  if (
    op.source === 'openapi' &&
    req.wellFormedPath &&
    responses &&
    !(String(got.status) in responses || 'default' in responses)
  ) {
    undeclared.set(op.key, (undeclared.get(op.key) ?? new Set()).add(got.status));
  }
  return problems;
}

async function fuzz(key: string): Promise<void> {
  const op = ops.find((o) => o.key === key)!;
  await fc.assert(
    fc.asyncProperty(requestArb(op, ctx), async (req) => {
      const got = await send(server, req);
      const problems = check(op, req, got);
      if (problems.length) {
        const answer = got.body.toString('utf8').slice(0, 300);
        throw new Error(`${describeRequest(req)}\n→ ${got.status} ${answer}\n${problems.join('\n')}`);
      }
    }),
    { seed: seedFor(key), numRuns: runsFor(op) },
  );
}

it('walks exactly the operations of the document the app serves', () => {
  expect(ops.map((o) => o.key).sort()).toEqual(OP_KEYS.map((o) => o.key).sort());
});

it('sees a private detail when one is shown (the check is live)', async () => {
  const coordinator = await loginAs(t, 'coordinator');
  const res = await coordinator.agent.get(`/api/v1/staff/reports/${barrierId}`);
  expect(res.status).toBe(200);
  const sent = { method: 'GET', url: `/api/v1/staff/reports/${barrierId}`, headers: {} };
  const got = { status: 200, headers: res.headers as Received['headers'], body: Buffer.from(res.text) };
  expect(problemsOf(sent, got, { kind: 'problem' }, SECRETS)).toContain('the answer reveals the contact of a report');
});

describe.each(OP_KEYS.filter((o) => !o.staff).map((o) => o.key))('%s', (key) => {
  it('answers hostile input without a 5xx, a stack, SQL, a path or a private detail', () => fuzz(key));
});

describe.each(OP_KEYS.filter((o) => o.staff).map((o) => o.key))('%s (staff, anonymously)', (key) => {
  it('refuses with 401 or 403 problem+json', () => fuzz(key));
});

it('met no status the document does not declare, but 304 (any GET answers If-None-Match)', () => {
  const found = [...undeclared].flatMap(([key, statuses]) =>
    [...statuses].filter((s) => s !== 304).map((s) => `${key} → ${s}`),
  );
  expect(found).toEqual([]);
});

describe('what the fuzzing found', () => {
  const get = (url: string) => send(server, { method: 'GET', url, headers: {} });
  const json = (got: Received) => JSON.parse(got.body.toString('utf8')) as Record<string, unknown>;
  const fields = (got: Received) => (json(got).errors as { field: string }[]).map((e) => e.field);
  const count = async () => (await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;

  it.each([
    ['/open311/v2/requests/%.json', 'application/json'],
    ['/open311/v2/services/%.xml', 'text/xml'],
  ])('Open311 answers a path that is not percent-encoding (%s) with a GeoReport 400, not a 500', async (url, type) => {
    const got = await get(url);
    expect(got.status).toBe(400);
    expect(got.headers['content-type']).toContain(type);
    expect(got.body.toString('utf8')).toContain('not valid percent-encoding');
  });

  it('Open311 answers a form whose Content-Encoding does not decode with a GeoReport 400, not a 500', async () => {
    const res = await request(t.app)
      .post('/open311/v2/requests.json')
      .set({ 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' })
      .send('service_code=steps');
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ code: 400, description: 'The form could not be read' }]);
  });

  it('refuses a date-time whose offset Date cannot read (+25:00) naming the field, in every API', async () => {
    const at = encodeURIComponent('2026-01-01T00:00:00+25:00');
    const list = await get(`/api/v1/reports?since=${at}`);
    expect([list.status, fields(list)]).toEqual([422, ['since']]);
    const tile = await get(`/tiles/public/0/0/0.mvt?since=${at}`);
    expect([tile.status, fields(tile)]).toEqual([422, ['since']]);
    const ogc = await get(`/ogc/collections/reports/items?datetime=${at}/..`);
    expect([ogc.status, fields(ogc)]).toEqual([400, ['datetime']]);
    const open311 = await get(`/open311/v2/requests.json?start_date=${at}`);
    expect(open311.status).toBe(400);
    expect(json(open311)).toEqual([{ code: 400, description: expect.stringMatching(/^start_date: /) }]);
  });

  it('refuses text with a NUL character naming the field, storing nothing', async () => {
    const before = await count();
    const report = await request(t.app)
      .post('/api/v1/reports')
      .send({ category: 'steps', lat: 1, lon: 1, description: 'a\u0000b' });
    expect([report.status, report.body.errors]).toEqual([422, [expect.objectContaining({ field: 'description' })]]);
    const open311 = await request(t.app).post('/open311/v2/requests.json').type('form').send({
      api_key: ctx.apiKey,
      service_code: 'steps',
      lat: '1',
      long: '1',
      'attribute[severity]': '2',
      description: '\u0000',
    });
    expect([open311.status, open311.body[0].description]).toEqual([
      400,
      'description: must not contain NUL characters',
    ]);
    const login = await request(t.app).post('/api/v1/auth/login').send({ email: 'a\u0000@example.org', password: 'x' });
    expect([login.status, login.body.errors]).toEqual([422, [expect.objectContaining({ field: 'email' })]]);
    expect(await count()).toBe(before);
  });

  it('refuses an export filter with a NUL character before streaming (was a 200 cut off)', async () => {
    const got = await get('/api/v1/exports/reports.csv?category=%00');
    expect([got.status, fields(got)]).toEqual([422, ['category']]);
  });

  it('exports whole between the ends of time (years 0000 and 10000 were a 200 cut off)', async () => {
    const got = await get(
      `/api/v1/exports/reports.geojson?datetime=0000-01-01T00:00:00Z/${encodeURIComponent('9999-12-31T23:59:59-14:00')}`,
    );
    expect(got.status).toBe(200);
    const ids = (json(got).features as { id: number }[]).map((f) => String(f.id));
    expect(ids).toContain(barrierId);
  });

  it('stores a report whose latitude and accuracy are 5e-324 (the database refused them)', async () => {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({ category: 'steps', lat: 5e-324, lon: 0, accuracy_m: 5e-324 });
    expect(res.status).toBe(201);
    expect(res.body.geometry.coordinates).toEqual([0, 0]);
    expect(res.body.properties.accuracy_m).toBe(0);
  });

  it('answers a path that climbs out of /photos with 404, not a redirect to it', async () => {
    const got = await get('/photos/..');
    expect(got.status).toBe(404);
    expect(got.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('echoes a safe X-Request-Id and replaces any other', async () => {
    const safe = await send(server, { method: 'GET', url: '/healthz', headers: { 'X-Request-Id': 'abc-123' } });
    expect(safe.headers['x-request-id']).toBe('abc-123');
    const unsafe = await send(server, { method: 'GET', url: '/healthz', headers: { 'X-Request-Id': '<script>/x' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  const unreadable: [string, () => Promise<Received>][] = [
    ['a path that is not percent-encoding', () => get('/api/v1/reports/%')],
    [
      'a JSON body whose Content-Encoding does not decode',
      () =>
        send(server, {
          method: 'POST',
          url: `/api/v1/reports/${barrierId}/confirmations`,
          headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
          body: Buffer.from('{}'),
        }),
    ],
    [
      'a JSON body in a charset body-parser does not read',
      () =>
        send(server, {
          method: 'POST',
          url: '/api/v1/reports',
          headers: { 'Content-Type': 'application/json; charset=latin1' },
          body: Buffer.from('{}'),
        }),
    ],
  ];

  it.each(unreadable)('answers %s with a 4xx problem', async (_what, go) => {
    const got = await go();
    expect([400, 415]).toContain(got.status);
    expect(got.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it.each(unreadable)('names the field at fault for %s', async (_what, go) => {
    expect(fields(await go()).length).toBeGreaterThan(0);
  });
});
