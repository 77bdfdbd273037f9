// The numbers a coordinator reports upwards, all for one period: what was reported and where
// it stands now, the flow per day, and how long resolving took.
import type pg from 'pg';
import * as repo from './overview.repo';

export interface Overview {
  period: { days: number; from: string; to: string };
  /** Reports created in the period, by category and current status. */
  by_category: repo.CategoryStatusCount[];
  /** Reports created in the period, by channel (web, open311, sms, …); channels with none left out. */
  by_source: repo.SourceCount[];
  per_day: repo.DayCount[];
  /** Totals of per_day, so a client never shows an empty state beside a count. */
  created: number;
  resolved: number;
  /** Of the reports resolved in the period; null when none was. */
  median_hours_to_resolve: number | null;
}

export async function overview(pool: pg.Pool, days: number): Promise<Overview> {
  // One after another: the embedded database answers one query at a time anyway.
  const bounds = await repo.periodBounds(pool, days);
  const byCategory = await repo.createdByCategoryStatus(pool, days);
  const bySource = await repo.createdBySource(pool, days);
  const perDay = await repo.perDay(pool, days);
  const hours = await repo.medianHoursToResolve(pool, days);
  const resolved = perDay.reduce((n, d) => n + d.resolved, 0);
  return {
    period: { days, ...bounds },
    by_category: byCategory,
    by_source: bySource,
    per_day: perDay,
    created: perDay.reduce((n, d) => n + d.created, 0),
    resolved,
    median_hours_to_resolve: resolved === 0 || hours === null ? null : Math.round(hours * 10) / 10,
  };
}
