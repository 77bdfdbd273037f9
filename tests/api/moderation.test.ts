// Moderation before publication (issue 12): a help request's words, people count and photos
// reach the public only once a coordinator published them; staff can redact its text, hide or
// blur a photo, hide the report; a hidden photo or a rejected report's photo answers 404 at
// once; barriers under BARRIER_MODERATION=pre stay off every public channel until published.
import fc from 'fast-check';
import sharp from 'sharp';
import request from 'supertest';
import { twoColourJpeg } from '../fixtures/images';
import { hostileText, PATHOLOGICAL_BODY } from './support/fuzz-values';
import { loginAs, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';
import { expectProblem } from './support/uploads';

jest.setTimeout(120_000);

let t: TestApp;
let coordinator: StaffAgent;
let responder: StaffAgent;
beforeAll(async () => {
  t = await startTestApp();
  coordinator = await loginAs(t, 'coordinator');
  responder = await loginAs(t, 'responder');
});
afterAll(() => t.close());

const WORDS = 'Need insulin, 3rd floor, flat 12';

async function helpWithPhoto(words = WORDS) {
  const res = await request(t.app)
    .post('/api/v1/reports')
    .field('category', 'help_medical')
    .field('lat', '48.137154')
    .field('lon', '11.576124')
    .field('severity', '3')
    .field('people_count', '1')
    .field('description', words)
    .attach('photos', await twoColourJpeg(400, 300), 'door.jpg');
  expect(res.status).toBe(201);
  return res.body as { id: number; properties: Record<string, unknown> };
}

const publicView = async (id: number) => request(t.app).get(`/api/v1/reports/${id}`);
const staffView = async (id: number) => coordinator.agent.get(`/api/v1/staff/reports/${id}`);
const patch = (path: string, body: unknown, who: StaffAgent = coordinator) =>
  who.agent
    .patch(path)
    .set('X-CSRF-Token', who.csrf)
    .send(body as object);

async function photoPath(id: number, position = 0): Promise<string> {
  const res = await staffView(id);
  return new URL((res.body.properties.photos as { url: string }[])[position]!.url).pathname;
}

describe('a help request before and after publication', () => {
  let id: number;
  beforeAll(async () => {
    id = (await helpWithPhoto()).id;
  });

  it('answers its sender without the words, people count or photos, marked pending', async () => {
    const res = await publicView(id);
    expect(res.status).toBe(200);
    expect(res.body.properties).toMatchObject({ description: null, people_count: null, photos: [], review: 'pending' });
    expect(JSON.stringify(res.body)).not.toContain('insulin');
  });

  it('keeps its photo from the public while staff see it, never cached', async () => {
    const path = await photoPath(id);
    expect((await request(t.app).get(path)).status).toBe(404);
    const staff = await coordinator.agent.get(path);
    expect(staff.status).toBe(200);
    expect(staff.headers['cache-control']).toBe('private, no-store');
  });

  it('leaves the moderation queue once staff hid it (a decision), and comes back when shown again', async () => {
    const sent = await request(t.app)
      .post('/api/v1/reports')
      .send({ category: 'help_medical', lat: 48.1, lon: 11.5, severity: 3, description: 'spam spam' });
    const other = sent.body.id as number;
    const queued = async () =>
      (await coordinator.agent.get('/api/v1/staff/moderation?kind=help&limit=200')).body.features.map(
        (f: { id: number }) => f.id,
      );
    expect(await queued()).toContain(other);
    expect((await patch(`/api/v1/staff/reports/${other}/publication`, { hidden: true })).status).toBe(204);
    expect(await queued()).not.toContain(other);
    expect((await patch(`/api/v1/staff/reports/${other}/publication`, { hidden: false })).status).toBe(204);
    expect(await queued()).toContain(other);
  });

  it('is in the moderation queue, which responders may not read', async () => {
    const queue = await coordinator.agent.get('/api/v1/staff/moderation?kind=help');
    expect(queue.status).toBe(200);
    expect(queue.body.features.map((f: { id: number }) => f.id)).toContain(id);
    expect(queue.body.total).toBeGreaterThanOrEqual(1);
    expect((await responder.agent.get('/api/v1/staff/moderation')).status).toBe(403);
    expect((await patch(`/api/v1/staff/reports/${id}/publication`, { review: 'published' }, responder)).status).toBe(
      403,
    );
  });

  it('is published redacted: the redacted words only, and history without the removed text', async () => {
    const res = await patch(`/api/v1/staff/reports/${id}/publication`, {
      review: 'published',
      description: 'Need insulin',
    });
    expect(res.status).toBe(204);
    const pub = await publicView(id);
    expect(pub.body.properties).toMatchObject({ description: 'Need insulin', people_count: 1, review: 'published' });
    expect(pub.body.properties.photos).toHaveLength(1);
    expect((await request(t.app).get(await photoPath(id))).status).toBe(200);
    // Staff keep the reporter's own words (a responder needs the flat number).
    expect((await staffView(id)).body.properties).toMatchObject({
      description: WORDS,
      public_description: 'Need insulin',
    });
    const history = await coordinator.agent.get(`/api/v1/reports/${id}/history`);
    expect(JSON.stringify(history.body)).not.toContain('flat 12');
    expect(JSON.stringify(history.body)).toContain('redacted');
    const queue = await coordinator.agent.get('/api/v1/staff/moderation?kind=help');
    expect(queue.body.features.map((f: { id: number }) => f.id)).not.toContain(id);
  });

  it('hides a photo at once: 404, and gone from the feature', async () => {
    const path = await photoPath(id);
    const served = await request(t.app).get(path);
    expect(served.status).toBe(200);
    expect((await patch(`/api/v1/staff/reports/${id}/photos/0`, { state: 'hidden' })).status).toBe(204);
    // A cache revalidating what it kept hears 404, not 304.
    expect((await request(t.app).get(path).set('If-None-Match', served.headers.etag!)).status).toBe(404);
    expect((await publicView(id)).body.properties.photos).toEqual([]);
    expect((await patch(`/api/v1/staff/reports/${id}/photos/0`, { state: 'published' })).status).toBe(204);
    expect((await request(t.app).get(path)).status).toBe(200);
  });

  it('blurs a region into a new photo and deletes the unblurred one, wherever it was sent', async () => {
    const before = await photoPath(id);
    const twin = (await helpWithPhoto('the same photo again')).id;
    expect(await photoPath(twin)).toBe(before);
    const res = await coordinator.agent
      .post(`/api/v1/staff/reports/${id}/photos/0/redactions`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ regions: [{ x: 0.25, y: 0.25, width: 0.5, height: 0.5 }] });
    expect(res.status).toBe(204);
    const after = await photoPath(id);
    expect(after).not.toBe(before);
    expect((await coordinator.agent.get(before)).status).toBe(404);
    // The same photo sent with another request is blurred there too: no unblurred copy is left.
    expect(await photoPath(twin)).toBe(after);
    const hash = before.match(/[0-9a-f]{64}/)![0];
    expect(await t.storage.locate(hash, 'display')).toBeUndefined();
    // The published report shows the blurred photo, though its twin still waits for review: the
    // same bytes waiting elsewhere do not take a published photo off (migration 0030).
    expect((await request(t.app).get(after)).status).toBe(200);
    // Red left, blue right: inside the region the sharp edge is smeared, outside it stays.
    const served = await coordinator.agent.get(after).buffer(true);
    expect(served.status).toBe(200);
    const { data, info } = await sharp(served.body as Buffer)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(400);
    const pixel = (x: number, y: number) => [...data.subarray((y * 400 + x) * 3, (y * 400 + x) * 3 + 3)];
    const [inR, , inB] = pixel(195, 150);
    expect(inR).toBeLessThan(230);
    expect(inB).toBeGreaterThan(25);
    const [outR, , outB] = pixel(195, 20);
    expect(outR).toBeGreaterThan(230);
    expect(outB).toBeLessThan(25);
    const history = await coordinator.agent.get(`/api/v1/reports/${id}/history`);
    expect(JSON.stringify(history.body)).toContain('photo_redacted');
  });

  it('keeps a published photo public when the same bytes wait for review with another report, not when they are hidden there', async () => {
    const first = (await helpWithPhoto('the first request with this photo')).id;
    expect((await patch(`/api/v1/staff/reports/${first}/publication`, { review: 'published' })).status).toBe(204);
    const path = await photoPath(first);
    expect((await request(t.app).get(path)).status).toBe(200);
    const twin = (await helpWithPhoto('the same photo with another request')).id;
    expect(await photoPath(twin)).toBe(path);
    expect((await request(t.app).get(path)).status).toBe(200);
    expect((await publicView(first)).body.properties.photos).toHaveLength(1);
    // Taken down in one copy: off the web in every report that carries it.
    expect((await patch(`/api/v1/staff/reports/${twin}/photos/0`, { state: 'hidden' })).status).toBe(204);
    expect((await request(t.app).get(path)).status).toBe(404);
    expect((await publicView(first)).body.properties.photos).toEqual([]);
    expect((await patch(`/api/v1/staff/reports/${twin}/photos/0`, { state: 'published' })).status).toBe(204);
    expect((await request(t.app).get(path)).status).toBe(200);
  });

  it('takes a rejected report and its photos off at once', async () => {
    const path = await photoPath(id);
    const reject = await coordinator.agent
      .patch(`/api/v1/reports/${id}`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ status: 'rejected' });
    expect(reject.status).toBe(200);
    expect((await publicView(id)).status).toBe(404);
    expect((await request(t.app).get(path)).status).toBe(404);
  });
});

