// Group commit of JSON reports (server/features/reports/reports.batch.ts): many concurrent
// POSTs share statements, yet each report is all or nothing with its idempotency key.
import crypto from 'node:crypto';
import request from 'supertest';
import { storeBatched } from '../../server/features/reports/reports.batch';
import type { ReportInsert } from '../../server/features/reports/reports.repo';
import { refreshCells } from '../../server/features/tiles/tiles.repo';
import { startTestApp, type TestApp, HELP_GRID_M } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// A town of this file's own (Görlitz), so the cluster total counts only these reports.
const centre = { lon: 14.9869, lat: 51.1526 };
const BBOX = '14.90,51.10,15.08,51.21';
let n = 0;
const body = () => {
  n++;
  return {
    category: n % 2 ? 'steps' : 'surface',
    lon: Math.round((centre.lon + ((n % 20) - 10) * 0.003) * 1e6) / 1e6,
    lat: Math.round((centre.lat + (Math.floor(n / 20) - 5) * 0.002) * 1e6) / 1e6,
    severity: (n % 3) + 1,
    description: `Batch report ${n}`,
  };
};

const post = (fields: object, key?: string) => {
  const req = request(t.app).post('/api/v1/reports');
  return (key ? req.set('Idempotency-Key', key) : req).send(fields);
};

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await t.pool.query<{ n: number }>(sql, params);
  return rows[0]!.n;
}

async function clusterTotal(): Promise<number> {
  const res = await request(t.app).get(`/api/v1/clusters?bbox=${BBOX}&zoom=9`).expect(200);
  return (res.body.features as { properties: { count: number } }[]).reduce((s, f) => s + f.properties.count, 0);
}

describe('concurrent JSON reports in group commits', () => {
  it('stores each once, replays shared keys, refuses a reused key and keeps the map exact', async () => {
    const before = await count('SELECT count(*)::int AS n FROM reports');
    const lastChange = () => count('SELECT max(id)::int AS n FROM public_changes');
    const changesBefore = await lastChange();
    const plain = Array.from({ length: 50 }, () => post(body()));
    const keyed = Array.from({ length: 100 }, () => post(body(), crypto.randomUUID()));
    // The same key twice with the same body: one report, answered twice.
    const retried = Array.from({ length: 20 }, () => ({ key: crypto.randomUUID(), fields: body() }));
    // The same key with two different bodies: one is stored, the other refused.
    const reused = Array.from({ length: 10 }, () => ({ key: crypto.randomUUID(), a: body(), b: body() }));
    const all = await Promise.all([
      Promise.all(plain),
      Promise.all(keyed),
      Promise.all(retried.map((r) => Promise.all([post(r.fields, r.key), post(r.fields, r.key)]))),
      Promise.all(reused.map((r) => Promise.all([post(r.a, r.key), post(r.b, r.key)]))),
      post({ ...body(), severity: 9 }),
    ]);
    const [plainRes, keyedRes, retriedRes, reusedRes, invalid] = all;

    expect(invalid.status).toBe(422);
    for (const res of [...plainRes, ...keyedRes]) expect(res.status).toBe(201);
    const ids = [...plainRes, ...keyedRes].map((res) => Number(res.body.id));

    for (const [first, second] of retriedRes) {
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(first.body.id).toBe(second.body.id);
      // Exactly one of the two was the replay.
      expect([first, second].filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(1);
      ids.push(Number(first.body.id));
    }
    for (const [i, pair] of reusedRes.entries()) {
      const won = pair.filter((r) => r.status === 201);
      expect(won).toHaveLength(1);
      expect(pair.filter((r) => r.status === 422)).toHaveLength(1);
      const lost = pair.find((r) => r.status === 422)!;
      expect(lost.body.errors.map((e: { field: string }) => e.field)).toEqual(['Idempotency-Key']);
      const description = won[0] === pair[0] ? reused[i]!.a.description : reused[i]!.b.description;
      ids.push(Number(won[0]!.body.id));
      const { rows } = await t.pool.query('SELECT description FROM reports WHERE id = $1', [won[0]!.body.id]);
      expect(rows[0].description).toBe(description);
    }

    // 50 + 100 + 20 + 10 reports, each id answered once and each in the table once.
    expect(new Set(ids).size).toBe(180);
    expect(await count('SELECT count(*)::int AS n FROM reports')).toBe(before + 180);
    expect(await count('SELECT count(*)::int AS n FROM reports WHERE id = ANY($1::bigint[])', [ids])).toBe(180);
    // 100 + 20 + 10 keys name the reports stored with them; each report has its history and event.
    expect(
      await count(`SELECT count(*)::int AS n FROM idempotency_keys WHERE report_id = ANY($1::bigint[])`, [ids]),
    ).toBe(130);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM report_history WHERE action = 'created' AND report_id = ANY($1::bigint[])`,
        [ids],
      ),
    ).toBe(180);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM report_events WHERE type = 'report.created' AND report_id = ANY($1::bigint[])`,
        [ids],
      ),
    ).toBe(180);

    // Statements that wrote reports (one public_changes row each, migrations/0022): fewer than
    // the reports, so some were written together.
    expect((await lastChange()) - changesBefore).toBeLessThan(180);

    // The map counts each report once, from the pending deltas and after folding them.
    expect(await clusterTotal()).toBe(180);
    await refreshCells(t.pool);
    expect(await clusterTotal()).toBe(180);

    // A retry after the burst replays its report.
    const again = await post(retried[0]!.fields, retried[0]!.key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(retriedRes[0]![0].body.id);
  });

  it('fails only the member that breaks a constraint, not the others of its batch', async () => {
    const row = (category: string): ReportInsert => ({
      kind: 'barrier',
      category,
      lat: centre.lat,
      lon: centre.lon,
      accuracyM: null,
      description: 'Constraint test',
      severity: 2,
      passability: null,
      peopleCount: null,
      address: null,
      contact: null,
      review: 'published',
      hidden: false,
      source: 'web',
      originRef: null,
    });
    // Submitted in one turn of the event loop: one batch; the unknown category breaks its foreign key.
    const outcomes = await Promise.allSettled(
      ['steps', 'no_such_category', 'surface', 'steps'].map((category) =>
        storeBatched(t.pool, { report: row(category), helpGridM: HELP_GRID_M }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: '23503' });
    const stored = outcomes.flatMap((o) =>
      o.status === 'fulfilled' && 'stored' in o.value ? [o.value.stored.id] : [],
    );
    expect(stored).toHaveLength(3);
    expect(await count('SELECT count(*)::int AS n FROM reports WHERE id = ANY($1::bigint[])', [stored])).toBe(3);
    expect(await count(`SELECT count(*)::int AS n FROM reports WHERE category = 'no_such_category'`)).toBe(0);
  });
});
