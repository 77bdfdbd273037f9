// The default public map's sums (migrations/0024_public_cells.sql) must always equal what the
// detail rows say under the tiles' public rule: after new reports, after every kind of change
// that moves a report on or off the public map, after folding, and after a rebuild.
import request from 'supertest';
import { refreshCells } from '../../server/features/tiles/tiles.repo';
import { checkPublicCells } from '../../server/features/tiles/tiles.refresher';
import { MAX_PUBLIC_TILE_SINGLES } from '../../server/features/tiles/tiles.service';
import { startTestApp, type TestApp } from './support/test-app';
import { getTile, tileOf, type TileFeature } from './support/tiles';

jest.setTimeout(120_000);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// Dresden, away from the other files' points.
const centre = { lon: 13.7373, lat: 51.0504 };
const ids: number[] = [];
beforeAll(async () => {
  for (let i = 0; i < 40; i++) {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({
        category: i % 4 === 0 ? 'help_food_water' : i % 2 ? 'steps' : 'kerb_missing',
        lon: centre.lon + (i % 8) * 0.003,
        lat: centre.lat + Math.floor(i / 8) * 0.002,
        severity: (i % 3) + 1,
      })
      .expect(201);
    ids.push(res.body.id as number);
  }
});

/** The public sums as stored, and as the detail rows give them under the tiles' rule. */
async function sumsBothWays(): Promise<{ stored: string[]; fromDetail: string[] }> {
  const key = `level || '/' || cx || '/' || cy || '/' || kind || ' ' || n || ' ' || sev1 || ' ' || sev2 || ' ' || sev3`;
  const stored = await t.pool.query<{ k: string }>(`SELECT ${key} AS k FROM report_cells_public ORDER BY 1`);
  const fromDetail = await t.pool.query<{ k: string }>(
    `SELECT ${key} AS k
       FROM (SELECT level, cx, cy, kind, sum(n) AS n, sum(sev1) AS sev1, sum(sev2) AS sev2, sum(sev3) AS sev3
               FROM report_cells
              WHERE NOT hidden AND status NOT IN ('rejected', 'duplicate')
              GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0) d
      ORDER BY 1`,
  );
  return { stored: stored.rows.map((r) => r.k), fromDetail: fromDetail.rows.map((r) => r.k) };
}

const total = (features: TileFeature[]) => features.reduce((n, f) => n + Number(f.properties.count), 0);
const allCategories = '?category=help_food_water,steps,kerb_missing';

async function countsAt(z: number) {
  const tile = tileOf(centre.lon, centre.lat, z);
  // The public sums answer the tile without filters; naming every category takes the detail rows.
  const sums = await getTile(t, z, tile.x, tile.y);
  const detail = await getTile(t, z, tile.x, tile.y, allCategories);
  return { sums: total(sums), detail: total(detail) };
}

it('hold the detail rows’ public counts through reports, status changes, hiding, folding and a rebuild', async () => {
  await refreshCells(t.pool);
  let both = await sumsBothWays();
  expect(both.stored.length).toBeGreaterThan(0);
  expect(both.stored).toEqual(both.fromDetail);

  // Off the public map three ways, back on one way, and a move to another cell.
  await t.pool.query(`UPDATE reports SET status = 'rejected' WHERE id = ANY($1::bigint[])`, [ids.slice(0, 3)]);
  await t.pool.query(`UPDATE reports SET status = 'duplicate', duplicate_of = $2 WHERE id = $1`, [ids[3], ids[10]]);
  await t.pool.query(`UPDATE reports SET hidden = true WHERE id = ANY($1::bigint[])`, [ids.slice(4, 6)]);
  await t.pool.query(`UPDATE reports SET status = 'resolved' WHERE id = ANY($1::bigint[])`, [ids.slice(6, 9)]);
  await t.pool.query(`UPDATE reports SET status = 'new' WHERE id = $1`, [ids[0]]);
  await t.pool.query(
    `UPDATE reports SET geom = ST_SetSRID(ST_MakePoint(10.0, 53.55), 4326), public_geom = ST_SetSRID(ST_MakePoint(10.0, 53.55), 4326)
      WHERE id = $1`,
    [ids[11]],
  );
  // Before the fold the tiles add the pending changes to either table the same way.
  for (const z of [5, 8, 11, 14]) {
    const c = await countsAt(z);
    expect(c.sums).toBe(c.detail);
  }
  await refreshCells(t.pool);
  both = await sumsBothWays();
  expect(both.stored).toEqual(both.fromDetail);
  // 40 reports, 2 rejected (one came back), a duplicate, 2 hidden, one moved to Hamburg: 34 around Dresden.
  for (const z of [5, 8, 11]) expect(await countsAt(z)).toEqual({ sums: 34, detail: 34 });

  // A cell emptied of public reports leaves no row behind.
  await t.pool.query(`UPDATE reports SET hidden = true WHERE id = $1`, [ids[11]]);
  await refreshCells(t.pool);
  const moved = tileOf(10.0, 53.55, 14);
  const { rows } = await t.pool.query(
    `SELECT 1 FROM report_cells_public WHERE level = 17 AND cx >> 3 = $1 AND cy >> 3 = $2`,
    [moved.x, moved.y],
  );
  expect(rows).toEqual([]);

  // Folding and rebuilding from the reports agree.
  const folded = await sumsBothWays();
  expect(folded.stored).toEqual(folded.fromDetail);
  await t.pool.query('SELECT rebuild_report_cells()');
  const rebuilt = await sumsBothWays();
  expect(rebuilt.stored).toEqual(folded.stored);
  expect(rebuilt.fromDetail).toEqual(folded.fromDetail);
  for (const z of [5, 8, 11]) expect(await countsAt(z)).toEqual({ sums: 34, detail: 34 });
});

