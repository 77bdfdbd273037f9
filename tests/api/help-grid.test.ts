// The intersection attack of issue 12 on the help grid: an attacker saves every help request's
// public point, waits for a restart with another HELP_GRID_M, saves them again, and intersects
// the cells the two points stand for. Each published point must keep standing for at least one
// whole cell, however often the grid changes.
import request from 'supertest';
import { reconcileHelpGrid } from '../../server/features/reports/reports.service';
import { HELP_GRID_M, startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

const M_PER_DEGREE = 111_320;
/** The grids the deployment is restarted with, in order: coarser, not a multiple, finer. */
const LATER_GRIDS_M = [HELP_GRID_M * 2, 700, 300];
const ALL_GRIDS_M = [HELP_GRID_M, ...LATER_GRIDS_M];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface Published {
  id: number;
  lon: number;
  lat: number;
  exactLon: number;
  exactLat: number;
  /** The grids of which the point is a cell centre: one of them is the one it was cut with. */
  grids: number[];
}

/** A box in degrees: what the attacker knows of where the person is. */
interface Box {
  west: number;
  east: number;
  south: number;
  north: number;
}

/** The cell a published point stands for: wf_coarse_point's row and its longitude step. */
function cellOf(p: { lon: number; lat: number }, gridM: number): Box {
  const dLat = gridM / M_PER_DEGREE;
  const dLon = dLat / Math.max(Math.cos((p.lat * Math.PI) / 180), 0.01);
  return { west: p.lon - dLon / 2, east: p.lon + dLon / 2, south: p.lat - dLat / 2, north: p.lat + dLat / 2 };
}

function intersect(a: Box, b: Box): Box {
  return {
    west: Math.max(a.west, b.west),
    east: Math.min(a.east, b.east),
    south: Math.max(a.south, b.south),
    north: Math.min(a.north, b.north),
  };
}

function sizeM(box: Box): { widthM: number; heightM: number } {
  const midLat = (box.south + box.north) / 2;
  return {
    widthM: Math.max(0, box.east - box.west) * M_PER_DEGREE * Math.cos((midLat * Math.PI) / 180),
    heightM: Math.max(0, box.north - box.south) * M_PER_DEGREE,
  };
}

/** What every public channel shows of these help requests (public_geom), and the truth. */
async function read(ids: number[]): Promise<Published[]> {
  const { rows } = await t.pool.query<Published>(
    `SELECT r.id::int AS id, ST_X(r.public_geom) AS lon, ST_Y(r.public_geom) AS lat,
            ST_X(r.geom) AS "exactLon", ST_Y(r.geom) AS "exactLat",
            array(SELECT g FROM unnest($2::int[]) AS g
                   WHERE ST_DWithin(wf_coarse_point(r.public_geom, g), r.public_geom, 1e-9)) AS grids
       FROM reports r WHERE r.id = ANY($1::bigint[]) ORDER BY r.id`,
    [ids, ALL_GRIDS_M],
  );
  return rows;
}

/** A fixed sequence of points, so that a failure is the same on every run. */
function randomPoints(n: number): { lon: number; lat: number }[] {
  let seed = 12;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: n }, () => ({ lon: 13.1 + next() * 0.6, lat: 52.35 + next() * 0.3 }));
}

describe('a restart with another HELP_GRID_M', () => {
  const readings: Published[][] = [];
  let ids: number[] = [];

  beforeAll(async () => {
    // As server/main.ts does at start, on a fresh database.
    expect(await reconcileHelpGrid(t.pool, HELP_GRID_M)).toEqual({ fromM: null, toM: HELP_GRID_M, kept: 0 });
    for (const p of randomPoints(60)) {
      const res = await request(t.app)
        .post('/api/v1/reports')
        .send({ category: 'help_evacuation', lat: p.lat, lon: p.lon, people_count: 1 });
      expect(res.status).toBe(201);
      ids.push((res.body as { id: number }).id);
    }
    ids = ids.sort((a, b) => a - b);
    readings.push(await read(ids));
    for (const gridM of LATER_GRIDS_M) {
      await reconcileHelpGrid(t.pool, gridM);
      readings.push(await read(ids));
    }
  });

  it('says at start what changed and how many help requests keep their cells', async () => {
    expect(await reconcileHelpGrid(t.pool, 1500)).toEqual({ fromM: 300, toM: 1500, kept: 60 });
    expect(await reconcileHelpGrid(t.pool, 1500)).toBeUndefined();
  });

  it('never narrows a help request below one cell of the grid it was published on', () => {
    const first = readings[0]!;
    const cellM = sizeM(cellOf(first[0]!, HELP_GRID_M));
    let smallest = { id: 0, widthM: Infinity, heightM: Infinity };
    for (const [i, id] of ids.entries()) {
      const cells = readings.map((reading) => {
        const p = reading[i]!;
        expect(p.id).toBe(id);
        // A centre of several grids (500 m and 300 m cells share a ninth of their centres)
        // stands for the union of their cells, which share that centre: the largest.
        expect(p.grids.length).toBeGreaterThan(0);
        return cellOf(p, Math.max(...p.grids));
      });
      const known = cells.reduce(intersect);
      // The attacker's model is right: the person is inside what it narrowed to.
      const { exactLon, exactLat } = first[i]!;
      expect(exactLon).toBeGreaterThanOrEqual(known.west);
      expect(exactLon).toBeLessThanOrEqual(known.east);
      expect(exactLat).toBeGreaterThanOrEqual(known.south);
      expect(exactLat).toBeLessThanOrEqual(known.north);
      const size = sizeM(known);
      if (size.widthM * size.heightM < smallest.widthM * smallest.heightM) smallest = { id, ...size };
    }
    // One cell of the first grid (500 m on the ground), to a centimetre.
    expect(smallest.widthM).toBeGreaterThan(cellM.widthM - 0.01);
    expect(smallest.heightM).toBeGreaterThan(cellM.heightM - 0.01);
  });

  it('leaves every published point where it was first published', () => {
    const where = (reading: Published[]) => reading.map((p) => [p.id, p.lon, p.lat]);
    for (const reading of readings.slice(1)) expect(where(reading)).toEqual(where(readings[0]!));
  });

  it('is refused by the database when something tries to re-cut a published help request', async () => {
    await expect(
      t.pool.query(`UPDATE reports SET public_geom = wf_coarse_point(geom, $1) WHERE kind = 'help'`, [1000]),
    ).rejects.toMatchObject({
      code: '23514',
      message: expect.stringMatching(/^help request \d+ keeps the public cell it was first published in$/),
      detail: expect.stringMatching(/would narrow where the person is/),
      hint: expect.stringMatching(/HELP_GRID_M applies to help requests received from then on/),
    });
    expect(await read(ids)).toEqual(readings[0]);
  });

  it('still lets a barrier, whose exact point is public anyway, be moved', async () => {
    const res = await request(t.app).post('/api/v1/reports').send({ category: 'steps', lat: 52.5, lon: 13.4 });
    expect(res.status).toBe(201);
    const moved = await t.pool.query(
      `UPDATE reports SET geom = ST_SetSRID(ST_MakePoint(13.401, 52.5), 4326), public_geom = ST_SetSRID(ST_MakePoint(13.401, 52.5), 4326)
        WHERE id = $1`,
      [(res.body as { id: number }).id],
    );
    expect(moved.rowCount).toBe(1);
  });
});
