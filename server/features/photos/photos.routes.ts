import { Router } from 'express';
import type { PhotoStorage } from './photos.storage';

const PHOTO_PATH = /^([0-9a-f]{64})(\.thumb)?\.jpg$/;

/** Photos are named by their content hash, so a URL's bytes never change: cache for a year. */
export function photosRouter(storage: PhotoStorage): Router {
  const router = Router();
  router.get('/photos/:name', async (req, res, next) => {
    const match = PHOTO_PATH.exec(req.params.name);
    const file = match?.[1] ? await storage.locate(match[1], match[2] ? 'thumbnail' : 'display') : undefined;
    if (!file) return next();
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.sendFile(file, {
      headers: { 'Content-Type': 'image/jpeg', 'Content-Disposition': 'inline' },
      maxAge: '365d',
      immutable: true,
    });
  });
  return router;
}
