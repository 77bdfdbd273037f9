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
import { REPLAY_CACHE_MS } from '../../server/db/replica';
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

  beforeAll(async () => {
    replica = await startReplica();
    t = await startTestApp({
      replicaUrl: replica.urlFor(process.env.TEST_DATABASE_URL!),
      config: { trustProxy: true },
      logger: pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) }),
    });
    coordinator = await loginAs(t, 'coordinator');
    // The test's schema and migrations, made on the primary, are on the replica too.
    await replica.caughtUp();
  }, 120_000);
  afterAll(async () => {
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
