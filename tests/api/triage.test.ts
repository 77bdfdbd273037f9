import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createReport, loginAs, makeTeam, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
let coordinator: StaffAgent;
let responder: StaffAgent;
let teamId: number;

beforeAll(async () => {
  t = await startTestApp();
  teamId = await makeTeam(t);
  coordinator = await loginAs(t, 'coordinator');
  responder = await loginAs(t, 'responder', { teamId });
});
afterAll(() => t.close());

const patch = (who: StaffAgent, id: number, body: object) =>
  who.agent.patch(`/api/v1/reports/${id}`).set('X-CSRF-Token', who.csrf).send(body);

describe('workflow', () => {
  it('follows the allowed transitions and refuses others with 409', async () => {
    const id = await createReport(t);
    const verified = await patch(coordinator, id, { status: 'verified' });
    expect(verified.status).toBe(200);
    expect(verified.body.properties.status).toBe('verified');
    expect(verified.body.properties.allowed_transitions).toEqual(
      expect.arrayContaining(['assigned', 'in_progress', 'resolved', 'rejected', 'duplicate']),
    );
    const jump = await patch(coordinator, id, { status: 'new' });
    expect(jump.status).toBe(200);
    expect(jump.body.properties.status).toBe('new');
    const refused = await patch(coordinator, id, { status: 'in_progress' });
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.errors[0]).toMatchObject({ field: 'status' });
    expect(refused.body.errors[0].detail).toContain('new → in_progress is not allowed');
    expect((await patch(coordinator, id, { status: 'verified' })).status).toBe(200);
    expect((await patch(coordinator, id, { status: 'resolved' })).body.properties.resolved_at).toEqual(
      expect.any(String),
    );
    expect((await patch(coordinator, id, { status: 'verified' })).body.properties.resolved_at).toBeNull();
  });

  it('moves a new report to assigned when a team is assigned', async () => {
    const id = await createReport(t);
    const res = await patch(coordinator, id, { assigned_team_id: teamId });
    expect(res.status).toBe(200);
    expect(res.body.properties).toMatchObject({ status: 'assigned', assigned_team_id: teamId });
    expect((await patch(coordinator, id, { assigned_team_id: 999_999 })).status).toBe(422);
  });

  it('never leaves an assigned report assigned to nobody', async () => {
    const id = await createReport(t);
    const bare = await patch(coordinator, id, { status: 'assigned' });
    expect(bare.status).toBe(422);
    expect(bare.body.errors[0]).toMatchObject({ field: 'assigned_team_id' });
    expect((await patch(coordinator, id, { assigned_team_id: teamId })).body.properties.status).toBe('assigned');
    const cleared = await patch(coordinator, id, { assigned_team_id: null });
    expect(cleared.status).toBe(422);
    // Back to new (the dashboard's undo of an assignment) may drop the team.
    const undone = await patch(coordinator, id, { status: 'new', assigned_team_id: null });
    expect(undone.status).toBe(200);
    expect(undone.body.properties).toMatchObject({ status: 'new', assigned_team_id: null });
  });

  it('records every change in the history: who, when, what, from → to', async () => {
    const id = await createReport(t);
    await patch(coordinator, id, { status: 'verified', severity: 3, note: 'Seen on site' });
    await patch(coordinator, id, { assigned_team_id: teamId });
    const res = await coordinator.agent.get(`/api/v1/reports/${id}/history`);
    expect(res.status).toBe(200);
    const entries = res.body.history as {
      action: string;
      field: string | null;
      from: string | null;
      to: string | null;
      actor: { id: number } | null;
      created_at: string;
    }[];
    expect(entries[0]).toMatchObject({ action: 'created', actor: null, to: 'new' });
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'status',
          field: 'status',
          from: 'new',
          to: 'verified',
          actor: expect.objectContaining({ id: coordinator.user.id, role: 'coordinator' }),
        }),
        expect.objectContaining({ action: 'changed', field: 'severity', from: '2', to: '3' }),
        // Staff read the note's words and the team's name, not a bare id.
        expect.objectContaining({ action: 'note', note: 'Seen on site' }),
        expect.objectContaining({
          field: 'assigned_team_id',
          from: null,
          to: String(teamId),
          to_name: expect.stringMatching(/^Team /),
        }),
      ]),
    );
    const detail = await coordinator.agent.get(`/api/v1/staff/reports/${id}`);
    expect(detail.body.properties.notes[0]).toMatchObject({
      body: 'Seen on site',
      author: { id: coordinator.user.id },
    });
    expect(detail.body.properties.history).toHaveLength(entries.length);
  });

  it('marks a duplicate: confirmations carried over, the public page points to the original', async () => {
    const original = await createReport(t);
    const copy = await createReport(t);
    await request(t.app).post(`/api/v1/reports/${copy}/confirmations`).send({ type: 'still_there' }).expect(201);
    await request(t.app).post(`/api/v1/reports/${copy}/confirmations`).send({ type: 'still_there' }).expect(201);
    const res = await patch(coordinator, copy, { duplicate_of: original });
    expect(res.status).toBe(200);
    expect(res.body.properties).toMatchObject({ status: 'duplicate', duplicate_of: original });
    const publicCopy = await request(t.app).get(`/api/v1/reports/${copy}`);
    expect(publicCopy.body.properties).toMatchObject({ status: 'duplicate', duplicate_of: original });
    const publicOriginal = await request(t.app).get(`/api/v1/reports/${original}`);
    expect(publicOriginal.body.properties.confirmations.still_there).toBe(2);
    expect((await patch(coordinator, original, { duplicate_of: original })).status).toBe(422);
  });

  it('refuses a duplicate of another kind with 422 naming duplicate_of; help of help is fine', async () => {
    const at = { lat: 48.137, lon: 11.575 };
    const barrier = await createReport(t, at);
    // 0.6 m away: published on the coarse grid, while the barrier is published at its point.
    const help = await createReport(t, { category: 'help_medical', lat: at.lat + 0.0000054, lon: at.lon });
    for (const [copy, original] of [
      [help, barrier],
      [barrier, help],
    ] as const) {
      const res = await patch(coordinator, copy, { duplicate_of: original });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'duplicate_of', detail: expect.stringContaining('same kind') }]);
    }
    // Through a duplicate of a duplicate too: the link goes to the first report, of another kind.
    const otherBarrier = await createReport(t, at);
    expect((await patch(coordinator, otherBarrier, { duplicate_of: barrier })).status).toBe(200);
    expect((await patch(coordinator, help, { duplicate_of: otherBarrier })).status).toBe(422);
    expect((await coordinator.agent.get(`/api/v1/staff/reports/${help}`)).body.properties).toMatchObject({
      status: 'new',
      duplicate_of: null,
    });

    const secondHelp = await createReport(t, { category: 'help_assist', lat: at.lat + 0.0003, lon: at.lon });
    const res = await patch(coordinator, secondHelp, { duplicate_of: help });
    expect(res.status).toBe(200);
    const published = await request(t.app).get(`/api/v1/reports/${secondHelp}`);
    expect(published.body.properties.duplicate_of).toBe(help);
    // The original it names is published on the grid as well, never at its exact point.
    const original = await request(t.app).get(`/api/v1/reports/${help}`);
    expect(original.body.geometry.coordinates).not.toEqual([at.lon, at.lat + 0.0000054]);
  });

  it('applies bulk changes report by report', async () => {
    const a = await createReport(t);
    const b = await createReport(t);
    await patch(coordinator, b, { status: 'rejected' });
    const res = await coordinator.agent
      .post('/api/v1/reports/bulk')
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ ids: [a, b, 987654], changes: { status: 'verified' } });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: a, status: 200 },
      { id: b, status: 409, detail: expect.stringContaining('rejected → verified') },
      { id: 987654, status: 404, detail: expect.any(String) },
    ]);
  });

  it('lists the queue by priority: severity and help first', async () => {
    const low = await createReport(t, { severity: 1, lat: 1, lon: 1 });
    const urgentHelp = await createReport(t, {
      category: 'help_medical',
      severity: 3,
      people_count: 4,
      lat: 1,
      lon: 1,
    });
    const res = await coordinator.agent.get('/api/v1/staff/reports?bbox=0,0,2,2&status=new&sort=priority');
    const ids = res.body.features.map((f: { id: number }) => f.id);
    expect(ids.indexOf(urgentHelp)).toBeLessThan(ids.indexOf(low));
    const priorities = res.body.features.map((f: { properties: { priority: number } }) => f.properties.priority);
    expect(priorities).toEqual([...priorities].sort((x: number, y: number) => y - x));
    expect(res.body.features[0].properties).toHaveProperty('contact');
  });
});

