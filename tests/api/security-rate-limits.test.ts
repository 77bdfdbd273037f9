// Per-client limits that X-Forwarded-For cannot dodge: without a trusted proxy the header is
// ignored; with TRUST_PROXY only its last entry (the one our proxy wrote) counts. Each block
// runs its own app with its own limits, so counters never leak between tests.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApiKey } from '../../server/features/apikeys/apikeys.service';
import { loginAs, makeStaff, PASSWORD } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

const report = { category: 'steps', lat: 52.52, lon: 13.405, severity: 2 };
const open311Form = (apiKey: string) => ({
  api_key: apiKey,
  service_code: 'steps',
  lat: '52.52',
  long: '13.405',
  'attribute[severity]': '2',
  'attribute[passability]': 'limited',
});
const randomAddress = () => `198.18.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

function expectLimited(res: request.Response, window: number): void {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.type).toMatch(/^urn:wegfrei:problem:/);
  const retry = Number(res.headers['retry-after']);
  expect(retry).toBeGreaterThan(0);
  expect(retry).toBeLessThanOrEqual(window);
  expect(res.headers['ratelimit']).toMatch(/limit=\d+, remaining=0, reset=\d+/);
  expect(res.headers['ratelimit-policy']).toMatch(new RegExp(`;w=${window}$`));
}

async function failLogin(t: TestApp, email: string, xff?: string): Promise<request.Response> {
  const req = request(t.app).post('/api/v1/auth/login');
  if (xff) req.set('X-Forwarded-For', xff);
  return req.send({ email, password: `wrong ${crypto.randomUUID()}` });
}

describe('without a trusted proxy (TRUST_PROXY off)', () => {
  let t: TestApp;
  let openKey: string;
  beforeAll(async () => {
    t = await startTestApp({ config: { reportRateLimit: 3, reportRateWindowS: 600 } });
    openKey = (await createApiKey(t.pool, { name: 'city 311', createdBy: null })).key;
  });
  afterAll(() => t.close());

  it('throttles failed logins to one account however X-Forwarded-For rotates', async () => {
    const victim = await makeStaff(t, 'coordinator');
    for (let i = 0; i < 6; i++) expect((await failLogin(t, victim.email, randomAddress())).status).not.toBe(200);
    const res = await request(t.app)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', randomAddress())
      .send({ email: victim.email, password: PASSWORD });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('counts every report channel of one address together, and X-Forwarded-For changes nothing', async () => {
    const count = async () => (await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;
    const before = await count();
    const sent = [
      await request(t.app).post('/api/v1/reports').set('X-Forwarded-For', randomAddress()).send(report),
      await request(t.app).post('/api/v1/reports').set('X-Forwarded-For', randomAddress()).send(report),
      await request(t.app)
        .post('/open311/v2/requests.json')
        .set('X-Forwarded-For', randomAddress())
        .type('form')
        .send(open311Form(openKey)),
    ];
    expect(sent.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(sent[0]!.headers['ratelimit']).toBe('limit=3, remaining=2, reset=600');
    expect(sent[0]!.headers['ratelimit-policy']).toBe('3;w=600');

    const refused = await request(t.app).post('/api/v1/reports').set('X-Forwarded-For', randomAddress()).send(report);
    expectLimited(refused, 600);
    expect(refused.body.status).toBe(429);
    expect(await count()).toBe(before + 3);

    // Open311 clients get the error in GeoReport's own format, as for every /open311/v2 error.
    const open311 = await request(t.app).post('/open311/v2/requests.xml').type('form').send(open311Form(openKey));
    expect(open311.status).toBe(429);
    expect(open311.headers['content-type']).toMatch(/^text\/xml/);
    expect(open311.text).toMatch(/<errors>\s*<error>\s*<code>429<\/code>\s*<description>Too many reports/);
    expect(Number(open311.headers['retry-after'])).toBeGreaterThan(0);
    expect(await count()).toBe(before + 3);
  });

  it('does not count staff, who may type in reports phoned in to a hotline', async () => {
    const staff = await loginAs(t, 'coordinator');
    for (let i = 0; i < 4; i++) expect((await staff.agent.post('/api/v1/reports').send(report)).status).toBe(201);
  });
});

describe('behind a trusted proxy (TRUST_PROXY on: the last X-Forwarded-For entry)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { trustProxy: true, reportRateLimit: 3, reportRateWindowS: 600 } });
  });
  afterAll(() => t.close());

  // What a client writes in the header comes first; our proxy appends the address it saw.
  const viaProxy = (client: string) => `${randomAddress()}, ${client}`;

  it('counts reports per address the proxy saw, whatever the client put before it', async () => {
    const post = (xff: string) => request(t.app).post('/api/v1/reports').set('X-Forwarded-For', xff).send(report);
    for (let i = 0; i < 3; i++) expect((await post(viaProxy('203.0.113.10'))).status).toBe(201);
    expectLimited(await post(viaProxy('203.0.113.10')), 600);
    // Someone else behind the same proxy is not held back.
    expect((await post(viaProxy('203.0.113.11'))).status).toBe(201);
  });

  it('counts an IPv6 /56 as one address for reports', async () => {
    const post = (i: number) =>
      request(t.app)
        .post('/api/v1/reports')
        .set('X-Forwarded-For', viaProxy(`2001:db8:77:1${(i * 37).toString(16).padStart(2, '0')}::${i + 1}`))
        .send(report);
    for (let i = 0; i < 3; i++) expect((await post(i)).status).toBe(201);
    expectLimited(await post(3), 600);
  });

  it('throttles failed logins per address the proxy saw, not per header', async () => {
    const victim = await makeStaff(t, 'coordinator');
    for (let i = 0; i < 6; i++) await failLogin(t, victim.email, viaProxy('203.0.113.20'));
    const login = (xff: string) =>
      request(t.app)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', xff)
        .send({ email: victim.email, password: PASSWORD });
    expect((await login(viaProxy('203.0.113.20'))).status).toBe(429);
    expect((await login(viaProxy('203.0.113.21'))).status).toBe(200);
  });

  it('throttles failed logins from one IPv6 /56 together, however its addresses rotate', async () => {
    const victim = await makeStaff(t, 'coordinator');
    const inBlock = (i: number) => viaProxy(`2001:db8:42:1${i.toString(16).padStart(2, '0')}::${i + 1}`);
    for (let i = 0; i < 6; i++) await failLogin(t, victim.email, inBlock(i * 41));
    const res = await request(t.app)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', inBlock(250))
      .send({ email: victim.email, password: PASSWORD });
    expect(res.status).toBe(429);
  });
});

describe('failed logins per address, over all accounts (password spraying)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { loginRateLimit: 3 } });
  });
  afterAll(() => t.close());

  it('lets successful logins through freely, then stops the third failure on different accounts', async () => {
    const user = await makeStaff(t, 'responder');
    for (let i = 0; i < 4; i++) {
      const ok = await request(t.app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD });
      expect(ok.status).toBe(200);
    }
    for (let i = 0; i < 3; i++)
      expect((await failLogin(t, `nobody${i}@example.org`, randomAddress())).status).toBe(401);
    const res = await failLogin(t, 'someone.else@example.org', randomAddress());
    expectLimited(res, 900);
    expect(res.body.errors[0].field).toBe('password');
  });
});

describe('failed logins per address, for a browser that logged in here before (device cookie)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { loginRateLimit: 3 } });
  });
  afterAll(() => t.close());

  it('still lets the real user in while someone behind the same address sprays passwords', async () => {
    const user = await makeStaff(t, 'coordinator');
    const browser = request.agent(t.app);
    expect((await browser.post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await failLogin(t, `sprayed${i}@example.org`)).status).toBe(401);
    expectLimited(await failLogin(t, 'sprayed9@example.org'), 900);
    // Without the cookie, or with one we never gave out, the address's limit holds…
    const anonymous = await request(t.app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD });
    expectLimited(anonymous, 900);
    const forged = await request(t.app)
      .post('/api/v1/auth/login')
      .set('Cookie', `wegfrei_device=${'f'.repeat(43)}`)
      .send({ email: user.email, password: PASSWORD });
    expectLimited(forged, 900);
    // …while the browser that logged in before gets in.
    expect((await browser.post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD })).status).toBe(200);
  });
});

describe('exports', () => {
  let t: TestApp;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp({ config: { exportConcurrentMax: 2, exportRateLimit: 5, exportRateWindowS: 300 } });
    await request(t.app).post('/api/v1/reports').send(report).expect(201);
    server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  /** Exports of this database's schema waiting for a lock, i.e. in flight. */
  const waitingExports = async () =>
    (
      await t.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'COPY%'`,
      )
    ).rows[0]!.n;

  // Needs a second connection to hold the lock while two exports wait: real PostgreSQL only
  // (the embedded database is one session).
  const itOnRealDatabase = process.env.TEST_DATABASE_URL ? it : it.skip;
  itOnRealDatabase(
    'runs at most two exports of one address at a time, and a finished one frees its place',
    async () => {
      // Holding the table locked keeps two exports in flight for as long as the test needs.
      const lock = await t.pool.connect();
      const inFlight: Promise<Response>[] = [];
      try {
        await lock.query('BEGIN');
        await lock.query('LOCK TABLE reports IN ACCESS EXCLUSIVE MODE');
        inFlight.push(fetch(`${base}/api/v1/exports/reports.csv`), fetch(`${base}/api/v1/exports/reports.geojson`));
        for (let i = 0; i < 200 && (await waitingExports()) < 2; i++) await new Promise((r) => setTimeout(r, 25));
        expect(await waitingExports()).toBe(2);

        const third = await fetch(`${base}/api/v1/exports/reports.geojsonseq`, {
          headers: { 'X-Forwarded-For': randomAddress() },
        });
        expect(third.status).toBe(429);
        expect(third.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await third.json()) as { detail: string }).detail).toMatch(/At most 2 exports at a time/);
      } finally {
        await lock.query('COMMIT');
        lock.release();
      }
      const done = await Promise.all(inFlight);
      expect(done.map((r) => r.status)).toEqual([200, 200]);
      await Promise.all(done.map((r) => r.text()));
      const next = await fetch(`${base}/api/v1/exports/reports.csv`);
      expect(next.status).toBe(200);
      await next.text();
    },
  );

  it('does not count HEAD, which runs no export (GDAL asks it before every download)', async () => {
    const before = (await fetch(`${base}/api/v1/exports/reports.csv`, { method: 'HEAD' })).headers.get('ratelimit');
    for (let i = 0; i < 8; i++) {
      expect((await fetch(`${base}/api/v1/exports/reports.csv`, { method: 'HEAD' })).status).toBe(200);
    }
    expect(before).toBeNull();
  });

  it('counts exports per address per window', async () => {
    // What is left of the window depends on the test before (skipped on the embedded database).
    let res = await fetch(`${base}/api/v1/exports/reports.csv`);
    expect(res.status).toBe(200);
    const header = res.headers.get('ratelimit') ?? '';
    expect(header).toMatch(/^limit=5, remaining=\d, reset=\d+$/);
    await res.text();
    for (let left = Number(/remaining=(\d)/.exec(header)![1]); left > 0; left--) {
      const more = await fetch(`${base}/api/v1/exports/reports.csv`);
      expect(more.status).toBe(200);
      await more.text();
    }
    res = await fetch(`${base}/api/v1/exports/reports.csv`, { headers: { 'X-Forwarded-For': randomAddress() } });
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('ratelimit-policy')).toBe('5;w=300');
  });
});

