// The address search (GET /api/v1/geocode) against a local stand-in that speaks Nominatim's
// /search?format=jsonv2 (no internet): results reduced to label and point, the language and
// an identifying User-Agent passed on, answers cached, bad input refused as problem+json,
// a slow or broken geocoder a 503, a flood from one address a 429, and off when unset.
import http from 'node:http';
import type net from 'node:net';
import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

interface Stub {
  url: string;
  seen: URL[];
  agents: string[];
  mode: 'ok' | 'slow' | 'broken' | 'error';
  close(): Promise<void>;
}

async function nominatimStub(): Promise<Stub> {
  const stub = { seen: [], agents: [], mode: 'ok' } as unknown as Stub;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    stub.seen.push(url);
    stub.agents.push(String(req.headers['user-agent']));
    if (url.pathname !== '/search' || url.searchParams.get('format') !== 'jsonv2') return res.writeHead(400).end();
    if (stub.mode === 'slow' || url.searchParams.get('q')?.startsWith('slow'))
      return void setTimeout(() => res.writeHead(200).end('[]'), 8000).unref();
    if (stub.mode === 'broken') return res.writeHead(200, { 'Content-Type': 'application/json' }).end('<html>');
    if (stub.mode === 'error') return res.writeHead(500).end();
    const q = url.searchParams.get('q') ?? '';
    const body = q.includes('Nowhere')
      ? []
      : [
          { place_id: 1, lat: '52.5219184', lon: '13.4132147', display_name: `${q}, Mitte, Berlin, Deutschland` },
          { place_id: 2, lat: 'not a number', lon: '13.4', display_name: 'broken entry' },
          { place_id: 3, lat: '48.8566', lon: '2.3522', display_name: 'Paris, France' },
        ];
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  stub.url = `http://127.0.0.1:${port}`;
  stub.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}

let stub: Stub;
let on: TestApp;
let off: TestApp;

beforeAll(async () => {
  stub = await nominatimStub();
  on = await startTestApp({
    config: { geocoderUrl: stub.url, publicUrl: 'https://wegfrei.example', trustProxy: true, geocoderRate: 0 },
  });
  off = await startTestApp();
});

afterAll(async () => {
  await on?.close();
  await off?.close();
  await stub?.close();
});

beforeEach(() => {
  stub.mode = 'ok';
  stub.seen = [];
  stub.agents = [];
});

test('/api/v1/config says whether address search is on', async () => {
  expect((await request(on.app).get('/api/v1/config')).body.address_search).toBe(true);
  expect((await request(off.app).get('/api/v1/config')).body.address_search).toBe(false);
});

test('a search returns label and point of each usable result, in the asked language', async () => {
  const res = await request(on.app).get('/api/v1/geocode').query({ q: '  Alexanderplatz   1 ', lang: 'de' });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    results: [
      { label: 'Alexanderplatz 1, Mitte, Berlin, Deutschland', lat: 52.5219184, lon: 13.4132147 },
      { label: 'Paris, France', lat: 48.8566, lon: 2.3522 },
    ],
  });
  const asked = stub.seen[0]!;
  expect(asked.searchParams.get('q')).toBe('Alexanderplatz 1');
  expect(asked.searchParams.get('accept-language')).toBe('de');
  expect(asked.searchParams.get('limit')).toBe('5');
  expect(stub.agents[0]).toContain('Wegfrei');
  expect(stub.agents[0]).toContain('https://wegfrei.example');

  // The same search again is answered from the cache: the geocoder is asked once.
  const again = await request(on.app).get('/api/v1/geocode').query({ q: 'alexanderplatz 1', lang: 'de' });
  expect(again.body).toEqual(res.body);
  expect(stub.seen).toHaveLength(1);

  const none = await request(on.app).get('/api/v1/geocode').query({ q: 'Nowhere at all' });
  expect(none.status).toBe(200);
  expect(none.body).toEqual({ results: [] });
});

test.each([
  ['missing q', {}, 'q'],
  ['one character', { q: 'a' }, 'q'],
  ['too long', { q: 'x'.repeat(201) }, 'q'],
  ['unknown language', { q: 'Berlin', lang: 'xx' }, 'lang'],
  ['unknown parameter', { q: 'Berlin', url: 'http://evil' }, 'url'],
  ['NUL character', { q: 'Ber\u0000lin' }, 'q'],
])('bad input (%s) is a 422 naming the field, and never reaches the geocoder', async (_what, query, field) => {
  const res = await request(on.app).get('/api/v1/geocode').query(query);
  expect(res.status).toBe(422);
  expect(res.type).toBe('application/problem+json');
  expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  expect(stub.seen).toHaveLength(0);
});