describe('responders', () => {
  it('see their team’s assignments, start and resolve them, and nothing else', async () => {
    const id = await createReport(t);
    const other = await createReport(t);
    await patch(coordinator, id, { assigned_team_id: teamId });
    const mine = await responder.agent.get('/api/v1/my/assignments');
    expect(mine.body.features.map((f: { id: number }) => f.id)).toContain(id);
    expect(mine.body.features.map((f: { id: number }) => f.id)).not.toContain(other);
    expect((await patch(responder, id, { severity: 1 })).status).toBe(403);
    // Not theirs to read either: 404, as if it did not exist (responder-scope.test.ts).
    expect((await patch(responder, other, { status: 'in_progress' })).status).toBe(404);
    expect((await patch(responder, id, { status: 'in_progress' })).body.properties.status).toBe('in_progress');
    const done = await patch(responder, id, { status: 'resolved', note: 'Ramp installed' });
    expect(done.body.properties.status).toBe('resolved');
    expect((await request(t.app).get(`/api/v1/reports/${id}`)).body.properties.status).toBe('resolved');
    expect(
      (await responder.agent.get('/api/v1/my/assignments')).body.features.map((f: { id: number }) => f.id),
    ).not.toContain(id);
  });
});

describe('live events', () => {
  interface Received {
    id: string;
    event: string;
    data: { id: number; report: { properties: Record<string, unknown> } };
  }

  /** Opens the SSE stream on a real socket and collects events. */
  async function openStream(agent: StaffAgent, lastEventId?: string) {
    const server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const events: Received[] = [];
    let res!: http.IncomingMessage;
    const req = http.get(
      {
        port: (server.address() as AddressInfo).port,
        host: '127.0.0.1',
        path: '/api/v1/events',
        headers: { Cookie: agent.cookie, ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
      },
      (r) => {
        res = r;
        let buffer = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const field = (name: string) =>
              block
                .split('\n')
                .find((l) => l.startsWith(`${name}: `))
                ?.slice(name.length + 2);
            const data = field('data');
            if (data) events.push({ id: field('id')!, event: field('event')!, data: JSON.parse(data) });
          }
        });
      },
    );
    await new Promise((r) => setTimeout(r, 150));
    const waitFor = async (check: () => boolean) => {
      for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(check()).toBe(true);
    };
    return {
      events,
      waitFor,
      status: () => res?.statusCode,
      close: () => {
        req.destroy();
        server.close();
      },
    };
  }

  it('streams a new report and a change to staff, and replays from Last-Event-ID', async () => {
    const stream = await openStream(coordinator);
    expect(stream.status()).toBe(200);
    const id = await createReport(t, { contact: 'reachable@example.org' });
    await stream.waitFor(() => stream.events.some((e) => e.data.id === id && e.event === 'report.created'));
    const created = stream.events.find((e) => e.data.id === id)!;
    expect(created.data.report.properties.contact).toBe('reachable@example.org');
    await patch(coordinator, id, { status: 'verified' });
    await stream.waitFor(() => stream.events.some((e) => e.data.id === id && e.event === 'report.updated'));
    stream.close();

    // Missed while disconnected: a reconnect with Last-Event-ID gets it.
    const missed = await createReport(t);
    const again = await openStream(coordinator, created.id);
    await again.waitFor(() => again.events.some((e) => e.data.id === missed));
    const ids = again.events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(again.events.some((e) => e.event === 'report.updated' && e.data.id === id)).toBe(true);
    again.close();
  });
});