describe('hiding a whole report', () => {
  it('removes it from lists and its page, and brings it back', async () => {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({ category: 'steps', lat: 52.52, lon: 13.405, severity: 2, description: 'Mr Smith at no. 4' });
    const id = res.body.id as number;
    expect(res.body.properties.review).toBe('published');
    expect((await patch(`/api/v1/staff/reports/${id}/publication`, { hidden: true })).status).toBe(204);
    expect((await publicView(id)).status).toBe(404);
    expect((await staffView(id)).body.properties.hidden).toBe(true);
    const list = await request(t.app).get('/api/v1/reports?bbox=13.4,52.51,13.41,52.53');
    expect(list.body.features.map((f: { id: number }) => f.id)).not.toContain(id);
    expect((await patch(`/api/v1/staff/reports/${id}/publication`, { hidden: false, description: null })).status).toBe(
      204,
    );
    expect((await publicView(id)).body.properties.description).toBeNull();
    expect((await staffView(id)).body.properties).toMatchObject({
      description: 'Mr Smith at no. 4',
      public_description: '',
    });
  });
});

describe('what an attack on the read model found', () => {
  it('publishing a report staff took down leaves it down, and says so in the history', async () => {
    const id = (await helpWithPhoto('taken down for a reason')).id;
    expect((await patch(`/api/v1/staff/reports/${id}/publication`, { hidden: true })).status).toBe(204);
    expect((await patch(`/api/v1/staff/reports/${id}/publication`, { review: 'published' })).status).toBe(204);
    expect((await publicView(id)).status).toBe(404);
    expect((await staffView(id)).body.properties).toMatchObject({ hidden: true, review: 'published' });
  });

  it('hides the bytes of a photo in every report that carries them', async () => {
    const photo = await twoColourJpeg(333, 222);
    const send = async () =>
      (
        await request(t.app)
          .post('/api/v1/reports')
          .field('category', 'steps')
          .field('lat', '52.5')
          .field('lon', '13.4')
          .field('severity', '2')
          .attach('photos', photo, 'same.jpg')
      ).body as { id: number; properties: { photos: { url: string }[] } };
    const [a, b] = [await send(), await send()];
    const path = new URL(a.properties.photos[0]!.url).pathname;
    expect(new URL(b.properties.photos[0]!.url).pathname).toBe(path);
    expect((await request(t.app).get(path)).status).toBe(200);
    expect((await patch(`/api/v1/staff/reports/${a.id}/photos/0`, { state: 'hidden' })).status).toBe(204);
    expect((await request(t.app).get(path)).status).toBe(404);
    expect((await publicView(b.id)).body.properties.photos).toEqual([]);
  });

  it('links a duplicate in public only to a public report of the same kind in the same cell', async () => {
    const help = async (lat: number) =>
      (
        await request(t.app)
          .post('/api/v1/reports')
          .send({ category: 'help_medical', lat, lon: 13.4049876, severity: 3 })
      ).body as { id: number; geometry: { coordinates: number[] } };
    // Two requests a few metres apart across a cell border, and one in the same cell.
    const original = await help(52.5198);
    let across = await help(52.5198);
    for (let lat = 52.5198; lat > 52.5; lat -= 0.0005) {
      across = await help(lat);
      if (across.geometry.coordinates[1] !== original.geometry.coordinates[1]) break;
    }
    const same = await help(52.51981);
    expect(same.geometry.coordinates).toEqual(original.geometry.coordinates);
    const markDuplicate = (id: number) =>
      coordinator.agent
        .patch(`/api/v1/reports/${id}`)
        .set('X-CSRF-Token', coordinator.csrf)
        .send({ duplicate_of: original.id });
    expect((await markDuplicate(across.id)).status).toBe(200);
    expect((await markDuplicate(same.id)).status).toBe(200);
    expect((await publicView(across.id)).body.properties.duplicate_of).toBeNull();
    expect((await publicView(same.id)).body.properties.duplicate_of).toBe(original.id);
    // Once the original is taken down, nothing points at it.
    expect((await patch(`/api/v1/staff/reports/${original.id}/publication`, { hidden: true })).status).toBe(204);
    expect((await publicView(same.id)).body.properties.duplicate_of).toBeNull();
  });

  it("keeps a responder from another team's photos that are not public", async () => {
    const id = (await helpWithPhoto("someone else's work")).id;
    const path = await photoPath(id);
    expect((await responder.agent.get(path)).status).toBe(404);
    await t.pool.query('UPDATE reports SET assigned_user_id = $2 WHERE id = $1', [id, responder.user.id]);
    expect((await responder.agent.get(path)).status).toBe(200);
  });
});

