// What is stored, read back: the reports carrying a test's marker, and the photo files they use.
import type { TestDatabase } from './database';
import { photoFiles } from './database';

export interface StoredReport {
  id: number;
  description: string;
  photos: number;
}

/**
 * The reports whose description starts with `marker`: straight from the database on a real
 * PostgreSQL, through the full GeoJSON export (one snapshot) on the embedded one.
 */
export async function storedReports(db: TestDatabase, baseUrl: string, marker: string): Promise<StoredReport[]> {
  if (db.pool) {
    const { rows } = await db.pool.query<StoredReport>(
      `SELECT r.id::int, r.description, (SELECT count(*)::int FROM photos p WHERE p.report_id = r.id) AS photos
         FROM reports r WHERE r.description LIKE $1 || '%' ORDER BY r.id`,
      [marker],
    );
    return rows;
  }
  const res = await fetch(`${baseUrl}/api/v1/exports/reports.geojson`);
  if (res.status !== 200) throw new Error(`export answered ${res.status}`);
  const collection = (await res.json()) as {
    features: { id: number; properties: { description: string | null; photos: unknown[] } }[];
  };
  return collection.features.flatMap((f) =>
    f.properties.description?.startsWith(marker)
      ? [{ id: f.id, description: f.properties.description, photos: f.properties.photos.length }]
      : [],
  );
}

/** Photo files on disk that no stored report uses (each photo is a display and a thumbnail file). */
export async function orphanFileCount(db: TestDatabase, baseUrl: string): Promise<number> {
  const all = await storedReports(db, baseUrl, '');
  const used = all.reduce((n, r) => n + r.photos * 2, 0);
  return photoFiles(db.dataDir).length - used;
}
