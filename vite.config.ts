import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { serviceWorker } from './scripts/service-worker-plugin';

const root = resolve(__dirname, 'client');
const api = 'http://127.0.0.1:3000';

/**
 * In production the server answers /reports/{id} with report.html; the dev server needs the
 * same rewrite so the public page can be tried without the server's static handler.
 */
function reportPageRewrite(): Plugin {
  return {
    name: 'wegfrei-report-page-rewrite',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url && /^\/reports\/\d+\/?(\?.*)?$/.test(req.url)) req.url = '/report.html';
        next();
      });
    },
  };
}

export default defineConfig({
  root,
  // Absolute base: report.html is served from /reports/{id}, so relative asset URLs would break.
  base: '/',
  plugins: [
    reportPageRewrite(),
    // The citizen app's offline worker: /sw.js, caching '/' and the report page with their files.
    serviceWorker({ entry: 'citizen/sw.ts', pages: { '/': 'index.html', '/report.html': 'report.html' } }),
  ],
  build: {
    outDir: resolve(__dirname, 'dist/client'),
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      input: {
        index: resolve(root, 'index.html'),
        report: resolve(root, 'report.html'),
        dashboard: resolve(root, 'dashboard.html'),
        responder: resolve(root, 'responder.html'),
        volunteer: resolve(root, 'volunteer.html'),
        data: resolve(root, 'data.html'),
        stats: resolve(root, 'stats.html'),
      },
    },
  },
  server: {
    proxy: {
      '/api': api,
      '/photos': api,
      '/healthz': api,
      '/tiles': api,
      '/ogc': api,
      '/open311': api,
    },
  },
});
