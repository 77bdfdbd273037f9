// Volunteers check reports (issue 16, docs/VOLUNTEERS.md): the invitation mail through a real
// SMTP server, the link followed once, the volunteer's list read from the public read model,
// agreement verifying and recategorising, flags put before coordinators; volunteers refused by
// every staff route; bad input named. Both databases.
import request from 'supertest';
import { twoColourJpeg } from '../fixtures/images';
import { authzCases, caseName } from './support/authz-cases';
import { createReport, loginAs, makeTeam, PASSWORD, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp';
import { SESSION_COOKIE } from '../../server/features/auth/auth.service';
import { FLAG_LIMITS } from '../../server/features/volunteers/volunteers.service';

jest.setTimeout(120_000);

let t: TestApp;
let smtp: TestSmtpServer;
let coordinator: StaffAgent;
let teamId: number;

const HERE = { lat: 52.52, lon: 13.405 };
/** A strong password of the volunteer's own. */
const VOLUNTEER_PASSWORD = 'purple ladder rides quietly home';

interface Volunteer {
  agent: ReturnType<typeof request.agent>;
  csrf: string;
  id: number;
  cookie: string;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({ config: { smtpUrl: smtp.url, mailFrom: 'Wegfrei <wegfrei@example.org>' } });
  teamId = await makeTeam(t);
  coordinator = await loginAs(t, 'coordinator');
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

let n = 0;
const address = () => `volunteer-${++n}-${Date.now()}@example.org`;

/** Invites through the API, reads the mail from the SMTP server, follows its link. */
async function joinByMail(name = 'Vera'): Promise<Volunteer> {
  const email = address();
  const res = await coordinator.agent
    .post('/api/v1/volunteers/invitations')
    .set('X-CSRF-Token', coordinator.csrf)
    .send({ emails: [email], language: 'de' });
  expect(res.status).toBe(201);
  expect(res.body.invitations[0]).toMatchObject({ email, delivery: 'sent' });
  expect(res.body.invitations[0].link).toBeUndefined();
  const mail = await smtp.next((m) => m.to !== undefined && JSON.stringify(m.to).includes(email));
  expect(mail.subject).toMatch(/Einladung/);
  const link = /https?:\/\/\S+\/volunteer\/join#([\w-]{43})/.exec(mail.text ?? '');
  expect(link).not.toBeNull();
  return accept(link![1]!, name);
}

async function accept(token: string, name: string): Promise<Volunteer> {
  const agent = request.agent(t.app);
  const res = await agent.post('/api/v1/volunteers/join').send({ token, name, password: VOLUNTEER_PASSWORD });
  expect(res.status).toBe(201);
  expect(res.body.user.role).toBe('volunteer');
  const cookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`))!
    .split(';')[0]!;
  return { agent, csrf: res.body.csrf_token as string, id: res.body.user.id as number, cookie };
}

const checkOf = (v: Volunteer, id: number, body: object) =>
  v.agent.post(`/api/v1/volunteer/reports/${id}/checks`).set('X-CSRF-Token', v.csrf).send(body);
const nearby = (v: Volunteer) => v.agent.get(`/api/v1/volunteer/reports?lat=${HERE.lat}&lon=${HERE.lon}`);

describe('an invited volunteer', () => {
  let volunteers: Volunteer[];
  beforeAll(async () => {
    volunteers = [await joinByMail('Vera'), await joinByMail('Wim'), await joinByMail('Xaver')];
  });

  it('signs in with the password they chose, and is a volunteer, not staff', async () => {
    const me = await volunteers[0]!.agent.get('/api/v1/volunteer/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ name: 'Vera', role: 'volunteer' });
    const agent = request.agent(t.app);
    const email = me.body.user.email as string;
    const login = await agent.post('/api/v1/auth/login').send({ email, password: VOLUNTEER_PASSWORD });
    expect(login.status).toBe(200);
    expect((await agent.get('/api/v1/auth/me')).status).toBe(401);
    expect((await agent.get('/api/v1/volunteer/me')).status).toBe(200);
    // Staff are not volunteers either.
    expect((await coordinator.agent.get('/api/v1/volunteer/me')).status).toBe(401);
  });

  it('sees published barriers near them, with no contact, no help request, nothing unpublished', async () => {
    const barrier = await createReport(t, { ...HERE, contact: 'secret@example.org', description: 'Three steps' });
    const help = await createReport(t, { ...HERE, category: 'help_assist', contact: '+49301234567' });
    const hidden = await createReport(t, HERE);
    await t.pool.query('UPDATE reports SET hidden = true WHERE id = $1', [hidden]);
    const res = await nearby(volunteers[0]!);
    expect(res.status).toBe(200);
    const ids = (res.body.reports as { id: number }[]).map((r) => r.id);
    expect(ids).toContain(barrier);
    expect(ids).not.toContain(help);
    expect(ids).not.toContain(hidden);
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/secret@example|\+4930|contact|help_assist/);
    const one = (res.body.reports as Record<string, unknown>[]).find((r) => r.id === barrier)!;
    expect(one).toMatchObject({ category: 'steps', description: 'Three steps', distance_m: 0 });
  });

  it('verifies a barrier when enough agree (history by "volunteers", a live event); a checked report does not come back', async () => {
    const id = await createReport(t, HERE);
    const before = await t.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM report_events WHERE report_id = $1',
      [id],
    );
    for (const [i, v] of volunteers.entries()) {
      const res = await checkOf(v, id, { verdict: 'confirm' });
      expect(res.status).toBe(201);
      expect(res.body.verified).toBe(i === 2);
      expect(res.body.status).toBe(i === 2 ? 'verified' : 'new');
    }
    const history = await t.pool.query(
      `SELECT actor_id, actor_group, action, from_value, to_value FROM report_history WHERE report_id = $1 AND field = 'status' AND action = 'status'`,
      [id],
    );
    expect(history.rows).toEqual([
      { actor_id: null, actor_group: 'volunteers', action: 'status', from_value: 'new', to_value: 'verified' },
    ]);
    const after = await t.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM report_events WHERE report_id = $1',
      [id],
    );
    expect(after.rows[0]!.n).toBeGreaterThan(before.rows[0]!.n);
    expect(((await nearby(volunteers[0]!)).body.reports as { id: number }[]).map((r) => r.id)).not.toContain(id);
    const again = await checkOf(volunteers[0]!, id, { verdict: 'flag', reason: 'gone' });
    expect(again.status).toBe(409);
    // Staff see the checks with the volunteers' names.
    const checks = await coordinator.agent.get(`/api/v1/staff/reports/${id}/volunteer-checks`);
    expect(checks.status).toBe(200);
    expect(checks.body).toMatchObject({ agreement: 3, confirm: 3, flag: 0 });
    expect(checks.body.checks.map((c: { volunteer: { name: string } }) => c.volunteer.name)).toEqual([
      'Vera',
      'Wim',
      'Xaver',
    ]);
  });

  it('the public timeline credits the volunteers, not a coordinator or a citizen, with their agreement', async () => {
    const id = await createReport(t, HERE);
    for (const v of volunteers) expect((await checkOf(v, id, { verdict: 'confirm' })).status).toBe(201);
    const timeline = await request(t.app).get(`/api/v1/reports/${id}/timeline`);
    expect(timeline.status).toBe(200);
    const verified = (timeline.body.steps as { step: string }[]).filter((s) => s.step === 'verified');
    expect(verified).toEqual([{ step: 'verified', at: expect.any(String), by_volunteers: true }]);
    // A coordinator's step says nothing of volunteers.
    const other = await createReport(t, HERE);
    expect(
      (
        await coordinator.agent
          .patch(`/api/v1/reports/${other}`)
          .set('X-CSRF-Token', coordinator.csrf)
          .send({ status: 'verified' })
      ).status,
    ).toBe(200);
    const staffTimeline = await request(t.app).get(`/api/v1/reports/${other}/timeline`);
    expect(staffTimeline.body.steps.find((s: { step: string }) => s.step === 'verified')).not.toHaveProperty(
      'by_volunteers',
    );
  });

  it('corrects the category when enough agree on another one', async () => {
    const id = await createReport(t, HERE);
    for (const v of volunteers) {
      expect((await checkOf(v, id, { verdict: 'recategorize', category: 'kerb_missing' })).status).toBe(201);
    }
    const { rows } = await t.pool.query('SELECT category, status FROM reports WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ category: 'kerb_missing', status: 'new' });
    const history = await t.pool.query(
      `SELECT actor_group, from_value, to_value FROM report_history WHERE report_id = $1 AND field = 'category'`,
      [id],
    );
    expect(history.rows).toEqual([{ actor_group: 'volunteers', from_value: 'steps', to_value: 'kerb_missing' }]);
  });

  it("a flag puts the report before coordinators, hides nothing, and stops the volunteers' verification", async () => {
    const id = await createReport(t, HERE);
    expect(
      (await checkOf(volunteers[0]!, id, { verdict: 'flag', reason: 'inappropriate', note: 'rude words' })).status,
    ).toBe(201);
    expect((await checkOf(volunteers[1]!, id, { verdict: 'confirm' })).status).toBe(201);
    expect((await checkOf(volunteers[2]!, id, { verdict: 'confirm' })).status).toBe(201);
    const { rows } = await t.pool.query('SELECT status, hidden, needs_attention FROM reports WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'new', hidden: false, needs_attention: true });
    expect((await request(t.app).get(`/api/v1/reports/${id}`)).status).toBe(200);
    const list = await coordinator.agent.get('/api/v1/volunteers');
    expect(list.status).toBe(200);
    expect(list.body.flagged).toEqual(expect.arrayContaining([expect.objectContaining({ report_id: id, flags: 1 })]));
    expect(list.body.volunteers.map((v: { name: string }) => v.name)).toEqual(expect.arrayContaining(['Vera', 'Wim']));
  });

  it('is refused by every staff route (401, as if not signed in), and by the staff event stream', async () => {
    const refused: string[] = [];
    const cases = authzCases(() => ({ t, teamId, otherTeamId: teamId, adminId: coordinator.user.id }));
    for (const c of cases) {
      if (c.allowed.includes('anonymous') || c.endsSession || c.stream) continue;
      const prepared = await c.setup();
      const v = volunteers[0]!;
      let req = v.agent[c.method](prepared.path).set('X-CSRF-Token', v.csrf);
      if (prepared.body) req = req.send(prepared.body);
      const res = await req;
      if (res.status !== 401) refused.push(`${caseName(c)}: ${res.status}`);
    }
    expect(refused).toEqual([]);
    const stream = await volunteers[0]!.agent
      .get('/api/v1/events')
      .buffer(false)
      .timeout(5000)
      .catch((e: Error) => e);
    expect(stream).toHaveProperty('status', 401);
    const tile = await volunteers[0]!.agent.get('/tiles/staff/0/0/0.mvt');
    expect(tile.status).toBe(401);
  });

  it('a coordinator disables a volunteer: their session ends', async () => {
    const v = await joinByMail('Yusuf');
    const res = await coordinator.agent
      .patch(`/api/v1/volunteers/${v.id}`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ disabled: true });
    expect(res.status).toBe(200);
    expect((await v.agent.get('/api/v1/volunteer/me')).status).toBe(401);
    // Only volunteers: a staff account is the admin's to disable.
    const staff = await coordinator.agent
      .patch(`/api/v1/volunteers/${coordinator.user.id}`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ disabled: true });
    expect(staff.status).toBe(404);
  });
});

describe("a volunteer's flags and a disabled volunteer's checks", () => {
  let volunteers: Volunteer[];
  beforeAll(async () => {
    volunteers = [await joinByMail('Ada'), await joinByMail('Bo'), await joinByMail('Cem'), await joinByMail('Dora')];
  });
  const disable = (v: Volunteer) =>
    coordinator.agent
      .patch(`/api/v1/volunteers/${v.id}`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ disabled: true });
  const status = async (id: number) =>
    (await t.pool.query<{ status: string }>('SELECT status FROM reports WHERE id = $1', [id])).rows[0]!.status;

  it('stop counting toward agreement and the flagged list once the volunteer is disabled', async () => {
    const [ada, bo, cem, dora] = volunteers as [Volunteer, Volunteer, Volunteer, Volunteer];
    const confirmed = await createReport(t, HERE);
    const flagged = await createReport(t, HERE);
    expect((await checkOf(dora, confirmed, { verdict: 'confirm' })).status).toBe(201);
    expect((await checkOf(dora, flagged, { verdict: 'flag', reason: 'gone' })).status).toBe(201);
    const flaggedIds = async () =>
      ((await coordinator.agent.get('/api/v1/volunteers')).body.flagged as { report_id: number }[]).map(
        (f) => f.report_id,
      );
    expect(await flaggedIds()).toContain(flagged);
    expect((await disable(dora)).status).toBe(200);
    expect(await flaggedIds()).not.toContain(flagged);
    // Two confirmations and a disabled volunteer's are not the three agreement needs.
    await checkOf(ada, confirmed, { verdict: 'confirm' });
    await checkOf(bo, confirmed, { verdict: 'confirm' });
    expect(await status(confirmed)).toBe('new');
    expect((await checkOf(cem, confirmed, { verdict: 'confirm' })).body.verified).toBe(true);
    // The disabled volunteer's flag no longer holds the report back.
    for (const v of [ada, bo, cem]) await checkOf(v, flagged, { verdict: 'confirm' });
    expect(await status(flagged)).toBe('verified');
    const checks = await coordinator.agent.get(`/api/v1/staff/reports/${flagged}/volunteer-checks`);
    expect(checks.body).toMatchObject({ confirm: 3, flag: 0 });
    expect(checks.body.checks).toHaveLength(4);
  });

  it('are bounded per volunteer and hour (429 with Retry-After, naming verdict)', async () => {
    const ada = volunteers[0]!;
    for (let i = 0; i < FLAG_LIMITS.perWindow; i += 1) {
      const id = await createReport(t, HERE);
      expect((await checkOf(ada, id, { verdict: 'flag', reason: 'gone' })).status).toBe(201);
    }
    const id = await createReport(t, HERE);
    const over = await checkOf(ada, id, { verdict: 'flag', reason: 'gone' });
    expect(over.status).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.body.errors[0].field).toBe('verdict');
    const { rows } = await t.pool.query('SELECT 1 FROM volunteer_checks WHERE report_id = $1', [id]);
    expect(rows).toHaveLength(0);
    // Confirming is not bounded by it; another volunteer still flags.
    expect((await checkOf(ada, id, { verdict: 'confirm' })).status).toBe(201);
    expect((await checkOf(volunteers[1]!, id, { verdict: 'flag', reason: 'gone' })).status).toBe(201);
  });
});

describe('what volunteers are not offered (issue 16 trial)', () => {
  it('a resolved report, or one a citizen reopened as not fixed (needs_attention); labelled photos once staff took it up', async () => {
    const nell = await joinByMail('Nell');
    const staffPatch = (id: number, body: object) =>
      coordinator.agent.patch(`/api/v1/reports/${id}`).set('X-CSRF-Token', coordinator.csrf).send(body);
    const sent = await request(t.app)
      .post('/api/v1/reports')
      .field('category', 'steps')
      .field('lat', String(HERE.lat))
      .field('lon', String(HERE.lon))
      .field('severity', '2')
      .attach('photos', await twoColourJpeg(300, 200), 'before.jpg');
    expect(sent.status).toBe(201);
    const id = sent.body.id as number;
    const offered = async () => ((await nearby(nell)).body.reports as { id: number }[]).find((r) => r.id === id);
    expect(await offered()).toBeDefined();
    expect((await staffPatch(id, { status: 'verified' })).status).toBe(200);
    expect((await staffPatch(id, { status: 'resolved' })).status).toBe(200);
    const after = await coordinator.agent
      .post(`/api/v1/reports/${id}/photos`)
      .set('X-CSRF-Token', coordinator.csrf)
      .attach('photos', await twoColourJpeg(320, 240), 'after.jpg');
    expect(after.status).toBe(201);
    const published = await coordinator.agent
      .patch(`/api/v1/staff/reports/${id}/photos/1`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ state: 'published' });
    expect(published.status).toBe(204);
    expect(await offered()).toBeUndefined();

    const notFixed = await request(t.app)
      .post(`/api/v1/reports/${id}/fix-checks`)
      .set('X-Forwarded-For', '203.0.113.77')
      .send({ answer: 'not_fixed', device: crypto.randomUUID() });
    expect(notFixed.status).toBe(201);
    const { rows } = await t.pool.query('SELECT status, needs_attention FROM reports WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'verified', needs_attention: true });
    expect(await offered()).toBeUndefined();

    // A coordinator took it up (any status change clears the mark): offered again, each photo
    // saying whether it shows the barrier or the fix.
    expect((await staffPatch(id, { status: 'new' })).status).toBe(200);
    const again = (await offered()) as unknown as { photos: { stage: string }[] } | undefined;
    expect(again?.photos.map((p) => p.stage)).toEqual(['report', 'resolution']);
  });
});

describe('invitations', () => {
  async function invite(email = address()): Promise<string> {
    await coordinator.agent
      .post('/api/v1/volunteers/invitations')
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ emails: [email] });
    const mail = await smtp.next((m) => JSON.stringify(m.to).includes(email));
    return /#([\w-]{43})/.exec(mail.text ?? '')![1]!;
  }

  it('work once', async () => {
    const token = await invite();
    await accept(token, 'Once');
    const again = await request(t.app)
      .post('/api/v1/volunteers/join')
      .send({ token, name: 'Twice', password: VOLUNTEER_PASSWORD });
    expect(again.status).toBe(410);
    expect(again.body.errors[0].field).toBe('token');
  });

  it('expire', async () => {
    const token = await invite();
    await t.pool.query(`UPDATE volunteer_invitations SET expires_at = now() - interval '1 second'`);
    const res = await request(t.app)
      .post('/api/v1/volunteers/join')
      .send({ token, name: 'Late', password: VOLUNTEER_PASSWORD });
    expect(res.status).toBe(410);
  });

  it('need a strong password, as staff do (the invitation stays usable)', async () => {
    const token = await invite();
    const weak = await request(t.app)
      .post('/api/v1/volunteers/join')
      .send({ token, name: 'Weak', password: 'password1234' });
    expect(weak.status).toBe(422);
    expect(weak.body.errors[0].field).toBe('password');
    await accept(token, 'Strong');
  });

  it('refuse an address that already has an account, naming it', async () => {
    const res = await coordinator.agent
      .post('/api/v1/volunteers/invitations')
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ emails: [address(), coordinator.user.email] });
    expect(res.status).toBe(409);
    expect(res.body.errors[0].field).toBe('emails.1');
  });
});

describe('bad input is named, never a 500', () => {
  let v: Volunteer;
  let id: number;
  beforeAll(async () => {
    v = await joinByMail('Zoe');
    id = await createReport(t, HERE);
  });

  it.each([
    [{ emails: 'a@example.org' }, 'emails'],
    [{ emails: [] }, 'emails'],
    [{ emails: ['not an address'] }, 'emails'],
    [{ emails: ['x'.repeat(300) + '@example.org'] }, 'emails'],
    [{ emails: Array.from({ length: 21 }, (_, i) => `a${i}@example.org`) }, 'emails'],
    [{ emails: ['a@example.org'], language: 'xx' }, 'language'],
    [{ emails: ['a@example.org'], bcc: 'x' }, 'bcc'],
  ])('invitation %j → %s', async (body, field) => {
    const res = await coordinator.agent
      .post('/api/v1/volunteers/invitations')
      .set('X-CSRF-Token', coordinator.csrf)
      .send(body);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it.each([
    [{ name: 'A', password: PASSWORD }, 'token'],
    [{ token: 'short', name: 'A', password: PASSWORD }, 'token'],
    [{ token: 'x'.repeat(5000), name: 'A', password: PASSWORD }, 'token'],
    [{ token: 'a'.repeat(43), name: '', password: PASSWORD }, 'name'],
    [{ token: 'a'.repeat(43), name: 'A\u0000B', password: PASSWORD }, 'name'],
    [{ token: 'a'.repeat(43), name: 'A', password: 7 }, 'password'],
  ])('joining %j → %s', async (body, field) => {
    const res = await request(t.app).post('/api/v1/volunteers/join').send(body);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it.each([
    ['lat=abc&lon=13.4', 'lat'],
    ['lat=52.5', 'lon'],
    ['lat=95&lon=13.4', 'lat'],
    ['lat=52.5&lon=13.4&radius_m=999999', 'radius_m'],
    ['lat=52.5&lat=52.6&lon=13.4', 'lat'],
    [`lat=${'1'.repeat(3000)}&lon=1`, 'lat'],
  ])('nearby ?%s → %s', async (query, field) => {
    const res = await v.agent.get(`/api/v1/volunteer/reports?${query}`);
    expect([400, 414, 422]).toContain(res.status);
    if (res.status === 422) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it.each([
    [{}, 'verdict'],
    [{ verdict: 'love' }, 'verdict'],
    [{ verdict: 'recategorize' }, 'category'],
    [{ verdict: 'recategorize', category: 'help_assist' }, 'category'],
    [{ verdict: 'recategorize', category: 'x'.repeat(60) }, 'category'],
    [{ verdict: 'confirm', category: 'steps' }, 'category'],
    [{ verdict: 'flag' }, 'reason'],
    [{ verdict: 'flag', reason: 'boring' }, 'reason'],
    [{ verdict: 'flag', reason: 'gone', note: 'x'.repeat(501) }, 'note'],
    [{ verdict: ['confirm'] }, 'verdict'],
    [{ verdict: 'confirm', extra: 1 }, 'extra'],
  ])('check %j → %s', async (body, field) => {
    const res = await checkOf(v, id, body);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('a report that is not there, or not a barrier, is 404', async () => {
    const help = await createReport(t, { ...HERE, category: 'help_assist' });
    expect((await checkOf(v, help, { verdict: 'confirm' })).status).toBe(404);
    expect((await checkOf(v, 999_999_999, { verdict: 'confirm' })).status).toBe(404);
    expect(
      (await v.agent.post('/api/v1/volunteer/reports/abc/checks').set('X-CSRF-Token', v.csrf).send({})).status,
    ).toBe(422);
  });

  it('a check without the CSRF token is refused', async () => {
    const res = await v.agent.post(`/api/v1/volunteer/reports/${id}/checks`).send({ verdict: 'confirm' });
    expect(res.status).toBe(403);
  });
});

// Last: a second app on the embedded database takes its one connection's schema with it when it closes.
describe('without SMTP_URL', () => {
  it('show the link to the coordinator when no mail is set up, and say so', async () => {
    const noMail = await startTestApp();
    try {
      const admin = await loginAs(noMail, 'admin');
      const res = await admin.agent
        .post('/api/v1/volunteers/invitations')
        .set('X-CSRF-Token', admin.csrf)
        .send({ emails: ['someone@example.org'] });
      expect(res.status).toBe(201);
      expect(res.body.mail).toBe(false);
      expect(res.body.invitations[0]).toMatchObject({ delivery: 'not_sent' });
      expect(res.body.invitations[0].link).toMatch(/\/volunteer\/join#[\w-]{43}$/);
    } finally {
      await noMail.close();
    }
  });
});
