// The privacy sweep (issue 12): markers planted in reports — words, a name, a phone number, an
// exact point, photos — and every public channel read for them before and after publication,
// redaction, hiding and rejection: lists, nearby, clusters and tiles at every zoom, exports,
// OGC API, Open311, the photos themselves, live events (there is no public stream;
// a responder's replays only their team's reports). A marker that must not be
// public is found nowhere; one that must be (the kept words, a published photo) is found where
// it belongs, so the sweep is seen to look at these reports at all.
import crypto from 'node:crypto';
import request from 'supertest';
import { twoColourJpeg } from '../fixtures/images';
import {
  channelsWithout,
  exactDigits,
  liveReplay,
  mapProblems,
  markersFound,
  metres,
  publicReads,
  readAll,
  releaseReads,
  type Answer,
  type LatLon,
  type MapTruth,
} from './support/privacy-channels';
import { loginAs, makeTeam, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(600_000);

/** A word found nowhere else: never a hex digit first, so no photo hash can hold it. */
const word = (what: string) => `quokka${what}${crypto.randomBytes(4).toString('hex')}`;
const phone = () => `0171-${crypto.randomInt(10_000_000, 99_999_999)}`;

interface Plant {
  id: number;
  kind: 'barrier' | 'help';
  exact: LatLon;
  publicPoint: [number, number];
  words: string;
  name: string;
  phone: string;
  /** The hashes of its photos, by position, as staff see them. */
  photos: string[];
}

/** Photos are stored by content: each one planted is a different size, so it has its own hash. */
let photosMade = 0;

const hashOf = (url: string) => /[0-9a-f]{64}/.exec(url)![0];

async function plant(
  t: TestApp,
  kind: 'barrier' | 'help',
  exact: LatLon,
  opts: { photos?: number; words?: string } = {},
): Promise<Plant> {
  const words = opts.words ?? `${word('words')} blocks the way`;
  const name = word('name');
  const contact = phone();
  let req = request(t.app)
    .post('/api/v1/reports')
    .field('category', kind === 'help' ? 'help_medical' : 'steps')
    .field('lat', String(exact.lat))
    .field('lon', String(exact.lon))
    .field('severity', '3')
    .field('description', words)
    .field('address', `Hausnummer 7, bei ${name}`)
    .field('contact', `Bitte anrufen: ${contact}`);
  if (kind === 'help') req = req.field('people_count', '1');
  for (let i = 0; i < (opts.photos ?? 1); i++) {
    req = req.attach('photos', await twoColourJpeg(300 + photosMade++, 200), `p${i}.jpg`);
  }
  const res = await req;
  expect(res.status).toBe(201);
  const p: Plant = {
    id: res.body.id,
    kind,
    exact,
    publicPoint: res.body.geometry.coordinates,
    words,
    name,
    phone: contact,
    photos: [],
  };
  return p;
}

async function staffPhotos(staff: StaffAgent, id: number): Promise<string[]> {
  const res = await staff.agent.get(`/api/v1/staff/reports/${id}`).expect(200);
  return (res.body.properties.photos as { url: string }[]).map((p) => hashOf(p.url));
}

/** What must never be public, whatever happens: contact, a help request's address and exact point. */
const alwaysPrivate = (p: Plant) => [p.phone, ...(p.kind === 'help' ? [p.name, ...exactDigits(p.exact)] : [])];

/** The photo's files, display and thumbnail, each asked anonymously; the statuses that were not 404. */
async function servedPhotos(t: TestApp, hashes: string[]): Promise<string[]> {
  const served: string[] = [];
  for (const hash of hashes) {
    for (const path of [`/photos/${hash}.jpg`, `/photos/${hash}.thumb.jpg`]) {
      const res = await request(t.app).get(path);
      if (res.status !== 404) served.push(`${path}: ${res.status}`);
    }
  }
  return served;
}

/** The channels that carry a report's words and photos when it is public. */
const carriers = (id: number) => [
  `report ${id} `,
  'GeoJSON export (',
  'GeoJSONSeq export',
  'CSV export (',
  'OGC reports',
  `OGC item ${id}`,
  `Open311 request ${id} (JSON)`,
  `Open311 request ${id} (XML)`,
  'release reports.geojson',
  'release reports.csv',
  'release reports-hxl.csv',
  'release reports.fgb',
  'release reports.parquet',
];

const patch = (who: StaffAgent, path: string, body: object) =>
  who.agent.patch(path).set('X-CSRF-Token', who.csrf).send(body);

describe('a help request, barriers and their photos through publication, redaction, hiding and rejection', () => {
  let t: TestApp;
  let coordinator: StaffAgent;
  /** Never published. */
  let waiting: Plant;
  /** Published with its words redacted, one photo blurred and one hidden, then rejected. */
  let redacted: Plant;
  /** A barrier with a photo staff added, which waits. */
  let staffPhoto: Plant;
  let pendingHash: string;
  /** Barriers that are public, then rejected / hidden. */
  let rejected: Plant;
  let hidden: Plant;
  let kept: string;
  let removed: string;
  let all: Plant[];

  const truth = (listed: (p: Plant) => boolean): MapTruth[] =>
    all.map((p) => ({ id: p.id, kind: p.kind, exact: p.exact, publicPoint: p.publicPoint, listed: listed(p) }));
  let admin: StaffAgent;
  const sweep = async () =>
    readAll(t, [
      ...publicReads(
        all.map((p) => p.id),
        all.map((p) => p.exact),
      ),
      ...(await releaseReads(t, admin)),
    ]);

  beforeAll(async () => {
    t = await startTestApp();
    coordinator = await loginAs(t, 'coordinator');
    admin = await loginAs(t, 'admin');
    kept = word('kept');
    removed = word('removed');
    // Munich; places kilometres apart, with digits nobody else uses.
    waiting = await plant(t, 'help', { lat: 48.1372951, lon: 11.5761847 });
    redacted = await plant(t, 'help', { lat: 48.1541263, lon: 11.6009741 }, { photos: 2, words: `${kept} ${removed}` });
    staffPhoto = await plant(t, 'barrier', { lat: 48.1208437, lon: 11.5494713 }, { photos: 0 });
    rejected = await plant(t, 'barrier', { lat: 48.1643219, lon: 11.5368251 });
    hidden = await plant(t, 'barrier', { lat: 48.1087365, lon: 11.6203978 });
    all = [waiting, redacted, staffPhoto, rejected, hidden];
    for (const p of all) p.photos = await staffPhotos(coordinator, p.id);
    const added = await coordinator.agent
      .post(`/api/v1/reports/${staffPhoto.id}/photos`)
      .set('X-CSRF-Token', coordinator.csrf)
      .attach('photos', await twoColourJpeg(512, 256), 'staff.jpg');
    expect(added.status).toBe(201);
    pendingHash = (await staffPhotos(coordinator, staffPhoto.id))[0]!;
  });
  afterAll(() => t.close());

  it('plants what it looks for: help requests shown far from their exact points, every photo stored', () => {
    for (const help of [waiting, redacted]) {
      expect([help.id, metres(help.publicPoint, [help.exact.lon, help.exact.lat]) > 60]).toEqual([help.id, true]);
      expect(JSON.stringify(help.publicPoint)).not.toMatch(new RegExp(exactDigits(help.exact).join('|')));
    }
    expect(waiting.photos).toHaveLength(1);
    expect(redacted.photos).toHaveLength(2);
    expect(rejected.photos).toHaveLength(1);
    expect(pendingHash).toMatch(/^[0-9a-f]{64}$/);
    const hashes = [...all.flatMap((p) => p.photos), pendingHash];
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  describe('before anyone looked', () => {
    let answers: Answer[];
    beforeAll(async () => {
      answers = await sweep();
    });

    it("no channel holds a help request's words, name, phone, exact point or photos, nor a staff photo that waits", () => {
      const secret = [
        ...all.flatMap(alwaysPrivate),
        waiting.words,
        ...waiting.photos,
        kept,
        removed,
        ...redacted.photos,
        pendingHash,
      ];
      expect(markersFound(answers, secret)).toEqual([]);
    });

    it("a published barrier's words and photo are there, in every channel that carries them", () => {
      for (const p of [rejected, hidden]) {
        expect(channelsWithout(answers, p.words.split(' ')[0]!, carriers(p.id))).toEqual([]);
        expect(channelsWithout(answers, p.photos[0]!, carriers(p.id))).toEqual([]);
      }
    });

    it('none of those photos is served, the published ones are', async () => {
      expect(await servedPhotos(t, [...waiting.photos, ...redacted.photos, pendingHash])).toEqual([]);
      expect((await request(t.app).get(`/photos/${rejected.photos[0]}.jpg`)).status).toBe(200);
    });

    it('the map at every zoom shows each report once, help requests on their cells, and no marker', async () => {
      const secret = all.flatMap(alwaysPrivate);
      expect(
        await mapProblems(
          t,
          truth(() => true),
          secret,
        ),
      ).toEqual([]);
    });
  });

  describe('after publication with redaction, hiding, blurring and rejection', () => {
    let answers: Answer[];
    let blurred: string;
    beforeAll(async () => {
      const r = `/api/v1/staff/reports/${redacted.id}`;
      expect((await patch(coordinator, `${r}/publication`, { review: 'published', description: kept })).status).toBe(
        204,
      );
      expect((await patch(coordinator, `${r}/photos/1`, { state: 'hidden' })).status).toBe(204);
      const blur = await coordinator.agent
        .post(`${r}/photos/0/redactions`)
        .set('X-CSRF-Token', coordinator.csrf)
        .send({ regions: [{ x: 0.1, y: 0.1, width: 0.5, height: 0.5 }] });
      expect(blur.status).toBe(204);
      blurred = (await staffPhotos(coordinator, redacted.id))[0]!;
      expect(blurred).not.toBe(redacted.photos[0]);
      const reject = await patch(coordinator, `/api/v1/reports/${rejected.id}`, { status: 'rejected' });
      expect(reject.status).toBe(200);
      const hide = await patch(coordinator, `/api/v1/staff/reports/${hidden.id}/publication`, { hidden: true });
      expect(hide.status).toBe(204);
      answers = await sweep();
    });

    it('the removed words, the hidden and unblurred photos, the rejected and hidden reports are nowhere', () => {
      const gone = [
        ...all.flatMap(alwaysPrivate),
        waiting.words,
        ...waiting.photos,
        removed,
        ...redacted.photos,
        pendingHash,
        ...[rejected, hidden].flatMap((p) => [p.words.split(' ')[0]!, p.name, ...p.photos]),
      ];
      expect(markersFound(answers, gone)).toEqual([]);
    });

    it('the kept words and the blurred photo are public, in every channel that carries them', () => {
      expect(channelsWithout(answers, kept, carriers(redacted.id))).toEqual([]);
      expect(channelsWithout(answers, blurred, carriers(redacted.id))).toEqual([]);
    });

    it('no photo that is not public is served, and the unblurred one is gone from storage', async () => {
      const off = [...waiting.photos, ...redacted.photos, pendingHash, ...rejected.photos, ...hidden.photos];
      expect(await servedPhotos(t, off)).toEqual([]);
      expect(await t.storage.locate(redacted.photos[0]!, 'display')).toBeUndefined();
      expect(await t.storage.locate(redacted.photos[0]!, 'thumbnail')).toBeUndefined();
      expect((await request(t.app).get(`/photos/${blurred}.jpg`)).status).toBe(200);
    });

    it('the map at every zoom leaves out the rejected and the hidden report, also once the cells are folded', async () => {
      const listed = (p: Plant) => p !== rejected && p !== hidden;
      const secret = all.flatMap(alwaysPrivate);
      expect(await mapProblems(t, truth(listed), secret)).toEqual([]);
      await t.pool.query('SELECT refresh_report_cells()');
      expect(await mapProblems(t, truth(listed), secret)).toEqual([]);
    });

    describe('and once the published help request is rejected', () => {
      let after: Answer[];
      beforeAll(async () => {
        expect((await patch(coordinator, `/api/v1/reports/${redacted.id}`, { status: 'rejected' })).status).toBe(200);
        after = await sweep();
      });

      it('its kept words and blurred photo are gone too', async () => {
        expect(markersFound(after, [kept, blurred, ...all.flatMap(alwaysPrivate)])).toEqual([]);
        expect(await servedPhotos(t, [blurred])).toEqual([]);
        const listed = (p: Plant) => p !== rejected && p !== hidden && p !== redacted;
        expect(await mapProblems(t, truth(listed), all.flatMap(alwaysPrivate))).toEqual([]);
      });
    });
  });

  it('has no public live stream', async () => {
    for (const path of ['/api/v1/events', '/api/v1/events?last_event_id=0']) {
      const res = await request(t.app).get(path).set('Last-Event-ID', '0');
      expect(res.status).toBe(401);
      expect(markersFound([{ channel: path, status: res.status, text: res.text }], all.flatMap(alwaysPrivate))).toEqual(
        [],
      );
    }
  });

  it("a responder's stream, replayed from Last-Event-ID: 0, holds their team's report and no word of the others", async () => {
    const team = await makeTeam(t);
    const responder = await loginAs(t, 'responder', { teamId: team });
    expect((await patch(coordinator, `/api/v1/reports/${staffPhoto.id}`, { assigned_team_id: team })).status).toBe(200);
    const { rows } = await t.pool.query<{ id: string }>('SELECT max(id) AS id FROM report_events');
    const raw = await liveReplay(t, responder.cookie, Number(rows[0]!.id));
    expect(raw).toContain(staffPhoto.phone);
    const others = all
      .filter((p) => p !== staffPhoto)
      .flatMap((p) => [p.phone, p.name, p.words.split(' ')[0]!, ...exactDigits(p.exact), ...p.photos]);
    expect(markersFound([{ channel: 'responder stream', status: 200, text: raw }], [...others, kept, removed])).toEqual(
      [],
    );
  });
});

describe('a barrier under pre-moderation', () => {
  let pre: TestApp;
  let coordinator: StaffAgent;
  let barrier: Plant;
  let admin: StaffAgent;
  const sweep = async () =>
    readAll(pre, [...publicReads([barrier.id], [barrier.exact]), ...(await releaseReads(pre, admin))]);
  const truth = (listed: boolean): MapTruth[] => [
    { id: barrier.id, kind: 'barrier', exact: barrier.exact, publicPoint: barrier.publicPoint, listed },
  ];
  beforeAll(async () => {
    pre = await startTestApp({ config: { barrierModeration: 'pre' } });
    coordinator = await loginAs(pre, 'coordinator');
    admin = await loginAs(pre, 'admin');
    barrier = await plant(pre, 'barrier', { lat: 50.1109283, lon: 8.6821967 });
    barrier.photos = await staffPhotos(coordinator, barrier.id);
  });
  afterAll(() => pre.close());

  it('is on no channel before it is published: not its words, name, phone, photo, nor its id on the map', async () => {
    const secret = [barrier.words.split(' ')[0]!, barrier.name, barrier.phone, ...barrier.photos];
    expect(markersFound(await sweep(), secret)).toEqual([]);
    expect(await servedPhotos(pre, barrier.photos)).toEqual([]);
    expect(await mapProblems(pre, truth(false), secret)).toEqual([]);
  });

  it('is everywhere once published, except its phone', async () => {
    const publish = await patch(coordinator, `/api/v1/staff/reports/${barrier.id}/publication`, {
      review: 'published',
    });
    expect(publish.status).toBe(204);
    const answers = await sweep();
    expect(channelsWithout(answers, barrier.words.split(' ')[0]!, carriers(barrier.id))).toEqual([]);
    expect(channelsWithout(answers, barrier.photos[0]!, carriers(barrier.id))).toEqual([]);
    expect(markersFound(answers, [barrier.phone])).toEqual([]);
    expect(await mapProblems(pre, truth(true), [barrier.phone])).toEqual([]);
  });
});
