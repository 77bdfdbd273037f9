// Every route the app registers is classified: public on purpose (listed here, with why), or
// a staff route in the authorization matrix (support/authz-cases.ts). A route added without
// either fails here, so no endpoint goes out untested for who may use it.
import request from 'supertest';
import { openApiDocument } from '../../server/features/openapi/openapi.document';
import { AUTHZ_ROUTES } from './support/authz-cases';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

interface PublicRoute {
  route: string;
  why: string;
  /** A request that shows an anonymous client is let in (or, for `api key`, turned away without one). */
  sample?: { path: string; body?: object; form?: string };
  /** `signed`: a gateway's webhook, which refuses a request its secret did not sign. */
  access?: 'open' | 'api key' | 'signed' | 'volunteer';
}

const PHOTO = `/photos/${'0'.repeat(64)}.jpg`;

const PUBLIC: PublicRoute[] = [
  { route: 'GET /healthz', why: 'health checks of a load balancer' },
  { route: 'GET /api/v1/config', why: 'the basemap the public map needs' },
  { route: 'GET /api/v1/categories', why: 'the public taxonomy' },
  { route: 'GET /api/v1/stats', why: 'the public statistics (/stats)' },
  { route: 'GET /api/v1/stats.csv', why: 'the public statistics as CSV' },
  { route: 'GET /stats', why: 'the public statistics page' },
  {
    route: 'GET /api/v1/geocode',
    why: 'the citizen app searches addresses',
    sample: { path: '/api/v1/geocode?q=Berlin' },
  },
  {
    route: 'POST /api/v1/auth/login',
    why: 'how staff get a session',
    sample: { path: '/api/v1/auth/login', body: {} },
  },
  { route: 'POST /api/v1/reports', why: 'anyone may report', sample: { path: '/api/v1/reports', body: {} } },
  // Volunteers (issue 16): a session of the volunteer role, never staff; tests/api/volunteers.test.ts.
  {
    route: 'POST /api/v1/volunteers/join',
    why: "an invitation's link makes a volunteer's account (the token is the key)",
    sample: { path: '/api/v1/volunteers/join', body: {} },
  },
  { route: 'GET /api/v1/volunteer/me', why: "a volunteer's own session", access: 'volunteer' },
  { route: 'GET /api/v1/volunteer/reports', why: 'published barriers near a volunteer', access: 'volunteer' },
  {
    route: 'POST /api/v1/volunteer/reports/:id/checks',
    why: "a volunteer's check",
    access: 'volunteer',
    sample: { path: '/api/v1/volunteer/reports/1/checks', body: {} },
  },
  { route: 'GET /api/v1/reports', why: 'the public map and list' },
  {
    route: 'GET /api/v1/reports/nearby',
    why: 'duplicates near a new report',
    sample: { path: '/api/v1/reports/nearby?lat=52.52&lon=13.405' },
  },
  { route: 'GET /api/v1/reports/:id', why: "a public report's page", sample: { path: '/api/v1/reports/1' } },
  {
    route: 'POST /api/v1/reports/:id/confirmations',
    why: 'anyone may say a barrier is still there or gone',
    sample: { path: '/api/v1/reports/1/confirmations', body: {} },
  },
  // Issue 16: the report page's story and citizens' judgement (tests/api/feedback.test.ts).
  {
    route: 'GET /api/v1/reports/:id/timeline',
    why: "a public report's story (team names only)",
    sample: { path: '/api/v1/reports/1/timeline' },
  },
  {
    route: 'POST /api/v1/reports/:id/fix-checks',
    why: 'anyone may say whether a fix holds',
    sample: { path: '/api/v1/reports/1/fix-checks', body: {} },
  },
  {
    route: 'POST /api/v1/reports/:id/endorsements',
    why: 'anyone may say a barrier affects them too',
    sample: { path: '/api/v1/reports/1/endorsements', body: {} },
  },
  // Following (issue 16): no account; the links' tokens are the keys (tests/api/follow.test.ts).
  {
    route: 'POST /api/v1/reports/:id/subscriptions',
    why: 'anyone may follow a report by e-mail or push',
    sample: { path: '/api/v1/reports/1/subscriptions', body: {} },
  },
  { route: 'GET /api/v1/follow/options', why: 'what the citizen app offers to follow with (the VAPID public key)' },
  { route: 'GET /api/v1/subscriptions/confirm', why: 'the confirmation link in a mail (the token is the key)' },
  {
    route: 'POST /api/v1/subscriptions/confirm',
    why: "the confirmation page's button (the token is the key)",
    sample: { path: '/api/v1/subscriptions/confirm', body: {} },
  },
  {
    route: 'GET /api/v1/subscriptions/unsubscribe',
    why: 'the unsubscribe link of every message (the token is the key)',
  },
  {
    route: 'POST /api/v1/subscriptions/unsubscribe',
    why: 'RFC 8058 one-click unsubscribe (the token is the key)',
    sample: { path: '/api/v1/subscriptions/unsubscribe', body: {} },
  },
  { route: 'GET /api/v1/exports/reports.geojson', why: 'open data' },
  { route: 'GET /api/v1/exports/reports.geojsonseq', why: 'open data' },
  { route: 'GET /api/v1/exports/reports.csv', why: 'open data' },
  { route: 'GET /releases', why: 'open data: the list of releases' },
  { route: 'GET /releases/index.json', why: 'open data: the list of releases' },
  { route: 'GET /releases/latest', why: 'open data: the newest release (a redirect)' },
  { route: 'GET /releases/latest/:file', why: 'open data', sample: { path: '/releases/latest/reports.csv' } },
  { route: 'GET /releases/:id', why: 'open data: a release', sample: { path: '/releases/2026-01-01T000000Z' } },
  {
    route: 'GET /releases/:id/:file',
    why: 'open data: a file of a release',
    sample: { path: '/releases/2026-01-01T000000Z/reports.csv' },
  },
  { route: 'GET /ogc', why: 'open data (OGC API – Features)' },
  { route: 'GET /ogc/conformance', why: 'open data (OGC API – Features)' },
  { route: 'GET /ogc/collections', why: 'open data (OGC API – Features)' },
  { route: 'GET /ogc/collections/:collectionId', why: 'open data', sample: { path: '/ogc/collections/barriers' } },
  {
    route: 'GET /ogc/collections/:collectionId/queryables',
    why: 'open data',
    sample: { path: '/ogc/collections/barriers/queryables' },
  },
  { route: 'GET /ogc/api', why: 'open data (the OGC API definition)' },
  {
    route: 'GET /ogc/collections/:collectionId/schema',
    why: 'open data',
    sample: { path: '/ogc/collections/barriers/schema' },
  },
  {
    route: 'GET /ogc/collections/:collectionId/feature-schema',
    why: 'open data',
    sample: { path: '/ogc/collections/barriers/feature-schema' },
  },
  {
    route: 'GET /ogc/collections/:collectionId/items',
    why: 'open data',
    sample: { path: '/ogc/collections/help/items' },
  },
  {
    route: 'GET /ogc/collections/:collectionId/items/:id',
    why: 'open data',
    sample: { path: '/ogc/collections/barriers/items/1' },
  },
  { route: 'GET /api/openapi.json', why: 'the API description' },
  { route: 'GET /api/docs', why: 'the API description' },
  { route: 'GET /open311/v2/discovery.:format', why: 'Open311', sample: { path: '/open311/v2/discovery.json' } },
  { route: 'GET /open311/v2/services.:format', why: 'Open311', sample: { path: '/open311/v2/services.xml' } },
  {
    route: 'GET /open311/v2/services/:code.:format',
    why: 'Open311',
    sample: { path: '/open311/v2/services/steps.json' },
  },
  { route: 'GET /open311/v2/requests.:format', why: 'Open311', sample: { path: '/open311/v2/requests.json' } },
  {
    route: 'GET /open311/v2/requests/:id.:format',
    why: 'Open311',
    sample: { path: '/open311/v2/requests/1.json' },
  },
  {
    route: 'POST /open311/v2/requests.:format',
    why: 'Open311 clients post with an API key an admin made (tests/api/open311.test.ts)',
    access: 'api key',
    sample: { path: '/open311/v2/requests.json', form: 'service_code=steps&lat=52.52&long=13.405' },
  },
  {
    route: 'GET /tiles/public/:z/:x/:y.mvt',
    why: 'the public map (help requests on the coarse grid)',
    sample: { path: '/tiles/public/0/0/0.mvt' },
  },
  {
    route: 'GET /api/v1/clusters',
    why: 'the public map',
    sample: { path: '/api/v1/clusters?bbox=13,52,14,53&zoom=8' },
  },
  { route: 'GET /photos/:name', why: 'photos of public reports (named by content hash)', sample: { path: PHOTO } },
  { route: 'GET /', why: 'the citizen app' },
  { route: 'GET /reports/:id', why: "a report's public page", sample: { path: '/reports/1' } },
  { route: 'GET /dashboard', why: 'the staff app shell; its data needs a session' },
  {
    route: 'GET /dashboard/*rest',
    why: 'the staff app shell; its data needs a session',
    sample: { path: '/dashboard/queue' },
  },
  { route: 'GET /responder', why: 'the responder app shell; its data needs a session' },
  { route: 'GET /volunteer', why: "the volunteers' phone view; its data needs a volunteer's session" },
  { route: 'GET /volunteer/join', why: "an invitation's page (the token is in the fragment)" },
  { route: 'GET /data', why: 'the open data page' },
  {
    route: 'POST /api/v1/inbound/twilio',
    why: "Twilio's SMS webhook: signed with the Auth Token (tests/api/inbound-sms.test.ts)",
    access: 'signed',
    sample: { path: '/api/v1/inbound/twilio', form: 'From=%2B4915100000000&Body=steps&MessageSid=SM1' },
  },
  {
    route: 'POST /api/v1/inbound/android-sms',
    why: "the Android SMS gateway's webhook: signed with its signing key (tests/api/inbound-sms.test.ts)",
    access: 'signed',
    sample: { path: '/api/v1/inbound/android-sms', body: { event: 'sms:received', id: 'x', payload: {} } },
  },
  {
    route: 'POST /api/v1/inbound/telegram',
    why: "the Telegram bot's webhook: only calls with setWebhook's secret_token (tests/api/inbound-telegram.test.ts)",
    access: 'signed',
    sample: { path: '/api/v1/inbound/telegram', body: { update_id: 1 } },
  },
  { route: 'STATIC /assets', why: 'the built web app', sample: { path: '/assets/missing.js' } },
  { route: 'STATIC /', why: 'the built web app', sample: { path: '/manifest.webmanifest' } },
];

