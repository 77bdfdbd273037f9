// Input never blocks the event loop (issue 11): a 40,000-digit `lat` once froze every other
// request for 4–13 s through a regex that backtracked quadratically. Here every field of the
// report form and every parameter of the public reads gets long and pathological text while
// a histogram of the event loop's delay runs, and every answer must be a quick problem naming
// the field. What is measured is the loop's worst stall, not the requests' own time.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import { MAX_QUERY_VALUE_LENGTH, MAX_URL_LENGTH } from '../../server/http/input-limits';
import { MAX_EVENT_LOOP_STALL_MS, pathologicalRuns } from './support/fuzz-values';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

let t: TestApp;
let server: http.Server;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

/** Long runs that end in a refused character, and a few that strain other parsers. */
const pathological = (length: number) => [
  ...pathologicalRuns(length),
  `${'\t'.repeat(length)}a`,
  '%'.repeat(length),
  'é'.repeat(length),
];

const REPORT_FIELDS = [
  'kind',
  'category',
  'lat',
  'lon',
  'accuracy_m',
  'description',
  'severity',
  'passability',
  'people_count',
  'address',
  'contact',
];
/** Free-text fields and their lengths after trimming. */
const TEXT_FIELDS: Record<string, number> = { description: 4000, address: 300, contact: 300 };
const valid: Record<string, string | number> = { category: 'steps', lat: 52.52, lon: 13.405 };

async function within<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const result = await work();
    return { result, stallMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

async function fetchProblem(url: string, init?: RequestInit): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

const fieldsOf = (body: string): string[] =>
  (JSON.parse(body) as { errors: { field: string }[] }).errors.map((e) => e.field);

it('answers 40,000-digit and other pathological report fields with a problem naming the field, without stalling', async () => {
  const bodies: { field: string; json: string }[] = [];
  for (const field of REPORT_FIELDS) {
    for (const text of pathological(40_000)) bodies.push({ field, json: JSON.stringify({ ...valid, [field]: text }) });
  }
  const { result, stallMs } = await within(async () => {
    const answers = [];
    // Four at a time, as a flood would arrive.
    for (let i = 0; i < bodies.length; i += 4) {
      answers.push(
        ...(await Promise.all(
          bodies.slice(i, i + 4).map(async (b) => ({
            ...b,
            answer: await fetchProblem(`${base}/api/v1/reports`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: b.json,
            }),
          })),
        )),
      );
    }
    return answers;
  });
  let taken = 0;
  for (const { field, json, answer } of result) {
    // Past the JSON parser's 64 kB the body itself is refused, unread.
    const tooLarge = Buffer.byteLength(json) > 64 * 1024;
    // Free text is trimmed: blanks around "1x" leave a short, valid description.
    const text = (JSON.parse(json) as Record<string, string>)[field]!;
    const fine = !tooLarge && field in TEXT_FIELDS && text.trim().length <= TEXT_FIELDS[field]!;
    if (fine) {
      expect([field, answer.status]).toEqual([field, 201]);
      taken++;
      continue;
    }
    expect([field, answer.status]).toEqual([field, tooLarge ? 413 : 422]);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(fieldsOf(answer.body)).toContain(tooLarge ? 'body' : field);
  }
  expect((await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n).toBe(taken);
  // Seconds before the fix; a GC pause is tens of milliseconds.
  expect(stallMs).toBeLessThan(MAX_EVENT_LOOP_STALL_MS);
});

it('answers pathological multipart fields the same way', async () => {
  const { result, stallMs } = await within(() =>
    Promise.all(
      ['lat', 'lon', 'severity', 'people_count', 'accuracy_m'].map(async (field) => {
        const res = await request(server)
          .post('/api/v1/reports')
          .field({
            ...Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, String(v)])),
            [field]: '7'.repeat(30_000),
          });
        return { field, res };
      }),
    ),
  );
  for (const { field, res } of result) {
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(res.body.errors.find((e: { field: string }) => e.field === field).detail).toMatch(/at most 40 characters/);
  }
  expect(stallMs).toBeLessThan(MAX_EVENT_LOOP_STALL_MS);
});

