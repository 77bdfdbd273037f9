/**
 * Builds the citizen app's service worker (client/citizen/sw.ts) as /sw.js and writes into
 * it the list of files to cache and a version: a hash of their contents. Any change to the
 * citizen pages therefore changes sw.js, which is how browsers notice an update.
 *
 * The list follows Vite's manifest from the given pages through every static and dynamic
 * import (so lazy parts like other languages and the outbox are there offline), plus the
 * public files (web manifest, icons). The staff apps' files are not in it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Manifest, Plugin } from 'vite';

export interface ServiceWorkerOptions {
  /** The worker's source, relative to Vite's root. */
  entry: string;
  /** URL → page in Vite's manifest (relative to the root), e.g. { '/': 'index.html' }. */
  pages: Record<string, string>;
}

const PLACEHOLDER = '__WEGFREI_SW_BUILD__';
const OUTPUT = 'sw.js';

function publicFiles(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return publicFiles(full, base);
    return entry.name === OUTPUT ? [] : [`/${path.relative(base, full).split(path.sep).join('/')}`];
  });
}

function reachable(manifest: Manifest, start: string, files: Set<string>, seen = new Set<string>()): void {
  const chunk = manifest[start];
  if (!chunk || seen.has(start)) return;
  seen.add(start);
  files.add(`/${chunk.file}`);
  for (const f of [...(chunk.css ?? []), ...(chunk.assets ?? [])]) files.add(`/${f}`);
  for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])])
    reachable(manifest, next, files, seen);
}

export function serviceWorker(opts: ServiceWorkerOptions): Plugin {
  let outDir = '';
  let publicDir = '';
  return {
    name: 'wegfrei-service-worker',
    apply: 'build',
    config(user) {
      const root = path.resolve(user.root ?? process.cwd());
      return {
        build: {
          manifest: true,
          rolldownOptions: {
            input: { sw: path.resolve(root, opts.entry) },
            output: {
              entryFileNames: (chunk) => (chunk.name === 'sw' ? OUTPUT : 'assets/[name]-[hash].js'),
            },
          },
        },
      };
    },
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
      publicDir = config.publicDir;
    },
    writeBundle(_options, bundle) {
      const asset = bundle['.vite/manifest.json'];
      if (!asset || asset.type !== 'asset') throw new Error('service worker: Vite wrote no manifest');
      const manifest = JSON.parse(String(asset.source)) as Manifest;

      const files = new Set<string>();
      for (const page of Object.values(opts.pages)) reachable(manifest, page, files);
      const swChunk = Object.values(manifest).find((c) => c.file === OUTPUT);
      if (swChunk) files.delete(`/${swChunk.file}`);
      for (const file of publicFiles(publicDir)) files.add(file);

      // Pages are cached under their URL ('/'), but hashed from their built HTML file.
      const hash = createHash('sha256');
      for (const [url, page] of Object.entries(opts.pages))
        hash.update(url).update(fs.readFileSync(path.join(outDir, page)));
      for (const file of [...files].sort()) hash.update(file).update(fs.readFileSync(path.join(outDir, file)));
      const build = { version: hash.digest('hex').slice(0, 16), precache: [...Object.keys(opts.pages), ...files] };

      const swPath = path.join(outDir, OUTPUT);
      const code = fs.readFileSync(swPath, 'utf8');
      if (code.split(PLACEHOLDER).length !== 2)
        throw new Error(`service worker: ${PLACEHOLDER} must occur once in ${OUTPUT}`);
      // A classic script: a service worker with imports would need { type: 'module' }.
      if (/^[\t ]*(?:import|export)\b/m.test(code))
        throw new Error(`service worker: ${OUTPUT} must not import or export`);
      // Escaped for any JS string literal: the value replaces text inside quotes.
      const literal = JSON.stringify(JSON.stringify(build)).slice(1, -1);
      fs.writeFileSync(swPath, code.replace(PLACEHOLDER, literal));
    },
  };
}
