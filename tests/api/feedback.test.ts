// The report page's story and citizens' judgement (issue 16): the public timeline names teams,
// never staff, and never leaks a help request's pending words; "Is it really fixed?" is one
// answer per device and resolution, and "not fixed" reopens the report for a coordinator;
// "Affects me too" is one per device and raises priority within the anonymous signals' cap.
import crypto from 'node:crypto';
import request from 'supertest';
import { twoColourJpeg } from '../fixtures/images';
import { FEEDBACK_LIMITS, REOPEN_LIMITS } from '../../server/features/feedback/feedback.service';
import { addressHashOf } from '../../server/features/reports/reports.service';
import { createReport, loginAs, makeTeam, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';
import { expectProblem } from './support/uploads';

jest.setTimeout(180_000);

let t: TestApp;
let coordinator: StaffAgent;
let teamId: number;
const TEAM = `Bauhof Nord ${crypto.randomBytes(2).toString('hex')}`;

/** A fresh address per use (198.18.0.0/15 is for benchmarks: never a real client). */
let nextAddress = 0;
const newAddress = () => {
  nextAddress += 1;
  return `198.19.${nextAddress >> 8}.${nextAddress & 255}`;
};

beforeAll(async () => {
  t = await startTestApp({ config: { trustProxy: true } });
  coordinator = await loginAs(t, 'coordinator');
  teamId = await makeTeam(t, TEAM);
});
afterAll(() => t.close());

const patch = (id: number, body: object) =>
  coordinator.agent.patch(`/api/v1/reports/${id}`).set('X-CSRF-Token', coordinator.csrf).send(body);
const timeline = (id: number) => request(t.app).get(`/api/v1/reports/${id}/timeline`);
const staffView = async (id: number) =>
  (await coordinator.agent.get(`/api/v1/staff/reports/${id}`)).body.properties as Record<string, unknown>;
const fixCheck = (id: number, body: object, address = newAddress()) =>
  request(t.app).post(`/api/v1/reports/${id}/fix-checks`).set('X-Forwarded-For', address).send(body);
const endorse = (id: number, body: object, address = newAddress()) =>
  request(t.app).post(`/api/v1/reports/${id}/endorsements`).set('X-Forwarded-For', address).send(body);

async function resolvedBarrier(note = 'The kerb was lowered on 3 June.'): Promise<number> {
  const id = await createReport(t);
  expect((await patch(id, { assigned_team_id: teamId })).status).toBe(200);
  expect((await patch(id, { status: 'resolved', resolution_note: note })).status).toBe(200);
  return id;
}

describe('the public timeline', () => {
  it('tells what happened with team names, the public note, and nothing of staff', async () => {
    const id = await createReport(t);
    expect((await patch(id, { assigned_team_id: teamId, note: 'Internal: Mr Jansen has the key' })).status).toBe(200);
    expect((await patch(id, { status: 'in_progress' })).status).toBe(200);
    expect((await patch(id, { status: 'resolved', resolution_note: 'Ramp installed.' })).status).toBe(200);
    const res = await timeline(id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ report_id: id, kind: 'barrier', status: 'resolved', duplicate_of: null });
    expect(res.body.steps.map((s: { step: string }) => s.step)).toEqual([
      'reported',
      'assigned',
      'in_progress',
      'resolved',
    ]);
    expect(res.body.steps[1]).toMatchObject({ step: 'assigned', team: TEAM });
    expect(res.body.steps[3]).toMatchObject({ step: 'resolved', note: 'Ramp installed.' });
    const text = JSON.stringify(res.body);
    for (const secret of ['Jansen', coordinator.user.email, 'Test coordinator', 'actor', `"${coordinator.user.id}"`]) {
      expect(text).not.toContain(secret);
    }
    // The report's own answer carries the note for the public, never the staff note.
    const feature = await request(t.app).get(`/api/v1/reports/${id}`);
    expect(feature.body.properties.resolution_note).toBe('Ramp installed.');
    expect(JSON.stringify(feature.body)).not.toContain('Jansen');
  });

  it("never shows a help request's pending words, and says when it was published", async () => {
    const words = 'Flat 3B, 4th floor, door code 4711';
    const id = await createReport(t, { category: 'help_medical', severity: 3, people_count: 1, description: words });
    expect((await patch(id, { assigned_team_id: teamId, resolution_note: 'Visited.' })).status).toBe(200);
    const pending = await timeline(id);
    expect(pending.status).toBe(200);
    expect(JSON.stringify(pending.body)).not.toMatch(/4711|Flat 3B|Visited/);
    expect(pending.body.steps.map((s: { step: string }) => s.step)).toEqual(['reported', 'assigned']);

    const published = await coordinator.agent
      .patch(`/api/v1/staff/reports/${id}/publication`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ review: 'published' });
    expect(published.status).toBeLessThan(300);
    const after = await timeline(id);
    expect(after.body.steps.map((s: { step: string }) => s.step)).toEqual(['reported', 'assigned', 'published']);
  });

  it('is a 404 for hidden, rejected and unknown reports, and names a bad id', async () => {
    const hidden = await createReport(t);
    const hide = await coordinator.agent
      .patch(`/api/v1/staff/reports/${hidden}/publication`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ hidden: true });
    expect(hide.status).toBeLessThan(300);
    const gone = await timeline(hidden);
    expect(gone.status).toBe(404);
    expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
    const rejected = await createReport(t);
    expect((await patch(rejected, { status: 'rejected' })).status).toBe(200);
    expect((await timeline(rejected)).status).toBe(404);
    expect((await timeline(999_999_999)).status).toBe(404);
    const bad = await request(t.app).get('/api/v1/reports/abc/timeline');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('id');
  });

  it("links a duplicate's public original, and an original that went off the map not at all", async () => {
    const original = await createReport(t);
    const copy = await createReport(t);
    expect((await patch(copy, { duplicate_of: original })).status).toBe(200);
    const dup = await timeline(copy);
    expect(dup.body).toMatchObject({ status: 'duplicate', duplicate_of: original });
    expect(dup.body.steps.map((s: { step: string }) => s.step)).toEqual(['reported', 'duplicate']);
    const orig = await timeline(original);
    expect(orig.body.steps.map((s: { step: string }) => s.step)).toEqual(['reported', 'merged']);
    // Which report was merged is not said: it may be one the public cannot see.
    expect(orig.body.steps[1]).toEqual({ step: 'merged', at: expect.any(String) });

    await coordinator.agent
      .patch(`/api/v1/staff/reports/${original}/publication`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ hidden: true });
    expect((await timeline(copy)).body.duplicate_of).toBeNull();
  });
});

