// Releases (issue 14): built by an admin through the API, listed, the newest behind
// /releases/latest/, every file parsed back with its own reader, its checksum and size as
// datapackage.json says, and served as files are (Range, HEAD, ETag, 304, 416), with nothing
// but ids and file names we make reaching the disk.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';
import frictionlessV1 from '../fixtures/frictionless-v1.schema.json';
// The package's index also loads its OpenLayers adapter (and OpenLayers); the GeoJSON reader alone.
import * as fgb from 'flatgeobuf/lib/mjs/geojson.js';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import pino from 'pino';
import { createReleases, startReleaseSchedule } from '../../server/features/releases/releases.service';
import { parseCsv } from './support/csv';
import { loginAs, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

let t: TestApp;
let dir: string;
let admin: StaffAgent;
const made: number[] = [];
const SECRET = 'secret-contact-0815@example.org';

/** Binary bodies as Buffers (supertest leaves unknown types unparsed otherwise). */
const binary = (req: request.Test) =>
  req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

async function build(): Promise<string> {
  const res = await admin.agent.post('/api/v1/releases').set('X-CSRF-Token', admin.csrf).expect(202);
  const id = res.body.id as string;
  expect(res.headers.location).toMatch(new RegExp(`/releases/${id}/$`));
  for (let i = 0; i < 600; i++) {
    const list = await request(t.app).get('/releases/').expect(200);
    if (!list.body.building && list.body.releases.some((r: { id: string }) => r.id === id)) return id;
    if (!list.body.building) throw new Error('the build ended without a release (see the server log)');
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the release took too long');
}

let id: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-releases-test-'));
  // Pages of 4 reports would be the same code as pages of 5000; the builder's page size is fixed.
  t = await startTestApp({ config: { releasesDir: dir } });
  admin = await loginAs(t, 'admin');
  for (let i = 0; i < 12; i++) {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({
        category: i % 2 ? 'steps' : 'surface',
        lat: 48.1 + i * 0.001,
        lon: 11.5 + i * 0.001,
        severity: (i % 3) + 1,
        description: i === 2 ? 'Quote " comma, newline\nand =SUM(A1)' : i === 3 ? '=1+1' : `Report ${i}`,
        contact: SECRET,
      })
      .expect(201);
    made.push(res.body.id);
  }
  const rejected = await request(t.app).post('/api/v1/reports').send({ category: 'steps', lat: 48.2, lon: 11.6 });
  await t.pool.query(`UPDATE reports SET status = 'rejected' WHERE id = $1`, [rejected.body.id]);
  id = await build();
});
afterAll(async () => {
  await t.close();
  await fs.rm(dir, { recursive: true, force: true });
});

type Pkg = {
  name: string;
  licenses: { name?: string; path: string }[];
  resources: {
    name: string;
    path: string;
    bytes: number;
    hash: string;
    rows: number;
    mediatype: string;
    schema?: { fields: { name: string; type: string }[] };
  }[];
};
const pkgOf = async (rid: string) =>
  (await request(t.app).get(`/releases/${rid}/datapackage.json`).expect(200)).body as Pkg;

