// How the seed writes (npm run seed, scripts/seed.ts): one INSERT … SELECT FROM unnest(…) a
// batch, which runs the same on both databases, and the rebuild of the map cells at the end.
import type pg from 'pg';
import { photoColumns } from '../../server/features/reports/reports.repo';
import type { ReportColumns } from './generate';
import type { SamplePhoto } from './photos';

const INSERT_SQL = `
WITH src AS MATERIALIZED (
  SELECT nextval($26::regclass) AS id, t.*
    FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::int[], $7::text[], $8::text[],
                $9::real[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::int[], $15::int[],
                $16::boolean[], $17::smallint[], $18::smallint[])
      AS t(kind, category, status, severity, passability, people_count, description, address, accuracy_m,
           lon, lat, created_at, updated_at, still_there, gone, hidden, photo_count, photo_first)
), ins AS (
  INSERT INTO reports (id, kind, category, status, severity, passability, people_count, description, address,
                       accuracy_m, geom, public_geom, hidden, still_there_count, gone_count, created_at, updated_at)
  OVERRIDING SYSTEM VALUE
  SELECT id, kind, category, status, severity, passability, people_count, description, address, accuracy_m,
         g, CASE WHEN kind = 'help' THEN wf_coarse_point(g, $19) ELSE g END,
         hidden, still_there, gone, to_timestamp(created_at), to_timestamp(updated_at)
    FROM (SELECT src.*, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS g FROM src) p
  RETURNING 1
)
INSERT INTO photos (report_id, position, hash, width, height, thumb_width, thumb_height, bytes)
SELECT src.id, pos, ph.hash, ph.width, ph.height, ph.thumb_width, ph.thumb_height, ph.bytes
  FROM src
 CROSS JOIN LATERAL generate_series(0, src.photo_count - 1) AS pos
  JOIN unnest($20::text[], $21::int[], $22::int[], $23::int[], $24::int[], $25::int[])
       WITH ORDINALITY AS ph(hash, width, height, thumb_width, thumb_height, bytes, n)
    ON ph.n = (src.photo_first + pos) % cardinality($20::text[]) + 1
 WHERE src.photo_count > 0`;

export function insertParams(
  c: ReportColumns,
  photos: SamplePhoto[],
  helpGridM: number,
  idSequence: string,
): unknown[] {
  return [
    c.kind,
    c.category,
    c.status,
    c.severity,
    c.passability,
    c.peopleCount,
    c.description,
    c.address,
    c.accuracyM,
    c.lon,
    c.lat,
    c.createdAt,
    c.updatedAt,
    c.stillThere,
    c.gone,
    c.hidden,
    c.photoCount,
    c.photoFirst,
    helpGridM,
    ...photoColumns(photos),
    idSequence,
  ];
}

export const CELLS_TRIGGER = 'reports_cells_insert';

/** One batch; returns the number of photo rows written. */
export async function insertBatch(db: pg.PoolClient, params: unknown[], skipDeltas: boolean): Promise<number> {
  if (!skipDeltas) return (await db.query(INSERT_SQL, params)).rowCount ?? 0;
  await db.query('BEGIN');
  try {
    await db.query(`ALTER TABLE reports DISABLE TRIGGER ${CELLS_TRIGGER}`);
    const { rowCount } = await db.query(INSERT_SQL, params);
    await db.query(`ALTER TABLE reports ENABLE TRIGGER ${CELLS_TRIGGER}`);
    await db.query('COMMIT');
    return rowCount ?? 0;
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

export async function step<T>(out: NodeJS.WriteStream | undefined, label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  out?.write(`${label}…`);
  const result = await work();
  out?.write(` done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

/**
 * rebuild_report_cells() with its progress: the function raises a notice after each level
 * (migrations/0024_public_cells.sql), printed here with the time it took.
 */
export async function rebuildCells(db: pg.PoolClient, out: NodeJS.WriteStream | undefined): Promise<void> {
  let last = performance.now();
  const progress = (msg: { message?: string }) => {
    if (!msg.message?.startsWith('cells: ')) return;
    const now = performance.now();
    // The function's notice says "level 16 of 17…3"; people read "of 17" as a count.
    const step = msg.message.slice('cells: '.length).replace(' of 17…3', ' (17 down to 3)');
    out?.write(`\n  ${step} in ${((now - last) / 1000).toFixed(1)} s`);
    last = now;
  };
  db.on('notice', progress);
  try {
    await db.query('SELECT rebuild_report_cells()');
  } finally {
    db.off('notice', progress);
  }
  out?.write('\n ');
}
