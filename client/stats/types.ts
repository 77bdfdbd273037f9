/** The answer of GET /api/v1/stats (server/features/stats/stats.service.ts). */
export interface StatsCounts {
  open: number | null;
  resolved: number | null;
  median_days: number | null;
}

export interface AreaStats extends StatsCounts {
  area: string | null;
  name: string | null;
  kind: 'barrier' | 'help';
  suppressed: boolean;
}

export interface Stats {
  generated_at: string;
  filters: { since: string | null; until: string | null; kind: 'barrier' | 'help' | null };
  totals: StatsCounts;
  by_category: (StatsCounts & { category: string; kind: 'barrier' | 'help' })[];
  areas: { source: 'imported' | 'grid'; cell_deg: number | null; left_out: number; help_min_count: number };
  by_area: AreaStats[];
  over_time: {
    unit: 'week' | 'month';
    periods: { period: string; reported: number; resolved: number; median_days: number | null }[];
  };
}
