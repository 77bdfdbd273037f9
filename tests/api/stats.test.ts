// The public statistics (/api/v1/stats, docs/STATS.md) on a small known data set: counts,
// medians, areas imported from a GeoJSON file or the grid without them, hidden, rejected and
// duplicate reports left out, help counts under 3 in an area withheld, the CSV the same
// numbers, filters checked, answers cached.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { AreasFileError, readAreas } from '../../server/features/areas/areas.read';
import { importAreas } from '../../server/features/areas/areas.service';
import { parseCsv, text } from './support/csv';
import { loginAs } from './support/staff';
import { HELP_GRID_M, startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const DISTRICTS = path.join(ROOT, 'tests/fixtures/areas/districts.geojson');

let t: TestApp;

// In district A (Mitte), district B (Ost), and outside both.
const A = [13.42, 52.52];
const B = [13.52, 52.52];
const OUT = [10.02, 50.02];

interface Row {
  kind: 'barrier' | 'help';
  category: string;
  status: string;
  at: number[];
  created: string;
  resolved?: string;
  hidden?: boolean;
}

const ROWS: Row[] = [
  { kind: 'barrier', category: 'steps', status: 'new', at: A, created: '2026-01-10T12:00Z' },
  {
    kind: 'barrier',
    category: 'steps',
    status: 'resolved',
    at: A,
    created: '2026-01-01T12:00Z',
    resolved: '2026-01-05T12:00Z',
  },
  {
    kind: 'barrier',
    category: 'steps',
    status: 'resolved',
    at: B,
    created: '2026-01-02T12:00Z',
    resolved: '2026-01-12T12:00Z',
  },
  {
    kind: 'barrier',
    category: 'surface',
    status: 'resolved',
    at: B,
    created: '2026-02-01T00:00Z',
    resolved: '2026-02-03T00:00Z',
  },
  { kind: 'barrier', category: 'steps', status: 'in_progress', at: OUT, created: '2026-01-15T12:00Z' },
  // Never counted: hidden, rejected, a duplicate (counted through its original).
  { kind: 'barrier', category: 'surface', status: 'verified', at: A, created: '2026-01-03T12:00Z', hidden: true },
  { kind: 'barrier', category: 'surface', status: 'rejected', at: A, created: '2026-01-03T12:00Z' },
  { kind: 'barrier', category: 'surface', status: 'duplicate', at: A, created: '2026-01-03T12:00Z' },
  { kind: 'help', category: 'help_medical', status: 'new', at: A, created: '2026-01-20T12:00Z' },
  { kind: 'help', category: 'help_medical', status: 'new', at: A, created: '2026-01-20T13:00Z' },
  { kind: 'help', category: 'help_medical', status: 'new', at: B, created: '2026-02-10T12:00Z' },
  { kind: 'help', category: 'help_medical', status: 'new', at: B, created: '2026-02-10T12:00Z' },
  { kind: 'help', category: 'help_medical', status: 'new', at: B, created: '2026-02-10T12:00Z' },
  {
    kind: 'help',
    category: 'help_medical',
    status: 'resolved',
    at: B,
    created: '2026-02-10T12:00Z',
    resolved: '2026-02-11T12:00Z',
  },
];

async function insert(row: Row): Promise<void> {
  await t.pool.query(
    `INSERT INTO reports (kind, category, severity, geom, public_geom, status, hidden, created_at, updated_at, resolved_at)
     SELECT $1, $2, 2, p, CASE WHEN $1 = 'help' THEN wf_coarse_point(p, $9) ELSE p END, $3, $4, $5, $5, $6
       FROM (SELECT ST_SetSRID(ST_MakePoint($7, $8), 4326) AS p) x`,
    [
      row.kind,
      row.category,
      row.status,
      row.hidden ?? false,
      row.created,
      row.resolved ?? null,
      row.at[0],
      row.at[1],
      HELP_GRID_M,
    ],
  );
}

beforeAll(async () => {
  t = await startTestApp();
  for (const row of ROWS) await insert(row);
});

afterAll(async () => {
  await t.close();
});

const stats = (query = '') => request(t.app).get(`/api/v1/stats${query}`);

describe('without areas: the grid', () => {
  it('counts per 0.1° cell named by its centre, says so, and withholds help counts under 3', async () => {
    const res = await stats('?since=2026-01-01');
    expect(res.status).toBe(200);
    expect(res.body.areas).toMatchObject({ source: 'grid', cell_deg: 0.1, help_min_count: 3, left_out: 0 });
    const cell = (area: string, kind: string) =>
      res.body.by_area.find((r: { area: string; kind: string }) => r.area === area && r.kind === kind);
    expect(cell('52.55,13.45', 'barrier')).toMatchObject({ open: 1, resolved: 1, median_days: 4, suppressed: false });
    expect(cell('52.55,13.55', 'barrier')).toMatchObject({ open: 0, resolved: 2, median_days: 6 });
    expect(cell('50.05,10.05', 'barrier')).toMatchObject({ open: 1, resolved: 0, median_days: null });
    // Two help requests in Mitte's cell: "fewer than 3"; three open and one resolved in Ost's.
    expect(cell('52.55,13.45', 'help')).toMatchObject({ open: null, resolved: 0, suppressed: true });
    expect(cell('52.55,13.55', 'help')).toMatchObject({ open: 3, resolved: null, median_days: null, suppressed: true });
  });
});

describe('with areas imported from a GeoJSON file', () => {
  beforeAll(async () => {
    const file = await fs.readFile(DISTRICTS, 'utf8');
    // The file names its districts in BEZ_NAME, which is not guessed: the error says what there is.
    expect(() => readAreas(file)).toThrow(/no name property .*--name-property .*BEZ_NAME, Einwohner/);
    const { areas } = readAreas(file, { nameProperty: 'BEZ_NAME' });
    const summary = await importAreas(t.pool, areas, { replace: true });
    expect(summary).toMatchObject({ imported: 3, mended: [3], total: 3 });
  });

  it('counts open, resolved and median days in total and per category, without hidden, rejected or duplicates', async () => {
    const res = await stats();
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ open: 7, resolved: 4, median_days: 3 });
    const category = (code: string) => res.body.by_category.find((r: { category: string }) => r.category === code);
    expect(category('steps')).toEqual({ category: 'steps', kind: 'barrier', open: 2, resolved: 2, median_days: 7 });
    expect(category('surface')).toEqual({ category: 'surface', kind: 'barrier', open: 0, resolved: 1, median_days: 2 });
    expect(category('help_medical')).toMatchObject({ open: 5, resolved: 1, median_days: 1 });
    expect(res.headers['cache-control']).toBe('public, max-age=60');
  });

  it('counts per area (every area listed, outside ones apart) and withholds help counts under 3', async () => {
    const res = await stats();
    expect(res.body.areas).toMatchObject({ source: 'imported', cell_deg: null });
    const row = (area: string | null, kind: string) =>
      res.body.by_area.find((r: { area: string | null; kind: string }) => r.area === area && r.kind === kind);
    expect(row('A', 'barrier')).toEqual({
      area: 'A',
      name: 'Mitte',
      kind: 'barrier',
      open: 1,
      resolved: 1,
      median_days: 4,
      suppressed: false,
    });
    expect(row('B', 'barrier')).toMatchObject({ name: '=Ost', open: 0, resolved: 2, median_days: 6 });
    expect(row('A', 'help')).toMatchObject({ open: null, resolved: 0, suppressed: true });
    expect(row('B', 'help')).toMatchObject({ open: 3, resolved: null, median_days: null, suppressed: true });
    expect(row('C', 'barrier')).toMatchObject({ name: 'Schleife', open: 0, resolved: 0, median_days: null });
    expect(row(null, 'barrier')).toMatchObject({ name: null, open: 1, resolved: 0 });
    expect(row(null, 'help')).toBeUndefined();
    // Nothing beside the counts: no point, no report.
    expect(JSON.stringify(res.body)).not.toMatch(/13\.42|52\.52|"id"/);
  });

  it('counts over time per month, or per week for a short period, and follows since/until/kind', async () => {
    const all = await stats();
    expect(all.body.over_time.unit).toBe('month');
    const months = all.body.over_time.periods;
    expect(months[0]).toEqual({ period: '2026-01-01', reported: 6, resolved: 2, median_days: 7 });
    expect(months[1]).toEqual({ period: '2026-02-01', reported: 5, resolved: 2, median_days: 1.5 });
    expect(months.at(-1).period).toBe(`${new Date().toISOString().slice(0, 7)}-01`);

    const january = await stats('?since=2026-01-01&until=2026-01-31&kind=barrier');
    expect(january.status).toBe(200);
    expect(january.body.filters).toEqual({ since: '2026-01-01', until: '2026-01-31', kind: 'barrier' });
    expect(january.body.totals).toEqual({ open: 2, resolved: 2, median_days: 7 });
    expect(january.body.over_time.unit).toBe('week');
    expect(january.body.over_time.periods.map((p: { period: string }) => p.period)).toEqual([
      '2025-12-29',
      '2026-01-05',
      '2026-01-12',
      '2026-01-19',
      '2026-01-26',
    ]);
    expect(january.body.over_time.periods[0]).toMatchObject({ reported: 2, resolved: 0 });
    expect(january.body.by_area.every((r: { kind: string }) => r.kind === 'barrier')).toBe(true);
  });

  it('gives the same numbers as CSV (RFC 4180, a header, formula-safe names)', async () => {
    const json = (await stats('?kind=barrier')).body;
    const res = await text(request(t.app).get('/api/v1/stats.csv?kind=barrier'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(res.body as string);
    expect(header).toEqual([
      'section',
      'kind',
      'category',
      'area',
      'area_name',
      'period',
      'open',
      'resolved',
      'reported',
      'median_days',
    ]);
    const of = (section: string) => rows.filter((r) => r[0] === section);
    const num = (v: number | null) => (v === null ? '' : String(v));
    expect(of('total')).toEqual([['total', 'barrier', '', '', '', '', '2', '3', '', '4']]);
    expect(json.totals).toEqual({ open: 2, resolved: 3, median_days: 4 });
    expect(of('category')).toEqual(
      json.by_category.map(
        (c: { kind: string; category: string; open: number; resolved: number; median_days: number | null }) => [
          'category',
          c.kind,
          c.category,
          '',
          '',
          '',
          num(c.open),
          num(c.resolved),
          '',
          num(c.median_days),
        ],
      ),
    );
    expect(of('area')).toHaveLength(json.by_area.length);
    expect(of('area').find((r) => r[3] === 'B')![4]).toBe("'=Ost");
    expect(of('month').map((r) => [r[5], r[7], r[8], r[9]])).toEqual(
      json.over_time.periods.map(
        (p: { period: string; resolved: number; reported: number; median_days: number | null }) => [
          p.period,
          String(p.resolved),
          String(p.reported),
          num(p.median_days),
        ],
      ),
    );
    // A withheld help count reads "<3".
    const help = parseCsv((await text(request(t.app).get('/api/v1/stats.csv?kind=help'))).body as string);
    expect(help.find((r) => r[0] === 'area' && r[3] === 'A')!.slice(6, 8)).toEqual(['<3', '0']);
  });

  it('refuses bad filters with a problem naming the field', async () => {
    const cases: [string, string][] = [
      ['?since=2026-02-30', 'since'],
      ['?until=yesterday', 'until'],
      [`?since=${'9'.repeat(60)}`, 'since'],
      ['?kind=tree', 'kind'],
      ['?since=2026-02-01&until=2026-01-01', 'until'],
      ['?since=1999-12-31', 'since'],
      ['?bbox=1,2,3,4', 'bbox'],
      ['?kind=help&kind=barrier', 'kind'],
    ];
    for (const [query, field] of cases) {
      for (const path of ['/api/v1/stats', '/api/v1/stats.csv']) {
        const res = await request(t.app).get(path + query);
        expect([res.status, path, query]).toEqual([422, path, query]);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      }
    }
  });

  it('keeps an answer for a minute (a new report shows later) and answers 304 to its ETag', async () => {
    const first = await stats('?kind=help&since=2026-01-01');
    await insert({ kind: 'help', category: 'help_medical', status: 'new', at: B, created: '2026-03-01T12:00Z' });
    const second = await stats('?kind=help&since=2026-01-01');
    expect(second.body).toEqual(first.body);
    const fresh = await stats('?kind=help&since=2026-01-02');
    expect(fresh.body.totals.open).toBe(first.body.totals.open + 1);
    const etag = second.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await stats('?kind=help&since=2026-01-01').set('If-None-Match', etag);
    expect(again.status).toBe(304);
  });
});

describe('the dashboard overview: fixes confirmed by citizens', () => {
  it('counts the answers of the period per team and per imported area, with the share fixed', async () => {
    const coordinator = await loginAs(t, 'coordinator');
    const teams = await t.pool.query<{ id: number }>(
      `INSERT INTO teams (name) VALUES ('Ramp crew'), ('Street works') RETURNING id`,
    );
    const [ramp, street] = teams.rows.map((r) => r.id);
    // Mitte's resolved steps and Ost's resolved surface (ROWS above).
    const ids = await t.pool.query<{ id: number; category: string }>(
      `SELECT id, category FROM reports WHERE status = 'resolved' AND kind = 'barrier' AND resolved_at < '2026-01-06'
        UNION ALL
       SELECT id, category FROM reports WHERE category = 'surface' AND status = 'resolved'`,
    );
    const [mitte, ost] = ids.rows.map((r) => r.id);
    const answers: [number | undefined, number | undefined, string, string][] = [
      [mitte, ramp, 'fixed', 'now()'],
      [mitte, ramp, 'fixed', 'now()'],
      [mitte, ramp, 'not_fixed', 'now()'],
      [ost, street, 'not_fixed', 'now()'],
      [ost, undefined, 'fixed', 'now()'],
      // Outside the period: not counted.
      [ost, street, 'fixed', "now() - interval '40 days'"],
    ];
    for (const [report, team, answer, at] of answers) {
      await t.pool.query(
        `INSERT INTO fix_checks (report_id, answer, resolved_at, team_id, created_at) VALUES ($1, $2, now(), $3, ${at})`,
        [report, answer, team ?? null],
      );
    }
    const res = await coordinator.agent.get('/api/v1/overview?days=30');
    expect(res.status).toBe(200);
    expect(res.body.fix_checks.by_team).toEqual([
      { team_id: ramp, team: 'Ramp crew', fixed: 2, not_fixed: 1, share: 0.667 },
      { team_id: street, team: 'Street works', fixed: 0, not_fixed: 1, share: 0 },
      { team_id: null, team: null, fixed: 1, not_fixed: 0, share: 1 },
    ]);
    // In the database's collation: "=Ost" sorts before or after "Mitte" depending on it.
    const byArea = [...res.body.fix_checks.by_area].sort((a: { name: string }, b: { name: string }) =>
      a.name < b.name ? -1 : 1,
    );
    expect(byArea).toEqual([
      { area_id: expect.any(Number), name: '=Ost', fixed: 1, not_fixed: 1, share: 0.5 },
      { area_id: expect.any(Number), name: 'Mitte', fixed: 2, not_fixed: 1, share: 0.667 },
    ]);
    // Staff only.
    expect((await request(t.app).get('/api/v1/overview')).status).toBe(401);
  });
});

describe('npm run areas:import as a command', () => {
  const command = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/areas-import.ts', ...args],
        { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 100_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('names the wrong feature before opening a database; imports a good file (PostgreSQL: on its own schema)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-areas-'));
    try {
      const bad = path.join(dir, 'bad.geojson');
      const districts = JSON.parse(await fs.readFile(DISTRICTS, 'utf8'));
      districts.features[1].geometry = {
        type: 'LineString',
        coordinates: [
          [13, 52],
          [14, 53],
        ],
      };
      await fs.writeFile(bad, JSON.stringify(districts));
      // No database at all: the file's faults are found first.
      const noDb = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
      const wrong = await command([bad, '--name-property', 'BEZ_NAME'], noDb);
      expect(wrong.stderr).toContain('feature 2: geometry is LineString; areas must be Polygon or MultiPolygon');
      expect(wrong.code).toBe(1);
      const unnamed = await command([DISTRICTS], noDb);
      expect(unnamed.stderr).toMatch(/no name property found .*--name-property/);
      expect(unnamed.code).toBe(1);
      expect((await command([], noDb)).code).toBe(2);
      if (!process.env.TEST_DATABASE_URL) return; // a fresh embedded database would cost half a minute here
      const own = await startTestApp();
      try {
        const { rows } = await own.pool.query<{ schema: string }>('SELECT current_schema() AS schema');
        const url = new URL(process.env.TEST_DATABASE_URL);
        url.searchParams.set('options', `-c search_path=${rows[0]!.schema},public`);
        const run = await command([DISTRICTS, '--name-property', 'BEZ_NAME', '--replace'], {
          DATABASE_URL: url.toString(),
        });
        expect(run.stdout).toContain('1 invalid geometries mended (features 3)');
        expect(run.stdout).toContain('3 areas imported, 0 replaced; 3 areas in the database');
        expect(run.code).toBe(0);
        const names = await own.pool.query<{ name: string; valid: boolean }>(
          'SELECT name, ST_IsValid(geom) AS valid FROM areas ORDER BY name',
        );
        expect(names.rows).toEqual([
          { name: '=Ost', valid: true },
          { name: 'Mitte', valid: true },
          { name: 'Schleife', valid: true },
        ]);
      } finally {
        await own.close();
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('says which feature is wrong in the service too', () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: 'x' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [391000, 5820000],
                [1, 1],
                [2, 2],
                [391000, 5820000],
              ],
            ],
          },
        },
      ],
    });
    expect(() => readAreas(text)).toThrow(AreasFileError);
    expect(() => readAreas(text)).toThrow(/feature 1: coordinate 391000, 5820000 is not longitude, latitude/);
  });
});
