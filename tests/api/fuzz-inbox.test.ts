// The coordinators' inbox (issue 15), fuzzed signed in: tests/api/fuzz.test.ts sends every
// staff operation anonymously (it must refuse), which never reaches the parameters and bodies.
// Here a coordinator sends the hostile requests fast-check makes from what the served OpenAPI
// document declares for each inbox operation, so a field added there is fuzzed here. Every
// answer is a success or a 4xx problem naming what was wrong; never a 5xx, a stack or SQL;
// and a message that was not filed is never half-filed (no report without its message's state).
import http from 'node:http';
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';
import { createTaxonomy } from '../../server/features/categories/categories.service';
import { receiveMessage } from '../../server/features/inbound/inbound.service';
import { solidPng } from '../fixtures/images';
import type { FuzzContext } from './support/fuzz-fields';
import { problemsOf } from './support/fuzz-oracle';
import { describeRequest, operationsFrom, requestArb, send, type Operation } from './support/fuzz-operations';
import { loginAs, type StaffAgent } from './support/staff';
import { HELP_GRID_M, startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(300_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_206);
const RUNS = Math.max(1, Math.round(120 * Number(process.env.FUZZ_SCALE ?? 1)));
const KEYS = [
  'GET /api/v1/staff/inbox',
  'GET /api/v1/staff/inbox/{id}',
  'PATCH /api/v1/staff/inbox/{id}',
  'POST /api/v1/staff/inbox/file',
];
const OK = new Set([200, 201, 400, 404, 406, 409, 413, 414, 415, 422]);

let t: TestApp;
let server: http.Server;
let ops: Operation[];
let ctx: FuzzContext;
let coordinator: StaffAgent;

beforeAll(async () => {
  t = await startTestApp();
  server = http.createServer({ maxHeaderSize: 64 * 1024 }, t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  coordinator = await loginAs(t, 'coordinator');
  const deps = {
    pool: t.pool,
    events: t.events,
    storage: t.storage,
    taxonomy: createTaxonomy(t.pool),
    helpGridM: HELP_GRID_M,
  };
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const outcome = await receiveMessage(deps, {
      channel: 'sms',
      gateway: 'twilio',
      externalId: `fuzz-${i}`,
      sender: '+4930555000',
      body: `message ${i} about the lift`,
      photos: [],
    });
    if (outcome.kind === 'inbox') ids.push(String(outcome.messageId));
  }
  ctx = {
    ids: [...ids.slice(0, 6), '0', '-1', '9007199254740993', 'none'],
    bboxes: ['13.3,52.4,13.5,52.6'],
    cursors: [],
    apiKey: '',
    categories: ['steps', 'help_medical', 'lift'],
    png: await solidPng(8, 8),
  };
  const served = await send(server, { method: 'GET', url: '/api/openapi.json', headers: {} });
  const all = operationsFrom(JSON.parse(served.body.toString('utf8')) as OpenAPIV3.Document);
  ops = KEYS.map((k) => all.find((o) => o.key === k)!);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

it('finds every inbox operation in the document, with its fields', () => {
  expect(ops.every(Boolean)).toBe(true);
  const file = ops[3]!.bodies[0]!.schema;
  expect(Object.keys(file.properties ?? {})).toEqual(
    expect.arrayContaining(['message_ids', 'report_id', 'lat', 'lon', 'category', 'severity', 'description']),
  );
});

it.each(KEYS)('%s answers hostile requests with a success or a 4xx problem', async (key) => {
  const op = ops[KEYS.indexOf(key)]!;
  await fc.assert(
    fc.asyncProperty(requestArb(op, ctx), async (generated) => {
      const headers: Record<string, string> = {
        ...generated.headers,
        Cookie: coordinator.cookie,
        'X-CSRF-Token': coordinator.csrf,
      };
      delete headers['If-None-Match'];
      const req = { ...generated, headers };
      const got = await send(server, req);
      const problems = problemsOf(req, got, { kind: 'problem' }, {});
      if (!OK.has(got.status)) problems.push(`answered ${got.status}`);
      if (problems.length) {
        throw new Error(
          `${describeRequest(req)}\n→ ${got.status} ${got.body.toString('utf8').slice(0, 300)}\n${problems.join('\n')}`,
        );
      }
    }),
    { seed: SEED + KEYS.indexOf(key), numRuns: RUNS },
  );
  // Nothing half-filed: every filed message names a report that exists, every sms report one message.
  const { rows } = await t.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM inbound_messages m
      WHERE m.state = 'filed' AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = m.report_id)`,
  );
  expect(rows[0]!.n).toBe(0);
  const orphans = await t.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reports r
      WHERE r.source = 'sms' AND NOT EXISTS (SELECT 1 FROM inbound_messages m WHERE m.report_id = r.id)`,
  );
  expect(orphans.rows[0]!.n).toBe(0);
});
