// SQL only: parameterised, explicit columns, rows mapped to camelCase.
import type { Queryable } from '../reports/reports.repo';

export interface ApiKey {
  id: number;
  name: string;
  createdBy: number | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

interface ApiKeyRecord {
  id: number;
  name: string;
  created_by: number | null;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = 'id, name, created_by, created_at, revoked_at, last_used_at';
const toApiKey = (r: ApiKeyRecord): ApiKey => ({
  id: r.id,
  name: r.name,
  createdBy: r.created_by,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

export async function listApiKeys(db: Queryable): Promise<ApiKey[]> {
  const { rows } = await db.query<ApiKeyRecord>(
    `SELECT ${COLUMNS} FROM api_keys ORDER BY revoked_at IS NOT NULL, lower(name), id`,
  );
  return rows.map(toApiKey);
}

/** Undefined when a live key already has this name. */
export async function insertApiKey(
  db: Queryable,
  key: { name: string; keyHash: string; createdBy: number | null },
): Promise<ApiKey | undefined> {
  const { rows } = await db.query<ApiKeyRecord>(
    `INSERT INTO api_keys (name, key_hash, created_by) VALUES ($1, $2, $3)
     ON CONFLICT (lower(name)) WHERE revoked_at IS NULL DO NOTHING
     RETURNING ${COLUMNS}`,
    [key.name, key.keyHash, key.createdBy],
  );
  return rows[0] ? toApiKey(rows[0]) : undefined;
}

/** Revokes by id or by the name of a live key; a key revoked before keeps its first date. */
export async function revokeApiKey(
  db: Queryable,
  which: { id: number } | { name: string },
): Promise<ApiKey | undefined> {
  const [where, value] =
    'id' in which ? ['id = $1', which.id] : ['lower(name) = lower($1) AND revoked_at IS NULL', which.name];
  const { rows } = await db.query<ApiKeyRecord>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE ${where} RETURNING ${COLUMNS}`,
    [value],
  );
  return rows[0] ? toApiKey(rows[0]) : undefined;
}

/** The live key with this hash, marked as used now. */
export async function useApiKey(db: Queryable, keyHash: string): Promise<ApiKey | undefined> {
  const { rows } = await db.query<ApiKeyRecord>(
    `UPDATE api_keys SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
    [keyHash],
  );
  return rows[0] ? toApiKey(rows[0]) : undefined;
}
