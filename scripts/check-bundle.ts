/**
 * The citizen app's JavaScript budget (DESIGN.md: ≤ 120 KB gzip on first load), checked
 * after `vite build`. First load = each citizen page's entry chunk and every chunk it
 * imports statically (what the browser fetches before the page can run); what is imported
 * with import() loads later and is listed, not counted — except the language tables
 * (client/lib/locales/*): a visitor in another language needs one before the first screen,
 * so the largest is counted. Reads Vite's build manifest.
 *
 *   tsx scripts/check-bundle.ts          table; exit 1 when over budget
 *   tsx scripts/check-bundle.ts --json   the same as JSON (for npm run bench)
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Manifest } from 'vite';

const BUDGET_BYTES = 120 * 1000;
const PAGES = ['index.html', 'report.html'];
const dist = path.resolve(__dirname, '../dist/client');
const manifestPath = path.join(dist, '.vite/manifest.json');

if (!fs.existsSync(manifestPath)) {
  console.error(
    `check-bundle: ${path.relative(process.cwd(), manifestPath)} is missing; run "npm run build:client" first.`,
  );
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
const gzipSize = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;

interface Sized {
  file: string;
  gzip: number;
  language?: boolean;
}

function collect(key: string, follow: (chunk: Manifest[string]) => string[], seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(key)) return seen;
  seen.add(key);
  for (const next of follow(chunk)) collect(next, follow, seen);
  return seen;
}

const report = PAGES.filter((page) => manifest[page]).map((page) => {
  const first = collect(page, (c) => c.imports ?? []);
  const all = collect(page, (c) => [...(c.imports ?? []), ...(c.dynamicImports ?? [])]);
  const size = (keys: Iterable<string>): Sized[] =>
    [...keys].map((k) => ({ file: manifest[k]!.file, gzip: gzipSize(manifest[k]!.file) }));
  const isLanguage = (k: string) => /(^|\/)lib\/locales\//.test(manifest[k]!.src ?? '');
  const languages = size([...all].filter(isLanguage)).sort((a, b) => b.gzip - a.gzip);
  const firstLoad: Sized[] = [...size(first), ...languages.slice(0, 1).map((f) => ({ ...f, language: true }))];
  const counted = new Set(firstLoad.map((f) => f.file));
  const later = size([...all].filter((k) => !first.has(k))).filter((f) => !counted.has(f.file));
  return {
    page,
    firstLoadGzip: firstLoad.reduce((n, f) => n + f.gzip, 0),
    firstLoad,
    later,
  };
});

const print = (line: string) => process.stdout.write(`${line}\n`);
const over = report.filter((r) => r.firstLoadGzip > BUDGET_BYTES);
if (process.argv.includes('--json')) {
  print(JSON.stringify({ budgetGzip: BUDGET_BYTES, pages: report }, null, 2));
} else {
  const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
  for (const r of report) {
    print(`${r.page}: first-load JS ${kb(r.firstLoadGzip)} gzip (budget ${kb(BUDGET_BYTES)})`);
    for (const f of r.firstLoad)
      print(`  ${kb(f.gzip).padStart(9)}  ${f.file}${f.language ? '  (largest language table)' : ''}`);
    for (const f of r.later) print(`  ${kb(f.gzip).padStart(9)}  ${f.file}  (loaded later)`);
  }
}
if (report.length === 0) {
  console.error('check-bundle: no citizen page in the build manifest');
  process.exit(2);
}
if (over.length) {
  console.error(`check-bundle: over budget: ${over.map((r) => r.page).join(', ')}`);
  process.exit(1);
}
