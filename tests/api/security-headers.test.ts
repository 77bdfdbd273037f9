// Security headers on every kind of response: the web pages, the JSON API, an error, a photo.
// tests/e2e/csp.test.ts proves in a real browser that the policy still lets the maps work.
import request from 'supertest';
import { solidPng } from '../fixtures/images';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
let photoPath: string;
beforeAll(async () => {
  t = await startTestApp();
  const res = await request(t.app)
    .post('/api/v1/reports')
    .field('category', 'steps')
    .field('lat', '52.52')
    .field('lon', '13.405')
    .attach('photos', await solidPng(64, 48), 'steps.png')
    .expect(201);
  photoPath = new URL(res.body.properties.photos[0].url as string).pathname;
});
afterAll(() => t.close());

/** The policy as directive → sources. */
function csp(res: request.Response): Map<string, string[]> {
  const header: unknown = res.headers['content-security-policy'];
  expect(typeof header).toBe('string');
  return new Map(
    (header as string)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

const PATHS = ['/', '/dashboard', '/responder', '/data', '/reports/1', '/api/v1/categories', '/api/v1/nothing-here'];

describe.each([...PATHS, 'a photo'])('%s', (which) => {
  let res: request.Response;
  beforeAll(async () => {
    res = await request(t.app).get(which === 'a photo' ? photoPath : which);
  });

  it('is answered (the page, the JSON, the problem, the photo)', () => {
    if (which === 'a photo') expect(res.headers['content-type']).toBe('image/jpeg');
    if (which === '/api/v1/categories') expect(res.status).toBe(200);
    if (which === '/api/v1/nothing-here') expect(res.status).toBe(404);
  });

  it('forbids MIME sniffing and framing, and sends only our origin as referrer', () => {
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    // The origin, never a path: tile servers such as OpenStreetMap's require a Referer.
    expect(res.headers['referrer-policy']).toBe('strict-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('sends a Content-Security-Policy with no way to frame, plug in, rebase or eval', () => {
    const policy = csp(res);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'self'"]);
    expect(policy.get('form-action')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('script-src-attr')).toEqual(["'none'"]);
  });

  it('lets the configured basemap tiles through, and nothing else from afar', () => {
    const policy = csp(res);
    expect(policy.get('img-src')).toContain('http://127.0.0.1:9');
    const remote = [...policy.values()].flat().filter((s) => /^(https?:|\*)/.test(s));
    expect([...new Set(remote)]).toEqual(['http://127.0.0.1:9']);
  });
});

it('turns a tile URL with a {s} subdomain into a wildcard of that domain only', async () => {
  const other = await startTestApp({ config: { tileUrl: 'https://{s}.tile.example.org/{z}/{x}/{y}.png' } });
  try {
    const policy = csp(await request(other.app).get('/api/v1/config'));
    expect(policy.get('img-src')).toContain('https://*.tile.example.org');
    expect(policy.get('img-src')).not.toContain('https:');
  } finally {
    await other.close();
  }
});
