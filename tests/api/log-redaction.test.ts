// What the server's log keeps of requests that carry an exact point, a key or contact data: the
// app runs with the production redaction over a stream the test reads, and every line it wrote
// is searched for the values (server/http/log-redaction.ts, server/logger.ts).
import pino from 'pino';
import request from 'supertest';
import { createApiKey } from '../../server/features/apikeys/apikeys.service';
import { LOG_REDACT } from '../../server/logger';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

const EXACT = { lat: 48.137154, lon: 11.576124 }; // Munich; digits nobody else uses
const SECRET = 'wf_SECRETKEY_5b1e0c';
const CONTACT = 'reach-me-0176-5550199@example.org';

let t: TestApp;
const lines: string[] = [];
const log = () => lines.join('');

/** Every line since `from`, parsed. */
const linesSince = (from: number) => lines.slice(from).map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  const logger = pino({ level: 'info', redact: LOG_REDACT }, { write: (s: string) => void lines.push(s) });
  t = await startTestApp({ logger });
});

afterAll(async () => {
  await t?.close();
});

function expectNoTrace(text: string): void {
  expect(text).not.toContain(String(EXACT.lat).slice(0, 7)); // 48.1371
  expect(text).not.toContain(String(EXACT.lon).slice(0, 7)); // 11.5761
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain('5550199');
}

it('logs a nearby search with its category and without its exact point', async () => {
  const from = lines.length;
  await request(t.app)
    .get(`/api/v1/reports/nearby?lat=${EXACT.lat}&lon=${EXACT.lon}&category=help_medical&radius_m=50`)
    .expect(200);
  const access = linesSince(from).find((l) => l.msg === 'request completed');
  expect(access?.req).toMatchObject({
    url: '/api/v1/reports/nearby?lat=[redacted]&lon=[redacted]&category=help_medical&radius_m=50',
  });
  expectNoTrace(log());
});

it('logs no key, whether in the query or in a header', async () => {
  const from = lines.length;
  await request(t.app).get(`/open311/v2/requests.json?api_key=${SECRET}&status=open`).expect(200);
  await request(t.app)
    .post(`/open311/v2/requests.json?api_key=${SECRET}`)
    .type('form')
    .send({ service_code: 'steps', lat: '48.1', long: '11.5' })
    .expect(403);
  await request(t.app)
    .get('/api/v1/staff/reports')
    .set('Authorization', `Bearer ${SECRET}`)
    .set('X-API-Key', SECRET)
    .expect(401);
  const urls = linesSince(from).map((l) => (l.req as { url?: string } | undefined)?.url);
  expect(urls).toContain('/open311/v2/requests.json?api_key=[redacted]&status=open');
  expectNoTrace(log());
});

it('logs no live key, whichever way an Open311 client sends it', async () => {
  const { key } = await createApiKey(t.pool, { name: 'log test client', createdBy: null });
  const from = lines.length;
  const form = { service_code: 'steps', lat: '48.1', long: '11.5', 'attribute[severity]': '2' };
  const post = (path = '/open311/v2/requests.json') => request(t.app).post(path).type('form');
  await post().set('X-API-Key', key).send(form).expect(201);
  await post().set('Authorization', `Bearer ${key}`).send(form).expect(201);
  await post()
    .send({ ...form, api_key: key })
    .expect(201);
  await post(`/open311/v2/requests.json?api_key=${key}`).send(form).expect(403);
  await post(`/open311/v2/requests.json?api%5Fkey=${key}`).set('X-API-Key', key).send(form).expect(403);
  // A refused header key, and an error line (two different keys) that quotes the request.
  await post()
    .set('X-API-Key', `${key}x`)
    .send({ ...form, api_key: key })
    .expect(403);
  const written = linesSince(from);
  expect(written.filter((l) => l.msg === 'request completed')).toHaveLength(6);
  expect(written.map((l) => (l.req as { url?: string } | undefined)?.url)).toContain(
    '/open311/v2/requests.json?api_key=[redacted]',
  );
  expect(log()).not.toContain(key);
  expect(log()).not.toContain(key.slice(3, 15));
});

it('logs no contact, address or point of a help request that is sent', async () => {
  await request(t.app)
    .post('/api/v1/reports')
    .send({
      category: 'help_medical',
      ...EXACT,
      contact: CONTACT,
      address: 'Flat 12, 3rd floor',
      description: 'Insulin',
    })
    .expect(201);
  // A tiny bbox around the point is the point.
  const d = 0.0001;
  await request(t.app)
    .get(`/api/v1/reports?bbox=${EXACT.lon - d},${EXACT.lat - d},${EXACT.lon + d},${EXACT.lat + d}&kind=help`)
    .expect(200);
  expect(log()).toContain('kind=help');
  expect(log()).not.toContain('Flat 12');
  expect(log()).not.toContain(CONTACT);
  expectNoTrace(log());
});

it('logs an unhandled error without the exact point of the request that met it', async () => {
  const from = lines.length;
  // A real failure, not a mock: the test's schema is away while the search runs, so whatever
  // table or view the search reads does not exist.
  const { rows } = await t.pool.query<{ schema: string }>('SELECT current_schema() AS schema');
  const schema = rows[0]!.schema;
  await t.pool.query(`ALTER SCHEMA ${schema} RENAME TO ${schema}_away`);
  try {
    await request(t.app).get(`/api/v1/reports/nearby?lat=${EXACT.lat}&lon=${EXACT.lon}&category=steps`).expect(500);
  } finally {
    await t.pool.query(`ALTER SCHEMA ${schema}_away RENAME TO ${schema}`);
  }
  const error = linesSince(from).find((l) => l.msg === 'unhandled error');
  expect(error?.req).toMatchObject({ url: '/api/v1/reports/nearby?lat=[redacted]&lon=[redacted]&category=steps' });
  expectNoTrace(log());
});
