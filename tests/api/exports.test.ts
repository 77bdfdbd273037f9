import request from 'supertest';
import { parseCsv, text } from './support/csv';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
const SECRET_CONTACT = 'secret-contact-4711@example.org';
const HELP_EXACT = { lat: 47.3769123, lon: 8.5417456 };
let made: number[] = [];

beforeAll(async () => {
  // On the embedded database exports read page after page: pages of 4 ids make this file's
  // 27 reports seven pages, so every check below also holds across page boundaries. On
  // PostgreSQL the same checks run against one COPY.
  t = await startTestApp({ config: { exportPageIds: process.env.TEST_DATABASE_URL ? undefined : 4 } });
  made = [];
  for (let i = 0; i < 25; i++) {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({
        category: i % 2 ? 'steps' : 'surface',
        lat: 47.3 + i * 0.001,
        lon: 8.5 + i * 0.001,
        severity: (i % 3) + 1,
        description: i === 3 ? 'Line one\nline "two", with a comma; and a backslash \\ here' : `Report ${i}`,
        contact: SECRET_CONTACT,
      })
      .expect(201);
    made.push(res.body.id);
  }
  const help = await request(t.app)
    .post('/api/v1/reports')
    .send({ category: 'help_medical', ...HELP_EXACT, contact: SECRET_CONTACT, address: 'Secret street 1' })
    .expect(201);
  made.push(help.body.id);
  const rejected = await request(t.app)
    .post('/api/v1/reports')
    .send({ category: 'steps', lat: 47.31, lon: 8.51 })
    .expect(201);
  await t.pool.query(`UPDATE reports SET status = 'rejected' WHERE id = $1`, [rejected.body.id]);
});
afterAll(() => t.close());

