// npm run import -- FILE [--format geojson|csv|ushahidi|sidewalk] [--mapping map.json] [--dry-run]
//
// Brings reports from another tool into the configured database (DATABASE_URL, or the embedded
// one under DATA_DIR — stop the app first): a GeoJSON FeatureCollection or sequence (Wegfrei's
// own export included), a CSV with latitude/longitude columns, Ushahidi's CSV export, Project
// Sidewalk's labels. Every record goes through the rules of a web report; running the same file
// again adds nothing. docs/IMPORTS.md.
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { createTaxonomy } from '../server/features/categories/categories.service';
import { emptyMapping, MappingError, parseMapping } from '../server/features/imports/imports.mapping';
import { detectFormat, ImportFileError, readRecords } from '../server/features/imports/imports.read';
import { IMPORT_FORMATS, type ImportFormat } from '../server/features/imports/imports.rows';
import { describeSummary, importRecords } from '../server/features/imports/imports.service';
import { photoStorageFrom } from '../server/features/photos/photos.storage';
import { reconcileHelpGrid } from '../server/features/reports/reports.service';
import { inProcessBus, postgresBus } from '../server/live/bus';
import { createLogger } from '../server/logger';
import { exitWithUsage } from './lib/command';

const USAGE =
  'usage: npm run import -- FILE [--format geojson|csv|ushahidi|sidewalk] [--mapping map.json] [--dry-run] [--all-refusals]';
/** Refused rows listed one by one before "… and N more", unless --all-refusals. */
const ROW_LIMIT = 50;

function parseCli() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        mapping: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'all-refusals': { type: 'boolean', default: false },
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
  if (values.format && !IMPORT_FORMATS.includes(values.format as ImportFormat)) {
    exitWithUsage(`--format must be one of ${IMPORT_FORMATS.join(', ')}\n${USAGE}`);
  }
  return {
    file: positionals[0]!,
    format: values.format as ImportFormat | undefined,
    mapping: values.mapping,
    dryRun: values['dry-run'],
    allRefusals: values['all-refusals'],
  };
}

/**
 * UTF-8, or else Windows-1252: German and French Excel save "CSV" in it, and read as UTF-8 its
 * "Länge" header is "L\uFFFDnge" and no longitude column is found. Said, so nobody wonders.
 */
function decodeText(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    process.stderr.write(`${file}: not UTF-8; read as Windows-1252 (Excel's "CSV"; "CSV UTF-8" avoids the guess)\n`);
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

async function main(): Promise<number> {
  const args = parseCli();
  // The file first: a file that cannot be read is said before the database is opened.
  const text = decodeText(await fs.readFile(args.file), args.file);
  const mappingText = args.mapping ? await fs.readFile(args.mapping, 'utf8') : undefined;
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 2);
  const db = await openDatabase(config, logger);
  const events = config.databaseUrl ? postgresBus(config.databaseUrl, db.pool, logger) : inProcessBus();
  try {
    await migrate(db.pool, logger);
    // Help requests are cut with this grid; record it as the server would (a dry run writes nothing).
    if (!args.dryRun) await reconcileHelpGrid(db.pool, config.helpGridM);
    const taxonomy = createTaxonomy(db.pool);
    const categories = await taxonomy.all();
    const mapping = mappingText ? parseMapping(mappingText, categories) : emptyMapping();
    const format = args.format ?? detectFormat(text, mapping);
    const records = readRecords(text, format, categories, mapping);
    process.stderr.write(
      `${args.file}: ${format}, ${records.length} records${args.dryRun ? ' (dry run: nothing is stored)' : ''}\n`,
    );
    const bar = new SingleBar({
      stream: process.stderr,
      format: `${args.dryRun ? 'Checking' : 'Importing'} {bar} {percentage}% | {value}/{total} records | ETA {eta_formatted}`,
      barsize: 30,
      fps: 5,
      hideCursor: true,
      // Not a terminal (a log, CI): a plain progress line every few seconds.
      noTTYOutput: true,
      notTTYSchedule: 3000,
    });
    bar.start(records.length, 0);
    const summary = await importRecords(
      {
        pool: db.pool,
        events,
        storage: photoStorageFrom(config),
        taxonomy,
        helpGridM: config.helpGridM,
        barrierModeration: config.barrierModeration,
      },
      records,
      {
        dryRun: args.dryRun,
        concurrency: db.kind === 'postgres' ? 4 : 1,
        onProgress: (done) => bar.update(done),
      },
    );
    bar.stop();
    process.stdout.write(`${describeSummary(summary, { rowLimit: args.allRefusals ? Infinity : ROW_LIMIT })}\n`);
    // "\"Stufen\" is not mapped" alone leaves a newcomer without the next step: say it and our codes.
    if (summary.byReason.unknown_category && format !== 'sidewalk') {
      process.stdout.write(
        `To take unknown categories, map their values to our codes in a mapping file's "categories" ` +
          `(--mapping map.json, docs/IMPORTS.md "The mapping file"), e.g. {"categories": {"Stufen": "steps"}}.\n` +
          `Our codes: ${categories.map((c) => c.code).join(', ')}.\n`,
      );
    }
    process.stdout.write(
      `${summary.seconds.toFixed(1)} s, ${Math.round(summary.records / Math.max(summary.seconds, 0.001))} records/s (${db.kind} database).\n`,
    );
    // Nothing taken and nothing already there: the file brought nothing, which a script should notice.
    return summary.taken + summary.alreadyImported > 0 ? 0 : 1;
  } finally {
    await events.close();
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A bad mapping or file is said in plain words; anything else with its stack, to be reported.
    // So is the embedded database held by the running app: the usual slip, with its remedy in the message.
    const known =
      err instanceof MappingError ||
      err instanceof ImportFileError ||
      (err as { code?: string }).code === 'ENOENT' ||
      (err instanceof Error && err.message.startsWith('the embedded database in '));
    const message = err instanceof Error ? (known ? err.message : (err.stack ?? err.message)) : String(err);
    process.stderr.write(`\nimport failed: ${message}\n`);
    process.exit(1);
  },
);
