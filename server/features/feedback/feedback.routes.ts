// A report's public story, "Is it really fixed?" and "Affects me too". Parse and validate; the
// rules live in feedback.service.ts.
import express, { Router } from 'express';
import { AppError } from '../../http/errors';
import { clientAddress } from '../../http/rate-limit';
import { reportUpload } from '../../http/uploads';
import { parse } from '../../http/validate';
import type { Queryable } from '../reports/reports.repo';
import { reportParamsSchema } from '../reports/reports.schemas';
import { endorsementSchema, fixCheckSchema } from './feedback.schemas';
import * as service from './feedback.service';

export interface FeedbackRouterDeps extends service.FeedbackDeps {
  /** Where the public timeline reads (the reads' pool; deps.pool otherwise). */
  reads?: Queryable;
}

const json = express.json({ limit: '16kb' });

export function feedbackRouter(deps: FeedbackRouterDeps): Router {
  const router = Router();
  const reads = deps.reads ?? deps.pool;

  router.get('/api/v1/reports/:id/timeline', async (req, res) => {
    const { id } = parse(reportParamsSchema, req.params, 'Invalid report id');
    const found = await service.timeline(reads, id);
    if (!found) throw AppError.notFound(`Report ${id}`);
    const { report, steps } = found;
    const lastResolved = steps.map((s) => s.step).lastIndexOf('resolved');
    res.json({
      report_id: id,
      kind: report.kind,
      status: report.status,
      duplicate_of: report.duplicateOf,
      endorsements: report.endorsements,
      steps: steps.map((s, i) => ({
        step: s.step,
        at: s.at.toISOString(),
        ...(s.step === 'assigned' ? { team: s.team } : {}),
        ...(s.step === 'reopened' ? { by_public: s.byPublic } : {}),
        ...(s.byVolunteers ? { by_volunteers: true } : {}),
        // The note for the public is the current resolution's; earlier ones went when it reopened.
        ...(i === lastResolved && report.status === 'resolved' ? { note: report.resolutionNote } : {}),
      })),
    });
  });

  router.post(
    '/api/v1/reports/:id/fix-checks',
    (req, res, next) => {
      if (req.is('multipart/form-data')) return reportUpload(req, res, next);
      if (req.is('application/json')) return json(req, res, next);
      next(
        new AppError(415, 'unsupported_media_type', 'Unsupported Content-Type', undefined, [
          { field: 'Content-Type', detail: 'must be application/json, or multipart/form-data with a photo' },
        ]),
      );
    },
    async (req, res) => {
      const { id } = parse(reportParamsSchema, req.params, 'Invalid report id');
      const body = parse(fixCheckSchema, req.body ?? {}, 'Invalid answer');
      const files = (req.files as Express.Multer.File[] | undefined) ?? [];
      if (files.length > 1)
        throw AppError.validation([{ field: 'photos', detail: 'at most one photo with an answer' }]);
      const outcome = await service.checkFix(deps, {
        reportId: id,
        answer: body.answer,
        device: body.device,
        address: clientAddress(req),
        photo: files[0]?.buffer,
      });
      res.status(outcome.created ? 201 : 200).json({
        report_id: id,
        fix_checks: { fixed: outcome.fixed, not_fixed: outcome.notFixed },
        counted: outcome.created,
        reopened: outcome.reopened,
        ...(outcome.notReopened ? { not_reopened: outcome.notReopened } : {}),
      });
    },
  );

  router.post('/api/v1/reports/:id/endorsements', json, async (req, res) => {
    const { id } = parse(reportParamsSchema, req.params, 'Invalid report id');
    const body = parse(endorsementSchema, req.body ?? {}, 'Invalid endorsement');
    const outcome = await service.endorse(deps, { reportId: id, device: body.device, address: clientAddress(req) });
    res.status(outcome.created ? 201 : 200).json({
      report_id: id,
      endorsements: outcome.endorsements,
      counted: outcome.created,
    });
  });

  return router;
}
