// The public statistics (/stats, docs/STATS.md): open, resolved and median days to resolve,
// by category, by area and over time. An expensive read over every public report, so each
// answer is kept for a minute and computed once at a time: requests for the same filters
// while it runs wait for the same promise instead of starting their own.
import type pg from 'pg';
import { AppError } from '../../http/errors';
import * as repo from './stats.repo';
import type { StatsQuery } from './stats.schemas';

/** Help requests fewer than this in one area and field are shown as "fewer than 3" (null). */
export const HELP_MIN_COUNT = 3;
/** The grid's cell when no area is imported: 0.1° (about 11 km north–south), named by its centre. */
export const GRID_DEG = 0.1;
/** Grid cells listed at most (the busiest first), so a country-wide deployment stays readable. */
export const GRID_MAX_CELLS = 500;
/** How long one answer is kept; the page says its numbers may be this old. */
export const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 200;
/** Histories up to this many days are shown per week, longer ones per month. */
const WEEKLY_MAX_DAYS = 120;

export interface StatsCounts {
  open: number | null;
  resolved: number | null;
  median_days: number | null;
}

export interface AreaStats extends StatsCounts {
  /** An imported area's code (or its id when it has none), a grid cell's centre "lat,lon", or null: outside every area. */
  area: string | null;
  name: string | null;
  kind: 'barrier' | 'help';
  /** Help requests only: some count here was 1 or 2 and is null ("fewer than 3"). */
  suppressed: boolean;
}

export interface Stats {
  generated_at: string;
  filters: { since: string | null; until: string | null; kind: 'barrier' | 'help' | null };
  totals: StatsCounts;
  by_category: (StatsCounts & { category: string; kind: 'barrier' | 'help' })[];
  areas: {
    source: 'imported' | 'grid';
    /** The grid's cell size in degrees, when source is grid. */
    cell_deg: number | null;
    /** Grid cells left out beyond the busiest GRID_MAX_CELLS. */
    left_out: number;
    help_min_count: number;
  };
  by_area: AreaStats[];
  over_time: {
    unit: repo.PeriodUnit;
    periods: { period: string; reported: number; resolved: number; median_days: number | null }[];
  };
}

const counts = (c: repo.Counts): StatsCounts => ({ open: c.open, resolved: c.resolved, median_days: c.medianDays });

/**
 * A help count of 1 or 2 in one area would point at a person more than the totals do:
 * null instead, and its median with it (the median of one or two is their own days).
 */
function suppressHelp(row: StatsCounts & { kind: string }): { counts: StatsCounts; suppressed: boolean } {
  if (row.kind !== 'help') return { counts: row, suppressed: false };
  const small = (n: number | null) => n !== null && n > 0 && n < HELP_MIN_COUNT;
  const open = small(row.open) ? null : row.open;
  const resolved = small(row.resolved) ? null : row.resolved;
  const median = resolved !== null && resolved >= HELP_MIN_COUNT ? row.median_days : null;
  return {
    counts: { open, resolved, median_days: median },
    suppressed: open === null || resolved === null,
  };
}

/** "52.55,13.35": a grid cell by its centre, to two decimals (the cell is 0.1°). */
const cellCode = (lat: number, lon: number) => `${lat.toFixed(2)},${lon.toFixed(2)}`;

/** The grid's cell: GRID_DEG, or coarser where the public help grid is coarser still. */
export const gridCellDeg = (helpGridM: number) =>
  Math.max(GRID_DEG, Math.ceil(helpGridM / 111_320 / GRID_DEG) * GRID_DEG);