describe('"Is it really fixed?"', () => {
  it('takes one answer per device and resolution, with the team that resolved it', async () => {
    const id = await resolvedBarrier();
    const device = crypto.randomUUID();
    const first = await fixCheck(id, { answer: 'fixed', device });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      report_id: id,
      fix_checks: { fixed: 1, not_fixed: 0 },
      counted: true,
      reopened: false,
    });
    const again = await fixCheck(id, { answer: 'not_fixed', device: device.toUpperCase() });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ counted: false, reopened: false, fix_checks: { fixed: 1, not_fixed: 0 } });
    expect((await staffView(id)).status).toBe('resolved');
    const { rows } = await t.pool.query<{ team_id: number; same: boolean }>(
      `SELECT f.team_id, f.resolved_at = r.resolved_at AS same FROM fix_checks f JOIN reports r ON r.id = f.report_id
        WHERE f.report_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ team_id: teamId, same: true }]);
  });

  it('"not fixed" reopens it for a coordinator, with history, the queue flag, a pending photo and a live event', async () => {
    const id = await resolvedBarrier();
    const eventsBefore = await t.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM report_events WHERE report_id = $1',
      [id],
    );
    const device = crypto.randomUUID();
    const res = await request(t.app)
      .post(`/api/v1/reports/${id}/fix-checks`)
      .set('X-Forwarded-For', newAddress())
      .field('answer', 'not_fixed')
      .field('device', device)
      .attach('photos', await twoColourJpeg(400, 300), 'still.jpg');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ reopened: true, fix_checks: { fixed: 0, not_fixed: 1 } });

    const staff = await staffView(id);
    expect(staff).toMatchObject({ status: 'verified', needs_attention: true, resolved_at: null });
    expect(staff.photos).toEqual([expect.objectContaining({ state: 'pending', stage: 'report' })]);
    const history = staff.history as { actor: unknown; field: string; from: string; to: string }[];
    expect(history).toContainEqual(
      expect.objectContaining({ actor: null, field: 'status', from: 'resolved', to: 'verified' }),
    );
    const eventsAfter = await t.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM report_events WHERE report_id = $1',
      [id],
    );
    expect(eventsAfter.rows[0]!.n).toBeGreaterThan(eventsBefore.rows[0]!.n);

    const pub = await request(t.app).get(`/api/v1/reports/${id}`);
    expect(pub.body.properties).toMatchObject({ status: 'verified', photos: [], resolution_note: null });
    const story = await timeline(id);
    expect(story.body.steps.at(-1)).toMatchObject({ step: 'reopened', by_public: true });

    // Queue: the flag leads, and goes once a coordinator moves the report on.
    const queue = await coordinator.agent.get('/api/v1/staff/reports?status=verified&limit=200');
    expect(queue.body.features.find((f: { id: number }) => f.id === id).properties.needs_attention).toBe(true);
    expect((await patch(id, { status: 'resolved', resolution_note: 'Fixed properly now.' })).status).toBe(200);
    expect((await staffView(id)).needs_attention).toBe(false);
    // A new resolution: the same device may judge it.
    expect((await fixCheck(id, { answer: 'fixed', device })).status).toBe(201);
  });

  it('refuses bad input as problem+json naming the field, and a report that is not resolved', async () => {
    const id = await resolvedBarrier();
    expectProblem(await fixCheck(id, { answer: 'maybe' }), 422, 'answer');
    expectProblem(await fixCheck(id, {}), 422, 'answer');
    expectProblem(await fixCheck(id, { answer: 'fixed', device: 'not-a-uuid' }), 422, 'device');
    expectProblem(await fixCheck(id, { answer: 'fixed', colour: 'red' }), 422, 'colour');
    const photoWithYes = await request(t.app)
      .post(`/api/v1/reports/${id}/fix-checks`)
      .set('X-Forwarded-For', newAddress())
      .field('answer', 'fixed')
      .field('device', crypto.randomUUID())
      .attach('photos', await twoColourJpeg(200, 100), 'a.jpg');
    expectProblem(photoWithYes, 422, 'photos');
    const notAPhoto = await request(t.app)
      .post(`/api/v1/reports/${id}/fix-checks`)
      .set('X-Forwarded-For', newAddress())
      .field('answer', 'not_fixed')
      .field('device', crypto.randomUUID())
      .attach('photos', Buffer.from('hello'), 'a.jpg');
    expect(notAPhoto.status).toBe(415);
    expect(notAPhoto.body.errors[0].field).toMatch(/^photos/);
    expect((await staffView(id)).status).toBe('resolved');

    const open = await createReport(t);
    expectProblem(await fixCheck(open, { answer: 'fixed', device: crypto.randomUUID() }), 409, 'answer');
    expect((await fixCheck(999_999_999, { answer: 'fixed', device: crypto.randomUUID() })).status).toBe(404);
  });

  it('"Assign" to the team a reopened report still carries passes it on again, and the timeline names the team', async () => {
    const id = await resolvedBarrier();
    expect((await fixCheck(id, { answer: 'not_fixed', device: crypto.randomUUID() })).body.reopened).toBe(true);
    expect(await staffView(id)).toMatchObject({ status: 'verified', assigned_team_id: teamId });
    const again = await patch(id, { assigned_team_id: teamId });
    expect(again.status).toBe(200);
    expect(again.body.properties.status).toBe('assigned');
    expect((await timeline(id)).body.steps.at(-1)).toMatchObject({ step: 'assigned', team: TEAM });
    // Once assigned, the same team again changes nothing.
    const history = (await staffView(id)).history as unknown[];
    expect((await patch(id, { assigned_team_id: teamId })).body.properties.status).toBe('assigned');
    expect((await staffView(id)).history).toHaveLength(history.length);
  });

  it('decodes a photo only for an answer that reopens the report', async () => {
    // Bytes that say JPEG and are none: decoding them is a 422. Where the answer is judged first
    // (no such report, not resolved, the address over its reopen limit) nothing is decoded: a
    // 7000 × 7000 AVIF of 28 KB took 12–16 s to decode, for a fix check to a report that was not there.
    const notDecodable = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]);
    const withPhoto = (id: number, address = newAddress()) =>
      request(t.app)
        .post(`/api/v1/reports/${id}/fix-checks`)
        .set('X-Forwarded-For', address)
        .field('answer', 'not_fixed')
        .field('device', crypto.randomUUID())
        .attach('photos', notDecodable, 'a.jpg');
    expect((await withPhoto(999_999_999)).status).toBe(404);
    expectProblem(await withPhoto(await createReport(t)), 409, 'answer');
    const address = newAddress();
    for (let i = 0; i < REOPEN_LIMITS.notFixedPerHour; i += 1)
      await fixCheck(await resolvedBarrier(), { answer: 'not_fixed', device: crypto.randomUUID() }, address);
    const over = await withPhoto(await resolvedBarrier(), address);
    expect(over.status).toBe(201);
    expect(over.body).toMatchObject({ reopened: false, not_reopened: 'too_many_from_address' });
    // Where it would reopen, the photo is decoded, and refused.
    const id = await resolvedBarrier();
    expectProblem(await withPhoto(id), 422, 'photos[0]');
    expect((await staffView(id)).status).toBe('resolved');
  });

  it('needs the device token: without one nothing is stored and nothing reopens', async () => {
    const id = await resolvedBarrier();
    for (const address of [newAddress(), newAddress(), newAddress()]) {
      expectProblem(await fixCheck(id, { answer: 'not_fixed' }, address), 422, 'device');
    }
    const multipart = await request(t.app)
      .post(`/api/v1/reports/${id}/fix-checks`)
      .set('X-Forwarded-For', newAddress())
      .field('answer', 'not_fixed');
    expectProblem(multipart, 422, 'device');
    expect((await staffView(id)).status).toBe('resolved');
    const { rows } = await t.pool.query('SELECT 1 FROM fix_checks WHERE report_id = $1', [id]);
    expect(rows).toHaveLength(0);
  });

  it('reopens at most a few reports per address and hour, and says so', async () => {
    const address = newAddress();
    for (let i = 0; i < REOPEN_LIMITS.notFixedPerHour; i += 1) {
      const res = await fixCheck(
        await resolvedBarrier(),
        { answer: 'not_fixed', device: crypto.randomUUID() },
        address,
      );
      expect(res.body).toMatchObject({ counted: true, reopened: true });
    }
    const id = await resolvedBarrier();
    const over = await fixCheck(id, { answer: 'not_fixed', device: crypto.randomUUID() }, address);
    expect(over.status).toBe(201);
    expect(over.body).toEqual({
      report_id: id,
      fix_checks: { fixed: 0, not_fixed: 1 },
      counted: true,
      reopened: false,
      not_reopened: 'too_many_from_address',
    });
    expect((await staffView(id)).status).toBe('resolved');
    // Another address's single genuine "No" still reopens it.
    expect((await fixCheck(id, { answer: 'not_fixed', device: crypto.randomUUID() })).body.reopened).toBe(true);
  });

  it('reopens nothing from an address that said "not fixed" the day bound times today', async () => {
    const address = newAddress();
    const old = await resolvedBarrier();
    await t.pool.query(
      `INSERT INTO fix_checks (report_id, answer, resolved_at, address_hash, created_at)
       SELECT $1, 'not_fixed', resolved_at, $2, now() - interval '3 hours' FROM reports, generate_series(1, $3)
        WHERE id = $1`,
      [old, await addressHashOf(t.pool, address), REOPEN_LIMITS.notFixedPerDay],
    );
    const id = await resolvedBarrier();
    const over = await fixCheck(id, { answer: 'not_fixed', device: crypto.randomUUID() }, address);
    expect(over.body).toMatchObject({ counted: true, reopened: false, not_reopened: 'too_many_from_address' });
    expect((await staffView(id)).status).toBe('resolved');
  });

  it('does not reopen a resolution older than the limit, but stores the answer', async () => {
    const id = await resolvedBarrier();
    const days = REOPEN_LIMITS.maxResolutionAgeDays + 1;
    await t.pool.query(`UPDATE reports SET resolved_at = now() - make_interval(days => $2) WHERE id = $1`, [id, days]);
    const res = await fixCheck(id, { answer: 'not_fixed', device: crypto.randomUUID() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      counted: true,
      reopened: false,
      not_reopened: 'resolution_too_old',
      fix_checks: { not_fixed: 1 },
    });
    expect((await staffView(id)).status).toBe('resolved');
    // A recent one (just inside the limit) still reopens on one "No".
    const recent = await resolvedBarrier();
    const inside = REOPEN_LIMITS.maxResolutionAgeDays - 1;
    await t.pool.query(`UPDATE reports SET resolved_at = now() - make_interval(days => $2) WHERE id = $1`, [
      recent,
      inside,
    ]);
    expect((await fixCheck(recent, { answer: 'not_fixed', device: crypto.randomUUID() })).body.reopened).toBe(true);
  });

  it('counts at most the per-address share of one resolution from one address', async () => {
    const id = await resolvedBarrier();
    const address = newAddress();
    for (let i = 0; i < FEEDBACK_LIMITS.perAddressAndReport; i += 1) {
      expect((await fixCheck(id, { answer: 'fixed', device: crypto.randomUUID() }, address)).status).toBe(201);
    }
    const over = await fixCheck(id, { answer: 'not_fixed', device: crypto.randomUUID() }, address);
    expect(over.status).toBe(200);
    expect(over.body).toMatchObject({ counted: false, reopened: false });
    expect((await staffView(id)).status).toBe('resolved');
  });
});

describe('"Affects me too"', () => {
  const priority = async (id: number) => (await staffView(id)).priority as number;

  it('counts once per device and shows the count on the report', async () => {
    const id = await createReport(t);
    const device = crypto.randomUUID();
    const first = await endorse(id, { device });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ report_id: id, endorsements: 1, counted: true });
    const again = await endorse(id, { device });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ report_id: id, endorsements: 1, counted: false });
    expect((await endorse(id, { device: crypto.randomUUID() })).body.endorsements).toBe(2);
    expect((await request(t.app).get(`/api/v1/reports/${id}`)).body.properties.endorsements).toBe(2);
    expect((await timeline(id)).body.endorsements).toBe(2);
    expectProblem(await endorse(id, { device: 'x' }), 422, 'device');
    expectProblem(await endorse(id, { device, extra: 1 }), 422, 'extra');
    const resolved = await resolvedBarrier();
    expect((await endorse(resolved, { device })).status).toBe(409);
  });

  it('raises priority by at most half a severity step', async () => {
    const id = await createReport(t);
    const before = await priority(id);
    await endorse(id, { device: crypto.randomUUID() });
    expect((await priority(id)) - before).toBeCloseTo(1, 0);
    for (let i = 0; i < 8; i += 1) await endorse(id, { device: crypto.randomUUID() });
    const capped = (await priority(id)) - before;
    expect(capped).toBeGreaterThan(4.8);
    expect(capped).toBeLessThan(5.3);
  });

  it("never lowers a help request's priority", async () => {
    const id = await createReport(t, { category: 'help_medical', severity: 3, people_count: 1 });
    for (let i = 0; i < 3; i += 1) {
      await request(t.app)
        .post(`/api/v1/reports/${id}/confirmations`)
        .set('X-Forwarded-For', newAddress())
        .send({ type: 'gone', device: crypto.randomUUID() });
    }
    const before = await priority(id);
    for (let i = 0; i < 4; i += 1) expect((await endorse(id, { device: crypto.randomUUID() })).status).toBe(201);
    expect(await priority(id)).toBeGreaterThanOrEqual(before);
  });
});