test.each([['slow'], ['broken'], ['error']] as const)(
  'a %s geocoder is a 503 problem with Retry-After, not a hang or a 500',
  async (mode) => {
    stub.mode = mode;
    const started = Date.now();
    const res = await request(on.app)
      .get('/api/v1/geocode')
      .query({ q: `Teststraße ${mode}` });
    expect(res.status).toBe(503);
    expect(res.type).toBe('application/problem+json');
    expect(res.headers['retry-after']).toBe('10');
    expect(res.body.type).toBe('urn:wegfrei:problem:geocoder_unavailable');
    expect(Date.now() - started).toBeLessThan(7000);
  },
);

test('without GEOCODER_URL every search is a 404 problem and nothing is contacted', async () => {
  const res = await request(off.app).get('/api/v1/geocode').query({ q: 'Berlin' });
  expect(res.status).toBe(404);
  expect(res.type).toBe('application/problem+json');
  expect(res.body.type).toBe('urn:wegfrei:problem:geocoder_off');
  expect(stub.seen).toHaveLength(0);
});

test('one address gets 30 searches a minute, then a 429 with Retry-After', async () => {
  const limited = await startTestApp({ config: { geocoderUrl: stub.url, geocoderRate: 0 } });
  try {
    for (let i = 0; i < 30; i++) {
      expect(
        (
          await request(limited.app)
            .get('/api/v1/geocode')
            .query({ q: `Street ${i}` })
        ).status,
      ).toBe(200);
    }
    const res = await request(limited.app).get('/api/v1/geocode').query({ q: 'Street 31' });
    expect(res.status).toBe(429);
    expect(res.type).toBe('application/problem+json');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  } finally {
    await limited.close();
  }
});

const from = (t: TestApp, address: string, q: string) =>
  request(t.app).get('/api/v1/geocode').set('X-Forwarded-For', address).query({ q });

test('answers are cached for the address that asked, so timing tells nobody what others searched', async () => {
  expect((await from(on, '203.0.113.1', 'Geheimweg 6, Berlin')).status).toBe(200);
  expect((await from(on, '203.0.113.1', 'geheimweg 6,  berlin')).status).toBe(200);
  expect(stub.seen).toHaveLength(1);
  // Another address is not answered from the first one's cache: the geocoder is asked again.
  expect((await from(on, '203.0.113.2', 'Geheimweg 6, Berlin')).status).toBe(200);
  expect(stub.seen).toHaveLength(2);
});

test('one search at a time per address: slow searches from one address leave the others theirs', async () => {
  const slow = from(on, '203.0.113.3', 'slow street 1').then((r) => r.status);
  while (stub.seen.length === 0) await new Promise((r) => setTimeout(r, 20));
  const second = await from(on, '203.0.113.3', 'slow street 2');
  expect(second.status).toBe(503);
  expect(second.body.type).toBe('urn:wegfrei:problem:geocoder_unavailable');
  expect((await from(on, '203.0.113.4', 'Alexanderplatz 1')).status).toBe(200);
  expect(await slow).toBe(503);
});

test('GEOCODER_RATE bounds the searches of all addresses together', async () => {
  const rated = await startTestApp({ config: { geocoderUrl: stub.url, trustProxy: true, geocoderRate: 1 } });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await from(rated, `198.51.100.${i + 1}`, `Rue ${i}`)).status);
    // A burst of five, then a 503 with Retry-After until the next second's search.
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toContain(503);
    expect(stub.seen.length).toBeLessThanOrEqual(6);
  } finally {
    await rated.close();
  }
});

test('its problems follow Accept-Language like every other', async () => {
  stub.mode = 'broken';
  const res = await request(on.app).get('/api/v1/geocode').set('Accept-Language', 'de').query({ q: 'Hauptstraße 1' });
  expect(res.status).toBe(503);
  expect(res.body.title).toBe('Adresssuche nicht verfügbar');
  expect(res.body.detail).toMatch(/^Die Adresssuche hat nicht geantwortet \(.+\); bitte erneut versuchen/);
});
