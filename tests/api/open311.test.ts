import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import pino from 'pino';
import request from 'supertest';
import { createApiKey, revokeApiKey } from '../../server/features/apikeys/apikeys.service';
import { createTaxonomy } from '../../server/features/categories/categories.service';
import { open311Router } from '../../server/features/open311/open311.routes';
import { accessLog } from '../../server/http/access-log';
import { twoColourJpeg } from '../fixtures/images';
import { HELP_GRID_M, startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

const V2 = '/open311/v2';
const xmlParser = new XMLParser({
  parseTagValue: false,
  isArray: (name) => ['request', 'service', 'error'].includes(name),
});

let t: TestApp;
let key: string;
let jpeg: Buffer;
/** Every body the API sent in this file, to search for private data at the end. */
const seen: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  key = (await createApiKey(t.pool, { name: 'test client', createdBy: null })).key;
  jpeg = await twoColourJpeg(640, 480);
});
afterAll(() => t.close());

function record(res: request.Response): request.Response {
  seen.push(res.text ?? JSON.stringify(res.body));
  return res;
}

const get = async (path: string, app: express.Express = t.app) => record(await request(app).get(`${V2}/${path}`));

/** The parsed XML body, after checking it is well-formed UTF-8 XML. */
function xml(res: request.Response): Record<string, unknown> {
  expect(res.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
  expect(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  expect(XMLValidator.validate(res.text)).toBe(true);
  return xmlParser.parse(res.text) as Record<string, unknown>;
}

function json(res: request.Response): unknown {
  expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
  return res.body;
}

const barrierForm = (extra: Record<string, string> = {}) => ({
  api_key: key,
  service_code: 'steps',
  lat: '52.52',
  long: '13.405',
  description: 'Three steps, no ramp',
  'attribute[severity]': '3',
  'attribute[passability]': 'no',
  ...extra,
});

async function post(form: Record<string, string>, format = 'json', app: express.Express = t.app) {
  return record(await request(app).post(`${V2}/requests.${format}`).type('form').send(form));
}

async function postId(form: Record<string, string>, app?: express.Express): Promise<string> {
  const res = await post(form, 'json', app);
  expect(res.status).toBe(201);
  return (res.body as { service_request_id: string }[])[0]!.service_request_id;
}

async function reportCount(): Promise<number> {
  const { rows } = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
  return rows[0]!.n;
}

function expectJsonError(res: request.Response, status: number, mentions: string): void {
  expect(res.status).toBe(status);
  const errors = json(res) as { code: number; description: string }[];
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) expect(e.code).toBe(status);
  expect(errors.map((e) => e.description).join(' ')).toContain(mentions);
}

function expectXmlError(res: request.Response, status: number, mentions: string): void {
  expect(res.status).toBe(status);
  const body = xml(res) as { errors: { error: { code: string; description: string }[] } };
  expect(body.errors.error[0]!.code).toBe(String(status));
  expect(body.errors.error.map((e) => e.description).join(' ')).toContain(mentions);
}

describe('discovery', () => {
  it('names the v2 endpoint and both formats, in JSON', async () => {
    const res = await get('discovery.json');
    expect(res.status).toBe(200);
    const body = json(res) as { changeset: string; endpoints: Record<string, unknown>[] };
    expect(body.changeset).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(body.endpoints).toEqual([
      expect.objectContaining({
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: expect.stringMatching(/\/open311\/v2$/),
        type: 'production',
        formats: ['application/json', 'text/xml'],
      }),
    ]);
  });

  it('says the same in XML', async () => {
    const body = xml(await get('discovery.xml')) as {
      discovery: { endpoints: { endpoint: { url: string; formats: { format: string[] } } } };
    };
    expect(body.discovery.endpoints.endpoint.url).toMatch(/\/open311\/v2$/);
    expect(body.discovery.endpoints.endpoint.formats.format).toEqual(['application/json', 'text/xml']);
  });
});

describe('services', () => {
  it('lists every category as a realtime service with metadata, grouped barrier or help', async () => {
    const res = await get('services.json');
    expect(res.status).toBe(200);
    const services = json(res) as Record<string, unknown>[];
    expect(services).toHaveLength(24);
    expect(services.find((s) => s.service_code === 'steps')).toEqual({
      service_code: 'steps',
      service_name: 'Steps, no ramp',
      description: 'Steps with no ramp or lift',
      metadata: true,
      type: 'realtime',
      keywords: expect.stringContaining('barrier'),
      group: 'barrier',
    });
    expect(services.find((s) => s.service_code === 'help_medical')).toMatchObject({ group: 'help' });
  });

  it('names services in German or French from ?locale= or Accept-Language', async () => {
    const de = json(await get('services.json?locale=de')) as { service_code: string; service_name: string }[];
    expect(de.find((s) => s.service_code === 'steps')!.service_name).toBe('Stufen ohne Rampe');
    const fr = await request(t.app).get(`${V2}/services.json`).set('Accept-Language', 'fr-CH, en;q=0.5');
    expect((fr.body as { service_code: string; service_name: string }[])[2]!.service_name).toBe('Marches sans rampe');
  });

  it('lists them in XML as <services><service>', async () => {
    const body = xml(await get('services.xml')) as { services: { service: Record<string, string>[] } };
    expect(body.services.service).toHaveLength(24);
    expect(body.services.service[0]).toMatchObject({
      service_code: 'kerb_missing',
      metadata: 'true',
      group: 'barrier',
    });
  });
});

describe('service definitions', () => {
  it('gives a barrier severity (required, 1–3), passability and accuracy', async () => {
    const res = await get('services/steps.json');
    expect(res.status).toBe(200);
    const body = json(res) as { service_code: string; attributes: Record<string, unknown>[] };
    expect(body.service_code).toBe('steps');
    expect(body.attributes.map((a) => a.code)).toEqual(['severity', 'passability', 'accuracy_m']);
    expect(body.attributes[0]).toMatchObject({
      variable: true,
      datatype: 'singlevaluelist',
      required: true,
      order: 1,
      values: [
        { key: '1', name: 'An inconvenience' },
        { key: '2', name: 'Hard to pass' },
        { key: '3', name: 'Impassable' },
      ],
    });
    expect(body.attributes[1]).toMatchObject({
      required: false,
      values: [{ key: 'yes' }, { key: 'limited' }, { key: 'no' }],
    });
  });

  it('gives a help request people_count as a number, in XML', async () => {
    const body = xml(await get('services/help_medical.xml')) as {
      service_definition: { attributes: { attribute: { code: string; datatype: string }[] } };
    };
    const attributes = body.service_definition.attributes.attribute;
    expect(attributes.map((a) => a.code)).toEqual(['severity', 'people_count', 'accuracy_m']);
    expect(attributes[1]!.datatype).toBe('number');
  });

  it('answers an unknown service_code with 404 in either format', async () => {
    expectJsonError(await get('services/teleporter.json'), 404, 'teleporter');
    expectXmlError(await get('services/teleporter.xml'), 404, 'teleporter');
    for (const code of ['STEPS', 'steps%20', '0', 'x'.repeat(300)]) {
      expectJsonError(await get(`services/${code}.json`), 404, 'was not found');
    }
  });
});

describe('POST requests', () => {
  it('stores a form-urlencoded request and reads it back', async () => {
    const res = await post(
      barrierForm({
        address_string: 'Alexanderplatz 1',
        first_name: 'Anna',
        last_name: 'Beispiel',
        email: 'anna@example.org',
        phone: '+49 30 1234567',
      }),
    );
    expect(res.status).toBe(201);
    const created = json(res) as Record<string, unknown>[];
    expect(created).toEqual([
      { service_request_id: expect.stringMatching(/^\d+$/), service_notice: expect.any(String), account_id: null },
    ]);
    const id = created[0]!.service_request_id as string;
    expect(res.headers.location).toMatch(new RegExp(`/open311/v2/requests/${id}\\.json$`));

    const back = await get(`requests/${id}.json`);
    expect(back.status).toBe(200);
    expect(json(back)).toEqual([
      {
        service_request_id: id,
        status: 'open',
        status_notes: expect.any(String),
        service_name: 'Steps, no ramp',
        service_code: 'steps',
        description: 'Three steps, no ramp',
        agency_responsible: null,
        service_notice: null,
        requested_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        updated_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        expected_datetime: null,
        address: 'Alexanderplatz 1',
        address_id: null,
        zipcode: null,
        lat: 52.52,
        long: 13.405,
        media_url: null,
      },
    ]);
    const { rows } = await t.pool.query('SELECT contact, severity, passability FROM reports WHERE id = $1', [id]);
    expect(rows[0]).toEqual({
      contact: 'Anna Beispiel <anna@example.org>, +49 30 1234567',
      severity: 3,
      passability: 'no',
    });
  });

  it('answers in XML and reads back in XML', async () => {
    const res = await post(barrierForm(), 'xml');
    expect(res.status).toBe(201);
    const created = xml(res) as { service_requests: { request: Record<string, string>[] } };
    const id = created.service_requests.request[0]!.service_request_id!;
    expect(id).toMatch(/^\d+$/);
    const back = xml(await get(`requests/${id}.xml`)) as { service_requests: { request: Record<string, string>[] } };
    expect(back.service_requests.request[0]).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'steps',
      lat: '52.52',
      long: '13.405',
    });
  });

  it('takes a photo sent as multipart/form-data in "media"', async () => {
    const form = barrierForm();
    let req = request(t.app).post(`${V2}/requests.json`);
    for (const [name, value] of Object.entries(form)) req = req.field(name, value);
    const res = record(await req.attach('media', jpeg, { filename: 'photo.jpg', contentType: 'image/jpeg' }));
    expect(res.status).toBe(201);
    const id = (res.body as { service_request_id: string }[])[0]!.service_request_id;
    const [back] = json(await get(`requests/${id}.json`)) as { media_url: string }[];
    expect(back!.media_url).toMatch(/\/photos\/[0-9a-f]{64}\.jpg$/);
    const photo = await request(t.app).get(new URL(back!.media_url).pathname);
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toMatch(/^image\/jpeg/);
  });

  it('refuses a request without a valid, live api_key with 403', async () => {
    const before = await reportCount();
    expectJsonError(await post(barrierForm({ api_key: 'wf_not-a-key' })), 403, 'api_key');
    expectXmlError(await post(barrierForm({ api_key: '' }), 'xml'), 403, 'api_key');
    const { apiKey, key: revoked } = await createApiKey(t.pool, { name: 'revoked client', createdBy: null });
    await revokeApiKey(t.pool, { id: apiKey.id });
    expectJsonError(await post(barrierForm({ api_key: revoked })), 403, 'api_key');
    const inUrl = record(
      await request(t.app)
        .post(`${V2}/requests.json?api_key=${key}`)
        .type('form')
        .send({ ...barrierForm(), api_key: undefined }),
    );
    expectJsonError(inUrl, 403, 'not in the URL');
    // Beside a key in the form, too: the URL still goes through proxies' logs.
    const alsoInUrl = record(
      await request(t.app).post(`${V2}/requests.json?api_key=${key}`).type('form').send(barrierForm()),
    );
    expectJsonError(alsoInUrl, 403, 'not in the URL');
    expect(await reportCount()).toBe(before);
  });

  it('answers an unknown service_code with 404, as the spec says for POST, storing nothing', async () => {
    const before = await reportCount();
    expectJsonError(await post(barrierForm({ service_code: 'teleporter' })), 404, 'service_code');
    expectXmlError(await post(barrierForm({ service_code: 'teleporter' }), 'xml'), 404, 'teleporter');
    expect(await reportCount()).toBe(before);
  });

  it.each([
    ['X-API-Key', (k: string) => ({ 'X-API-Key': k })],
    ['Authorization: Bearer', (k: string) => ({ Authorization: `Bearer ${k}` })],
  ])('takes the key in the %s header instead of the form', async (_name, headers) => {
    const sent = (k: string) =>
      request(t.app)
        .post(`${V2}/requests.json`)
        .set(headers(k))
        .type('form')
        .send({ ...barrierForm(), api_key: undefined });
    const res = record(await sent(key));
    expect(res.status).toBe(201);
    const id = (res.body as { service_request_id: string }[])[0]!.service_request_id;
    expect(json(await get(`requests/${id}.json`))).toHaveLength(1);
    const before = await reportCount();
    expectJsonError(record(await sent('wf_not-a-key')), 403, 'api_key');
    expect(await reportCount()).toBe(before);
  });

  it('refuses two different keys (form and header, or both headers) with 403', async () => {
    const before = await reportCount();
    const { key: other } = await createApiKey(t.pool, { name: 'another client', createdBy: null });
    const formAndHeader = await request(t.app)
      .post(`${V2}/requests.json`)
      .set('X-API-Key', other)
      .type('form')
      .send(barrierForm());
    expectJsonError(record(formAndHeader), 403, 'different keys');
    const twoHeaders = await request(t.app)
      .post(`${V2}/requests.xml`)
      .set('X-API-Key', other)
      .set('Authorization', `Bearer ${key}`)
      .type('form')
      .send({ ...barrierForm(), api_key: undefined });
    expectXmlError(record(twoHeaders), 403, 'different keys');
    expect(await reportCount()).toBe(before);
    // The same key twice is one key.
    const same = await request(t.app)
      .post(`${V2}/requests.json`)
      .set('X-API-Key', key)
      .type('form')
      .send(barrierForm());
    expect(same.status).toBe(201);
  });

  it.each([
    ['lat', { lat: '91' }],
    ['long', { long: 'east' }],
    ['lat', { lat: '', long: '', address_string: 'Somewhere 1' }],
    ['service_code', { service_code: '' }],
    ['attribute[severity]', { 'attribute[severity]': '' }],
    ['attribute[severity]', { 'attribute[severity]': '4' }],
    ['attribute[passability]', { 'attribute[passability]': 'maybe' }],
    ['attribute[colour]', { 'attribute[colour]': 'red' }],
    ['attribute[passability]', { service_code: 'help_medical' }],
    ['description', { description: 'x'.repeat(4001) }],
  ])('refuses a bad %s with 400 in the spec’s error format, storing nothing', async (field, change) => {
    const before = await reportCount();
    expectJsonError(await post(barrierForm(change)), 400, field);
    expectXmlError(await post(barrierForm(change), 'xml'), 400, field);
    expect(await reportCount()).toBe(before);
  });

  it('refuses a JSON body with 415 and a photo that is no image with 400', async () => {
    const res = record(await request(t.app).post(`${V2}/requests.json`).send(barrierForm()));
    expectJsonError(res, 415, 'x-www-form-urlencoded');
    let req = request(t.app).post(`${V2}/requests.xml`);
    for (const [name, value] of Object.entries(barrierForm())) req = req.field(name, value);
    const notImage = record(await req.attach('media', Buffer.from('not a photo'), 'photo.jpg'));
    expectXmlError(notImage, 415, 'media');
  });

  it('answers a retry with the same Idempotency-Key with the first request, storing one', async () => {
    const before = await reportCount();
    const key = crypto.randomUUID();
    const send = async () =>
      record(
        await request(t.app).post(`${V2}/requests.json`).set('Idempotency-Key', key).type('form').send(barrierForm()),
      );
    const [first, retry] = [await send(), await send()];
    expect(retry.status).toBe(201);
    const id = (res: request.Response) => (res.body as { service_request_id: string }[])[0]!.service_request_id;
    expect(id(retry)).toBe(id(first));
    expect(await reportCount()).toBe(before + 1);
  });

  it('keeps the XML well-formed whatever the description holds', async () => {
    const id = await postId(barrierForm({ description: 'Steps <b>&amp; "more"\u0001 \u{1F6A7}' }));
    const body = xml(await get(`requests/${id}.xml`)) as { service_requests: { request: { description: string }[] } };
    expect(body.service_requests.request[0]!.description).toBe('Steps <b>&amp; "more" \u{1F6A7}');
  });
});

