// SQL only: the public reports that GET requests lists, and the discovery changeset.
import { reportsFrom, selectReport, toReportRow, type Queryable, type ReportRow } from '../reports/reports.repo';
import { parameters, reportFilterTerms, whereClause } from '../reports/reports.filter';
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
  const params: unknown[] = [];
  const bind = parameters(params);
  const where = whereClause(
    reportFilterTerms(
      {
        ids: filter.ids,
        categories: filter.categories,
        statuses: filter.statuses,
        createdFrom: filter.start,
        createdTo: filter.end,
      },
      bind,
    ),
  );
  const { rows } = await db.query<Record<string, unknown>>(
    `${selectReport('public')} FROM ${reportsFrom('public')} WHERE ${where}
      ORDER BY r.id DESC LIMIT ${bind(filter.limit, 'bigint')} OFFSET ${bind(filter.offset, 'bigint')}`,
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