describe("the fix's photo on a resolved barrier (issue 16 trial)", () => {
  it('waits for review, then is published alone: an "after" photo, the report and its timeline unchanged', async () => {
    const sent = await request(t.app)
      .post('/api/v1/reports')
      .field('category', 'steps')
      .field('lat', '48.1401')
      .field('lon', '11.5602')
      .field('severity', '2')
      .attach('photos', await twoColourJpeg(300, 200), 'before.jpg');
    expect(sent.status).toBe(201);
    const id = sent.body.id as number;
    expect((await patch(`/api/v1/reports/${id}`, { status: 'verified' })).status).toBe(200);
    expect((await patch(`/api/v1/reports/${id}`, { status: 'resolved', resolution_note: 'Ramp built.' })).status).toBe(
      200,
    );
    const added = await coordinator.agent
      .post(`/api/v1/reports/${id}/photos`)
      .set('X-CSRF-Token', coordinator.csrf)
      .attach('photos', await twoColourJpeg(320, 240), 'after.jpg');
    expect(added.status).toBe(201);
    const stages = async () =>
      ((await publicView(id)).body.properties.photos as { stage: string }[]).map((ph) => ph.stage);
    // A staff photo waits like any other (it may show a passer-by): only the "before" is public.
    expect(await stages()).toEqual(['report']);
    const staffPhotos = (await staffView(id)).body.properties.photos as { state: string; stage: string }[];
    expect(staffPhotos.map((ph) => [ph.stage, ph.state])).toEqual([
      ['report', 'published'],
      ['resolution', 'pending'],
    ]);
    const timeline = async () => (await request(t.app).get(`/api/v1/reports/${id}/timeline`)).body;
    const before = await timeline();
    const history = async () => (await staffView(id)).body.properties.history as { action: string }[];
    const historyBefore = await history();

    expect((await patch(`/api/v1/staff/reports/${id}/photos/1`, { state: 'published' })).status).toBe(204);

    expect(await stages()).toEqual(['report', 'resolution']);
    expect((await publicView(id)).body.properties).toMatchObject({
      status: 'resolved',
      resolution_note: 'Ramp built.',
    });
    expect((await staffView(id)).body.properties).toMatchObject({ review: 'published', status: 'resolved' });
    expect(await timeline()).toEqual(before);
    const historyAfter = await history();
    expect(historyAfter.slice(historyBefore.length)).toEqual([
      expect.objectContaining({ action: 'photo_published', field: 'photos[1]', from: 'pending', to: 'published' }),
    ]);
  });
});