describe('a public tile of single reports', () => {
  // Cottbus: a square of 220 m holding more reports than a public tile shows one by one.
  const spot = { lon: 14.3329, lat: 51.7563 };
  const crowded = MAX_PUBLIC_TILE_SINGLES + 20;

  it('shows the finest clusters when it would hold too many, with every report counted, and single reports from zoom 17', async () => {
    await t.pool.query(
      `INSERT INTO reports (kind, category, severity, geom, public_geom)
       SELECT 'barrier', 'steps', 1 + i % 3, p, p
         FROM generate_series(1, $3::int) i,
              LATERAL (SELECT ST_SetSRID(ST_MakePoint($1 + (i % 40) * 0.00005, $2 + (i / 40) * 0.00003), 4326) AS p) g`,
      [spot.lon, spot.lat, crowded],
    );
    for (const folded of [false, true]) {
      if (folded) await refreshCells(t.pool);
      for (const z of [15, 16]) {
        const tile = tileOf(spot.lon + 0.001, spot.lat + 0.0002, z);
        const features = await getTile(t, z, tile.x, tile.y);
        expect(features.every((f) => f.properties.count !== undefined && f.id === undefined)).toBe(true);
        expect(features.length).toBeLessThanOrEqual(z === 15 ? 16 : 4);
        expect(total(features)).toBe(crowded);
      }
      const tile = tileOf(spot.lon + 0.001, spot.lat + 0.0002, 17);
      const singles = await getTile(t, 17, tile.x, tile.y);
      expect(singles.length).toBeGreaterThan(0);
      expect(singles.every((f) => typeof f.id === 'number' && f.properties.count === undefined)).toBe(true);
    }
    // A filter that leaves few shows them one by one.
    await t.pool.query(
      `INSERT INTO reports (kind, category, severity, geom, public_geom)
       SELECT 'help', 'help_medical', 3, p, p
         FROM generate_series(1, 3) i, LATERAL (SELECT ST_SetSRID(ST_MakePoint($1 + i * 0.0001, $2), 4326) AS p) g`,
      [spot.lon, spot.lat],
    );
    const tile = tileOf(spot.lon + 0.001, spot.lat + 0.0002, 15);
    const few = await getTile(t, 15, tile.x, tile.y, '?kind=help');
    expect(few).toHaveLength(3);
    expect(few.every((f) => typeof f.id === 'number' && f.properties.kind === 'help')).toBe(true);
  });
});

it('are made again at start when a fold racing their migration left them short', async () => {
  await refreshCells(t.pool);
  const right = await sumsBothWays();
  expect(right.stored).toEqual(right.fromDetail);
  // As a fold of the function before 0024 would: the detail gains a report the sums never see.
  await t.pool.query(
    `UPDATE report_cells SET n = n + 1, sev1 = sev1 + 1
      WHERE (level, cx, cy, category, status, hidden) IN
            (SELECT level, cx, cy, category, status, hidden FROM report_cells
              WHERE NOT hidden AND status = 'new' ORDER BY level, cx, cy, category LIMIT 15)`,
  );
  expect((await t.pool.query('SELECT wf_public_cells_agree() AS ok')).rows[0].ok).toBe(false);
  const warnings: string[] = [];
  const logger = { warn: (msg: string) => warnings.push(msg) } as unknown as Parameters<typeof checkPublicCells>[1];
  await checkPublicCells(t.pool, logger);
  expect(warnings).toHaveLength(1);
  const repaired = await sumsBothWays();
  expect(repaired.stored).toEqual(repaired.fromDetail);
  expect(repaired.stored).not.toEqual(right.stored);
  // Agreeing sums are left alone.
  await checkPublicCells(t.pool, logger);
  expect(warnings).toHaveLength(1);
});
