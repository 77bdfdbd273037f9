// The OGC API as researchers' real clients read it (Debian's GDAL 3.6 and OWSLib 0.27; CI
// installs both): filters pushed to the server (seen in the server's own request log, not
// assumed), field types from the schema, paging by `next` and by `offset`.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { EMPTY_FILTER, gdalCommands, ogcWhere } from '../../client/open-data/urls';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(180_000);
const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

let t: TestApp;
let server: http.Server;
let base: string;
/** Every URL the server was asked for, in order. */
const asked: string[] = [];
const N = 45;
const SECRET = 'never-public-contact@example.org';

beforeAll(async () => {
  t = await startTestApp();
  for (let i = 0; i < N; i++) {
    await request(t.app)
      .post('/api/v1/reports')
      .send({
        category: i % 5 === 0 ? 'help_shelter' : i % 2 ? 'kerb_missing' : 'steps',
        lat: 50.1 + i * 0.001,
        lon: 8.6 + i * 0.001,
        severity: (i % 3) + 1,
        description: `Report ${i}`,
        contact: SECRET,
      })
      .expect(201);
  }
  // Ten reports changed later than the rest: `updated_at` differs from `created_at`.
  await t.pool.query(
    `UPDATE reports SET updated_at = '2030-01-02T00:00:00Z' WHERE id IN (SELECT id FROM reports ORDER BY id LIMIT 10)`,
  );
  server = http
    .createServer((req, res) => {
      asked.push(decodeURIComponent(req.url ?? ''));
      t.app(req, res);
    })
    .listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ogc`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.close();
});

const gdalEnv = { ...process.env, GDAL_HTTP_TIMEOUT: '30', CPL_DEBUG: 'OFF' };
const itemsAsked = () => asked.filter((u) => u.includes('/items'));

const gdal = fs.existsSync('/usr/bin/ogr2ogr') ? describe : describe.skip;
gdal('GDAL 3.6 (OAPIF)', () => {
  it('counts from numberMatched without paging, with the schema’s field types', async () => {
    asked.length = 0;
    const { stdout } = await run('ogrinfo', ['-ro', '-so', `OAPIF:${base}`, 'reports'], { env: gdalEnv });
    expect(stdout).toContain(`Feature Count: ${N}`);
    // The fields' types come from the schema, not from guessing ten features.
    for (const [field, type] of [
      ['severity', 'Integer'],
      ['people_count', 'Integer'],
      ['duplicate_of', 'Integer'],
      ['still_there', 'Integer'],
      ['accuracy_m', 'Real'],
      ['created_at', 'DateTime'],
      ['updated_at', 'DateTime'],
      ['category', 'String'],
    ]) {
      expect(stdout).toMatch(new RegExp(`^${field}: ${type}`, 'm'));
    }
    expect(asked).toContain('/ogc/collections/reports/feature-schema');
    // One page for the layer's definition, none to count.
    expect(itemsAsked().length).toBeLessThanOrEqual(1);
  });

  it('pushes -where (updated_at included) and -spat to the server', async () => {
    asked.length = 0;
    const { stdout } = await run(
      'ogrinfo',
      [
        '-ro',
        '-al',
        '-q',
        `OAPIF:${base}`,
        'reports',
        '-where',
        "category = 'steps' AND updated_at >= '2029-01-01T00:00:00Z'",
        '-spat',
        '8.59',
        '50.09',
        '8.7',
        '50.2',
      ],
      { env: gdalEnv },
    );
    // The first ten reports were changed in 2030; of them, the ones filed as steps.
    const expected = Array.from({ length: 10 }, (_, i) => i).filter((i) => i % 5 !== 0 && i % 2 === 0).length;
    expect(stdout.match(/^OGRFeature\(reports\):/gm)).toHaveLength(expected);
    // GDAL reads one unfiltered page of ten to define the layer; every page of data is filtered.
    const pages = itemsAsked().filter((u) => u !== '/ogc/collections/reports/items?limit=10');
    expect(pages.length).toBeGreaterThan(0);
    expect(itemsAsked().length - pages.length).toBeLessThanOrEqual(1);
    for (const url of pages) {
      expect(url).toContain('filter-lang=cql-text');
      expect(url).toMatch(/filter=\(category = 'steps'\) AND \(updated_at >= '2029-01-01T00:00:00Z'\)/);
      expect(url).toMatch(/bbox=8\.5899\d*,50\.09\d*,8\.69\d*,50\.2\d*/);
    }
  });

  it("runs the /data page's ogr2ogr command with the filters on the server", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-ogc-'));
    try {
      const filter = {
        ...EMPTY_FILTER,
        bbox: [8.59, 50.09, 8.7, 50.2] as [number, number, number, number],
        categories: ['steps', 'kerb_missing'],
        kinds: ['barrier'],
        severities: ['2', '3'],
        from: '2020-01-01',
      };
      const command = gdalCommands(base.replace(/\/ogc$/, ''), filter).ogr2ogrOgc;
      asked.length = 0;
      await run('bash', ['-c', command], { cwd: dir, env: gdalEnv });
      const { stdout } = await run('ogrinfo', ['-ro', '-so', '-al', path.join(dir, 'wegfrei.gpkg')]);
      const expected = Array.from({ length: N }, (_, i) => i).filter((i) => i % 5 !== 0 && i % 3 !== 0).length;
      expect(stdout).toContain(`Feature Count: ${expected}`);
      // Each row's fid is the number of the report its url names, not a count from 1: the
      // report number is the Feature's id, which only -preserve_fid carries into the file.
      const { stdout: rows } = await run('ogrinfo', ['-ro', '-q', '-al', path.join(dir, 'wegfrei.gpkg')]);
      const features = rows.split('OGRFeature(').slice(1);
      expect(features).toHaveLength(expected);
      for (const feature of features) {
        expect(/^\w+\):(\d+)/.exec(feature)?.[1]).toBe(/\/reports\/(\d+)\n/.exec(feature)?.[1]);
      }
      const pages = itemsAsked().filter(
        (u) => u.startsWith('/ogc/collections/barriers/items?') && u.includes('filter='),
      );
      expect(pages.length).toBeGreaterThan(0);
      expect(pages[0]).toContain("category = 'steps') OR (category = 'kerb_missing')");
      expect(pages[0]).toContain("created_at >= '2020-01-01T00:00:00Z'");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps a report from the last second of the page's last day (GDAL drops fractions of a second)", async () => {
    const { rows } = await t.pool.query<{ id: string; created_at: Date }>(
      `SELECT id, created_at FROM reports WHERE kind = 'barrier' ORDER BY id LIMIT 1`,
    );
    const [{ id, created_at }] = rows as [{ id: string; created_at: Date }];
    await t.pool.query(`UPDATE reports SET created_at = '2021-06-30T23:59:59.500Z' WHERE id = $1`, [id]);
    try {
      const where = ogcWhere({ ...EMPTY_FILTER, from: '2021-06-30', to: '2021-06-30' })!;
      const { stdout } = await run('ogrinfo', ['-ro', '-so', `OAPIF:${base}`, 'reports', '-where', where], {
        env: gdalEnv,
      });
      expect(stdout).toContain('Feature Count: 1');
    } finally {
      await t.pool.query(`UPDATE reports SET created_at = $2 WHERE id = $1`, [id, created_at]);
    }
  });

  it('ogr2ogr writes a GeoPackage and a FlatGeobuf with typed fields and nothing private', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-ogc-'));
    try {
      for (const [driver, file] of [
        ['GPKG', 'reports.gpkg'],
        ['FlatGeobuf', 'reports.fgb'],
      ]) {
        const out = path.join(dir, file!);
        await run('ogr2ogr', ['-f', driver!, out, `OAPIF:${base}`, 'reports'], { env: gdalEnv });
        const { stdout } = await run('ogrinfo', ['-ro', '-al', out]);
        expect(stdout).toContain(`Feature Count: ${N}`);
        expect(stdout).toMatch(/^severity: Integer/m);
        expect(stdout).toMatch(/^people_count: Integer/m);
        expect(stdout).toMatch(/^still_there: Integer/m);
        expect(stdout).toMatch(/^created_at: DateTime/m);
        expect(stdout).toContain('kerb_missing');
        expect(stdout).not.toContain(SECRET);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const owslib = fs.existsSync(PYTHON) ? describe : describe.skip;
owslib('OWSLib 0.27 (Debian python3-owslib)', () => {
  const script = (body: string) => `
import json, sys
from urllib.parse import parse_qsl, urlsplit
from owslib.ogcapi.features import Features
api = Features(sys.argv[1])
${body}
`;

  it('pages by offset and by next, each feature once, and filters with CQL2', async () => {
    const { stdout } = await run(
      PYTHON,
      [
        '-c',
        script(`
ids_offset = []
offset = 0
while True:
    page = api.collection_items('reports', limit=7, offset=offset)
    ids_offset += [f['id'] for f in page['features']]
    if page['numberReturned'] < 7:
        break
    offset += 7
ids_next = []
page = api.collection_items('reports', limit=7)
matched = page['numberMatched']
while True:
    ids_next += [f['id'] for f in page['features']]
    nxt = [l['href'] for l in page['links'] if l['rel'] == 'next']
    if not nxt:
        break
    # OWSLib has no call for a next link: its own request helper, with the link's path and query.
    url = urlsplit(nxt[0])
    page = api._request(path=url.path.split('/ogc/', 1)[1], kwargs=dict(parse_qsl(url.query)))
filtered = api.collection_items('reports', filter="severity = 3 AND category IN ('steps','kerb_missing')", limit=100)
queryables = api.collection_queryables('reports')['properties']
print(json.dumps({'offset': ids_offset, 'next': ids_next, 'matched': matched,
  'filtered': [f['properties']['severity'] for f in filtered['features']], 'filtered_n': filtered['numberMatched'],
  'types': {k: queryables[k]['type'] for k in ('severity', 'updated_at', 'category')}}))
`),
        base,
      ],
      { env: process.env },
    );
    const out = JSON.parse(stdout) as {
      offset: number[];
      next: number[];
      matched: number;
      filtered: number[];
      filtered_n: number;
      types: Record<string, unknown>;
    };
    expect(out.offset).toHaveLength(N);
    expect(new Set(out.offset).size).toBe(N);
    expect(out.next).toEqual(out.offset);
    expect(out.matched).toBe(N);
    const severe = Array.from({ length: N }, (_, i) => i).filter((i) => i % 5 !== 0 && i % 3 === 2).length;
    expect(out.filtered).toHaveLength(severe);
    expect(out.filtered.every((s) => s === 3)).toBe(true);
    expect(out.filtered_n).toBe(severe);
    expect(out.types).toEqual({ severity: 'integer', updated_at: 'string', category: 'string' });
  });
});

const qgis = fs.existsSync('/usr/lib/python3/dist-packages/qgis/core') ? describe : describe.skip;
qgis('QGIS 3.22 (Debian python3-qgis), headless', () => {
  it('reads the layer with both of its providers; the view is asked of the server, and GDAL’s also the filter', async () => {
    // QGIS's own OGC API provider (what *Add WFS / OGC API – Features Layer* makes) and the GDAL
    // one (a vector layer from `OAPIF:`), as a researcher's QGIS opens them.
    const program = `
import json, os, sys
from qgis.core import QgsApplication, QgsFeatureRequest, QgsRectangle, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
out = {}
for name, uri, provider in [
    ('native', "url='%s' typename='reports' restrictToRequestBBOX='1'" % sys.argv[1], 'OAPIF'),
    ('gdal', 'OAPIF:%s|layername=reports' % sys.argv[1], 'ogr'),
]:
    layer = QgsVectorLayer(uri, 'reports', provider)
    view = QgsFeatureRequest().setFilterRect(QgsRectangle(8.599, 50.099, 8.6205, 50.1205))
    in_view = sorted(f['severity'] for f in layer.getFeatures(view))
    layer.setSubsetString("severity = 3 AND category = 'steps'")
    subset = [f['category'] for f in layer.getFeatures()]
    out[name] = {'valid': layer.isValid(), 'types': {f.name(): f.typeName() for f in layer.fields()},
                 'in_view': in_view, 'subset': subset}
print(json.dumps(out), flush=True)
# Leaving without exitQgis(): headless QGIS 3.22 may crash tearing its providers down.
os._exit(0)
`;
    asked.length = 0;
    const { stdout } = await run(PYTHON, ['-c', program, base], {
      env: {
        ...process.env,
        QT_QPA_PLATFORM: 'offscreen',
        XDG_RUNTIME_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-qgis-')),
      },
    });
    type Layer = { valid: boolean; types: Record<string, string>; in_view: number[]; subset: string[] };
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as Record<'native' | 'gdal', Layer>;
    // Reports 0–20 lie in the view; report 0, 5, 10, 15 and 20 are help requests at coarse cells.
    const severe = Array.from({ length: N }, (_, i) => i).filter((i) => i % 5 !== 0 && i % 2 === 0 && i % 3 === 2);
    for (const layer of [out.native, out.gdal]) {
      expect(layer.valid).toBe(true);
      expect(layer.types).toMatchObject({ severity: 'Integer', still_there: 'Integer', created_at: 'DateTime' });
      expect(layer.subset).toEqual(severe.map(() => 'steps'));
    }
    expect(out.native.in_view).toEqual(out.gdal.in_view);
    expect(out.native.in_view.length).toBeGreaterThanOrEqual(16);
    // Through GDAL, QGIS types every field from the schema and filters on the server.
    expect(out.gdal.types).toMatchObject({ people_count: 'Integer', duplicate_of: 'Integer', accuracy_m: 'Real' });
    expect(asked.some((u) => /\/items\?.*bbox=8\.59/.test(u))).toBe(true);
    expect(asked.some((u) => u.includes("filter=(severity = 3) AND (category = 'steps')"))).toBe(true);
  });
});

describe("camptocamp's ogc-client (GeoNetwork's)", () => {
  it('reads the collection, its typed queryables and every feature by offset', async () => {
    // The library is an ES module for browsers and Node: run as a small program, as a tool would.
    const program = `
import { OgcApiEndpoint } from '@camptocamp/ogc-client';
const api = new OgcApiEndpoint(process.argv[1]);
const ids = await api.featureCollections;
const info = await api.getCollectionInfo('barriers');
const seen = [];
for (let offset = 0; ; offset += 8) {
  const page = await api.getCollectionItems('reports', 8, offset);
  seen.push(...page.map((f) => f.id));
  if (page.length < 8) break;
}
const steps = await api.getCollectionItems('reports', 100, 0, null, null, null, null, null,
  "filter=category = 'steps'");
console.log(JSON.stringify({ ids, queryables: info.queryables, seen, steps: steps.map((f) => f.properties.category) }));
`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', program, base], {
      cwd: path.join(__dirname, '../..'),
    });
    const out = JSON.parse(stdout) as {
      ids: string[];
      queryables: { name: string; type: string }[];
      seen: number[];
      steps: string[];
    };
    expect(out.ids).toEqual(['reports', 'barriers', 'help']);
    expect(out.queryables).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'severity', type: 'integer' }),
        expect.objectContaining({ name: 'category', type: 'string' }),
      ]),
    );
    expect(new Set(out.seen).size).toBe(N);
    expect(out.seen).toHaveLength(N);
    const steps = Array.from({ length: N }, (_, i) => i).filter((i) => i % 5 !== 0 && i % 2 === 0).length;
    expect(out.steps).toEqual(Array(steps).fill('steps'));
  });
});
