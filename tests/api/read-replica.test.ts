// Public reads from a streaming replica (server/db/replica.ts) against a real one, made by the
// test from the local PostgreSQL (tests/support/replica.ts). That the replica serves a read is
// shown by pausing its replay: what the primary has and the replica has not replayed yet is
// missing from the public answers — except for the client that wrote it.
//
// PostgreSQL only: the embedded database has no replicas (DATABASE_READ_URL needs DATABASE_URL).
import crypto from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import request from 'supertest';
import { parseLsn, readScope, REPLAY_CACHE_MS } from '../../server/db/replica';
import { PUBLIC_LIST_CACHE } from '../../server/http/conditional';
import { replicaLagFigure } from '../../server/db/replica-lag';
import { startReplica, type Replica } from '../support/replica';
import { loginAs, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

const describeOnRealDatabase = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describeOnRealDatabase('public reads from a read replica', () => {
  let replica: Replica;
  let t: TestApp;
  const logged: string[] = [];
  let coordinator: StaffAgent;
  /** A second process on the same database and replica, trusting the replica only 2 s behind. */
  let strict: TestApp;
  const strictLogged: string[] = [];

  beforeAll(async () => {
    replica = await startReplica();
    t = await startTestApp({
      replicaUrl: replica.urlFor(process.env.TEST_DATABASE_URL!),
      config: { trustProxy: true },
      logger: pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) }),
    });
    coordinator = await loginAs(t, 'coordinator');
    strict = await startTestApp({
      sameDatabaseAs: t,
      replicaUrl: replica.urlFor(process.env.TEST_DATABASE_URL!),
      replicaMaxLagS: 2,
      config: { trustProxy: true },
      logger: pino({ level: 'info' }, { write: (line: string) => void strictLogged.push(line) }),
    });
    // The test's schema and migrations, made on the primary, are on the replica too.
    await replica.caughtUp();
  }, 120_000);
  afterAll(async () => {
    await strict?.close();
    await t?.close();
    await replica?.remove();
  });

  const bbox = '13.3,52.4,13.5,52.6';
  const near = '13.4,52.515,13.41,52.525';
  const address = () => `198.51.100.${crypto.randomInt(1, 255)}`;
  const newReport = (client: request.Agent | ReturnType<typeof request>) =>
    client
      .post('/api/v1/reports')
      .set('X-Forwarded-For', address())
      .send({ kind: 'barrier', category: 'steps', lat: 52.52, lon: 13.405, severity: 2 });
  /** Which server answers an app's public reads now (in the read scope of the caller). */
  const servedBy = async (app: TestApp) =>
    (await app.readPool.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]!.r ? 'replica' : 'primary';
  /** Waits for a state that the pool's once-a-second bookkeeping reaches (never a bound on speed). */
  const eventually = async (check: () => Promise<boolean>, what: string, timeoutMs = 15_000) => {
    for (const until = Date.now() + timeoutMs; !(await check());) {
      if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const listedIds = async (res: request.Response) => (res.body.features as { id: number }[]).map((f) => f.id);

  it('serves everyone from the replica, and the reporter their own report at once', async () => {
    await replica.pauseReplay();
    let id: number;
    const reporter = request.agent(t.app);
    try {
      const created = await newReport(reporter);
      expect(created.status).toBe(201);
      id = created.body.id;
      const position = String(created.headers['wegfrei-read-after']);
      expect(position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      expect(String(created.headers['set-cookie'])).toMatch(/wegfrei_read_after=[^;]+;.*HttpOnly/);

      // The reporter's app keeps the cookie: its report and the list include it at once,
      // in answers no shared cache may keep.
      const own = await reporter.get(`/api/v1/reports/${id}`);
      expect(own.status).toBe(200);
      expect(own.headers['cache-control']).toMatch(/^private/);
      expect(await listedIds(await reporter.get(`/api/v1/reports?bbox=${bbox}`))).toContain(id);
      // An API client sends the header back instead.
      const api = await request(t.app).get(`/api/v1/reports/${id}`).set('Wegfrei-Read-After', position);
      expect(api.status).toBe(200);

      // Everyone else reads the replica, which has not replayed the report yet.
      expect((await request(t.app).get(`/api/v1/reports/${id}`)).status).toBe(404);
      const list = await request(t.app).get(`/api/v1/reports?bbox=${bbox}`);
      expect(list.status).toBe(200);
      expect(await listedIds(list)).not.toContain(id);
      expect(list.headers.vary).toMatch(/Wegfrei-Read-After/i);
      expect(list.headers['cache-control'] ?? '').not.toMatch(/private/);
      // Staff views read the primary: a coordinator sees a report the moment it is made.
      const staffList = await coordinator.agent.get(`/api/v1/staff/reports?bbox=${bbox}`);
      expect(await listedIds(staffList)).toContain(id);
      const staffClusters = await coordinator.agent.get(`/api/v1/staff/clusters?bbox=${near}&zoom=15`);
      expect(await listedIds(staffClusters)).toContain(id);
      expect(await listedIds(await request(t.app).get(`/api/v1/clusters?bbox=${near}&zoom=15`))).not.toContain(id);
    } finally {
      await replica.resumeReplay();
    }
    await replica.caughtUp();
    expect((await request(t.app).get(`/api/v1/reports/${id}`)).status).toBe(200);
    expect(await listedIds(await request(t.app).get(`/api/v1/reports?bbox=${bbox}`))).toContain(id);

    // Once the replica has their report, the reporter reads the replica again (after the
    // replay position the app remembers has aged): someone else's newer report is not there yet.
    await new Promise((resolve) => setTimeout(resolve, 2 * REPLAY_CACHE_MS));
    await replica.pauseReplay();
    try {
      const later = (await newReport(request(t.app))).body.id as number;
      const list = await reporter.get(`/api/v1/reports?bbox=${bbox}`);
      expect(await listedIds(list)).toContain(id);
      expect(await listedIds(list)).not.toContain(later);
    } finally {
      await replica.resumeReplay();
    }
  });

  it('shows whoever confirmed a report their own confirmation at once', async () => {
    const id = (await newReport(request(t.app))).body.id as number;
    await replica.caughtUp();
    await replica.pauseReplay();
    try {
      const confirmer = request.agent(t.app);
      const confirmed = await confirmer
        .post(`/api/v1/reports/${id}/confirmations`)
        .set('X-Forwarded-For', address())
        .send({ type: 'still_there', device: crypto.randomUUID() });
      expect(confirmed.status).toBe(201);
      expect(confirmed.body.confirmations).toEqual({ still_there: 1, gone: 0 });
      const own = await confirmer.get(`/api/v1/reports/${id}`);
      expect(own.body.properties.confirmations).toMatchObject({ still_there: 1 });
      const others = await request(t.app).get(`/api/v1/reports/${id}`);
      expect(others.body.properties.confirmations).toMatchObject({ still_there: 0 });
    } finally {
      await replica.resumeReplay();
    }
  });

  it('measures the replica lag for the bench', async () => {
    const primary = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 1 });
    const onReplica = new pg.Pool({ connectionString: replica.urlFor(process.env.TEST_DATABASE_URL!), max: 1 });
    try {
      const figure = await replicaLagFigure(primary, onReplica, 3);
      expect(figure.samples).toBe(3);
      expect(figure.maxMs).toBeGreaterThanOrEqual(figure.medianMs);
      expect(figure.medianMs).toBeGreaterThan(0);
    } finally {
      await Promise.all([primary.end(), onReplica.end()]);
    }
  });

  it('stops reading a replica more than REPLICA_MAX_LAG_S behind, and goes back once it has caught up', async () => {
    const id = (await newReport(request(t.app))).body.id as number;
    await replica.caughtUp();
    expect((await request(strict.app).get(`/api/v1/reports/${id}`)).status).toBe(200);
    await replica.pauseReplay();
    try {
      await coordinator.agent
        .patch(`/api/v1/staff/reports/${id}/publication`)
        .set('X-CSRF-Token', coordinator.csrf)
        .send({ hidden: true })
        .expect(204);
      // The replica still has the report public (a process allowing 5 s still reads there)…
      expect((await request(t.app).get(`/api/v1/reports/${id}`)).status).toBe(200);
      // …but once it is more than 2 s behind, the public reads go to the primary: the report is gone.
      await eventually(
        async () => (await request(strict.app).get(`/api/v1/reports/${id}`)).status === 404,
        'the hidden report leaves the public read',
      );
      expect(await listedIds(await request(strict.app).get(`/api/v1/reports?bbox=${bbox}`))).not.toContain(id);
      expect(await servedBy(strict)).toBe('primary');
      const warnings = strictLogged.filter((l) => /read replica is \d+ s behind; reading from the primary/.test(l));
      expect(warnings).toHaveLength(1);
    } finally {
      await replica.resumeReplay();
    }
    await replica.caughtUp();
    await eventually(async () => (await servedBy(strict)) === 'replica', 'the public reads go to the replica again');
    expect(strictLogged.filter((l) => l.includes('read replica has caught up'))).toHaveLength(1);
    expect((await request(strict.app).get(`/api/v1/reports/${id}`)).status).toBe(404);
  }, 30_000);

  it('takes a read-after position beyond the primary for the primary position now: it does not pin reads there', async () => {
    await replica.caughtUp();
    const forged = 'FFFFFFFF/FFFFFFFF';
    const res = await request(strict.app).get(`/api/v1/reports?bbox=${bbox}`).set('Wegfrei-Read-After', forged);
    expect(res.status).toBe(200);
    // Clamped to where the primary is, which the replica reaches within milliseconds.
    await eventually(
      async () => (await readScope.run({ after: parseLsn(forged) }, () => servedBy(strict))) === 'replica',
      'a forged position reads the replica',
    );
  }, 30_000);

  it('keeps shared caching for a malformed position and for cookies that change nothing', async () => {
    const url = `/api/v1/reports?bbox=${bbox}`;
    // One Host for all (supertest's server has a new port each time; links, and so ETags, follow it).
    const get = () => request(t.app).get(url).set('Host', 'wegfrei.test');
    const plain = await get().expect(200);
    for (const [header, value] of [
      ['Wegfrei-Read-After', 'FFFFFFFFF/0'],
      ['Wegfrei-Read-After', 'now'],
      ['Cookie', 'wegfrei_x=1'],
      ['Cookie', 'wegfrei_read_after=junk'],
    ] as const) {
      const res = await get().set(header, value);
      expect([value, res.status, res.headers['cache-control']]).toEqual([value, 200, PUBLIC_LIST_CACHE]);
      expect(res.headers.etag).toMatch(/^W\//);
      await get().set(header, value).set('If-None-Match', plain.headers.etag!).expect(304);
    }
    // A well-formed position is still its holder's alone.
    const own = await get().set('Wegfrei-Read-After', '0/1').set('If-None-Match', plain.headers.etag!).expect(200);
    expect(own.headers['cache-control']).toMatch(/^private/);
    expect(own.headers.etag).not.toBe(plain.headers.etag);
  });

  it('reads from the primary while the replica is down, and says so once', async () => {
    const id = (await newReport(request(t.app))).body.id as number;
    await replica.stop();
    expect((await request(t.app).get(`/api/v1/reports/${id}`)).status).toBe(200);
    expect(await listedIds(await request(t.app).get(`/api/v1/reports?bbox=${bbox}`))).toContain(id);
    const tile = await request(t.app).get('/tiles/public/14/8802/5374.mvt');
    expect(tile.status).toBeLessThan(300);
    const warnings = logged.filter((line) => line.includes('read replica unavailable'));
    expect(warnings).toHaveLength(1);
  });
});
