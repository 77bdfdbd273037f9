// npm run areas:import -- districts.geojson [--name-property NAME] [--replace]
//
// Brings a coordinator's districts into the configured database (DATABASE_URL, or the embedded
// one under DATA_DIR — stop the app first) for the public statistics (/stats): a GeoJSON
// FeatureCollection of Polygons and MultiPolygons in WGS 84. All or nothing; a wrong feature
// is named by its number. Without --replace the areas are added to those there (one with the
// same feature id replaced). docs/STATS.md.
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { AreasFileError, MAX_FILE_BYTES, readAreas } from '../server/features/areas/areas.read';
import { importAreas } from '../server/features/areas/areas.service';
import { createLogger } from '../server/logger';
import { exitWithUsage } from './lib/command';

const USAGE = 'usage: npm run areas:import -- FILE.geojson [--name-property NAME] [--replace]';

function parseCli() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        'name-property': { type: 'string' },
        replace: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    exitWithUsage(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (positionals.length !== 1) exitWithUsage(USAGE);
  return { file: positionals[0]!, nameProperty: values['name-property'], replace: values.replace };
}

async function main(): Promise<number> {
  const args = parseCli();
  // The file first: a file that cannot be read or used is said before the database is opened.
  const { size } = await fs.stat(args.file);
  if (size > MAX_FILE_BYTES) {
    throw new AreasFileError(
      `${args.file} is ${Math.round(size / 1e6)} MB, at most ${MAX_FILE_BYTES / 1024 / 1024} MB ` +
        `(simplify it: ogr2ogr -simplify 0.0001 out.geojson ${args.file})`,
    );
  }
  const { areas, nameProperty } = readAreas(await fs.readFile(args.file, 'utf8'), { nameProperty: args.nameProperty });
  process.stderr.write(`${args.file}: ${areas.length} areas, names from "${nameProperty}"\n`);
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 2);
  const db = await openDatabase(config, logger);
  try {
    await migrate(db.pool, logger);
    const bar = new SingleBar({
      stream: process.stderr,
      format: 'Importing {bar} {percentage}% | {value}/{total} areas | ETA {eta_formatted}',
      barsize: 30,
      fps: 5,
      hideCursor: true,
      // Not a terminal (a log, CI): a plain progress line every few seconds.
      noTTYOutput: true,
      notTTYSchedule: 3000,
    });
    bar.start(areas.length, 0);
    const summary = await importAreas(db.pool, areas, { replace: args.replace, onProgress: (n) => bar.update(n) });
    bar.stop();
    if (summary.mended.length) {
      const list = summary.mended.slice(0, 20).join(', ') + (summary.mended.length > 20 ? ', …' : '');
      process.stdout.write(`${summary.mended.length} invalid geometries mended (features ${list}).\n`);
    }
    process.stdout.write(
      `${summary.imported} areas imported${args.replace ? `, ${summary.replaced} replaced` : ''}; ` +
        `${summary.total} areas in the database (${db.kind}). /stats counts by them within a minute.\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A wrong file and the embedded database held by the running app are said in plain words.
    const known =
      err instanceof AreasFileError ||
      (err as { code?: string }).code === 'ENOENT' ||
      (err instanceof Error && err.message.startsWith('the embedded database in '));
    const message = err instanceof Error ? (known ? err.message : (err.stack ?? err.message)) : String(err);
    process.stderr.write(`\nareas:import failed: ${message}\n`);
    process.exit(1);
  },
);