describe('building', () => {
  it('is for admins only', async () => {
    await request(t.app).post('/api/v1/releases').expect(401);
    const coordinator = await loginAs(t, 'coordinator');
    await coordinator.agent.post('/api/v1/releases').set('X-CSRF-Token', coordinator.csrf).expect(403);
    await admin.agent.post('/api/v1/releases').expect(403); // no CSRF token
  });

  it('answers 409 with the build in progress to a second request', async () => {
    const first = await admin.agent.post('/api/v1/releases').set('X-CSRF-Token', admin.csrf).expect(202);
    const second = await admin.agent.post('/api/v1/releases').set('X-CSRF-Token', admin.csrf);
    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toMatch(/problem\+json/);
    expect(second.body.detail).toContain(first.body.id);
    const german = await admin.agent
      .post('/api/v1/releases')
      .set('X-CSRF-Token', admin.csrf)
      .set('Accept-Language', 'de');
    expect(german.status).toBe(409);
    expect(german.body.title).toBe('Ein Release wird gerade erstellt');
    // Let it finish, so the other tests see a settled list.
    for (let i = 0; i < 600 && (await request(t.app).get('/releases/')).body.building; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const list = await request(t.app).get('/releases/').expect(200);
    expect(list.body.releases.map((r: { id: string }) => r.id)).toContain(first.body.id);
  });
});

describe('listing', () => {
  it('lists releases newest first with rows, files and links, readable from any origin', async () => {
    const res = await request(t.app).get('/releases/').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const ids = res.body.releases.map((r: { id: string }) => r.id);
    expect(ids).toEqual([...ids].sort().reverse());
    const mine = res.body.releases.find((r: { id: string }) => r.id === id);
    expect(mine.rows).toBe(made.length);
    expect(mine.files.map((f: { name: string }) => f.name).sort()).toEqual(
      ['reports-hxl.csv', 'reports.csv', 'reports.csvt', 'reports.fgb', 'reports.geojson', 'reports.parquet'].sort(),
    );
    expect(mine.datapackage).toMatch(new RegExp(`/releases/${id}/datapackage.json$`));
    const again = (await request(t.app).get('/releases/index.json').expect(200)).body;
    expect(again.releases.map((r: { id: string }) => r.id)).toEqual(ids);
  });

  it('redirects latest to the newest dated release', async () => {
    const newest = (await request(t.app).get('/releases/')).body.releases[0].id;
    const res = await request(t.app).get('/releases/latest/reports.csv').expect(302);
    expect(res.headers.location).toMatch(new RegExp(`/releases/${newest}/reports.csv$`));
    expect((await request(t.app).get('/releases/latest/').expect(302)).headers.location).toMatch(
      new RegExp(`/releases/${newest}/$`),
    );
    const missing = await request(t.app).get('/releases/latest/passwd').set('Accept-Language', 'fr').expect(404);
    expect(missing.body.detail).toBe('Cette publication ou ce fichier n’existe pas\u202f; voir /releases/.');
  });

  it('refuses every path that is not a release file, traversal included', async () => {
    await fs.writeFile(path.join(dir, 'secret.txt'), 'not public');
    await fs.writeFile(path.join(dir, id, '.hidden'), 'not public');
    for (const p of [
      `/releases/${id}/..%2Fsecret.txt`,
      `/releases/${id}/%2E%2E%2Fsecret.txt`,
      `/releases/..%2F..%2Fetc%2Fpasswd/reports.csv`,
      `/releases/${id}/.hidden`,
      `/releases/${id}/reports.csv%00.json`,
      `/releases/${id}/../secret.txt`,
      `/releases/2026-01-01T000000Z/reports.csv`,
      `/releases/x/reports.csv`,
      `/releases/${id}/.reports.fgb.body`,
    ]) {
      const res = await request(t.app).get(p);
      expect([400, 404]).toContain(res.status);
      expect(res.text).not.toContain('not public');
    }
  });
});

describe('files', () => {
  it('match the checksums, sizes and row counts of datapackage.json', async () => {
    const pkg = await pkgOf(id);
    expect(pkg.resources).toHaveLength(6);
    for (const r of pkg.resources) {
      const res = await binary(request(t.app).get(`/releases/${id}/${r.path}`)).expect(200);
      const body = res.body as Buffer;
      expect(body.length).toBe(r.bytes);
      expect(Number(res.headers['content-length'])).toBe(r.bytes);
      expect(`sha256:${crypto.createHash('sha256').update(body).digest('hex')}`).toBe(r.hash);
      expect(res.headers.etag).toBe(`"${r.hash.slice('sha256:'.length)}"`);
      expect(res.headers['content-type']).toContain(r.mediatype);
      if (r.path !== 'reports.csvt') expect(r.rows).toBe(made.length);
    }
    expect(pkg.licenses[0]!.name).toBe('ODbL-1.0');
  });

  it('GeoJSON: a FeatureCollection of the public reports, flat typed properties', async () => {
    const res = await request(t.app).get(`/releases/${id}/reports.geojson`).expect(200);
    expect(res.headers['content-type']).toBe('application/geo+json');
    const fc = JSON.parse(res.text);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.license).toBe('ODbL-1.0');
    expect(fc.features.map((f: { id: number }) => f.id)).toEqual(made);
    const f = fc.features[2];
    expect(f.geometry).toEqual({ type: 'Point', coordinates: [11.502, 48.102] });
    expect(f.properties).toMatchObject({ category: 'surface', severity: 3, still_there: 0, gone: 0 });
    expect(f.properties.description).toBe('Quote " comma, newline\nand =SUM(A1)');
    expect(typeof f.properties.created_at).toBe('string');
  });

  it('CSV: RFC 4180 with CRLF after every record, the export’s columns, formulas defused; HXL in its own file', async () => {
    const res = await request(t.app).get(`/releases/${id}/reports.csv`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    const text = res.text;
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]!.slice(0, 3)).toEqual(['id', 'lon', 'lat']);
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(made);
    const desc = rows[0]!.indexOf('description');
    expect(rows[4]![desc]).toBe("'=1+1");
    expect(rows[3]![desc]).toBe('\'Quote " comma, newline\nand =SUM(A1)'.slice(1));
    // Every record ends in CRLF: no bare LF outside quoted fields.
    expect(text.replace(/"(?:[^"]|"")*"/g, '').match(/(?<!\r)\n/g)).toBeNull();
    const hxl = parseCsv((await request(t.app).get(`/releases/${id}/reports-hxl.csv`).expect(200)).text);
    expect(hxl[0]).toEqual(rows[0]);
    expect(hxl[1]![0]).toBe('#meta+id');
    expect(hxl.slice(2)).toEqual(rows.slice(1));
  });

  it('FlatGeobuf: typed columns, EPSG:4326, every feature', async () => {
    const body = (await binary(request(t.app).get(`/releases/${id}/reports.fgb`)).expect(200)).body as Buffer;
    const features = [];
    let header:
      | { featuresCount: number; crs: { code: number } | null; columns: { name: string; type: number }[] | null }
      | undefined;
    for await (const f of fgb.deserialize(new Uint8Array(body), { headerMetaFn: (h) => (header = h as never) })) {
      features.push(f);
    }
    expect(header!.featuresCount).toBe(made.length);
    expect(header!.crs?.code).toBe(4326);
    const types = Object.fromEntries(header!.columns!.map((c) => [c.name, c.type]));
    // flatgeobuf's ColumnType: Int 5, Long 7, Double 10, String 11, DateTime 13.
    expect(types).toMatchObject({ id: 7, severity: 5, accuracy_m: 10, category: 11, created_at: 13 });
    expect(features.map((f) => f.properties!.id)).toEqual(made);
    expect(features[2]!.geometry).toEqual({ type: 'Point', coordinates: [11.502, 48.102] });
    expect(features[2]!.properties!.description).toBe('Quote " comma, newline\nand =SUM(A1)');
  });

  it('GeoParquet 1.1: typed columns, WKB points, the geo metadata', async () => {
    const body = (await binary(request(t.app).get(`/releases/${id}/reports.parquet`)).expect(200)).body as Buffer;
    const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer;
    const meta = parquetMetadata(file);
    expect(Number(meta.num_rows)).toBe(made.length);
    const geo = JSON.parse(meta.key_value_metadata!.find((kv) => kv.key === 'geo')!.value!);
    expect(geo).toMatchObject({ version: '1.1.0', primary_column: 'geometry' });
    expect(geo.columns.geometry).toMatchObject({ encoding: 'WKB', geometry_types: ['Point'] });
    expect(geo.columns.geometry).not.toHaveProperty('crs');
    expect(geo.columns.geometry.bbox).toEqual([11.5, 48.1, 11.511, 48.111]);
    const schema = Object.fromEntries(parquetSchema(meta).children.map((c) => [c.element.name, c.element]));
    expect(schema.id!.type).toBe('INT64');
    expect(schema.severity!.type).toBe('INT32');
    expect(schema.lat!.type).toBe('DOUBLE');
    expect(schema.created_at!.converted_type).toBe('TIMESTAMP_MILLIS');
    expect(schema.geometry!.type).toBe('BYTE_ARRAY');
    const rows = await parquetReadObjects({ file });
    expect(rows.map((r) => Number(r.id))).toEqual(made);
    // hyparquet reads the `geo` metadata and decodes the WKB column into GeoJSON geometries.
    expect(rows[2]!.geometry).toEqual({ type: 'Point', coordinates: [11.502, 48.102] });
    const raw = await parquetReadObjects({
      file,
      metadata: parquetMetadata(file, { geoparquet: false }),
      rowEnd: 1,
      utf8: false,
    });
    expect(Array.from(raw[0]!.geometry as Uint8Array).slice(0, 5)).toEqual([1, 1, 0, 0, 0]);
    expect(rows[2]!.created_at).toBeInstanceOf(Date);
    expect(rows[2]!.description).toBe('Quote " comma, newline\nand =SUM(A1)');
  });
});