async function areaStats(
  pool: pg.Pool,
  q: StatsQuery,
  helpGridM: number,
  budgetMs: number | undefined,
): Promise<{ areas: Stats['areas']; rows: AreaStats[] }> {
  const imported = await repo.listAreas(pool);
  const meta = { help_min_count: HELP_MIN_COUNT, left_out: 0 };
  if (imported.length) {
    const found = await repo.byArea(pool, q, budgetMs);
    const kinds = q.kind ? [q.kind] : (['barrier', 'help'] as const);
    const rows: AreaStats[] = [];
    // Every area is listed, with zeros where nothing was reported: an empty district is news too.
    for (const area of [...imported, null]) {
      for (const kind of kinds) {
        const row = found.find((r) => r.areaId === (area?.id ?? null) && r.kind === kind);
        if (!row && !area) continue;
        const { counts: c, suppressed } = suppressHelp({
          ...counts(row ?? { open: 0, resolved: 0, medianDays: null }),
          kind,
        });
        rows.push({
          area: area ? (area.code ?? String(area.id)) : null,
          name: area?.name ?? null,
          kind,
          ...c,
          suppressed,
        });
      }
    }
    return { areas: { source: 'imported', cell_deg: null, ...meta }, rows };
  }
  const cellDeg = gridCellDeg(helpGridM);
  const cells = await repo.byGridCell(pool, q, cellDeg, budgetMs);
  // The busiest cells (reports of both kinds together) first, at most GRID_MAX_CELLS of them.
  const totals = new Map<string, number>();
  for (const c of cells) {
    const code = cellCode(c.lat, c.lon);
    totals.set(code, (totals.get(code) ?? 0) + c.open + c.resolved);
  }
  const kept = new Set(
    [...totals.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, GRID_MAX_CELLS)
      .map(([code]) => code),
  );
  const rows = cells
    .filter((c) => kept.has(cellCode(c.lat, c.lon)))
    .map((c): AreaStats => {
      const { counts: shown, suppressed } = suppressHelp({ ...counts(c), kind: c.kind });
      return { area: cellCode(c.lat, c.lon), name: null, kind: c.kind, ...shown, suppressed };
    });
  return {
    areas: { source: 'grid', cell_deg: Math.round(cellDeg * 1000) / 1000, ...meta, left_out: totals.size - kept.size },
    rows,
  };
}

async function compute(pool: pg.Pool, q: StatsQuery, helpGridM: number, budgetMs?: number): Promise<Stats> {
  // One after another: the embedded database answers one query at a time anyway.
  const category = await repo.byCategory(pool, q, budgetMs);
  const area = await areaStats(pool, q, helpGridM, budgetMs);
  const today = new Date().toISOString().slice(0, 10);
  const from = q.since ?? category.totals.firstDay ?? q.until ?? today;
  const to = q.until ?? today;
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  const unit: repo.PeriodUnit = days <= WEEKLY_MAX_DAYS ? 'week' : 'month';
  const periods = await repo.overTime(pool, q, unit, from, budgetMs);
  return {
    generated_at: new Date().toISOString(),
    filters: { since: q.since ?? null, until: q.until ?? null, kind: q.kind ?? null },
    totals: counts(category.totals),
    by_category: category.rows.map((r) => ({ category: r.category, kind: r.kind, ...counts(r) })),
    areas: area.areas,
    by_area: area.rows,
    over_time: {
      unit,
      periods: periods.map((p) => ({
        period: p.period,
        reported: p.reported,
        resolved: p.resolved,
        median_days: p.medianDays,
      })),
    },
  };
}

export interface StatsSource {
  get(q: StatsQuery): Promise<Stats>;
}

/** Computations waiting behind the one running: past this a new filter is a 503 to retry. */
const MAX_WAITING = 8;

export function createStats(opts: {
  pool: pg.Pool;
  helpGridM: number;
  /** The embedded database's statement budget (it has no statement_timeout). */
  budgetMs?: number;
  ttlMs?: number;
}): StatsSource {
  const ttl = opts.ttlMs ?? CACHE_TTL_MS;
  const cache = new Map<string, { at: number; value: Promise<Stats> }>();
  // One computation at a time across all filters: a client cycling through filters to miss the
  // cache queues its counts behind each other instead of running them side by side (on the
  // embedded database each holds the one connection everyone shares for a few hundred ms).
  let running: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  return {
    get(q) {
      const key = `${q.since ?? ''}|${q.until ?? ''}|${q.kind ?? ''}`;
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && now - hit.at < ttl) return hit.value;
      if (waiting >= MAX_WAITING) {
        return Promise.reject(
          new AppError(
            503,
            'busy',
            'Too many requests at once',
            'The statistics are being counted; please try again in 5 s.',
            [],
            {
              'Retry-After': '5',
            },
          ),
        );
      }
      if (cache.size >= CACHE_MAX_ENTRIES) {
        for (const [k, v] of cache) if (now - v.at >= ttl) cache.delete(k);
        // Still full of fresh answers: the oldest goes (a Map iterates in insertion order).
        if (cache.size >= CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      }
      waiting++;
      const value = running.then(() => {
        waiting--;
        return compute(opts.pool, q, opts.helpGridM, opts.budgetMs);
      });
      running = value.catch(() => undefined);
      const entry = { at: now, value };
      cache.set(key, entry);
      // A failure is not kept: the next request tries again.
      value.catch(() => {
        if (cache.get(key) === entry) cache.delete(key);
      });
      return value;
    },
  };
}