describe('deployments and hotspots', () => {
  const area = (lon: number, lat: number, d = 0.01) => ({
    type: 'Polygon',
    coordinates: [
      [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
      ],
    ],
  });

  it('finds hotspots of open reports weighted by severity', async () => {
    for (let i = 0; i < 6; i++) await createReport(t, { lat: -10 + i * 0.0002, lon: -20, severity: 3 });
    await createReport(t, { lat: -10.5, lon: -20.5 }); // alone
    const res = await coordinator.agent.get('/api/v1/hotspots?bbox=-21,-11,-19,-9&distance_m=100&min_reports=5');
    expect(res.status).toBe(200);
    expect(res.body.features).toHaveLength(1);
    expect(res.body.features[0].properties).toMatchObject({ count: 6, weight: 18, max_severity: 3 });
    expect(res.body.features[0].geometry.type).toBe('Polygon');
    const bad = await coordinator.agent.get('/api/v1/hotspots?bbox=-21,-11,-19,-9&distance_m=0');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('distance_m');
  });

  it('assigns the open reports inside a new deployment to its team', async () => {
    const inside = await createReport(t, { lat: 30.001, lon: 30.001 });
    const started = await createReport(t, { lat: 30.002, lon: 30.002 });
    await patch(coordinator, started, { status: 'verified' });
    await patch(coordinator, started, { status: 'in_progress' });
    const outside = await createReport(t, { lat: 31, lon: 31 });
    const res = await coordinator.agent
      .post('/api/v1/deployments')
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ name: 'Old town', team_id: teamId, area: area(30, 30) });
    expect(res.status).toBe(201);
    expect(res.body.report_ids).toEqual([inside]);
    const report = await coordinator.agent.get(`/api/v1/staff/reports/${inside}`);
    expect(report.body.properties).toMatchObject({
      status: 'assigned',
      assigned_team_id: teamId,
      deployment_id: res.body.id,
    });
    expect(report.body.properties.history.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(['status', 'assigned', 'deployed']),
    );
    expect((await coordinator.agent.get(`/api/v1/staff/reports/${outside}`)).body.properties.status).toBe('new');
    const list = await coordinator.agent.get('/api/v1/deployments');
    expect(list.body.deployments[0]).toMatchObject({ name: 'Old town', report_count: 1, open_count: 1 });
  });

  it('refuses a self-crossing area', async () => {
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
          [0, 0],
        ],
      ],
    };
    const res = await coordinator.agent
      .post('/api/v1/deployments')
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ name: 'Bad', team_id: teamId, area: bowtie });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('area');
  });
});