describe('serving', () => {
  const url = () => `/releases/${id}/reports.parquet`;

  it('answers HEAD with the same headers and no body', async () => {
    const get = await binary(request(t.app).get(url())).expect(200);
    const head = await request(t.app).head(url()).expect(200);
    for (const h of ['content-length', 'etag', 'last-modified', 'accept-ranges', 'content-type']) {
      expect(head.headers[h]).toBe(get.headers[h]);
    }
    expect(head.headers['accept-ranges']).toBe('bytes');
    expect(head.headers['cache-control']).toContain('immutable');
    expect(head.text ?? '').toBe('');
  });

  it('serves ranges (206), the footer too, and 416 beyond the end', async () => {
    const whole = (await binary(request(t.app).get(url())).expect(200)).body as Buffer;
    const part = await binary(request(t.app).get(url()).set('Range', 'bytes=0-3')).expect(206);
    expect(part.headers['content-range']).toBe(`bytes 0-3/${whole.length}`);
    expect((part.body as Buffer).toString()).toBe('PAR1');
    const tail = await binary(request(t.app).get(url()).set('Range', 'bytes=-8')).expect(206);
    expect((tail.body as Buffer).equals(whole.subarray(whole.length - 8))).toBe(true);
    const beyond = await request(t.app)
      .get(url())
      .set('Range', `bytes=${whole.length + 10}-`);
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${whole.length}`);
  });

  it('answers 304 to If-None-Match with the ETag', async () => {
    const { etag } = (await request(t.app).head(url()).expect(200)).headers;
    await request(t.app).get(url()).set('If-None-Match', etag!).expect(304);
  });

  it('answers a cross-origin preflight for ranges', async () => {
    const res = await request(t.app)
      .options(url())
      .set('Origin', 'https://notebook.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'range');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-headers']).toMatch(/range/i);
  });

  it('keeps the contact and the rejected report out of every file', async () => {
    for (const name of ['reports.geojson', 'reports.csv', 'reports-hxl.csv', 'reports.fgb', 'reports.parquet']) {
      const body = (await binary(request(t.app).get(`/releases/${id}/${name}`)).expect(200)).body as Buffer;
      expect(body.includes(SECRET)).toBe(false);
      expect(body.includes('secret-contact')).toBe(false);
    }
  });
});

describe('Frictionless check of the data package', () => {
  type Field = {
    name: string;
    type: string;
    constraints?: { required?: boolean; unique?: boolean; enum?: string[]; minimum?: number; maximum?: number };
  };
  /** Table Schema v1's lexical forms (https://specs.frictionlessdata.io/table-schema/#types-and-formats). */
  const LEXICAL: Record<string, RegExp> = {
    integer: /^[-+]?\d+$/,
    number: /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$|^(NaN|INF|-INF)$/,
    datetime: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/,
    string: /^[\s\S]*$/,
  };

  it('datapackage.json is valid against the Data Package, Data Resource and Table Schema v1 profiles', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(frictionlessV1);
    const pkg = await pkgOf(id);
    expect(validate(pkg) ? [] : validate.errors).toEqual([]);
    // The profiles can fail: a broken descriptor is refused.
    expect(validate({ ...pkg, resources: [{ ...pkg.resources[0], path: '../etc/passwd' }] })).toBe(false);
    expect(validate({ ...pkg, name: 'Not A Name' })).toBe(false);
    // A citation tool takes the author's name from here: the attribution's name, not its © line.
    expect((pkg as unknown as { contributors: { title: string; role: string }[] }).contributors).toEqual([
      expect.objectContaining({ title: 'Wegfrei contributors', role: 'author' }),
    ]);
  });

  it('every CSV row conforms to the table schema: types, required, enum, range, unique primary key; row count', async () => {
    const pkg = await pkgOf(id);
    const csv = pkg.resources.find((r) => r.path === 'reports.csv')!;
    const fields = csv.schema!.fields as Field[];
    const rows = parseCsv((await request(t.app).get(`/releases/${id}/reports.csv`).expect(200)).text);
    expect(rows[0]).toEqual(fields.map((f) => f.name));
    const data = rows.slice(1);
    expect(data).toHaveLength(csv.rows);
    const problems: string[] = [];
    const seen = new Map<string, Set<string>>();
    data.forEach((row, i) => {
      if (row.length !== fields.length) problems.push(`row ${i + 2}: ${row.length} cells`);
      fields.forEach((f, j) => {
        const cell = row[j] ?? '';
        if (cell === '') {
          if (f.constraints?.required) problems.push(`row ${i + 2} ${f.name}: missing`);
          return;
        }
        if (!LEXICAL[f.type]!.test(cell)) problems.push(`row ${i + 2} ${f.name}: ${cell} is not ${f.type}`);
        if (f.constraints?.enum && !f.constraints.enum.includes(cell)) problems.push(`${f.name}: ${cell} not in enum`);
        const n = Number(cell);
        if (f.constraints?.minimum !== undefined && n < f.constraints.minimum)
          problems.push(`${f.name}: ${cell} < min`);
        if (f.constraints?.maximum !== undefined && n > f.constraints.maximum)
          problems.push(`${f.name}: ${cell} > max`);
        if (f.constraints?.unique) {
          const values = seen.get(f.name) ?? new Set();
          if (values.has(cell)) problems.push(`${f.name}: ${cell} twice`);
          seen.set(f.name, values.add(cell));
        }
      });
    });
    expect(problems).toEqual([]);
    expect(seen.get('id')!.size).toBe(made.length);
  });
});

describe('the schedule and RELEASES_KEEP', () => {
  const logger = pino({ level: 'silent' });
  const licence = { id: 'CC-BY-4.0', attribution: 'Test' };
  const until = async (done: () => Promise<boolean>) => {
    for (let i = 0; !(await done()); i++) {
      if (i > 600) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('makes a release soon after start when there is none, and none while the newest is recent', async () => {
    const own = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-releases-schedule-'));
    try {
      const releases = createReleases({ dir: own, pool: t.pool, licence, logger });
      const opts = { intervalHours: 24, baseUrl: 'https://x.example', logger, firstCheckMs: 10, checkMs: 60_000 };
      const first = startReleaseSchedule(releases, opts);
      await until(async () => (await releases.list()).length === 1 && !releases.building());
      await first.stop();
      // A restart a moment later: the newest is recent, so no second one.
      const second = startReleaseSchedule(createReleases({ dir: own, pool: t.pool, licence, logger }), opts);
      await new Promise((r) => setTimeout(r, 500));
      await second.stop();
      expect(await releases.list()).toHaveLength(1);
      const pkg = JSON.parse(
        await fs.readFile(path.join(own, releases.latestRelease()!.id, 'datapackage.json'), 'utf8'),
      );
      expect(pkg.licenses[0]).toMatchObject({ name: 'CC-BY-4.0', path: 'https://spdx.org/licenses/CC-BY-4.0.html' });
      expect(releases.latestRelease()!.files.map((f) => f.href)).toContain(
        `/releases/${releases.latestRelease()!.id}/reports.parquet`,
      );
      // Nothing half-built is left behind.
      expect((await fs.readdir(own)).filter((n) => n.startsWith('.'))).toEqual([]);
    } finally {
      await fs.rm(own, { recursive: true, force: true });
    }
  });

  it('builds nothing while another process sharing the directory builds, and takes over a stale lock', async () => {
    const own = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-releases-lock-'));
    try {
      const releases = createReleases({ dir: own, pool: t.pool, licence, logger });
      const lock = path.join(own, '.building.lock');
      await fs.writeFile(lock, '4711 elsewhere\n');
      expect(await releases.start('https://x.example').done).toBeUndefined();
      expect(await releases.list()).toEqual([]);
      const old = new Date(Date.now() - 7 * 3600_000);
      await fs.utimes(lock, old, old);
      const built = await releases.start('https://x.example').done;
      expect(built?.rows).toBe(made.length);
      await expect(fs.stat(lock)).rejects.toThrow();
    } finally {
      await fs.rm(own, { recursive: true, force: true });
    }
  });

  it('keeps only the newest when RELEASES_KEEP says so', async () => {
    const own = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-releases-keep-'));
    try {
      const releases = createReleases({ dir: own, pool: t.pool, licence, logger, keep: 1 });
      const a = await releases.start('https://x.example').done;
      const b = await releases.start('https://x.example').done;
      expect(a && b && a.id < b.id).toBe(true);
      expect((await releases.list()).map((r) => r.id)).toEqual([b!.id]);
    } finally {
      await fs.rm(own, { recursive: true, force: true });
    }
  });
});
