// The built client (Vite, dist/client): the citizen app at /, a report's page at /reports/{id}.
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

export const CLIENT_DIR = path.resolve(__dirname, '../../../dist/client');

export function pagesRouter(clientDir = CLIENT_DIR): Router {
  const router = Router();
  const page = (name: string) => path.join(clientDir, name);
  const sendPage =
    (name: string): express.RequestHandler =>
    (_req, res) => {
      if (!fs.existsSync(page(name))) {
        res
          .status(503)
          .type('text/plain')
          .send('The web app is not built yet. Run "npm run build:client" (npm start does it for you).');
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(page(name));
    };
  router.get('/', sendPage('index.html'));
  router.get('/reports/:id', sendPage('report.html'));
  router.get(['/dashboard', '/dashboard/*rest'], sendPage('dashboard.html'));
  router.get('/responder', sendPage('responder.html'));
  router.get(['/volunteer', '/volunteer/join'], sendPage('volunteer.html'));
  router.get('/data', sendPage('data.html'));
  router.get('/stats', sendPage('stats.html'));
  // Vite names assets by content hash, so they never change under one URL. No directory is
  // served, so no redirect to one either (`/photos/..` would answer 301 to `/photos/../`).
  router.use(
    '/assets',
    express.static(path.join(clientDir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      fallthrough: true,
      redirect: false,
    }),
  );
  router.use(express.static(clientDir, { index: false, maxAge: '1h', redirect: false }));
  return router;
}
