/**
 * The answer of GET /api/v1/stats: the server's own types, so the page and the API cannot drift
 * apart (type-only: nothing of the server reaches the bundle).
 */
export type { AreaStats, Stats, StatsCounts } from '../../server/features/stats/stats.service';
