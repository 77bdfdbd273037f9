// Staff views and changes of reports. Roles: coordinators and admins triage everything;
// responders read their own and their team's work (triage.scope.ts; any other report is a
// 404) and change their own assignments (enforced in the service).
import type pg from 'pg';
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../http/auth';
import { AppError } from '../../http/errors';
import { reportUpload } from '../../http/uploads';
import { parse } from '../../http/validate';
import type { PhotoStorage } from '../photos/photos.storage';
import { toFeature } from '../reports/reports.geojson';
import type { ReportRow } from '../reports/reports.repo';
import { reportParamsSchema, STATUSES } from '../reports/reports.schemas';
import type { User } from '../auth/auth.repo';
import { listStaffPage } from './triage.list.repo';
import { staffListSchema } from './triage.list.schemas';
import { findStaffReport, listAssignments, listHistory, listNotes } from './triage.repo';
import * as service from './triage.service';
import { allowedTransitions } from './triage.workflow';

const id = z.number().int().positive();
const changesShape = {
  status: z.enum(STATUSES, { errorMap: () => ({ message: `must be one of ${STATUSES.join(', ')}` }) }).optional(),
  severity: z.number().int().min(1, 'must be 1, 2 or 3').max(3, 'must be 1, 2 or 3').optional(),
  category: z.string().min(1).max(50).optional(),
  assigned_team_id: id.nullable().optional(),
  assigned_user_id: id.nullable().optional(),
  duplicate_of: id.nullable().optional(),
};
const updateSchema = z
  .object({
    ...changesShape,
    note: z.string().trim().min(1).max(4000).optional(),
    resolution_note: z.string().trim().max(1000, 'must be at most 1,000 characters').nullable().optional(),
  })
  .strict('is not a field you can change');
const bulkSchema = z
  .object({
    ids: z.array(id).min(1, 'needs at least one report').max(500, 'at most 500 reports at once'),
    changes: z.object(changesShape).strict('is not a field you can change'),
  })
  .strict('is not a field of a bulk change');
const noteSchema = z
  .object({ body: z.string().trim().min(1, 'is required').max(4000) })
  .strict('is not a field of a note');
export interface TriageRouterDeps extends service.TriageDeps {
  /** The reads' pool, whose statement budget ends a search that would run long (`pool` if left out). */
  reads?: pg.Pool;
  storage: PhotoStorage;
  baseUrl: (req: Request) => string;
}

export function triageRouter(deps: TriageRouterDeps): Router {
  const router = Router();
  const json = express.json({ limit: '64kb' });
  const staffFeature = (req: Request, row: ReportRow, actor: User) => {
    const feature = toFeature(row, { baseUrl: deps.baseUrl(req), audience: 'staff' });
    feature.properties.allowed_transitions = allowedTransitions(row.status, actor.role);
    return feature;
  };
  const collection = (req: Request, rows: ReportRow[], actor: User) => ({
    type: 'FeatureCollection',
    features: rows.map((r) => staffFeature(req, r, actor)),
    numberReturned: rows.length,
  });
  const noStore = { 'Cache-Control': 'private, no-store' };

  router.get('/api/v1/staff/reports', requireStaff(), async (req, res) => {
    const q = parse(staffListSchema, req.query);
    const actor = staffOf(res)!.user;
    const { rows, total } = await listStaffPage(deps.reads ?? deps.pool, {
      viewer: actor,
      bbox: q.bbox,
      categories: q.category,
      kinds: q.kind,
      statuses: q.status,
      sources: q.source,
      teamId: q.team_id,
      assignedUserId: q.assigned_user_id,
      deploymentId: q.deployment_id,
      createdFrom: q.created_from,
      createdBefore: q.created_before,
      search: q.q,
      sort: q.sort,
      limit: q.limit,
      offset: q.offset,
    });
    // numberMatched counts every report the filters match (exactly), as OGC API – Features names it.
    res
      .set(noStore)
      .type('application/geo+json')
      .json({ ...collection(req, rows, actor), numberMatched: total });
  });

  router.get('/api/v1/staff/reports/:id', requireStaff(), async (req, res) => {
    const { id: reportId } = parse(reportParamsSchema, req.params);
    const actor = staffOf(res)!.user;
    const row = await findStaffReport(deps.pool, reportId, actor);
    if (!row) throw AppError.notFound(`Report ${reportId}`);
    const feature = staffFeature(req, row, actor);
    feature.properties.notes = await listNotes(deps.pool, reportId);
    feature.properties.history = await listHistory(deps.pool, reportId);
    res.set(noStore).type('application/geo+json').json(feature);
  });

  router.get('/api/v1/reports/:id/history', requireStaff(), async (req, res) => {
    const { id: reportId } = parse(reportParamsSchema, req.params);
    if (!(await findStaffReport(deps.pool, reportId, staffOf(res)!.user))) {
      throw AppError.notFound(`Report ${reportId}`);
    }
    res.set(noStore).json({ report_id: reportId, history: await listHistory(deps.pool, reportId) });
  });

  router.patch('/api/v1/reports/:id', requireStaff(), json, async (req, res) => {
    const { id: reportId } = parse(reportParamsSchema, req.params);
    const body = parse(updateSchema, req.body ?? {}, 'Invalid change');
    const actor = staffOf(res)!.user;
    const row = await service.updateReport(deps, actor, reportId, body);
    res.set(noStore).json(staffFeature(req, row, actor));
  });

  router.post('/api/v1/reports/bulk', requireStaff('admin', 'coordinator'), json, async (req, res) => {
    const body = parse(bulkSchema, req.body ?? {}, 'Invalid bulk change');
    const results = await service.updateReports(deps, staffOf(res)!.user, body.ids, body.changes);
    res.set(noStore).json({ results });
  });

  router.post('/api/v1/reports/:id/notes', requireStaff(), json, async (req, res) => {
    const { id: reportId } = parse(reportParamsSchema, req.params);
    const body = parse(noteSchema, req.body ?? {}, 'Invalid note');
    res.status(201).json(await service.addNote(deps, staffOf(res)!.user, reportId, body.body));
  });

  router.post('/api/v1/reports/:id/photos', requireStaff(), reportUpload, async (req, res) => {
    const { id: reportId } = parse(reportParamsSchema, req.params);
    const files = (req.files as Express.Multer.File[] | undefined) ?? [];
    const actor = staffOf(res)!.user;
    const row = await service.addStaffPhotos(
      deps,
      actor,
      reportId,
      files.map((f) => f.buffer),
    );
    res
      .status(201)
      .set(noStore)
      .json(staffFeature(req, row, actor));
  });

  router.get('/api/v1/my/assignments', requireStaff(), async (req, res) => {
    const actor = staffOf(res)!.user;
    const rows = await listAssignments(deps.pool, actor.id, actor.teamId);
    res
      .set(noStore)
      .type('application/geo+json')
      .json(collection(req, rows, actor));
  });

  return router;
}
