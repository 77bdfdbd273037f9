// The areas' SQL. A geometry is mended as PostGIS mends one (ST_MakeValid, its polygons kept)
// and stored as a MultiPolygon in WGS 84; one that leaves nothing is refused by its caller.
import type pg from 'pg';

export interface StoredArea {
  id: number;
  /** Whether ST_MakeValid had to mend the geometry. */
  mended: boolean;
  /** Nothing was left of the geometry once mended (a line drawn as a polygon). */
  empty: boolean;
}

export async function deleteAll(client: pg.PoolClient): Promise<number> {
  return (await client.query('DELETE FROM areas')).rowCount ?? 0;
}

export async function countAreas(pool: pg.Pool | pg.PoolClient): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM areas');
  return rows[0]!.n;
}

/** Stores one area, replacing one of the same code; nothing when the mended geometry is empty. */
export async function insertArea(
  client: pg.PoolClient,
  area: { name: string; code: string | null; geometry: string },
): Promise<StoredArea> {
  const { rows } = await client.query<{ id: number | null; mended: boolean; empty: boolean }>(
    `WITH given AS (
       SELECT ST_SetSRID(ST_GeomFromGeoJSON($3), 4326) AS g
     ), mended AS (
       SELECT NOT ST_IsValid(g) AS mended,
              ST_Multi(ST_CollectionExtract(CASE WHEN ST_IsValid(g) THEN g ELSE ST_MakeValid(g) END, 3)) AS g
         FROM given
     ), stored AS (
       INSERT INTO areas (name, code, geom)
       SELECT $1, $2, g FROM mended WHERE NOT ST_IsEmpty(g)
       ON CONFLICT (code) WHERE code IS NOT NULL
       DO UPDATE SET name = EXCLUDED.name, geom = EXCLUDED.geom, imported_at = now()
       RETURNING id
     )
     SELECT (SELECT id FROM stored) AS id, mended, ST_IsEmpty(g) AS empty FROM mended`,
    [area.name, area.code, area.geometry],
  );
  const row = rows[0]!;
  return { id: row.id ?? 0, mended: row.mended, empty: row.empty };
}