describe('bad moderation requests', () => {
  it('names the field', async () => {
    const id = (await helpWithPhoto('x')).id;
    expectProblem(await patch(`/api/v1/staff/reports/${id}/publication`, { review: 'maybe' }), 422, 'review');
    expectProblem(await patch(`/api/v1/staff/reports/${id}/publication`, { colour: 'red' }), 422, 'colour');
    expectProblem(await patch(`/api/v1/staff/reports/${id}/photos/0`, { state: 'gone' }), 422, 'state');
    const redact = (body: unknown) =>
      coordinator.agent
        .post(`/api/v1/staff/reports/${id}/photos/0/redactions`)
        .set('X-CSRF-Token', coordinator.csrf)
        .send(body as object);
    expectProblem(await redact({ regions: [{ x: 2, y: 0, width: 0.1, height: 0.1 }] }), 422, 'regions.x');
    expectProblem(await redact({ regions: [] }), 422, 'regions');
    expect((await patch('/api/v1/staff/reports/999999999/publication', { review: 'published' })).status).toBe(404);
    expect((await patch(`/api/v1/staff/reports/${id}/photos/7`, { state: 'hidden' })).status).toBe(404);
  });
});

describe('moderation under hostile input, with a coordinator session', () => {
  // The anonymous fuzzing (fuzz.test.ts) only meets these routes' 401; here a coordinator sends
  // hostile values in every field: a quick 4xx naming the field, or a change; never a 5xx.
  const value = fc.oneof(
    hostileText,
    fc.constantFrom(...PATHOLOGICAL_BODY.slice(0, 3)),
    fc.jsonValue({ maxDepth: 3 }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  it('answers every body with a problem naming a field, or a change', async () => {
    const id = (await helpWithPhoto('fuzzed')).id;
    const targets: { path: string; method: 'patch' | 'post'; fields: string[] }[] = [
      { path: `/api/v1/staff/reports/${id}/publication`, method: 'patch', fields: ['review', 'hidden', 'description'] },
      { path: `/api/v1/staff/reports/${id}/photos/0`, method: 'patch', fields: ['state'] },
      { path: `/api/v1/staff/reports/${id}/photos/0/redactions`, method: 'post', fields: ['regions'] },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        fc.dictionary(fc.string({ maxLength: 12 }), value),
        async (target, extra) => {
          const body = Object.fromEntries(target.fields.map((f) => [f, extra[f] ?? Object.values(extra)[0] ?? null]));
          const started = Date.now();
          const res = await coordinator.agent[target.method](target.path)
            .set('X-CSRF-Token', coordinator.csrf)
            .send(body);
          expect(Date.now() - started).toBeLessThan(5000);
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
            if (res.status === 422) expect(res.body.errors[0].field).toEqual(expect.any(String));
          }
        },
      ),
      { numRuns: 60, seed: 1206 },
    );
    // The path parameters too.
    for (const bad of ['-1', '1e3', 'abc', '9'.repeat(40), '%00', '20']) {
      const res = await patch(`/api/v1/staff/reports/${bad}/publication`, { review: 'published' });
      expect([400, 404, 422]).toContain(res.status);
      const photo = await patch(`/api/v1/staff/reports/${id}/photos/${bad}`, { state: 'hidden' });
      expect([400, 404, 422]).toContain(photo.status);
    }
  });
});

