// Responders see their work, not everyone's: a responder of team A reads a report assigned to
// team A through every staff read — detail, history, notes, list, staff tiles and clusters, live
// events — and one assigned to team B through none of them, not even as a count or an id.
// The live replay is bounded. The matrix of status codes is in authz.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import request from 'supertest';
import { MAX_STREAMS_PER_USER, REPLAY_MAX_EVENTS, REPLAY_MAX_HOURS } from '../../server/features/live/live.routes';
import { closeStreams, openLiveStream } from './support/live-stream';
import { tileOf } from './support/tiles';
import { createReport, loginAs, makeTeam, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

let t: TestApp;
let coordinator: StaffAgent;
let responder: StaffAgent;
let ours: number;
let theirs: number;
let teamA: number;
/** A place of its own, so no other report of this file is near. */
const PLACE = { lat: -33.92, lon: 18.42 };
const OURS_CONTACT = 'ours-contact@example.org';
const THEIRS_CONTACT = 'theirs-contact@example.org';
const THEIRS_NOTE = 'Gate code 4711 for the other team';

const patch = (who: StaffAgent, id: number, body: object) =>
  who.agent.patch(`/api/v1/reports/${id}`).set('X-CSRF-Token', who.csrf).send(body);

beforeAll(async () => {
  // A responder's clusters are counted live, at most this many reports (tiles.service.ts).
  t = await startTestApp({ config: { tileSinceMaxReports: 2 } });
  teamA = await makeTeam(t);
  const teamB = await makeTeam(t);
  coordinator = await loginAs(t, 'coordinator');
  responder = await loginAs(t, 'responder', { teamId: teamA });
  ours = await createReport(t, { ...PLACE, contact: OURS_CONTACT });
  // 0.6 m away: the two are one point on any map but the closest.
  theirs = await createReport(t, { lat: PLACE.lat + 0.000005, lon: PLACE.lon, contact: THEIRS_CONTACT });
  expect((await patch(coordinator, ours, { assigned_team_id: teamA })).status).toBe(200);
  expect((await patch(coordinator, theirs, { assigned_team_id: teamB, note: THEIRS_NOTE })).status).toBe(200);
});
afterAll(() => t.close());

const ids = (body: { features: { id?: number }[] }) => body.features.map((f) => f.id);

describe('reads of one report', () => {
  it("gives the team's report with its contact, history and notes", async () => {
    const detail = await responder.agent.get(`/api/v1/staff/reports/${ours}`);
    expect(detail.status).toBe(200);
    expect(detail.body.properties.contact).toBe(OURS_CONTACT);
    expect(detail.body.properties.history.length).toBeGreaterThan(0);
    expect((await responder.agent.get(`/api/v1/reports/${ours}/history`)).status).toBe(200);
  });

  it("answers 404 for another team's report, as for one that does not exist", async () => {
    for (const path of [`/api/v1/staff/reports/${theirs}`, `/api/v1/reports/${theirs}/history`]) {
      const res = await responder.agent.get(path);
      const missing = await responder.agent.get(path.replace(String(theirs), '987654321'));
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.title).toBe(missing.body.title);
      expect(JSON.stringify(res.body)).not.toContain(THEIRS_CONTACT);
    }
    const changes = [
      patch(responder, theirs, { status: 'in_progress' }),
      responder.agent.post(`/api/v1/reports/${theirs}/notes`).set('X-CSRF-Token', responder.csrf).send({ body: 'x' }),
    ];
    for (const res of await Promise.all(changes)) expect(res.status).toBe(404);
  });

  it('leaves coordinators every report', async () => {
    const res = await coordinator.agent.get(`/api/v1/staff/reports/${theirs}`);
    expect(res.body.properties.contact).toBe(THEIRS_CONTACT);
    expect(res.body.properties.notes[0].body).toBe(THEIRS_NOTE);
  });
});