describe('POST requests with media_url', () => {
  let server: http.Server;
  let origin: string;
  const hits: string[] = [];
  /** The app as a deployment that allows private media addresses would wire it. */
  let open: express.Express;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url!);
      if (req.url === '/photo.jpg') return res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(jpeg);
      if (req.url === '/moved') return res.writeHead(302, { Location: '/photo.jpg' }).end();
      if (req.url === '/loop') return res.writeHead(302, { Location: '/loop' }).end();
      if (req.url === '/page') return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>hi</p>');
      if (req.url === '/huge') {
        // 16 MB without a Content-Length: the limit must hold while reading.
        res.writeHead(200, { 'Content-Type': 'image/jpeg' });
        for (let i = 0; i < 16; i++) res.write(Buffer.alloc(1024 * 1024));
        return res.end();
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    open = express();
    open.use(accessLog(pino({ level: 'silent' })));
    open.use(
      open311Router({
        pool: t.pool,
        events: t.events,
        storage: t.storage,
        taxonomy: createTaxonomy(t.pool),
        helpGridM: HELP_GRID_M,
        baseUrl: (req) => `${req.protocol}://${req.get('host')}`,
        allowPrivateMedia: true,
      }),
    );
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches the photo, following a redirect, when private addresses are allowed', async () => {
    const id = await postId(barrierForm({ media_url: `${origin}/moved` }), open);
    expect(hits.slice(-2)).toEqual(['/moved', '/photo.jpg']);
    const [back] = json(await get(`requests/${id}.json`)) as { media_url: string }[];
    expect(back!.media_url).toMatch(/\/photos\/[0-9a-f]{64}\.jpg$/);
  });

  it.each([
    ['/page', 'not an image'],
    ['/loop', 'redirects more than 3 times'],
    ['/missing', 'HTTP status 404'],
    ['/huge', 'larger than 15 MB'],
  ])('refuses %s with 400', async (path, mentions) => {
    expectJsonError(await post(barrierForm({ media_url: `${origin}${path}` }), 'json', open), 400, mentions);
  });

  it('refuses private, loopback and non-http addresses by default, without fetching', async () => {
    const before = hits.length;
    const port = (server.address() as AddressInfo).port;
    for (const url of [
      `${origin}/photo.jpg`,
      `http://localhost:${port}/photo.jpg`,
      `http://[::1]:${port}/photo.jpg`,
      `http://169.254.169.254/latest/meta-data/`,
      `http://10.0.0.1/photo.jpg`,
    ]) {
      expectJsonError(await post(barrierForm({ media_url: url })), 400, 'private');
    }
    expectJsonError(await post(barrierForm({ media_url: 'file:///etc/passwd' })), 400, 'http');
    expect(hits.length).toBe(before);
  });
});