describe('GeoJSON export', () => {
  it('streams every public report as an RFC 7946 FeatureCollection with licence and attribution', async () => {
    const res = await text(request(t.app).get('/api/v1/exports/reports.geojson'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="wegfrei-reports-\d{4}-\d\d-\d\d\.geojson"/,
    );
    expect(res.headers.link).toMatch(/rel="license"/);
    const body = JSON.parse(res.body as string);
    expect(body.type).toBe('FeatureCollection');
    expect(body).not.toHaveProperty('crs');
    expect(body.license).toBe('ODbL-1.0');
    expect(body.attribution).toContain('Wegfrei');
    expect(body.features).toHaveLength(made.length);
    expect(body.features.map((f: { id: number }) => f.id)).toEqual([...made].sort((a, b) => a - b));
    for (const f of body.features) {
      const [lon, lat] = f.geometry.coordinates;
      expect(f.geometry.type).toBe('Point');
      expect(lon).toBeGreaterThan(8); // longitude first
      expect(lat).toBeGreaterThan(47);
    }
    const three = body.features.find((f: { id: number }) => f.id === made[3]);
    expect(three.properties.description).toBe('Line one\nline "two", with a comma; and a backslash \\ here');
  });

  it('matches the API feature for feature', async () => {
    const res = await text(request(t.app).get('/api/v1/exports/reports.geojson?category=steps'));
    const exported = JSON.parse(res.body as string).features[0];
    const api = (await request(t.app).get(`/api/v1/reports/${exported.id}`)).body;
    // The report's own answer also carries what its page shows (docs/DATA.md: not exported).
    delete api.properties.endorsements;
    delete api.properties.resolution_note;
    const path = (f: { properties: { url: string } }) => ({
      ...f,
      properties: { ...f.properties, url: new URL(f.properties.url).pathname },
    });
    expect(path(exported)).toEqual(path(api));
  });

  it('filters by bbox, datetime, category, kind, status and severity', async () => {
    const count = async (q: string) =>
      JSON.parse((await text(request(t.app).get(`/api/v1/exports/reports.geojson?${q}`))).body as string).features
        .length;
    expect(await count('category=steps')).toBe(12);
    expect(await count('kind=help')).toBe(1);
    expect(await count('severity=3')).toBe(8);
    expect(await count('severity=1,2&category=surface')).toBe(9);
    expect(await count('bbox=8.4995,47.2995,8.5045,47.3045')).toBe(5);
    expect(await count('status=resolved')).toBe(0);
    expect(await count(`datetime=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}/..`)).toBe(0);
    expect(await count('datetime=2000-01-01T00:00:00Z/..')).toBe(made.length);
  });

  it('takes the list’s since (updated_at ≥), with the list’s meaning', async () => {
    const count = async (q: string) =>
      JSON.parse((await text(request(t.app).get(`/api/v1/exports/reports.geojson?${q}`))).body as string).features
        .length;
    const [a, b] = [made[5]!, made[6]!];
    await t.pool.query(`UPDATE reports SET updated_at = now() + interval '1 hour' WHERE id = ANY($1)`, [[a, b]]);
    const since = new Date(Date.now() + 30 * 60_000).toISOString();
    expect(await count(`since=${encodeURIComponent(since)}`)).toBe(2);
    const list = await request(t.app)
      .get(`/api/v1/reports?since=${encodeURIComponent(since)}`)
      .expect(200);
    expect(list.body.features.map((f: { id: number }) => f.id).sort()).toEqual([a, b].sort());
    expect(await count(`since=${encodeURIComponent(since)}&category=${a % 2 ? 'steps' : 'surface'}`)).toBeLessThan(2);
    expect(await count('since=2000-01-01T00:00:00Z')).toBe(made.length);
    const csv = parseCsv((await text(request(t.app).get(`/api/v1/exports/reports.csv?since=${since}`))).body as string);
    expect(csv.slice(1).map((r) => Number(r[0]))).toEqual([a, b].sort((x, y) => x - y));
  });

  it('refuses a bad since with the list’s message', async () => {
    for (const bad of ['yesterday', '2026-13-01T00:00:00Z', '2026-01-01']) {
      const exported = await request(t.app).get(`/api/v1/exports/reports.csv?since=${bad}`);
      const listed = await request(t.app).get(`/api/v1/reports?since=${bad}`);
      expect(exported.status).toBe(422);
      expect(listed.status).toBe(422);
      expect(exported.body.errors).toEqual(listed.body.errors);
      expect(exported.body.errors).toEqual([{ field: 'since', detail: 'must be an RFC 3339 date-time' }]);
    }
  });

  it('refuses bad filters with a problem naming them', async () => {
    for (const [q, field] of [
      ['severity=4', 'severity'],
      ['datetime=yesterday', 'datetime'],
      ['datetime=2026-02-01T00:00:00Z/2026-01-01T00:00:00Z', 'datetime'],
      ['bbox=1,2', 'bbox'],
      ['format=shp', 'format'],
    ]) {
      const res = await request(t.app).get(`/api/v1/exports/reports.geojson?${q}`);
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

describe('GeoJSON text sequence export', () => {
  it('is RFC 8142: a record separator, one feature, a line feed', async () => {
    const res = await text(request(t.app).get('/api/v1/exports/reports.geojsonseq'));
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json-seq/);
    const records = (res.body as string).split('\x1e').slice(1);
    expect(records).toHaveLength(made.length);
    for (const record of records) {
      expect(record.endsWith('\n')).toBe(true);
      expect(JSON.parse(record).type).toBe('Feature');
    }
  });
});

describe('CSV export', () => {
  it('has a header, every report, and with hxl=1 an HXL hashtag row', async () => {
    // parseCsv is strict RFC 4180: it throws on any record not ended by CRLF.
    const plainBody = (await text(request(t.app).get('/api/v1/exports/reports.csv'))).body as string;
    const plain = parseCsv(plainBody);
    expect(plain[0]!.slice(0, 3)).toEqual(['id', 'lon', 'lat']);
    expect(plain).toHaveLength(made.length + 1);
    // The plain CSV never has the hashtag row: every record after the header is a report.
    expect(plain.slice(1).every((r) => /^\d+$/.test(r[0]!))).toBe(true);
    expect(plainBody).not.toContain('#meta');
    const hxlBody = (await text(request(t.app).get('/api/v1/exports/reports.csv?hxl=1'))).body as string;
    const hxl = parseCsv(hxlBody);
    expect(hxl[0]).toEqual(plain[0]);
    expect(hxl[1]).toEqual(
      expect.arrayContaining(['#geo+lat', '#geo+lon', '#sector', '#severity', '#status+code', '#date+reported']),
    );
    expect(hxl[1]).not.toContain('#geo+precision+m');
    expect(hxl).toHaveLength(made.length + 2);
    expect(hxl.slice(2).map((r) => r[0])).toEqual(plain.slice(1).map((r) => r[0]));
    // Every record ends in CRLF: as many CRLFs as records, and no LF outside the one quoted text.
    for (const body of [plainBody, hxlBody]) {
      expect(body.endsWith('\r\n')).toBe(true);
      const quotedNewlines = (body.match(/Line one\nline/g) ?? []).length;
      expect(quotedNewlines).toBe(1);
      expect(body.split('\r\n').length - 1).toBe(parseCsv(body).length);
      expect(body.split('\n').length - 1).toBe(parseCsv(body).length + quotedNewlines);
    }
    const header = plain[0]!;
    const three = plain.find((r) => r[0] === String(made[3]))!;
    expect(three[header.indexOf('description')]).toBe('Line one\nline "two", with a comma; and a backslash \\ here');
    const help = plain.find((r) => r[header.indexOf('kind')] === 'help')!;
    expect(help[header.indexOf('sector')]).toBe('Health');
    expect(help[header.indexOf('address')]).toBe('');
  });
});

describe('privacy in every export format', () => {
  it.each(['reports.geojson', 'reports.geojsonseq', 'reports.csv', 'reports.csv?hxl=1'])('%s', async (path) => {
    const body = (await text(request(t.app).get(`/api/v1/exports/${path}`))).body as string;
    expect(body).not.toContain(SECRET_CONTACT);
    expect(body).not.toContain('Secret street');
    expect(body).not.toContain(String(HELP_EXACT.lat));
    expect(body).not.toContain(String(HELP_EXACT.lon));
    expect(body).not.toContain('"rejected"');
  });
});