describe('lists and maps', () => {
  const bbox = `${PLACE.lon - 0.01},${PLACE.lat - 0.01},${PLACE.lon + 0.01},${PLACE.lat + 0.01}`;

  it("list the team's report only", async () => {
    const list = await responder.agent.get(`/api/v1/staff/reports?bbox=${bbox}`);
    expect(list.status).toBe(200);
    expect(ids(list.body)).toEqual([ours]);
    // A filter cannot widen the scope.
    const asked = await responder.agent.get(`/api/v1/staff/reports?bbox=${bbox}&team_id=999999`);
    expect(ids(asked.body)).toEqual([]);
    const all = await coordinator.agent.get(`/api/v1/staff/reports?bbox=${bbox}`);
    expect(ids(all.body).sort()).toEqual([ours, theirs].sort());
  });

  it.each([15, 12, 8, 3])('staff clusters at zoom %i count the team’s report only', async (zoom) => {
    const wide = `${PLACE.lon - 1},${PLACE.lat - 1},${PLACE.lon + 1},${PLACE.lat + 1}`;
    const count = async (who: StaffAgent) => {
      const res = await who.agent.get(`/api/v1/staff/clusters?bbox=${zoom >= 15 ? bbox : wide}&zoom=${zoom}`);
      expect(res.status).toBe(200);
      const features = res.body.features as { id?: number; properties: { cluster: boolean; count?: number } }[];
      return {
        n: features.reduce((n, f) => n + (f.properties.cluster ? f.properties.count! : 1), 0),
        ids: features.filter((f) => !f.properties.cluster).map((f) => f.id),
      };
    };
    const mine = await count(responder);
    expect(mine.n).toBe(1);
    if (zoom >= 15) expect(mine.ids).toEqual([ours]);
    expect((await count(coordinator)).n).toBe(2);
  });

  async function tile(who: StaffAgent, z: number, audience = 'staff') {
    const { x, y } = tileOf(PLACE.lon, PLACE.lat, z);
    const res = await who.agent
      .get(`/tiles/${audience}/${z}/${x}/${y}.mvt`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const layer = new VectorTile(new PbfReader(res.body as Buffer)).layers.reports;
    const features = [];
    for (let i = 0; layer && i < layer.length; i++) features.push(layer.feature(i));
    return {
      count: features.reduce((n, f) => n + (typeof f.properties.count === 'number' ? f.properties.count : 1), 0),
      ids: features.map((f) => f.id),
    };
  }

  it.each([16, 15, 10, 2])('staff tiles at zoom %i hold the team’s report only', async (z) => {
    const mine = await tile(responder, z);
    expect(mine.count).toBe(1);
    if (z >= 15) expect(mine.ids).toEqual([ours]);
    expect((await tile(coordinator, z)).count).toBe(2);
  });

  it("refuse to count more of a responder's reports live than the bound, and say where", async () => {
    const more = [await createReport(t, PLACE), await createReport(t, PLACE)];
    for (const id of more) await patch(coordinator, id, { assigned_team_id: teamA });
    try {
      const wide = `${PLACE.lon - 1},${PLACE.lat - 1},${PLACE.lon + 1},${PLACE.lat + 1}`;
      const clusters = await responder.agent.get(`/api/v1/staff/clusters?bbox=${wide}&zoom=8`);
      expect(clusters.status).toBe(422);
      expect(clusters.body.errors[0].field).toBe('zoom');
      const { x, y } = tileOf(PLACE.lon, PLACE.lat, 10);
      const tile = await responder.agent.get(`/tiles/staff/10/${x}/${y}.mvt`);
      expect(tile.status).toBe(422);
      expect(tile.body.errors[0].field).toBe('z');
      // Zoomed in they are single reports, and a coordinator's clusters come from the cells.
      expect((await responder.agent.get(`/api/v1/staff/clusters?bbox=${bbox}&zoom=15`)).status).toBe(200);
      expect((await coordinator.agent.get(`/api/v1/staff/clusters?bbox=${wide}&zoom=8`)).status).toBe(200);
    } finally {
      for (const id of more) await patch(coordinator, id, { assigned_team_id: null, status: 'verified' });
    }
  });

  it('leave the public map the same for a logged-in responder', async () => {
    expect((await tile(responder, 16, 'public')).ids).toEqual(expect.arrayContaining([ours, theirs]));
  });
});

/** Streams still open: a test that failed before closing its own must not keep Jest running. */
afterEach(closeStreams);

const openStream = (who: StaffAgent, lastEventId?: number) => openLiveStream(t.app, who, lastEventId);

const lastEventOf = async (reportId: number) =>
  (
    await t.pool.query<{ id: number }>('SELECT max(id)::bigint AS id FROM report_events WHERE report_id = $1', [
      reportId,
    ])
  ).rows[0]!.id;

describe('live events', () => {
  it("replay and stream the team's report, and not a word of another team's", async () => {
    const replay = await openStream(responder, 0);
    const latest = await lastEventOf(ours);
    await replay.waitFor(() => replay.events().some((e) => e.id === latest));
    expect(replay.raw()).toContain(OURS_CONTACT);

    // As it happens: a change of theirs, then one of ours (events arrive in order).
    await patch(coordinator, theirs, { severity: 3, note: 'Call the neighbour' });
    await patch(coordinator, ours, { severity: 3 });
    const after = await lastEventOf(ours);
    await replay.waitFor(() => replay.events().some((e) => e.id === after));
    replay.close();

    for (const text of [replay.raw()]) {
      expect(text).not.toContain(THEIRS_CONTACT);
      expect(text).not.toContain(THEIRS_NOTE);
    }
    expect(replay.events().some((e) => e.data.id === theirs)).toBe(false);

    // A coordinator's stream has both.
    const all = await openStream(coordinator, 0);
    await all.waitFor(() => all.events().some((e) => e.id === after));
    all.close();
    expect(all.raw()).toContain(THEIRS_CONTACT);
  });

  it('has no public stream: without a session it is a 401 and sends nothing', async () => {
    for (const path of ['/api/v1/events', '/api/v1/events?last_event_id=0']) {
      const res = await request(t.app).get(path).set('Last-Event-ID', '0');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.text).not.toContain('contact');
    }
  });

  it(`replays at most the last ${REPLAY_MAX_EVENTS} events, and says so`, async () => {
    await t.pool.query(
      `INSERT INTO report_events (type, report_id) SELECT 'report.updated', $1 FROM generate_series(1, $2::int)`,
      [ours, REPLAY_MAX_EVENTS + 100],
    );
    const head = await lastEventOf(ours);
    const stream = await openStream(coordinator, 0);
    await stream.waitFor(() => stream.events().some((e) => e.id === head));
    stream.close();
    const events = stream.events();
    expect(events[0]!.event).toBe('replay.truncated');
    expect(events[0]!.id).toBeUndefined();
    const replayed = events.filter((e) => e.id !== undefined);
    expect(replayed).toHaveLength(REPLAY_MAX_EVENTS);
    expect(replayed[0]!.id).toBe(head - REPLAY_MAX_EVENTS + 1);

    // A client that missed nothing older gets no such notice.
    const recent = await openStream(coordinator, head - 5);
    await recent.waitFor(() => recent.events().some((e) => e.id === head));
    recent.close();
    expect(recent.events().map((e) => e.id)).toEqual([head - 4, head - 3, head - 2, head - 1, head]);
  });

  it(`replays nothing older than ${REPLAY_MAX_HOURS} hours`, async () => {
    const before = await lastEventOf(ours);
    await t.pool.query(
      `UPDATE report_events SET created_at = now() - make_interval(hours => $1::int + 1) WHERE id <= $2`,
      [REPLAY_MAX_HOURS, before],
    );
    await patch(coordinator, ours, { severity: 2 });
    const fresh = await lastEventOf(ours);
    const stream = await openStream(coordinator, before - 10);
    await stream.waitFor(() => stream.events().some((e) => e.id === fresh));
    stream.close();
    const events = stream.events();
    expect(events.map((e) => e.event)).toEqual(['replay.truncated', 'report.updated']);
    expect(events[1]!.id).toBe(fresh);
  });
  it(`opens at most ${MAX_STREAMS_PER_USER} streams per account: each holds a socket, a heartbeat and its replay`, async () => {
    const server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    const open = () =>
      new Promise<{ status: number; body: string; req: http.ClientRequest }>((resolve) => {
        const req = http.get(
          { host: '127.0.0.1', port, path: '/api/v1/events', headers: { Cookie: coordinator.cookie } },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            // A stream answers its head at once; a refusal ends.
            if (res.statusCode === 200) resolve({ status: 200, body, req });
            else res.on('end', () => resolve({ status: res.statusCode ?? 0, body, req }));
          },
        );
        req.on('error', () => resolve({ status: 0, body: '', req }));
      });
    try {
      const streams = [];
      for (let i = 0; i < MAX_STREAMS_PER_USER; i++) streams.push(await open());
      expect(streams.map((s) => s.status)).toEqual(Array(MAX_STREAMS_PER_USER).fill(200));
      const refused = await open();
      expect(refused.status).toBe(429);
      expect(JSON.parse(refused.body)).toMatchObject({ type: 'urn:wegfrei:problem:too_many_streams' });
      // Closing a tab gives its place back.
      streams[0]!.req.destroy();
      let again = await open();
      for (let i = 0; i < 20 && again.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        again = await open();
      }
      expect(again.status).toBe(200);
      for (const s of [...streams, again]) s.req.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