describe('GET requests', () => {
  // Reports of their own in 2001, so other tests' reports never fall in the window.
  const window = 'start_date=2001-01-01T00:00:00Z&end_date=2001-12-31T23:59:59Z';
  const made: { id: string; category: string; status: string; day: number }[] = [];

  beforeAll(async () => {
    const plan = [
      ['steps', 'new'],
      ['surface', 'verified'],
      ['steps', 'in_progress'],
      ['surface', 'resolved'],
      ['steps', 'duplicate'],
      ['steps', 'rejected'],
      ['surface', 'new'],
    ];
    for (const [i, [category, status]] of plan.entries()) {
      const id = await postId(barrierForm({ service_code: category! }));
      await t.pool.query(`UPDATE reports SET status = $2, created_at = $3 WHERE id = $1`, [
        id,
        status,
        `2001-03-${String(i + 1).padStart(2, '0')}T12:00:00Z`,
      ]);
      made.push({ id, category: category!, status: status!, day: i + 1 });
    }
    const hidden = await postId(barrierForm());
    await t.pool.query(`UPDATE reports SET hidden = true, created_at = '2001-03-20T12:00:00Z' WHERE id = $1`, [hidden]);
  });

  const ids = (res: request.Response) =>
    (json(res) as { service_request_id: string }[]).map((r) => r.service_request_id);
  const publicOnes = () => made.filter((m) => m.status !== 'rejected');

  it('lists public requests newest first; rejected and hidden ones never', async () => {
    const res = await get(`requests.json?${window}`);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(
      publicOnes()
        .map((m) => m.id)
        .reverse(),
    );
  });

  it('filters by start_date and end_date', async () => {
    const res = await get('requests.json?start_date=2001-03-02T00:00:00Z&end_date=2001-03-03T23:59:59%2B00:00');
    expect(ids(res)).toEqual([made[2]!.id, made[1]!.id]);
  });

  it('filters by service_code, a comma list', async () => {
    expect(ids(await get(`requests.json?${window}&service_code=surface`))).toEqual(
      publicOnes()
        .filter((m) => m.category === 'surface')
        .map((m) => m.id)
        .reverse(),
    );
    expect(ids(await get(`requests.json?${window}&service_code=surface,steps`))).toHaveLength(6);
  });

  it('filters by status: open is new to in_progress, closed is resolved and duplicate', async () => {
    const open = await get(`requests.json?${window}&status=open`);
    expect(ids(open)).toEqual([made[6]!.id, made[2]!.id, made[1]!.id, made[0]!.id]);
    const closed = await get(`requests.json?${window}&status=closed`);
    expect(ids(closed)).toEqual([made[4]!.id, made[3]!.id]);
    expect((json(closed) as { status: string }[]).every((r) => r.status === 'closed')).toBe(true);
    expect(ids(await get(`requests.json?${window}&status=open,closed`))).toHaveLength(6);
  });

  it('takes service_request_id as a comma list that overrides the other filters', async () => {
    const wanted = [made[0]!.id, made[3]!.id, made[5]!.id];
    const res = await get(`requests.json?service_request_id=${wanted.join(',')}&status=open&service_code=surface`);
    expect(ids(res).sort()).toEqual([made[0]!.id, made[3]!.id].sort());
  });

  it('pages with page and page_size, visiting each request once', async () => {
    const visited: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const res = await get(`requests.json?${window}&page_size=2&page=${page}`);
      expect(ids(res).length).toBeLessThanOrEqual(2);
      visited.push(...ids(res));
    }
    expect(visited).toEqual(
      publicOnes()
        .map((m) => m.id)
        .reverse(),
    );
  });

  it('returns 50 requests per page unless asked for more', async () => {
    await t.pool.query(
      `INSERT INTO reports (kind, category, geom, public_geom, severity, created_at)
       SELECT 'barrier', 'steps', ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326), ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326),
              2, '2002-06-01T00:00:00Z'::timestamptz + make_interval(mins => n)
         FROM generate_series(1, 60) AS n`,
    );
    const year = 'start_date=2002-01-01T00:00:00Z&end_date=2002-12-31T00:00:00Z';
    expect(ids(await get(`requests.json?${year}`))).toHaveLength(50);
    expect(ids(await get(`requests.json?${year}&page=2`))).toHaveLength(10);
    expect(ids(await get(`requests.json?${year}&page_size=1000`))).toHaveLength(60);
  });

  it('lists in XML as <service_requests><request>', async () => {
    const body = xml(await get(`requests.xml?${window}&status=closed`)) as {
      service_requests: { request: { service_request_id: string; status: string }[] };
    };
    expect(body.service_requests.request.map((r) => r.service_request_id)).toEqual([made[4]!.id, made[3]!.id]);
    const none = xml(await get('requests.xml?start_date=1990-01-01T00:00:00Z&end_date=1990-01-02T00:00:00Z'));
    expect(none).toEqual({ '?xml': '', service_requests: '' });
  });

  it.each([
    ['start_date', 'start_date=yesterday'],
    ['start_date', 'start_date=2001-01-01T00:00:00'],
    ['end_date', 'start_date=2001-02-01T00:00:00Z&end_date=2001-01-01T00:00:00Z'],
    ['status', 'status=pending'],
    ['page_size', 'page_size=1001'],
    ['page', 'page=0'],
    ['service_request_id', 'service_request_id=abc'],
    ['service_code', 'service_code=teleporter'],
  ])('refuses a bad %s with 400', async (field, query) => {
    expectJsonError(await get(`requests.json?${query}`), 400, field);
    expectXmlError(await get(`requests.xml?${query}`), 400, field);
  });

  it('answers 404 for a request that does not exist or is not public', async () => {
    expectJsonError(await get('requests/999999999.json'), 404, '999999999');
    expectXmlError(await get(`requests/${made[5]!.id}.xml`), 404, made[5]!.id);
  });

  it.each(['abc', '0', '-1', '1.5', '1e3', '12345678901234567890', '%20'])(
    'answers 404, not 400, for the id %s, which cannot name a request',
    async (id) => {
      expectJsonError(await get(`requests/${id}.json`), 404, 'was not found');
      expectXmlError(await get(`requests/${id}.xml`), 404, 'was not found');
    },
  );

  it('answers 404 in the spec’s format for anything else under /open311/v2', async () => {
    expectJsonError(await get('requests.txt'), 404, 'No resource');
    expectXmlError(await get('tokens/1.xml'), 404, 'No resource');
    expectJsonError(await get('requests/1'), 404, 'No resource');
  });
});

