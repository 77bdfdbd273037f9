// SQL only: the public reports that GET requests lists, and the discovery changeset.
import { reportsFrom, selectReport, toReportRow, type Queryable, type ReportRow } from '../reports/reports.repo';
import type { Status } from '../reports/reports.schemas';

export interface RequestFilter {
  ids?: number[];
  categories?: string[];
  statuses?: readonly Status[];
  /** On requested_datetime (created_at), both ends included. */
  start?: Date;
  end?: Date;
  offset: number;
  limit: number;
}

/** Public service requests, newest first (ids grow with creation time). */
export async function listRequests(db: Queryable, filter: RequestFilter): Promise<ReportRow[]> {
  const where = ['true'];
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  if (filter.ids) where.push(`r.id = ANY(${param(filter.ids)}::bigint[])`);
  if (filter.categories) where.push(`r.category = ANY(${param(filter.categories)}::text[])`);
  if (filter.statuses) where.push(`r.status = ANY(${param(filter.statuses)}::text[])`);
  if (filter.start) where.push(`r.created_at >= ${param(filter.start)}`);
  if (filter.end) where.push(`r.created_at <= ${param(filter.end)}`);
  const { rows } = await db.query<Record<string, unknown>>(
    `${selectReport('public')} FROM ${reportsFrom('public')} WHERE ${where.join(' AND ')}
      ORDER BY r.id DESC LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset)}`,
    params,
  );
  return rows.map(toReportRow);
}

/**
 * When services or their definitions last changed: the taxonomy only changes with a
 * migration, so the time the latest migration was applied.
 */
export async function servicesChangedAt(db: Queryable): Promise<Date> {
  const { rows } = await db.query<{ at: Date | null }>('SELECT max(applied_at) AS at FROM schema_migrations');
  return rows[0]?.at ?? new Date(0);
}
