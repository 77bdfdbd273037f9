// The citizen app's first-load JavaScript, as the build's own check counts it
// (scripts/check-bundle.ts); builds the client first when there is no build yet.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface BundleResult {
  budgetGzip: number;
  pages: { page: string; firstLoadGzip: number }[];
}

const ROOT = path.resolve(__dirname, '..');

export function measureBundle(log: (line: string) => void): BundleResult {
  if (!fs.existsSync(path.join(ROOT, 'dist/client/.vite/manifest.json'))) {
    log('Building the web app to measure its JavaScript…');
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'scripts/check-bundle.ts'), '--json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as BundleResult;
}