describe('the reads’ pool', () => {
  it('lists, single requests and discovery read from it; new requests are written to the main pool', async () => {
    // The same database, the statements sent through it counted.
    let reads = 0;
    const readPool = Object.create(t.pool) as pg.Pool;
    readPool.query = ((...args: Parameters<pg.Pool['query']>) => {
      reads++;
      return (t.pool.query as (...a: unknown[]) => unknown)(...args);
    }) as pg.Pool['query'];
    const app = express();
    app.use(accessLog(pino({ level: 'silent' })));
    app.use(
      open311Router({
        pool: t.pool,
        reads: readPool,
        events: t.events,
        storage: t.storage,
        taxonomy: createTaxonomy(t.pool),
        helpGridM: HELP_GRID_M,
        baseUrl: (req) => `${req.protocol}://${req.get('host')}`,
        allowPrivateMedia: false,
      }),
    );
    const id = await postId(barrierForm(), app);
    expect(reads).toBe(0);
    for (const path of [`requests.json?service_request_id=${id}`, `requests/${id}.xml`, 'discovery.json']) {
      const before = reads;
      expect((await get(path, app)).status).toBe(200);
      expect({ path, reads: reads - before }).toEqual({ path, reads: 1 });
    }
  });

  // PostgreSQL: the reads' pool has a statement_timeout, the main pool none.
  (process.env.TEST_DATABASE_URL ? it : it.skip)(
    'a list that outlasts the reads’ statement_timeout answers 503 with Retry-After in GeoReport’s format',
    async () => {
      const short = await startTestApp({ readStatementTimeoutMs: 300 });
      const locker = await short.pool.connect();
      try {
        // Someone holds the table: the list waits for it until the reads' budget runs out.
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE reports IN ACCESS EXCLUSIVE MODE');
        const started = Date.now();
        const res = await request(short.app).get(`${V2}/requests.json`).timeout(5000);
        expectJsonError(res, 503, 'took too long');
        expect(res.headers['retry-after']).toBe('5');
        expect(Date.now() - started).toBeLessThan(3000);
        expectXmlError(await request(short.app).get(`${V2}/requests/1.xml`).timeout(5000), 503, 'took too long');
      } finally {
        await locker.query('ROLLBACK');
        locker.release();
        await short.close();
      }
    },
  );
});

