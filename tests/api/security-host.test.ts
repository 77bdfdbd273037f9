// Absolute links never come from a forged Host: with PUBLIC_URL they ignore the request;
// without it the Host must be a plain host[:port] (and one of ALLOWED_HOSTS when set), and a
// response built from it varies by Host, so a shared cache cannot pass one client's links on.
import pino from 'pino';
import request from 'supertest';
import { createApp, type AppDeps } from '../../server/app';
import { warmHttpPath, warmUpHost } from '../../server/http/warm-up';
import { solidPng } from '../fixtures/images';
import { HELP_GRID_M, startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
let reportId: number;
beforeAll(async () => {
  t = await startTestApp();
  // With a photo, so that Open311's list carries a link (media_url) too.
  const res = await request(t.app)
    .post('/api/v1/reports')
    .field('category', 'steps')
    .field('lat', '52.52')
    .field('lon', '13.405')
    .attach('photos', await solidPng(64, 48), 'steps.png');
  expect(res.status).toBe(201);
  reportId = (res.body as { id: number }).id;
});
afterAll(() => t.close());

/** Another app over the same database, with other link settings. */
function appWith(config: Partial<AppDeps['config']>): ReturnType<typeof createApp> {
  return createApp({
    config: {
      publicUrl: undefined,
      tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png',
      tileAttribution: 'test',
      helpGridM: HELP_GRID_M,
      trustProxy: false,
      sessionTtlHours: 12,
      ...config,
    },
    pool: t.pool,
    events: t.events,
    databaseKind: process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded',
    storage: t.storage,
    logger: pino({ level: 'silent' }),
  });
}

/** Public, cacheable responses that carry absolute links (`{id}`: the report made above). */
const LINKED = [
  '/api/v1/reports?bbox=13.3,52.4,13.5,52.6',
  '/api/v1/reports/{id}',
  '/ogc/collections/reports/items',
  '/open311/v2/requests.json',
  '/api/v1/exports/reports.geojson',
  '/api/openapi.json',
];

/** A 400 naming `field`: a problem (`errors[]`), or on Open311 GeoReport's own error list. */
function expectRefused(res: request.Response, field: string): void {
  expect(res.status).toBe(400);
  if (/^application\/problem\+json/.test(String(res.headers['content-type']))) {
    expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([field]);
  } else {
    expect((res.body as { description: string }[]).map((e) => e.description.split(':')[0])).toEqual([field]);
  }
}

const withId = (path: string) => path.replace('{id}', String(reportId));

const varyOf = (res: request.Response) =>
  String(res.headers.vary ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase());

describe('without PUBLIC_URL', () => {
  it.each(LINKED)('%s links to the Host asked for and says Vary: Host', async (path) => {
    const res = await request(t.app).get(withId(path)).set('Host', 'map.example.org:8080');
    expect(res.status).toBe(200);
    expect(res.text).toContain('http://map.example.org:8080');
    expect(varyOf(res)).toContain('host');
  });

  const FORGED = [
    'evil.example/steal?',
    'user@evil.example',
    'evil.example:99999',
    'evil.example:80:81',
    'evil.example"><svg onload=alert(1)>',
    'evil_example.org',
    'evil.example.',
    '[::1',
    `${'a'.repeat(250)}.evil.example`,
  ];
  it.each(LINKED.flatMap((path) => FORGED.map((host) => [path, host])))(
    '%s refuses the Host %j with a problem naming it',
    async (path, host) => {
      const res = await request(t.app).get(withId(path)).set('Host', host);
      expectRefused(res, 'Host');
      expect(res.text).not.toContain('evil');
    },
  );

  it('accepts IPv4 and IPv6 addresses, with and without a port', async () => {
    for (const host of ['192.168.1.20:3000', '[::1]:3000', '[fe80::1]', 'localhost']) {
      const res = await request(t.app).get(`/api/v1/reports/${reportId}`).set('Host', host);
      expect(res.status).toBe(200);
      expect((res.body as { properties: { url: string } }).properties.url).toBe(`http://${host}/reports/${reportId}`);
    }
  });

  it('still answers /healthz whatever the Host, for probes that ask by address', async () => {
    const res = await request(t.app).get('/healthz').set('Host', 'evil.example/x');
    expect(res.status).toBe(200);
  });
});

describe('behind a proxy (TRUST_PROXY) without PUBLIC_URL', () => {
  const app = () => appWith({ trustProxy: true });

  it('takes the scheme from X-Forwarded-Proto, never the host from X-Forwarded-Host, and varies by both', async () => {
    const res = await request(app())
      .get(`/api/v1/reports/${reportId}`)
      .set('Host', 'map.example.org')
      .set('X-Forwarded-Proto', 'https')
      .set('X-Forwarded-Host', 'evil.example');
    expect(res.status).toBe(200);
    expect((res.body as { properties: { url: string } }).properties.url).toBe(
      `https://map.example.org/reports/${reportId}`,
    );
    expect(res.text).not.toContain('evil.example');
    expect(varyOf(res)).toEqual(expect.arrayContaining(['host', 'x-forwarded-proto']));
  });

  it('refuses a scheme other than http or https', async () => {
    const res = await request(app()).get('/ogc/collections/reports/items').set('X-Forwarded-Proto', 'javascript');
    expectRefused(res, 'X-Forwarded-Proto');
  });
});

describe('with ALLOWED_HOSTS', () => {
  const app = () => appWith({ allowedHosts: ['map.example.org', '192.168.1.20:3000'] });

  it('links to an allowed Host', async () => {
    for (const host of ['map.example.org', 'MAP.example.org', '192.168.1.20:3000']) {
      const res = await request(app()).get('/open311/v2/requests.json').set('Host', host);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`http://${host.toLowerCase()}/`);
    }
  });

  it('refuses any other Host, however well formed, with a problem naming it', async () => {
    for (const host of ['evil.example', 'map.example.org:3000', '192.168.1.20']) {
      const res = await request(app()).get('/api/v1/exports/reports.geojson').set('Host', host);
      expectRefused(res, 'Host');
      expect(res.text).not.toContain(host);
    }
  });
});

describe('the start-up warm-up (server/http/warm-up.ts)', () => {
  // It asks the real app for two tiles with the Host the app answers for; a refused Host would
  // warm only the error path, and say so.
  it.each([
    ['ALLOWED_HOSTS', { allowedHosts: ['map.example.org', '192.168.1.20:3000'] }],
    ['PUBLIC_URL', { publicUrl: 'https://map.example.org:8443' }],
    ['neither', {}],
  ])('gets its tiles with %s set', async (_name, config: Partial<AppDeps['config']>) => {
    const warnings: unknown[] = [];
    const host = warmUpHost({ allowedHosts: [], ...config });
    await warmHttpPath(appWith(config), host, { warn: (...args: unknown[]) => warnings.push(args) });
    expect(warnings).toEqual([]);
  });
});

describe('with PUBLIC_URL', () => {
  const app = () => appWith({ publicUrl: 'https://wegfrei.example.net' });

  it.each(LINKED)('%s links to PUBLIC_URL whatever the Host says, and does not vary by it', async (path) => {
    const res = await request(app()).get(withId(path)).set('Host', 'evil.example');
    expect(res.status).toBe(200);
    expect(res.text).toContain('https://wegfrei.example.net');
    expect(res.text).not.toContain('evil.example');
    expect(varyOf(res)).not.toContain('host');
  });
});
