// Imports a coordinator's districts for the public statistics (npm run areas:import,
// docs/STATS.md): all or nothing, in one transaction, each geometry mended where PostGIS can.
import type pg from 'pg';
import { withTransaction } from '../../db/transaction';
import * as repo from './areas.repo';
import { AreasFileError, type AreaInput } from './areas.read';

export interface AreasImportSummary {
  imported: number;
  /** Areas whose geometry was invalid and was mended (ST_MakeValid). */
  mended: number[];
  /** Areas there before and deleted (--replace). */
  replaced: number;
  total: number;
}

export async function importAreas(
  pool: pg.Pool,
  areas: AreaInput[],
  opts: { replace?: boolean; onProgress?: (done: number) => void } = {},
): Promise<AreasImportSummary> {
  return withTransaction(pool, async (client) => {
    const replaced = opts.replace ? await repo.deleteAll(client) : 0;
    const mended: number[] = [];
    let done = 0;
    for (const area of areas) {
      let stored: repo.StoredArea;
      try {
        stored = await repo.insertArea(client, area);
      } catch (err) {
        // PostGIS's own words (a ring not closed, too few points) say what is wrong; the feature says where.
        throw new AreasFileError(`feature ${area.feature} ("${area.name}"): ${(err as Error).message}`);
      }
      if (stored.empty) {
        throw new AreasFileError(
          `feature ${area.feature} ("${area.name}"): no area is left once its geometry is mended`,
        );
      }
      if (stored.mended) mended.push(area.feature);
      opts.onProgress?.(++done);
    }
    return { imported: areas.length, mended, replaced, total: await repo.countAreas(client) };
  });
}