describe('privacy', () => {
  const contact = {
    first_name: 'Zora',
    last_name: 'Geheimnis',
    email: 'zora.secret@example.org',
    phone: '+4930555019',
  };
  const exact = { lat: '52.5123456', long: '13.4012345' };

  it('never shows a contact, nor a help request’s exact point or address, in any format', async () => {
    const id = await postId({
      api_key: key,
      service_code: 'help_medical',
      ...exact,
      address_string: 'Geheimweg 7',
      description: 'Need insulin',
      'attribute[severity]': '3',
      'attribute[people_count]': '2',
      ...contact,
    });
    const [one] = json(await get(`requests/${id}.json`)) as { lat: number; long: number; address: string | null }[];
    expect(one!.address).toBeNull();
    expect(one).not.toMatchObject({ lat: 52.5123456 });
    const feature = await request(t.app).get(`/api/v1/reports/${id}`);
    expect([one!.long, one!.lat]).toEqual(feature.body.geometry.coordinates);
    for (const format of ['json', 'xml']) {
      await get(`requests/${id}.${format}`);
      await get(`requests.${format}?service_request_id=${id}`);
      await get(`requests.${format}?service_code=help_medical`);
      await get(`requests.${format}`);
    }
    await post({ ...barrierForm(), ...contact }, 'xml');
    const everything = seen.join('\n');
    for (const secret of [...Object.values(contact), 'Geheimweg', exact.lat, exact.long, 'anna@example.org']) {
      expect(everything).not.toContain(secret);
    }
  });
});
