// Hotspots of open reports, and deployments that send a team to an area.
import express, { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { withTransaction } from '../../db/transaction';
import { requireStaff, staffOf } from '../../http/auth';
import { AppError } from '../../http/errors';
import { parse } from '../../http/validate';
import type { EventBus } from '../../live/bus';
import { mapFilterShape } from '../reports/reports.schemas';
import * as repo from './deployments.repo';

/** DBSCAN over more open reports than this would keep a request busy for seconds. */
const MAX_HOTSPOT_REPORTS = 50_000;

const hotspotsQuery = z
  .object({
    bbox: mapFilterShape.bbox.refine((b) => b !== undefined, 'is required'),
    distance_m: z.coerce.number().min(10, 'must be 10–5000').max(5000, 'must be 10–5000').default(200),
    min_reports: z.coerce.number().int().min(2, 'must be 2–1000').max(1000, 'must be 2–1000').default(5),
  })
  .strict('is not a parameter of hotspots');

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z
  .array(position)
  .min(4, 'a ring needs at least 4 positions')
  .max(2000, 'at most 2000 positions')
  .refine((r) => r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1], 'a ring must be closed');
const deploymentSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200),
    team_id: z.number().int().positive().nullable().default(null),
    area: z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(10) }),
  })
  .strict('is not a field of a deployment');

const toJson = (d: repo.DeploymentRow) => ({ ...d, area: JSON.parse(d.area) as unknown });

export function deploymentsRouter(deps: { pool: pg.Pool; events: EventBus }): Router {
  const router = Router();
  const json = express.json({ limit: '256kb' });

  router.get('/api/v1/hotspots', requireStaff('admin', 'coordinator'), async (req, res) => {
    const q = parse(hotspotsQuery, req.query);
    const b = q.bbox;
    const bbox = [b.minLon, b.minLat, b.maxLon, b.maxLat];
    if ((await repo.countOpenInBbox(deps.pool, bbox)) > MAX_HOTSPOT_REPORTS) {
      throw AppError.validation([
        { field: 'bbox', detail: `holds more than ${MAX_HOTSPOT_REPORTS} open reports; zoom in` },
      ]);
    }
    const rows = await repo.findHotspots(deps.pool, { bbox, distanceM: q.distance_m, minReports: q.min_reports });
    res
      .set('Cache-Control', 'private, no-store')
      .type('application/geo+json')
      .json({
        type: 'FeatureCollection',
        features: rows.map((h, i) => ({
          type: 'Feature',
          id: i + 1,
          geometry: JSON.parse(h.area) as unknown,
          properties: { count: h.count, weight: h.weight, max_severity: h.max_severity, report_ids: h.report_ids },
        })),
      });
  });

  router.get('/api/v1/deployments', requireStaff(), async (_req, res) => {
    res
      .set('Cache-Control', 'private, no-store')
      .json({ deployments: (await repo.listDeployments(deps.pool)).map(toJson) });
  });

  router.post('/api/v1/deployments', requireStaff('admin', 'coordinator'), json, async (req, res) => {
    const body = parse(deploymentSchema, req.body ?? {}, 'Invalid deployment');
    const area = JSON.stringify(body.area);
    const { rows } = await deps.pool.query<{ valid: boolean }>('SELECT ST_IsValid(ST_GeomFromGeoJSON($1)) AS valid', [
      area,
    ]);
    if (!rows[0]?.valid)
      throw AppError.validation([{ field: 'area', detail: 'is not a valid polygon (it crosses itself?)' }]);
    if (body.team_id !== null) {
      const team = await deps.pool.query('SELECT 1 FROM teams WHERE id = $1', [body.team_id]);
      if (!team.rowCount)
        throw AppError.validation([{ field: 'team_id', detail: `team ${body.team_id} does not exist` }]);
    }
    const actor = staffOf(res)!.user;
    const { id, assigned } = await withTransaction(deps.pool, async (client) => {
      const id = await repo.insertDeployment(client, {
        name: body.name,
        teamId: body.team_id,
        areaGeoJson: area,
        createdBy: actor.id,
      });
      const assigned = await repo.assignReportsInArea(client, {
        deploymentId: id,
        teamId: body.team_id,
        actorId: actor.id,
      });
      return { id, assigned };
    });
    deps.events.notify();
    const [deployment] = await repo.listDeployments(deps.pool, id);
    res.status(201).json({ ...toJson(deployment!), assigned: assigned.length, report_ids: assigned });
  });

  return router;
}