interface Layer {
  name: string;
  rawPath?: string | string[];
  slash?: boolean;
  route?: { methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

const join = (prefix: string, path: string) => (prefix + path).replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1') || '/';

/**
 * The routes in Express 5's router tree (the `router` package: each layer keeps the path it
 * was registered with as `rawPath`): `METHOD /path` for routes, `STATIC /path` for file
 * servers. Other middleware (parsers, limits, error handlers) answers no path of its own.
 */
function registeredRoutes(app: TestApp['app']): Set<string> {
  const found = new Set<string>();
  const visit = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.rawPath === undefined)
        throw new Error(`Express layer ${layer.name} has no rawPath: walk needs updating`);
      const paths = [layer.rawPath].flat();
      if (layer.route) {
        for (const path of paths) {
          for (const method of Object.keys(layer.route.methods)) {
            found.add(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${join(prefix, path)}`);
          }
        }
      } else if (layer.handle.stack) {
        visit(layer.handle.stack, layer.slash ? prefix : join(prefix, paths[0]!));
      } else if (layer.name === 'serveStatic') {
        found.add(`STATIC ${layer.slash ? prefix || '/' : join(prefix, paths[0]!)}`);
      }
    }
  };
  visit((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return found;
}

/** Whether a concrete path (OpenAPI's, with its {params} filled in) matches an Express path. */
function matches(expressPath: string, concrete: string): boolean {
  const pattern = expressPath
    .split(/(:\w+|\*\w+)/)
    .map((part) =>
      part.startsWith(':') ? '[^/]+' : part.startsWith('*') ? '.+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${pattern}$`).test(concrete);
}

let t: TestApp;
let routes: Set<string>;
beforeAll(async () => {
  // The gateways' webhooks exist only when configured.
  t = await startTestApp({
    config: {
      twilio: { authToken: 'routes-coverage', apiBaseUrl: 'http://127.0.0.1:9' },
      androidSms: { signingKey: 'routes-coverage' },
      telegram: {
        botToken: '1:routes-coverage-token-0000',
        webhookSecret: 'routes-coverage-secret',
        apiBaseUrl: 'http://127.0.0.1:9',
      },
    },
  });
  routes = registeredRoutes(t.app);
});
afterAll(() => t.close());

const PUBLIC_ROUTES = new Set(PUBLIC.map((p) => p.route));

it('finds the routes of every router, nested ones included', () => {
  expect(routes.size).toBeGreaterThan(60);
  expect(routes).toContain('GET /open311/v2/requests/:id.:format');
  expect(routes).toContain('DELETE /api/v1/api-keys/:id');
  expect(routes).toContain('STATIC /assets');
});

it('classifies every registered route as public or covered by the authorization matrix', () => {
  const unclassified = [...routes].filter((r) => !PUBLIC_ROUTES.has(r) && !AUTHZ_ROUTES.has(r));
  expect(unclassified).toEqual([]);
});

it('lists no route twice and none that does not exist', () => {
  expect([...PUBLIC_ROUTES].filter((r) => AUTHZ_ROUTES.has(r))).toEqual([]);
  expect([...PUBLIC_ROUTES, ...AUTHZ_ROUTES].filter((r) => !routes.has(r))).toEqual([]);
});

it('agrees with the OpenAPI document: each operation exists, and is staff-only exactly when it says so', () => {
  const disagreements: string[] = [];
  for (const [path, item] of Object.entries(openApiDocument('http://localhost').paths)) {
    for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
      const op = item?.[method];
      if (!op) continue;
      const concrete = path.replace(/\{\w+\}/g, 'x1');
      const route = [...routes].find((r) => {
        const [m, p] = r.split(' ') as [string, string];
        return m === method.toUpperCase() && matches(p, concrete);
      });
      const staffOnly = (op.security ?? []).length > 0;
      // A volunteer's route needs a session too, documented as such, but is no staff route.
      const volunteerOnly = PUBLIC.some((p) => p.route === route && p.access === 'volunteer');
      if (!route) disagreements.push(`${method.toUpperCase()} ${path}: not registered`);
      else if (volunteerOnly ? !staffOnly : staffOnly !== AUTHZ_ROUTES.has(route)) {
        disagreements.push(`${method.toUpperCase()} ${path}: documented ${staffOnly ? 'staff' : 'public'}`);
      }
    }
  }
  expect(disagreements).toEqual([]);
});

describe('every public route answers an anonymous client', () => {
  it.each(PUBLIC.filter((p) => !p.route.startsWith('STATIC') || p.sample))('$route', async (p) => {
    const [method, routePath] = p.route.split(' ') as [string, string];
    const path = p.sample?.path ?? routePath;
    let req = method === 'POST' ? request(t.app).post(path) : request(t.app).get(path);
    if (p.sample?.form) req = req.type('form').send(p.sample.form);
    else if (p.sample?.body) req = req.send(p.sample.body);
    const res = await req;
    if (p.access === 'signed') {
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).toMatch(/Signature|Secret-Token/);
    } else if (p.access === 'volunteer') {
      expect(res.status).toBe(401);
      expect(JSON.stringify(res.body)).toMatch(/volunteer/);
    } else if (p.access === 'api key') {
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).toMatch(/api_key/);
    } else {
      expect([401, 403]).not.toContain(res.status);
      // (503 is the page of a web app not built yet.)
      expect([500, 502, 504]).not.toContain(res.status);
    }
  });
});
