// Photos are named by their content hash. A photo is served to the public only while the
// public read model lists it (public_photos: published, of a public report whose words are
// published, and every other copy of the same bytes too), so hiding a photo or rejecting its
// report takes it off the web at once: public answers may be stored but must be revalidated
// every time (no-cache with an ETag, a 304 costs one indexed lookup), never kept for a year.
// Staff see the photos of the reports in their scope (a responder: their work), never cached.
import { Router } from 'express';
import type pg from 'pg';
import { staffOf } from '../../http/auth';
import { photosFrom } from '../reports/reports.repo';
import { seesEverything, staffScope, type Viewer } from '../triage/triage.scope';
import type { PhotoStorage } from './photos.storage';

const PHOTO_PATH = /^([0-9a-f]{64})(\.thumb)?\.jpg$/;

async function isPublic(pool: pg.Pool, hash: string): Promise<boolean> {
  const { rowCount } = await pool.query(`SELECT 1 FROM ${photosFrom('public')} WHERE p.hash = $1 LIMIT 1`, [hash]);
  return (rowCount ?? 0) > 0;
}

/** Whether the photo belongs to a report in the staff member's scope (a responder's work only). */
async function inScope(pool: pg.Pool, hash: string, viewer: Viewer): Promise<boolean> {
  if (seesEverything(viewer)) return true;
  const params: unknown[] = [hash];
  const scope = staffScope(viewer, (v) => `$${params.push(v)}`);
  const { rowCount } = await pool.query(
    `SELECT 1 FROM photos p JOIN reports r ON r.id = p.report_id WHERE p.hash = $1 AND ${scope} LIMIT 1`,
    params,
  );
  return (rowCount ?? 0) > 0;
}

export function photosRouter(storage: PhotoStorage, reads: pg.Pool): Router {
  const router = Router();
  router.get('/photos/:name', async (req, res, next) => {
    const match = PHOTO_PATH.exec(req.params.name);
    const hash = match?.[1];
    if (!hash) return next();
    const thumbnail = Boolean(match[2]);
    const open = await isPublic(reads, hash);
    const staff = staffOf(res)?.user;
    if (!open && !(staff && (await inScope(reads, hash, staff)))) return next();
    const file = await storage.locate(hash, thumbnail ? 'thumbnail' : 'display');
    if (!file) return next();
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', open ? 'public, no-cache' : 'private, no-store');
    // The bytes of a name never change: the name is a strong validator.
    res.setHeader('ETag', `"${hash}${thumbnail ? '.thumb' : ''}"`);
    if (open && req.fresh) return void res.status(304).end();
    res.sendFile(file, {
      headers: { 'Content-Type': 'image/jpeg', 'Content-Disposition': 'inline' },
      etag: false,
      lastModified: false,
      cacheControl: false,
      // The path is ours (DATA_DIR/photos/ab/<hash>.jpg), not the request's: a DATA_DIR under a
      // dot-directory (~/.wegfrei) must not make every photo a 404.
      dotfiles: 'allow',
    });
  });
  return router;
}