const READS: { path: string; params: string[] }[] = [
  { path: '/api/v1/reports/nearby', params: ['lat', 'lon', 'radius_m', 'limit', 'category'] },
  { path: '/api/v1/reports', params: ['bbox', 'category', 'kind', 'status', 'since', 'limit', 'cursor'] },
  { path: '/api/v1/clusters', params: ['bbox', 'zoom', 'category', 'since'] },
  { path: '/tiles/public/3/4/2.mvt', params: ['category', 'kind', 'status', 'since'] },
  { path: '/ogc/collections/reports/items', params: ['bbox', 'datetime', 'limit', 'category', 'severity'] },
  { path: '/open311/v2/requests.json', params: ['lat', 'long', 'radius', 'start_date', 'service_code', 'page'] },
  { path: '/api/v1/exports/reports.csv', params: ['bbox', 'datetime', 'category'] },
];

it('answers long and pathological query parameters of every public read quickly, naming the parameter', async () => {
  const { result, stallMs } = await within(async () => {
    const answers = [];
    for (const { path, params } of READS) {
      for (const param of params) {
        // Just under the cap: the parsers themselves must be linear on it.
        for (const text of pathological(MAX_QUERY_VALUE_LENGTH - 4)) {
          const answer = await fetchProblem(`${base}${path}?${param}=${encodeURIComponent(text).slice(0, 6000)}`);
          answers.push({ path, param, answer });
        }
        // Over it: refused before any parser sees it.
        const long = await fetchProblem(`${base}${path}?${param}=${'1'.repeat(MAX_QUERY_VALUE_LENGTH + 1)}`);
        answers.push({ path, param, answer: long, over: true });
      }
    }
    return answers;
  });
  for (const { path, param, answer, over } of result) {
    expect([path, param, answer.status < 500]).toEqual([path, param, true]);
    if (over) {
      expect([path, param, answer.status]).toEqual([path, param, 400]);
      if (!path.startsWith('/open311')) expect(fieldsOf(answer.body)).toEqual([param]);
    }
  }
  expect(stallMs).toBeLessThan(MAX_EVENT_LOOP_STALL_MS);
});

it('refuses an overlong URL with 414 and too many parameters with 400, naming them', async () => {
  const url = await fetchProblem(`${base}/api/v1/reports?x=${'a'.repeat(MAX_URL_LENGTH)}`);
  expect(url.status).toBe(414);
  expect(fieldsOf(url.body)).toEqual(['url']);
  const many = Array.from({ length: 60 }, (_, i) => `p${i}=1`).join('&');
  const params = await fetchProblem(`${base}/api/v1/reports?${many}`);
  expect(params.status).toBe(400);
  expect(fieldsOf(params.body)).toEqual(['query']);
  const repeated = await fetchProblem(`${base}/api/v1/reports?${'category=steps&'.repeat(60)}`);
  expect(repeated.status).toBe(400);
  expect(fieldsOf(repeated.body)).toEqual(['category']);
});

it('refuses a request line in absolute form (meant for proxies) with a problem, not a 500', async () => {
  const { Socket } = await import('node:net');
  const socket = new Socket();
  const answer = await new Promise<string>((resolve, reject) => {
    let text = '';
    socket.connect((server.address() as AddressInfo).port, '127.0.0.1', () =>
      socket.write(
        'GET http://evil.example/api/v1/reports?limit=1 HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n',
      ),
    );
    socket.on('data', (d) => (text += String(d)));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  expect(answer).toContain('must be a path starting with /');
});

it('still takes an ordinary report and answers /healthz afterwards', async () => {
  const res = await request(server).post('/api/v1/reports').send(valid);
  expect(res.status).toBe(201);
  expect((await request(server).get('/healthz')).status).toBe(200);
});
