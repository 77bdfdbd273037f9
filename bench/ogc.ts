// OGC API – Features as GIS clients read it: whole pages of 1000 at random offsets (OWSLib,
// ogc-client), CQL2-filtered pages in a view (GDAL's -where and -spat pushed to the server),
// and the first page of a filter never seen before, whose numberMatched is counted then
// (`ogrinfo -so`; later pages read the count from a cache).
import type http from 'node:http';
import { type Position, type QueryResult, benchGeoJson, viewport } from './tiles';

type Random = () => number;

export async function benchOgc(
  agent: http.Agent,
  base: string,
  positions: Position[],
  publicReports: number,
  rng: Random,
  log: (line: string) => void,
): Promise<{ pages: QueryResult; filtered: QueryResult; counted: QueryResult }> {
  const items = `${base}/ogc/collections/reports/items`;
  const maxOffset = Math.max(0, Math.min(100_000, publicReports - 1000));
  const pages = await benchGeoJson(
    agent,
    (r) => `${items}?limit=1000&offset=${Math.floor(r() * maxOffset)}`,
    20,
    rng,
    log,
  );
  log(`OGC pages: p95 ${pages.latency.p95.toFixed(1)} ms`);
  const since = new Date(Date.now() - 365 * 86_400_000).toISOString();
  const filtered = await benchGeoJson(
    agent,
    (r) => {
      const p = positions[Math.floor(r() * positions.length)]!;
      const filter = `(severity >= 2) AND (updated_at >= '${since}')`;
      return `${items}?limit=100&bbox=${viewport(p, 10)}&filter=${encodeURIComponent(filter)}&filter-lang=cql-text`;
    },
    50,
    rng,
    log,
  );
  log(`OGC filtered: p95 ${filtered.latency.p95.toFixed(1)} ms`);
  // A different view each time: a filter the count cache has not seen.
  const counted = await benchGeoJson(
    agent,
    (r) => {
      const p = positions[Math.floor(r() * positions.length)]!;
      return `${items}?limit=10&bbox=${viewport(p, 6 + Math.floor(r() * 4))}&severity=${1 + Math.floor(r() * 3)}`;
    },
    50,
    rng,
    log,
  );
  log(`OGC counted: p95 ${counted.latency.p95.toFixed(1)} ms`);
  return { pages, filtered, counted };
}