describe('reports refused as invalid', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { reportRateLimit: 2, reportRateWindowS: 600 } });
  });
  afterAll(() => t.close());

  it('do not count against the allowance an address shares (a shelter behind one address)', async () => {
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await request(t.app)
            .post('/api/v1/reports')
            .send({ ...report, lat: 'x' })
        ).status,
      ).toBe(422);
    }
    // Without an API key.
    const keyless = await request(t.app).post('/open311/v2/requests.json').type('form').send({ service_code: 'steps' });
    expect(keyless.status).toBe(403);
    expect((await request(t.app).post('/api/v1/reports').send(report)).status).toBe(201);
    expect((await request(t.app).post('/api/v1/reports').send(report)).status).toBe(201);
    expectLimited(await request(t.app).post('/api/v1/reports').send(report), 600);
  });

  it('nor do retries of a report already taken (the same Idempotency-Key)', async () => {
    const other = await startTestApp({ config: { reportRateLimit: 2, reportRateWindowS: 600 } });
    try {
      const key = crypto.randomUUID();
      const send = (app: TestApp) => request(app.app).post('/api/v1/reports').set('Idempotency-Key', key).send(report);
      const first = await send(other);
      expect(first.status).toBe(201);
      for (let i = 0; i < 3; i++) {
        const again = await send(other);
        expect(again.status).toBe(201);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.body.id).toBe(first.body.id);
      }
      expect((await request(other.app).post('/api/v1/reports').send(report)).status).toBe(201);
      expectLimited(await request(other.app).post('/api/v1/reports').send(report), 600);
    } finally {
      await other.close();
    }
  });
});

