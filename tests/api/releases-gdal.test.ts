// Releases read in place by real clients over HTTP (issue 14): GDAL's /vsicurl/ (ogrinfo and
// ogr2ogr 3.6, as in Debian) opens the latest release's GeoJSON, CSV and FlatGeobuf through
// /releases/latest/ (a redirect) with HEAD and Range requests; Debian's GDAL has no Parquet
// driver, so the GeoParquet file is read in place with hyparquet over Range requests, as
// DuckDB's read_parquet('https://…') does.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { asyncBufferFromUrl, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { loginAs } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(180_000);
const run = promisify(execFile);

let t: TestApp;
let dir: string;
let server: http.Server;
let base: string;
/** Requests the server saw, as `METHOD path range`. */
const seen: string[] = [];
const REPORTS = 30;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-releases-gdal-'));
  t = await startTestApp({ config: { releasesDir: dir } });
  for (let i = 0; i < REPORTS; i++) {
    await request(t.app)
      .post('/api/v1/reports')
      .send({
        category: i % 3 ? 'steps' : 'help_medical',
        lat: 52.5 + i * 0.001,
        lon: 13.4 + i * 0.001,
        severity: (i % 3) + 1,
        description: `Report ${i}, with a comma`,
      })
      .expect(201);
  }
  // A real port: GDAL and fetch are other clients than supertest.
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.range ?? ''}`);
    t.app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = await loginAs(t, 'admin');
  await admin.agent.post('/api/v1/releases').set('X-CSRF-Token', admin.csrf).expect(202);
  for (let i = 0; i < 600 && (await request(t.app).get('/releases/')).body.building; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect((await request(t.app).get('/releases/')).body.releases).toHaveLength(1);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
  await fs.rm(dir, { recursive: true, force: true });
});

/** GDAL without its caches between runs, and without proxies from the environment. */
const GDAL_ENV = {
  ...process.env,
  CPL_VSIL_CURL_CACHE_SIZE: '0',
  GDAL_HTTP_TIMEOUT: '60',
  CPL_VSIL_CURL_ALLOWED_EXTENSIONS: '.geojson,.csv,.csvt,.fgb,.parquet,.json',
  NO_PROXY: '*',
  no_proxy: '*',
};

async function ogrinfo(file: string, ...extra: string[]): Promise<string> {
  const { stdout } = await run('ogrinfo', ['-ro', '-al', '-so', ...extra, `/vsicurl/${base}/releases/latest/${file}`], {
    env: GDAL_ENV,
  });
  return stdout;
}

/** `name: Type (width.precision)` lines of ogrinfo -so, as name → Type. */
const fieldTypes = (info: string) =>
  Object.fromEntries([...info.matchAll(/^(\w+): (\w+) \(/gm)].map((m) => [m[1]!, m[2]!]));

describe('GDAL /vsicurl/ on /releases/latest/', () => {
  it('opens the FlatGeobuf with its types, count and CRS', async () => {
    const info = await ogrinfo('reports.fgb');
    expect(info).toMatch(new RegExp(`Feature Count: ${REPORTS}\\b`));
    expect(info).toMatch(/Geometry: Point/);
    expect(info).toMatch(/EPSG","4326"|WGS 84/);
    expect(fieldTypes(info)).toMatchObject({
      id: 'Integer64',
      severity: 'Integer',
      people_count: 'Integer',
      lon: 'Real',
      accuracy_m: 'Real',
      category: 'String',
      created_at: 'DateTime',
    });
    // Read in parts: GDAL asked for ranges, not the whole file in one go.
    expect(seen.some((s) => /reports\.fgb bytes=/.test(s))).toBe(true);
  });

  it('opens the GeoJSON with its count and flat typed properties', async () => {
    const info = await ogrinfo('reports.geojson');
    expect(info).toMatch(new RegExp(`Feature Count: ${REPORTS}\\b`));
    expect(fieldTypes(info)).toMatchObject({ severity: 'Integer', category: 'String', created_at: 'DateTime' });
  });

  it('opens the CSV with the types of its .csvt, and with the point when asked', async () => {
    const info = await ogrinfo('reports.csv', '-oo', 'X_POSSIBLE_NAMES=lon', '-oo', 'Y_POSSIBLE_NAMES=lat');
    expect(info).toMatch(new RegExp(`Feature Count: ${REPORTS}\\b`));
    expect(info).toMatch(/Geometry: Point/);
    expect(fieldTypes(info)).toMatchObject({
      id: 'Integer64',
      severity: 'Integer',
      lon: 'Real',
      category: 'String',
      created_at: 'DateTime',
    });
    expect(seen.some((s) => s.includes('/reports.csvt'))).toBe(true);
  });

  it('converts the FlatGeobuf to a GeoPackage with the same field types', async () => {
    const out = path.join(dir, 'out.gpkg');
    await run('ogr2ogr', ['-f', 'GPKG', out, `/vsicurl/${base}/releases/latest/reports.fgb`], { env: GDAL_ENV });
    const { stdout } = await run('ogrinfo', ['-ro', '-so', out, 'reports'], { env: GDAL_ENV });
    expect(stdout).toMatch(new RegExp(`Feature Count: ${REPORTS}\\b`));
    expect(fieldTypes(stdout)).toMatchObject({
      id: 'Integer64',
      severity: 'Integer',
      still_there: 'Integer',
      lat: 'Real',
      description: 'String',
      updated_at: 'DateTime',
    });
  });
});

describe('GeoParquet in place over HTTP', () => {
  it('is read with Range requests (no Parquet driver in this GDAL)', async () => {
    const { stdout } = await run('ogrinfo', ['--formats'], { env: GDAL_ENV });
    // When GDAL has the driver, it should open the file too.
    if (/Parquet/i.test(stdout)) {
      const info = await ogrinfo('reports.parquet');
      expect(info).toMatch(new RegExp(`Feature Count: ${REPORTS}\\b`));
    }
    const before = seen.length;
    const listed = (await request(t.app).get('/releases/')).body.releases[0];
    const file = await asyncBufferFromUrl({ url: `${base}/releases/${listed.id}/reports.parquet` });
    const metadata = await parquetMetadataAsync(file);
    expect(Number(metadata.num_rows)).toBe(REPORTS);
    const rows = await parquetReadObjects({ file, metadata, columns: ['id', 'severity', 'geometry'] });
    expect(rows).toHaveLength(REPORTS);
    expect(rows[0]!.geometry).toMatchObject({ type: 'Point' });
    const asked = seen.slice(before).filter((s) => s.includes('reports.parquet'));
    expect(asked.some((s) => /bytes=/.test(s))).toBe(true);
  });
});
