// The staff list's filters and search (issue 13), fuzzed signed in: tests/api/fuzz.test.ts
// fuzzes every staff operation anonymously (it must refuse), which never reaches the
// parameters. Here a coordinator and a responder send the hostile requests fast-check makes
// from the parameters the served OpenAPI document declares for the list, so a parameter added
// there is fuzzed here. Every answer is a 200 whose count holds its page, or a 4xx problem
// naming what was wrong; never a 5xx, a stack or SQL; a responder's answers never show
// another team's report. Long and pathological values get quick answers without stalling the
// event loop, as in hostile-input.test.ts.
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';
import { MAX_QUERY_VALUE_LENGTH } from '../../server/http/input-limits';
import { solidPng } from '../fixtures/images';
import type { FuzzContext } from './support/fuzz-fields';
import { problemsOf } from './support/fuzz-oracle';
import { describeRequest, operationsFrom, requestArb, send, type Operation } from './support/fuzz-operations';
import { MAX_EVENT_LOOP_STALL_MS, pathologicalRuns } from './support/fuzz-values';
import { createReport, loginAs, makeTeam, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(300_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_206);
const RUNS = Math.max(1, Math.round(300 * Number(process.env.FUZZ_SCALE ?? 1)));
const KEY = 'GET /api/v1/staff/reports';
const THEIRS_CONTACT = 'fuzz-other-team-contact-3j9q';
const THEIRS_NOTE = 'fuzz-other-team-note-8d2k';

let t: TestApp;
let server: http.Server;
let op: Operation;
let ctx: FuzzContext;
let coordinator: StaffAgent;
let responder: StaffAgent;
let ours: number;
let theirs: number;

beforeAll(async () => {
  t = await startTestApp();
  server = http.createServer({ maxHeaderSize: 64 * 1024 }, t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const [teamA, teamB] = [await makeTeam(t), await makeTeam(t)];
  coordinator = await loginAs(t, 'coordinator');
  responder = await loginAs(t, 'responder', { teamId: teamA });
  ours = await createReport(t, { description: 'Ramp 100% blocked_here', address: 'Fuzzgasse 1' });
  theirs = await createReport(t, { lat: 52.521, contact: THEIRS_CONTACT, description: 'other team' });
  await t.pool.query(`UPDATE reports SET status = 'assigned', assigned_team_id = $2 WHERE id = $1`, [ours, teamA]);
  await t.pool.query(`UPDATE reports SET status = 'assigned', assigned_team_id = $2 WHERE id = $1`, [theirs, teamB]);
  await t.pool.query('INSERT INTO report_notes (report_id, body) VALUES ($1, $2)', [theirs, THEIRS_NOTE]);
  ctx = {
    ids: [String(ours), String(theirs), String(teamA), String(teamB), 'none', `#${theirs}`],
    bboxes: ['13.3,52.4,13.5,52.6', '179,-1,-179,1'],
    cursors: [],
    apiKey: '',
    categories: ['steps', 'help_medical'],
    png: await solidPng(8, 8),
  };
  const served = await send(server, { method: 'GET', url: '/api/openapi.json', headers: {} });
  op = operationsFrom(JSON.parse(served.body.toString('utf8')) as OpenAPIV3.Document).find((o) => o.key === KEY)!;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

it('fuzzes every parameter the document declares for the list', () => {
  const names = op.params.filter((p) => p.in === 'query').map((p) => p.name);
  expect(names).toEqual(
    expect.arrayContaining(['q', 'team_id', 'assigned_user_id', 'created_from', 'created_before', 'bbox', 'status']),
  );
});

describe.each([
  ['coordinator', () => coordinator, {}],
  ['responder', () => responder, { "another team's contact": THEIRS_CONTACT, "another team's note": THEIRS_NOTE }],
] as const)('as a %s', (_role, who, secrets) => {
  it('answers hostile filters and searches with a 200 or a 4xx problem, never more than its scope', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb(op, ctx), async (generated) => {
        // Signed in, with no other cookie or odd header that would end at the session check.
        const headers: Record<string, string> = { ...generated.headers, Cookie: who().cookie };
        delete headers['If-None-Match'];
        const req = { ...generated, headers };
        const got = await send(server, req);
        const problems = problemsOf(req, got, { kind: 'problem' }, secrets);
        if (got.status === 200) {
          const body = JSON.parse(got.body.toString('utf8')) as {
            features: { id: number }[];
            numberReturned: number;
            numberMatched: number;
          };
          if (!(body.numberMatched >= body.numberReturned && body.numberReturned === body.features.length)) {
            problems.push(`numberMatched ${body.numberMatched} < numberReturned ${body.numberReturned}`);
          }
          if (who() === responder && body.features.some((f) => f.id === theirs)) {
            problems.push("a responder's list shows another team's report");
          }
        } else if (got.status !== 400 && got.status !== 414 && got.status !== 422 && got.status !== 406) {
          problems.push(`answered ${got.status}`);
        }
        if (problems.length) {
          throw new Error(
            `${describeRequest(req)}\n→ ${got.status} ${got.body.toString('utf8').slice(0, 300)}\n${problems.join('\n')}`,
          );
        }
      }),
      { seed: SEED + (who() === responder ? 1 : 0), numRuns: RUNS },
    );
  });
});

it('answers long and pathological values of each new parameter quickly, naming it', async () => {
  const params = ['q', 'team_id', 'assigned_user_id', 'deployment_id', 'created_from', 'created_before', 'limit'];
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const answers: { param: string; status: number; fields: string[]; blank: boolean }[] = [];
  try {
    for (const param of params) {
      for (const text of [...pathologicalRuns(MAX_QUERY_VALUE_LENGTH - 4), ' '.repeat(MAX_QUERY_VALUE_LENGTH - 4)]) {
        const value = encodeURIComponent(text).slice(0, 6000);
        const got = await send(server, {
          method: 'GET',
          url: `/api/v1/staff/reports?${param}=${value}`,
          headers: { Cookie: coordinator.cookie },
        });
        const body = JSON.parse(got.body.toString('utf8')) as { errors?: { field: string }[] };
        answers.push({
          param,
          status: got.status,
          fields: (body.errors ?? []).map((e) => e.field),
          blank: /^(%20)*$/.test(value),
        });
      }
    }
  } finally {
    histogram.disable();
  }
  for (const a of answers) {
    // Only blanks (cut to 2,000 spaces here) are no filter at all: a blank parameter is "not given".
    if (a.blank) {
      expect([a.param, a.status]).toEqual([a.param, 200]);
      continue;
    }
    // 400 past the query's 2,048 characters (http/input-limits.ts), else the list's own 422.
    expect([a.param, [400, 422].includes(a.status), a.fields]).toEqual([a.param, true, [a.param]]);
  }
  expect(histogram.max / 1e6).toBeLessThan(MAX_EVENT_LOOP_STALL_MS);
});
