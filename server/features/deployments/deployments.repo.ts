import type { Queryable } from '../reports/reports.repo';

const OPEN = `('new', 'verified', 'assigned', 'in_progress')`;

export interface HotspotRow {
  count: number;
  weight: number;
  max_severity: number;
  area: string; // GeoJSON
  report_ids: number[];
}

export async function countOpenInBbox(db: Queryable, bbox: number[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reports WHERE status IN ${OPEN} AND geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)`,
    bbox,
  );
  return rows[0]!.n;
}

/**
 * Hotspots of open reports by DBSCAN in metres (Web Mercator scaled to the latitude), each
 * drawn as its reports' hull with a margin and weighted by their severities.
 */
export async function findHotspots(
  db: Queryable,
  q: { bbox: number[]; distanceM: number; minReports: number },
): Promise<HotspotRow[]> {
  const { rows } = await db.query<HotspotRow>(
    `WITH pts AS (
       SELECT id, geom, severity, ST_Transform(geom, 3857) AS merc
         FROM reports WHERE status IN ${OPEN} AND geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
     ), clustered AS (
       SELECT id, geom, severity,
              ST_ClusterDBSCAN(merc, eps => $5 / cos(radians(($2 + $4) / 2.0)), minpoints => $6) OVER () AS cid
         FROM pts
     )
     SELECT count(*)::int AS count, sum(severity)::int AS weight, max(severity)::int AS max_severity,
            ST_AsGeoJSON(ST_Buffer(ST_ConvexHull(ST_Collect(geom))::geography, 30)::geometry, 6) AS area,
            (array_agg(id ORDER BY severity DESC, id))[1:50] AS report_ids
       FROM clustered WHERE cid IS NOT NULL
      GROUP BY cid ORDER BY weight DESC LIMIT 200`,
    [...q.bbox, q.distanceM, q.minReports],
  );
  return rows;
}

export interface DeploymentRow {
  id: number;
  name: string;
  team_id: number | null;
  status: string;
  area: string;
  created_at: Date;
  report_count: number;
  open_count: number;
}

export async function insertDeployment(
  db: Queryable,
  d: { name: string; teamId: number | null; areaGeoJson: string; createdBy: number },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO deployments (name, team_id, area, created_by)
     VALUES ($1, $2, ST_SetSRID(ST_GeomFromGeoJSON($3), 4326), $4) RETURNING id`,
    [d.name, d.teamId, d.areaGeoJson, d.createdBy],
  );
  return rows[0]!.id;
}

/** Assigns the open, not yet started reports inside the area; history and events included. */
export async function assignReportsInArea(
  db: Queryable,
  d: { deploymentId: number; teamId: number | null; actorId: number },
): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `WITH targets AS (
       SELECT r.id, r.status, r.assigned_team_id
         FROM reports r JOIN deployments d ON d.id = $1
        WHERE r.status IN ('new', 'verified', 'assigned') AND ST_Intersects(d.area, r.geom)
          FOR UPDATE OF r
     ), changed AS (
       UPDATE reports r SET status = 'assigned', assigned_team_id = coalesce($2, r.assigned_team_id),
                            deployment_id = $1, updated_at = now()
         FROM targets t WHERE r.id = t.id
       RETURNING r.id, t.status AS old_status, t.assigned_team_id AS old_team
     ), history AS (
       INSERT INTO report_history (report_id, actor_id, action, field, from_value, to_value)
       SELECT id, $3::bigint, 'status', 'status', old_status, 'assigned' FROM changed WHERE old_status <> 'assigned'
       UNION ALL
       SELECT id, $3::bigint, 'assigned', 'assigned_team_id', old_team::text, $2::text FROM changed
        WHERE $2::bigint IS NOT NULL AND old_team IS DISTINCT FROM $2::bigint
       UNION ALL
       SELECT id, $3::bigint, 'deployed', 'deployment_id', NULL, $1::text FROM changed
     ), events AS (
       INSERT INTO report_events (type, report_id) SELECT 'report.updated', id FROM changed
     )
     SELECT id FROM changed`,
    [d.deploymentId, d.teamId, d.actorId],
  );
  return rows.map((r) => r.id);
}

export async function listDeployments(db: Queryable, id?: number): Promise<DeploymentRow[]> {
  const { rows } = await db.query<DeploymentRow>(
    `SELECT d.id, d.name, d.team_id, d.status, ST_AsGeoJSON(d.area, 6) AS area, d.created_at,
            count(r.id)::int AS report_count,
            count(r.id) FILTER (WHERE r.status IN ${OPEN})::int AS open_count
       FROM deployments d LEFT JOIN reports r ON r.deployment_id = d.id
      WHERE $1::bigint IS NULL OR d.id = $1
      GROUP BY d.id ORDER BY d.id DESC LIMIT 500`,
    [id ?? null],
  );
  return rows;
}
