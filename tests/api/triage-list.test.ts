// The staff list tells the truth (issue 13): numberMatched counts every report the filters and
// the search match, not the page; the search finds a report by number, by words of its text,
// address or notes, with the searcher's % and _ taken literally; every parameter is checked and
// named when wrong; a responder's list and count stay within their work.
import request from 'supertest';
import { createReport, loginAs, makeStaff, makeTeam, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

let t: TestApp;
let coordinator: StaffAgent;
let responder: StaffAgent;
let teamA: number;
let teamB: number;
let personId: number;
/** Every report of this file, by what makes it different. */
const ids: Record<string, number> = {};
/** A place of this file's own: a bbox around it holds exactly these reports. */
const PLACE = { lat: 47.37, lon: 8.54 };
const BBOX = '8.5,47.3,8.6,47.4';

interface Collection {
  features: { id: number; properties: { status: string } }[];
  numberReturned: number;
  numberMatched: number;
}

const list = async (who: StaffAgent, query: string): Promise<Collection> => {
  const res = await who.agent.get(`/api/v1/staff/reports?bbox=${BBOX}&${query}`);
  if (res.status !== 200) throw new Error(`${query}: ${res.status} ${res.text}`);
  return res.body as Collection;
};
const idsOf = (c: Collection) => c.features.map((f) => f.id).sort((a, b) => a - b);
const sorted = (...xs: number[]) => [...xs].sort((a, b) => a - b);

beforeAll(async () => {
  t = await startTestApp();
  teamA = await makeTeam(t);
  teamB = await makeTeam(t);
  coordinator = await loginAs(t, 'coordinator');
  responder = await loginAs(t, 'responder', { teamId: teamA });
  personId = (await makeStaff(t, 'responder', { teamId: teamB })).id;
  const at = (i: number) => ({ lat: PLACE.lat + i * 0.001, lon: PLACE.lon + i * 0.001 });
  ids.steps = await createReport(t, { ...at(1), description: 'Three STEPS at the Hauptstraße entrance' });
  ids.percent = await createReport(t, { ...at(2), description: 'Ramp at 100% slope', address: 'Bahnhofplatz 2' });
  ids.underscore = await createReport(t, { ...at(3), description: 'Sign says lift_out', address: 'Seefeld 9' });
  ids.backslash = await createReport(t, { ...at(4), description: 'Path C:\\ramp is blocked' });
  ids.address = await createReport(t, { ...at(5), category: 'lift', address: 'Limmatquai 3001' });
  ids.help = await createReport(t, {
    ...at(6),
    category: 'help_medical',
    people_count: 2,
    description: 'Needs insulin',
  });
  ids.noted = await createReport(t, { ...at(7), category: 'surface' });
  for (let i = 0; i < 5; i++) ids[`plain${i}`] = await createReport(t, { ...at(8 + i) });
  const set = (id: number, sql: string, ...values: unknown[]) =>
    t.pool.query(`UPDATE reports SET ${sql} WHERE id = $1`, [id, ...values]);
  await set(ids.steps, `status = 'resolved', resolved_at = now()`);
  await set(ids.percent, `status = 'resolved', resolved_at = now()`);
  await set(ids.underscore, `status = 'assigned', assigned_team_id = $2`, teamA);
  await set(ids.backslash, `status = 'assigned', assigned_team_id = $2, assigned_user_id = $3`, teamB, personId);
  await set(ids.address, `status = 'rejected'`);
  await set(ids.plain0!, `created_at = '2026-01-15T12:00:00Z'`);
  await set(ids.plain1!, `created_at = '2026-01-31T23:30:00Z'`);
  await set(ids.plain2!, `created_at = '2026-02-01T00:00:00Z'`);
  const note = await coordinator.agent
    .post(`/api/v1/reports/${ids.noted}/notes`)
    .set('X-CSRF-Token', coordinator.csrf)
    .send({ body: 'Caretaker Frau Odermatt has the key' });
  expect(note.status).toBe(201);
});
afterAll(() => t.close());

describe('numberMatched', () => {
  it('counts every match, not the page, and the pages together hold each once', async () => {
    const all = await list(coordinator, 'status=new,verified,assigned,in_progress,resolved,rejected,duplicate');
    expect(all.numberMatched).toBe(12);
    const seen: number[] = [];
    for (let offset = 0; offset < 12; offset += 5) {
      const page = await list(coordinator, `limit=5&offset=${offset}`);
      expect(page.numberMatched).toBe(12);
      expect(page.numberReturned).toBe(Math.min(5, 12 - offset));
      seen.push(...idsOf(page));
    }
    expect(sorted(...seen)).toEqual(idsOf(all));
  });

  it.each([
    ['status=resolved', () => [ids.steps, ids.percent]],
    [
      'status=new,verified,assigned,in_progress',
      () => [ids.underscore, ids.backslash, ids.help, ids.noted, ...plain()],
    ],
    ['kind=help', () => [ids.help]],
    ['category=lift', () => [ids.address]],
    [`team_id=A`, () => [ids.underscore]],
    ['team_id=none&status=new', () => [ids.help, ids.noted, ...plain()]],
    ['assigned_user_id=P', () => [ids.backslash]],
    ['assigned_user_id=none&status=assigned', () => [ids.underscore]],
    ['created_from=2026-01-01&created_before=2026-02-01', () => [ids.plain0, ids.plain1]],
    ['created_from=2026-02-01T00:00:00Z&created_before=2026-02-02', () => [ids.plain2]],
    ['created_before=2026-01-31T23:30:00.001Z', () => [ids.plain0, ids.plain1]],
  ])('%s: the list and its count agree, with limit=1', async (query, expected) => {
    const q = query.replace('team_id=A', `team_id=${teamA}`).replace('user_id=P', `user_id=${personId}`);
    const want = sorted(...(expected() as number[]));
    const full = await list(coordinator, `${q}&limit=500`);
    expect(idsOf(full)).toEqual(want);
    const one = await list(coordinator, `${q}&limit=1`);
    expect([one.numberReturned, one.numberMatched]).toEqual([Math.min(1, want.length), want.length]);
  });

  it('counts only the map view asked for', async () => {
    const near = `${PLACE.lon + 0.0005},${PLACE.lat + 0.0005},${PLACE.lon + 0.0035},${PLACE.lat + 0.0035}`;
    const res = await coordinator.agent.get(`/api/v1/staff/reports?bbox=${near}&status=resolved,assigned`);
    expect(res.body.numberMatched).toBe(3);
  });
});

const plain = () => [0, 1, 2, 3, 4].map((i) => ids[`plain${i}`]!);

describe('search', () => {
  const search = (q: string) => list(coordinator, `q=${encodeURIComponent(q)}&status=${ALL}`);
  const ALL = 'new,verified,assigned,in_progress,resolved,rejected,duplicate';

  it('finds a report by its number, typed bare or with #', async () => {
    const bare = await search(String(ids.help));
    expect(idsOf(bare)).toContain(ids.help);
    const hashed = await search(`#${ids.help}`);
    expect([idsOf(hashed), hashed.numberMatched]).toEqual([[ids.help], 1]);
    // Outside the filters it is not in the list (the dashboard offers to open it instead).
    expect((await list(coordinator, `q=%23${ids.help}&status=resolved`)).numberMatched).toBe(0);
  });

  it('finds words of the description, case-insensitively and inside words, all words at once', async () => {
    expect(idsOf(await search('steps'))).toEqual([ids.steps]);
    expect(idsOf(await search('haupt'))).toEqual([ids.steps]);
    expect(idsOf(await search('three entrance'))).toEqual([ids.steps]);
    expect((await search('three insulin')).numberMatched).toBe(0);
  });

  it('finds the address, and text holding a number as well as the report with it', async () => {
    expect(idsOf(await search('limmatquai'))).toEqual([ids.address]);
    const number = await search('3001');
    expect(idsOf(number)).toContain(ids.address);
    expect(idsOf(await search('#3001'))).not.toContain(ids.address);
  });

  it('finds a staff note', async () => {
    expect(idsOf(await search('odermatt'))).toEqual([ids.noted]);
  });

  it('takes %, _ and \\ literally', async () => {
    expect(idsOf(await search('%'))).toEqual([ids.percent]);
    expect(idsOf(await search('100%'))).toEqual([ids.percent]);
    expect(idsOf(await search('_'))).toEqual([ids.underscore]);
    expect(idsOf(await search('lift_'))).toEqual([ids.underscore]);
    expect(idsOf(await search('\\'))).toEqual([ids.backslash]);
    expect((await search('%%%_')).numberMatched).toBe(0);
  });

  it('combines with the filters, and counts what it finds', async () => {
    const res = await list(coordinator, 'q=ramp&status=resolved');
    expect([idsOf(res), res.numberMatched]).toEqual([[ids.percent], 1]);
  });
});

describe('scope', () => {
  it("keeps a responder's list, count and search within their team's work", async () => {
    const own = await list(responder, `status=${'new,verified,assigned,in_progress,resolved,rejected,duplicate'}`);
    expect([idsOf(own), own.numberMatched]).toEqual([[ids.underscore], 1]);
    expect((await list(responder, `q=%23${ids.backslash}`)).numberMatched).toBe(0);
    expect((await list(responder, 'q=ramp')).numberMatched).toBe(0);
    expect((await list(responder, `team_id=${teamB}`)).numberMatched).toBe(0);
  });

  it('refuses without a session', async () => {
    const res = await request(t.app).get('/api/v1/staff/reports?q=steps');
    expect(res.status).toBe(401);
  });
});

describe('bad parameters', () => {
  it.each([
    ['q', 'x'.repeat(201), /at most 200 characters/],
    ['q', 'a b c d e f g h i', /at most 8 words/],
    ['q', 'a\u0000b', /NUL/],
    ['team_id', 'abc', /team number or none/],
    ['team_id', '0', /team number or none/],
    ['team_id', '9'.repeat(41), /team number or none/],
    ['assigned_user_id', '-1', /person number or none/],
    ['deployment_id', 'none', /deployment number/],
    ['created_from', '2026-02-31', /date/],
    ['created_from', '2026-01-01T00:00:00+25:00', /date/],
    ['created_from', '0000-01-01', /1970 to 9999/],
    ['created_before', `2026-01-01T${'0'.repeat(1500)}Z`, /date/],
    ['sort', 'oldest', /priority or newest/],
    ['limit', '0', /1 to 500/],
    ['limit', '1e2', /1 to 500/],
    ['offset', '100001', /0 to 100000/],
    ['cursor', 'x', /not a filter/],
  ])('%s (case %#) is a 422 naming it', async (name, value, detail) => {
    const res = await coordinator.agent.get(`/api/v1/staff/reports?${name}=${encodeURIComponent(value)}`);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: name, detail: expect.stringMatching(detail) }]);
  });

  it('refuses a parameter given twice and a range that ends before it starts, naming them', async () => {
    const twice = await coordinator.agent.get('/api/v1/staff/reports?q=a&q=b');
    expect([twice.status, twice.body.errors]).toEqual([422, [{ field: 'q', detail: 'must be given once' }]]);
    const range = await coordinator.agent.get(
      '/api/v1/staff/reports?created_from=2026-02-01&created_before=2026-02-01',
    );
    expect([range.status, range.body.errors[0].field]).toEqual([422, 'created_before']);
  });
});