describe('expensive reads (tiles, clusters, lists, nearby, OGC items, Open311 lists)', () => {
  let t: TestApp;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp({
      config: { trustProxy: true, readRateLimit: 6, readRateWindowS: 60, readConcurrentMax: 2 },
    });
    server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const READS = [
    '/api/v1/reports?limit=5',
    '/api/v1/reports/nearby?lat=52.52&lon=13.405',
    '/api/v1/clusters?bbox=13,52,14,53&zoom=8',
    '/tiles/public/8/137/83.mvt',
    '/ogc/collections/reports/items?limit=5',
    '/open311/v2/requests.json',
  ];

  it("counts them per address per window, in each API's own error format, and not for staff", async () => {
    const from = (address: string) => (path: string) => request(t.app).get(path).set('X-Forwarded-For', address);
    const a = from('203.0.113.40');
    for (const path of READS) expect([path, (await a(path)).status]).toEqual([path, 200]);
    const refused = await a(READS[0]!);
    expectLimited(refused, 60);
    const open311 = await a('/open311/v2/requests.json');
    expect(open311.status).toBe(429);
    expect(open311.body).toEqual([{ code: 429, description: expect.stringMatching(/^Too many requests/) }]);
    // Another address is not held back, nor is staff at the first one.
    expect((await from('203.0.113.41')(READS[0]!)).status).toBe(200);
    const staff = await loginAs(t, 'coordinator');
    for (let i = 0; i < 8; i++) {
      expect((await staff.agent.get(READS[0]!).set('X-Forwarded-For', '203.0.113.40')).status).toBe(200);
    }
  });

  it('counts one report and nearby (which both paths match) once per request', async () => {
    const from = (address: string) => (path: string) => request(t.app).get(path).set('X-Forwarded-For', address);
    const nearby = from('203.0.113.42');
    for (let i = 0; i < 6; i++) expect((await nearby('/api/v1/reports/nearby?lat=52.52&lon=13.405')).status).toBe(200);
    expectLimited(await nearby('/api/v1/reports/nearby?lat=52.52&lon=13.405'), 60);
    const one = from('203.0.113.43');
    for (let i = 0; i < 6; i++) expect((await one('/api/v1/reports/999999')).status).toBe(404);
    expectLimited(await one('/api/v1/reports/999999'), 60);
  });

  // Needs a second connection to hold reads in flight: real PostgreSQL only.
  const itOnRealDatabase = process.env.TEST_DATABASE_URL ? it : it.skip;
  itOnRealDatabase("runs two of one address's reads at a time, queues the rest, and lets others past", async () => {
    // Every backend waiting for the lock below is one of these reads (nothing else runs here);
    // their text is not matched, since pg_stat_activity keeps only its first 1,024 bytes and the
    // list's column list alone is longer than that now.
    const inDatabase = async () =>
      (
        await t.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND backend_type = 'client backend'`,
        )
      ).rows[0]!.n;
    const get = (address: string) =>
      fetch(`${base}/api/v1/reports?limit=1&bbox=0,0,1,1`, { headers: { 'X-Forwarded-For': address } });
    const lock = await t.pool.connect();
    const inFlight: Promise<Response>[] = [];
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE reports IN ACCESS EXCLUSIVE MODE');
      for (let i = 0; i < 4; i++) inFlight.push(get('203.0.113.50'));
      inFlight.push(get('203.0.113.51'));
      for (let i = 0; i < 200 && (await inDatabase()) < 3; i++) await new Promise((r) => setTimeout(r, 25));
      // Two of the first address and the other address's one; the first's other two wait in its line.
      expect(await inDatabase()).toBe(3);
    } finally {
      await lock.query('COMMIT');
      lock.release();
    }
    const done = await Promise.all(inFlight);
    expect(done.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await Promise.all(done.map((r) => r.text()));
  });

  itOnRealDatabase("puts a coordinator's queue searches in the account's line, not in front of everybody", async () => {
    const [flooder, other] = [await loginAs(t, 'coordinator'), await loginAs(t, 'coordinator')];
    const search = (who: { cookie: string }) =>
      fetch(`${base}/api/v1/staff/reports?q=kerb%20ramp&limit=1`, { headers: { Cookie: who.cookie } });
    const lock = await t.pool.connect();
    const flood: Promise<Response>[] = [];
    let others: Promise<Response>;
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE reports IN ACCESS EXCLUSIVE MODE');
      // Two run (and wait for the lock), 64 wait in the account's line, the rest are refused.
      // Which four are refused is the order they reach the server in, not the order they were
      // sent in: seventy connections open at once.
      const answered: number[] = [];
      for (let i = 0; i < 70; i++) flood.push(search(flooder).then((r) => (answered.push(r.status), r)));
      for (let i = 0; i < 320 && answered.length < 4; i++) await new Promise((r) => setTimeout(r, 25));
      expect(answered).toEqual([429, 429, 429, 429]);
      // Another coordinator has a line of their own.
      others = search(other);
    } finally {
      await lock.query('COMMIT');
      lock.release();
    }
    expect((await others).status).toBe(200);
    const done = await Promise.all(flood);
    expect(done.filter((r) => r.status === 200)).toHaveLength(66);
    await Promise.all(done.map((r) => r.text()));
  });
});

// Reads are counted in memory and sent in batches (server/http/rate-limit-batch.ts): two apps
// over one schema stand for two processes behind a balancer. PostgreSQL only: the embedded
// database is one process and counts in memory.
const describeOnRealDatabase = process.env.TEST_DATABASE_URL ? describe : describe.skip;
describeOnRealDatabase('expensive reads counted in batches by several processes', () => {
  const LIMIT = 40;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const config = { trustProxy: true, readRateLimit: LIMIT, readRateWindowS: 60, readConcurrentMax: 0 };
    a = await startTestApp({ config });
    b = await startTestApp({ config, sameDatabaseAs: a });
    // Counts the statements that write counts (an INSERT … ON CONFLICT fires INSERT's once).
    await a.pool.query(`
      CREATE TABLE ${a.schema}.count_writes (n integer NOT NULL);
      INSERT INTO ${a.schema}.count_writes VALUES (0);
      CREATE FUNCTION ${a.schema}.count_write() RETURNS trigger LANGUAGE plpgsql AS
        'BEGIN UPDATE ${a.schema}.count_writes SET n = n + 1; RETURN NULL; END';
      CREATE TRIGGER count_writes AFTER INSERT ON ${a.schema}.rate_limit_hits
        FOR EACH STATEMENT EXECUTE FUNCTION ${a.schema}.count_write();`);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const read = (t: TestApp, address: string) =>
    request(t.app).get('/api/v1/reports/999999').set('X-Forwarded-For', address);
  /** The reads counted in the database so far (all addresses). */
  const counted = async () =>
    Number(
      (
        await a.pool.query<{ n: string }>(
          `SELECT coalesce(sum(hits), 0) AS n FROM rate_limit_hits WHERE key LIKE 'reads:%'`,
        )
      ).rows[0]!.n,
    );
  const writes = async () => Number((await a.pool.query<{ n: number }>('SELECT n FROM count_writes')).rows[0]!.n);
  async function untilCounted(n: number) {
    for (let i = 0; i < 200 && (await counted()) < n; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await counted()).toBe(n);
  }

  it('limits one address across two processes, each exact at the limit for its own reads', async () => {
    const address = '203.0.113.60';
    for (let i = 0; i < LIMIT; i++) expect((await read(a, address)).status).toBe(404);
    expectLimited(await read(a, address), 60);
    await untilCounted(LIMIT + 1);
    // B knows nothing of the address until its first flush returns the shared count: it lets
    // some through (the documented overshoot, at most a quarter of the limit plus one flush's
    // worth), then refuses, long before the LIMIT it would allow on its own.
    let allowedOnB = 0;
    while (allowedOnB < LIMIT && (await read(b, address)).status !== 429) allowedOnB++;
    expect(allowedOnB).toBeLessThan(LIMIT / 2);
    expectLimited(await read(b, address), 60);
    // Another address is its own.
    expect((await read(b, '203.0.113.61')).status).toBe(404);
    // Every read B counted reaches the database too (the refused ones count, as on one process).
    await untilCounted(LIMIT + 1 + allowedOnB + 3);
  });

  it('does not write to the database once per read', async () => {
    const before = await writes();
    const already = await counted();
    const address = '203.0.113.62';
    for (let i = 0; i < 5; i++) {
      const burst = await Promise.all(Array.from({ length: 6 }, () => read(a, address)));
      expect(burst.map((r) => r.status)).toEqual(Array(6).fill(404));
    }
    await untilCounted(already + 30);
    // Thirty reads, a few flushes (every 250 ms, or at a quarter of the limit).
    expect((await writes()) - before).toBeLessThan(10);
  });
});

describe('a limit set to 0', () => {
  it('is off', async () => {
    const t = await startTestApp({ config: { reportRateLimit: 0 } });
    try {
      const res = await request(t.app).post('/api/v1/reports').send(report);
      expect(res.status).toBe(201);
      expect(res.headers['ratelimit']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
