// Admins make and revoke the API keys that Open311 clients post service requests with.
import express, { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../http/auth';
import { parse } from '../../http/validate';
import * as service from './apikeys.service';

const newKeySchema = z
  .object({ name: z.string({ required_error: 'is required' }).trim().min(1, 'is required').max(100) })
  .strict('is not a field of an API key');

const idParams = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'must be a number')
    .transform(Number),
});

/** Never the key or its hash: the key is shown once, when it is made. */
export const apiKeyJson = (k: service.ApiKey) => ({
  id: k.id,
  name: k.name,
  created_by: k.createdBy,
  created_at: k.createdAt.toISOString(),
  revoked_at: k.revokedAt?.toISOString() ?? null,
  last_used_at: k.lastUsedAt?.toISOString() ?? null,
});

export function apiKeysRouter(pool: pg.Pool): Router {
  const router = Router();
  const json = express.json({ limit: '4kb' });

  router.get('/api/v1/api-keys', requireStaff('admin'), async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ api_keys: (await service.listApiKeys(pool)).map(apiKeyJson) });
  });

  router.post('/api/v1/api-keys', requireStaff('admin'), json, async (req, res) => {
    const body = parse(newKeySchema, req.body ?? {}, 'Invalid API key');
    const { apiKey, key } = await service.createApiKey(pool, { name: body.name, createdBy: staffOf(res)!.user.id });
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({ ...apiKeyJson(apiKey), key });
  });

  router.delete('/api/v1/api-keys/:id', requireStaff('admin'), async (req, res) => {
    const { id } = parse(idParams, req.params, 'Invalid API key id');
    await service.revokeApiKey(pool, { id });
    res.status(204).end();
  });

  return router;
}
