// Moderation for coordinators and admins: the queue of reports whose words or photos wait for a
// person, publishing, redacting text, hiding or blurring photos, hiding a report. Responders
// do not moderate: they see only their work (triage.scope.ts).
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../http/auth';
import { parse } from '../../http/validate';
import { toFeature } from '../reports/reports.geojson';
import * as service from './moderation.service';

const MODERATORS = ['coordinator', 'admin'] as const;

const paramsSchema = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53),
});
const photoParamsSchema = paramsSchema.extend({ position: z.coerce.number().int().min(0).max(19) });
const queueSchema = z
  .object({
    kind: z.enum(['barrier', 'help']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
  })
  .strict('is not a filter of the moderation queue');
const publicationSchema = z
  .object({
    review: z
      .enum(['pending', 'published'], { errorMap: () => ({ message: 'must be pending or published' }) })
      .optional(),
    hidden: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
    description: z.string().max(4000, 'must be at most 4000 characters').nullable().optional(),
  })
  .strict('is not a field of the publication')
  .refine((v) => Object.keys(v).length > 0, { message: 'needs review, hidden or description', path: ['review'] });
const photoStateSchema = z
  .object({ state: z.enum(['published', 'hidden'], { errorMap: () => ({ message: 'must be published or hidden' }) }) })
  .strict('is not a field of a photo');
const fraction = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const redactionSchema = z
  .object({
    regions: z
      .array(
        z.object({ x: fraction, y: fraction, width: fraction, height: fraction }).strict('is not a field of a region'),
      )
      .min(1, 'needs at least one region')
      .max(50, 'at most 50 regions at once'),
  })
  .strict('is not a field of a redaction');

export function moderationRouter(deps: service.ModerationDeps & { baseUrl: (req: Request) => string }): Router {
  const router = Router();
  const json = express.json({ limit: '64kb' });
  const actor = (res: express.Response) => staffOf(res)!.user;

  router.get('/api/v1/staff/moderation', requireStaff(...MODERATORS), async (req, res) => {
    const q = parse(queueSchema, req.query, 'The moderation queue has invalid filters');
    const { rows, total } = await service.listQueue(deps.pool, { kinds: q.kind ? [q.kind] : undefined, ...q });
    const base = deps.baseUrl(req);
    res.type('application/geo+json').json({
      type: 'FeatureCollection',
      total,
      features: rows.map((r) => toFeature(r, { baseUrl: base, audience: 'staff' })),
    });
  });

  router.patch('/api/v1/staff/reports/:id/publication', requireStaff(...MODERATORS), json, async (req, res) => {
    const { id } = parse(paramsSchema, req.params);
    const body = parse(publicationSchema, req.body ?? {}, 'The publication has invalid fields');
    await service.updatePublication(deps, id, body, actor(res));
    res.status(204).end();
  });

  router.patch('/api/v1/staff/reports/:id/photos/:position', requireStaff(...MODERATORS), json, async (req, res) => {
    const { id, position } = parse(photoParamsSchema, req.params);
    const { state } = parse(photoStateSchema, req.body ?? {}, 'The photo change has invalid fields');
    await service.setPhotoState(deps, id, position, state, actor(res));
    res.status(204).end();
  });

  router.post(
    '/api/v1/staff/reports/:id/photos/:position/redactions',
    requireStaff(...MODERATORS),
    json,
    async (req, res) => {
      const { id, position } = parse(photoParamsSchema, req.params);
      const { regions } = parse(redactionSchema, req.body ?? {}, 'The redaction has invalid fields');
      await service.redactPhoto(deps, id, position, regions, actor(res));
      res.status(204).end();
    },
  );
  return router;
}