// Last: on the embedded database every connection shares one session and its search_path, so a
// second app's schema stays in force for the first once the second has connected.
describe('barriers under pre-moderation', () => {
  let pre: TestApp;
  let moderator: StaffAgent;
  beforeAll(async () => {
    pre = await startTestApp({ config: { barrierModeration: 'pre' } });
    moderator = await loginAs(pre, 'coordinator');
  });
  afterAll(() => pre.close());

  it('stay off the map until a coordinator published them', async () => {
    const res = await request(pre.app)
      .post('/api/v1/reports')
      .send({ category: 'steps', lat: 50.1, lon: 8.6, severity: 2, description: 'Three steps' });
    expect(res.status).toBe(201);
    expect(res.body.properties).toMatchObject({ review: 'pending', description: null });
    const id = res.body.id as number;
    const bbox = 'bbox=8.5,50,8.7,50.2';
    const listed = async () =>
      (await request(pre.app).get(`/api/v1/reports?${bbox}`)).body.features.map((f: { id: number }) => f.id);
    expect(await listed()).not.toContain(id);
    expect((await request(pre.app).get(`/api/v1/reports/${id}`)).status).toBe(404);
    const publish = await moderator.agent
      .patch(`/api/v1/staff/reports/${id}/publication`)
      .set('X-CSRF-Token', moderator.csrf)
      .send({ review: 'published' });
    expect(publish.status).toBe(204);
    expect(await listed()).toContain(id);
    expect((await request(pre.app).get(`/api/v1/reports/${id}`)).body.properties.description).toBe('Three steps');
  });
});
