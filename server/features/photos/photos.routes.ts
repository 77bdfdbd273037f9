// Photos are named by their content hash. A photo is served to the public only while the
// public read model lists it (public_photos: published, of a public report whose words are
// published, and every other copy of the same bytes too), so hiding a photo or rejecting its
// report takes it off the web at once: public answers may be stored but must be revalidated
// every time (no-cache with an ETag, a 304 costs one indexed lookup), never kept for a year.
// Staff see the photos of the reports in their scope (a responder: their work), never cached.
import { pipeline } from 'node:stream/promises';
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
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', open ? 'public, no-cache' : 'private, no-store');
    // The bytes of a name never change: the name is a strong validator, and a revalidation
    // is answered without reading the store at all.
    res.setHeader('ETag', `"${hash}${thumbnail ? '.thumb' : ''}"`);
    if (open && req.fresh) return void res.status(304).end();
    const photo = await storage.open(hash, thumbnail ? 'thumbnail' : 'display');
    if (!photo) {
      for (const name of ['X-Content-Type-Options', 'Cache-Control', 'ETag']) res.removeHeader(name);
      return next();
    }
    res.setHeader('Content-Type', 'image/jpeg');
    res.setHeader('Content-Disposition', 'inline');
    res.setHeader('Content-Length', String(photo.length));
    if (req.method === 'HEAD') {
      photo.body.destroy();
      return void res.end();
    }
    // Streamed from disk or the bucket alike; a client that goes away closes the store's
    // stream too (pipeline destroys both ends).
    try {
      await pipeline(photo.body, res);
    } catch (err) {
      if (!res.headersSent) throw err;
      res.destroy();
    }
  });
  return router;
}