describe('staff map and overview', () => {
  it('shows staff the exact point of a help request', async () => {
    const exact = { lat: 45.123456, lon: 7.654321 };
    const id = await createReport(t, { category: 'help_shelter', ...exact });
    const staff = await coordinator.agent.get(`/api/v1/staff/clusters?bbox=7.6,45.1,7.7,45.2&zoom=15&kind=help`);
    const feature = staff.body.features.find((f: { id: number }) => f.id === id);
    expect(feature.geometry.coordinates[0]).toBeCloseTo(exact.lon, 6);
    expect(feature.geometry.coordinates[1]).toBeCloseTo(exact.lat, 6);
    const detail = await coordinator.agent.get(`/api/v1/staff/reports/${id}`);
    expect(detail.body.geometry.coordinates).toEqual([exact.lon, exact.lat]);
  });

  it('counts by category and status, per day, and the median time to resolve', async () => {
    const res = await coordinator.agent.get('/api/v1/overview?days=7');
    expect(res.status).toBe(200);
    expect(res.body.per_day).toHaveLength(7);
    const today = res.body.per_day[6];
    const { rows } = await t.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM reports WHERE created_at::date = current_date',
    );
    expect(today.created).toBe(rows[0]!.n);
    expect(today.resolved).toBeGreaterThanOrEqual(1);
    const total = res.body.by_category.reduce((n: number, r: { count: number }) => n + r.count, 0);
    const all = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
    expect(total).toBe(all.rows[0]!.n);
    expect(res.body.median_hours_to_resolve).toEqual(expect.any(Number));
  });
});
