// Parse and validate; the rules live in the service.
import express, { Router, type Request, type RequestHandler } from 'express';
import { AppError } from '../../http/errors';
import { clientAddress } from '../../http/rate-limit';
import { parse } from '../../http/validate';
import { reportUpload } from '../../http/uploads';
import { toFeature } from './reports.geojson';
import * as repo from './reports.repo';
import {
  confirmationSchema,
  listQuerySchema,
  nearbyQuerySchema,
  newReportSchema,
  reportParamsSchema,
} from './reports.schemas';
import * as service from './reports.service';

export interface RoutesOptions {
  deps: service.ReportsDeps;
  /** Where the public list and nearby search read (the reads' pool; deps.pool otherwise). */
  reads?: repo.Queryable;
  baseUrl: (req: Request) => string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function idempotencyKey(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return undefined;
  if (!UUID.test(key.trim())) {
    throw new AppError(400, 'invalid_idempotency_key', 'Invalid Idempotency-Key', undefined, [
      { field: 'Idempotency-Key', detail: 'must be a UUID made once per report' },
    ]);
  }
  return key.trim().toLowerCase();
}

const json = express.json({ limit: '64kb' });

/**
 * `POST /api/v1/reports`'s own steps: the app mounts them as one route ahead of everything
 * else, after the steps every request takes (server/app.ts).
 */
export function newReportHandlers({ deps, baseUrl }: Omit<RoutesOptions, 'reads'>): RequestHandler[] {
  return [
    (req, res, next) => {
      if (req.is('multipart/form-data')) return reportUpload(req, res, next);
      if (req.is('application/json')) return json(req, res, next);
      next(
        new AppError(415, 'unsupported_media_type', 'Unsupported Content-Type', undefined, [
          { field: 'Content-Type', detail: 'must be multipart/form-data or application/json' },
        ]),
      );
    },
    async (req, res) => {
      const key = idempotencyKey(req);
      const fields = parse(newReportSchema, req.body ?? {}, 'The report has invalid fields');
      const files = (req.files as Express.Multer.File[] | undefined) ?? [];
      const { report, replayed } = await service.createReport(deps, {
        fields,
        photos: files.map((f) => f.buffer),
        idempotencyKey: key,
        client: clientAddress(req),
      });
      const feature = toFeature(report, { baseUrl: baseUrl(req), audience: 'public' });
      res
        .status(201)
        .location(String(feature.properties.url))
        .set(replayed ? { 'Idempotent-Replayed': 'true' } : {})
        .json(feature);
    },
  ];
}

export function reportsRouter({ deps, reads = deps.pool, baseUrl }: RoutesOptions): Router {
  const router = Router();

  router.get('/api/v1/reports', async (req, res) => {
    const q = parse(listQuerySchema, req.query);
    const rows = await repo.listReports(
      reads,
      {
        bbox: q.bbox,
        categories: q.category,
        kinds: q.kind,
        statuses: q.status,
        sources: q.source,
        since: q.since,
        beforeId: q.cursor ? service.decodeCursor(q.cursor) : undefined,
        limit: q.limit + 1,
      },
      'public',
    );
    const page = rows.slice(0, q.limit);
    const base = baseUrl(req);
    const links = [{ rel: 'self', type: 'application/geo+json', href: `${base}${req.originalUrl}` }];
    if (rows.length > q.limit) {
      const next = new URL(`${base}${req.originalUrl}`);
      next.searchParams.set('cursor', service.encodeCursor(page[page.length - 1]!.id));
      links.push({ rel: 'next', type: 'application/geo+json', href: next.toString() });
    }
    res.type('application/geo+json').json({
      type: 'FeatureCollection',
      features: page.map((r) => toFeature(r, { baseUrl: base, audience: 'public' })),
      numberReturned: page.length,
      links,
    });
  });

  router.get('/api/v1/reports/nearby', async (req, res) => {
    const q = parse(nearbyQuerySchema, req.query);
    const rows = await repo.listNearbyOpenReports(reads, {
      lat: q.lat,
      lon: q.lon,
      radiusM: q.radius_m,
      category: q.category,
      limit: q.limit,
    });
    const base = baseUrl(req);
    res.type('application/geo+json').json({
      type: 'FeatureCollection',
      features: rows.map((r) => toFeature(r, { baseUrl: base, audience: 'public' })),
    });
  });

  router.get('/api/v1/reports/:id', async (req, res) => {
    const { id } = parse(reportParamsSchema, req.params, 'Invalid report id');
    const row = await repo.findReport(reads, id, 'public');
    if (!row) throw AppError.notFound(`Report ${id}`);
    res.type('application/geo+json').json(toFeature(row, { baseUrl: baseUrl(req), audience: 'public' }));
  });

  router.post('/api/v1/reports/:id/confirmations', json, async (req, res) => {
    const { id } = parse(reportParamsSchema, req.params, 'Invalid report id');
    const body = parse(confirmationSchema, req.body ?? {}, 'Invalid confirmation');
    const outcome = await service.confirmReport(deps, {
      reportId: id,
      type: body.type,
      device: body.device,
      address: clientAddress(req),
    });
    res.status(outcome.created ? 201 : 200).json({
      report_id: id,
      confirmations: { still_there: outcome.stillThere, gone: outcome.gone },
      counted: outcome.counted,
    });
  });

  return router;
}
