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
  /** Citizens' answers to "Is it really fixed?" given in the period (issue 16). */
  fix_checks: {
    by_team: { team_id: number | null; team: string | null; fixed: number; not_fixed: number; share: number | null }[];
    /** Empty while no areas are imported. */
    by_area: { area_id: number | null; name: string | null; fixed: number; not_fixed: number; share: number | null }[];
  };
}

/** The share of "fixed" among the answers, to three decimals; null without answers. */
const share = (c: repo.FixCheckCount) =>
  c.fixed + c.notFixed === 0 ? null : Math.round((c.fixed / (c.fixed + c.notFixed)) * 1000) / 1000;

export async function overview(pool: pg.Pool, days: number): Promise<Overview> {
  // One after another: the embedded database answers one query at a time anyway.
  const bounds = await repo.periodBounds(pool, days);
  const byCategory = await repo.createdByCategoryStatus(pool, days);
  const bySource = await repo.createdBySource(pool, days);
  const perDay = await repo.perDay(pool, days);
  const hours = await repo.medianHoursToResolve(pool, days);
  const byTeam = await repo.fixChecksByTeam(pool, days);
  const byArea = await repo.fixChecksByArea(pool, days);
  const resolved = perDay.reduce((n, d) => n + d.resolved, 0);
  return {
    period: { days, ...bounds },
    by_category: byCategory,
    by_source: bySource,
    per_day: perDay,
    created: perDay.reduce((n, d) => n + d.created, 0),
    resolved,
    median_hours_to_resolve: resolved === 0 || hours === null ? null : Math.round(hours * 10) / 10,
    fix_checks: {
      by_team: byTeam.map((r) => ({
        team_id: r.teamId,
        team: r.team,
        fixed: r.fixed,
        not_fixed: r.notFixed,
        share: share(r),
      })),
      by_area: byArea.map((r) => ({
        area_id: r.areaId,
        name: r.name,
        fixed: r.fixed,
        not_fixed: r.notFixed,
        share: share(r),
      })),
    },
  };
}
