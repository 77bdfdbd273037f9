// API keys: made by an admin, shown once, stored as a sha256, revocable.
import crypto from 'node:crypto';
import { AppError } from '../../http/errors';
import type { Queryable } from '../reports/reports.repo';
import * as repo from './apikeys.repo';

export type { ApiKey } from './apikeys.repo';

/** 32 random bytes: far too many to guess, so a plain sha256 is a safe way to store them. */
const KEY_PREFIX = 'wf_';
const KEY_SHAPE = /^wf_[A-Za-z0-9_-]{43}$/;

export const hashApiKey = (key: string): string => crypto.createHash('sha256').update(key).digest('hex');

export async function createApiKey(
  db: Queryable,
  input: { name: string; createdBy: number | null },
): Promise<{ apiKey: repo.ApiKey; key: string }> {
  const key = KEY_PREFIX + crypto.randomBytes(32).toString('base64url');
  const apiKey = await repo.insertApiKey(db, {
    name: input.name,
    keyHash: hashApiKey(key),
    createdBy: input.createdBy,
  });
  if (!apiKey) {
    throw new AppError(409, 'api_key_exists', 'API key exists', undefined, [
      { field: 'name', detail: 'is already the name of a live API key' },
    ]);
  }
  return { apiKey, key };
}

export async function revokeApiKey(db: Queryable, which: { id: number } | { name: string }): Promise<repo.ApiKey> {
  const apiKey = await repo.revokeApiKey(db, which);
  if (!apiKey) throw AppError.notFound('id' in which ? `API key ${which.id}` : `A live API key named "${which.name}"`);
  return apiKey;
}

/** The live key a client sent, or undefined: unknown, malformed and revoked keys look alike. */
export async function verifyApiKey(db: Queryable, key: string | undefined): Promise<repo.ApiKey | undefined> {
  if (!key || !KEY_SHAPE.test(key)) return undefined;
  return repo.useApiKey(db, hashApiKey(key));
}

export const listApiKeys = repo.listApiKeys;
