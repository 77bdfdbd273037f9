// npm run photos:migrate -- --to s3|local [--delete-source]
//
// Copies every stored photo (both variants) from the other store to the one named by --to:
// from DATA_DIR/photos to the S3 bucket (S3_* settings, docs/DEPLOY.md#photos) or back. Safe
// to run again: a photo already in the target (same name, same sizes: names are content hashes) is skipped, so an interrupted
// run resumes where it stopped. Each new copy is read back and compared by SHA-256 before it
// counts. The source is kept unless --delete-source is given (and then only once the copy is
// verified). No database is opened: every stored photo is copied, referenced or not (the
// target's orphan sweep takes the unreferenced ones later, once they are PUT_MEMORY_MS old).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { loadConfig, type Config } from '../server/config';
import { checkBucket } from '../server/features/photos/photos.storage-s3';
import {
  localPhotoStorage,
  PHOTO_VARIANTS,
  readPhoto,
  s3PhotoStorage,
  type PhotoStorage,
  type PhotoVariant,
} from '../server/features/photos/photos.storage';

const USAGE = 'usage: npm run photos:migrate -- --to s3|local [--delete-source]';

export interface MigrationSummary {
  /** Photos found in the source. */
  total: number;
  copied: number;
  /** Already in the target with the same bytes. */
  alreadyThere: number;
  /** A thumbnail without its display variant (a crash mid-upload): nothing worth copying. */
  incomplete: number;
  /** Removed from the source after a verified copy (--delete-source). */
  deleted: number;
}

export interface MigrationOptions {
  from: PhotoStorage;
  to: PhotoStorage;
  deleteSource?: boolean;
  /** Called after each photo with the counts so far. */
  progress?: (done: number, total: number) => void;
}

const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/** Both variants in the target, of the same sizes: names are content hashes, so already copied. */
async function alreadyInTarget(to: PhotoStorage, hash: string, files: Record<PhotoVariant, Buffer>): Promise<boolean> {
  for (const variant of PHOTO_VARIANTS) {
    const stored = await to.open(hash, variant);
    stored?.body.destroy();
    if (stored?.length !== files[variant].length) return false;
  }
  return true;
}

/** Reads the copy back: every byte must match before the original may go. */
async function verifiedInTarget(to: PhotoStorage, hash: string, files: Record<PhotoVariant, Buffer>): Promise<boolean> {
  for (const variant of PHOTO_VARIANTS) {
    const stored = await readPhoto(to, hash, variant);
    if (!stored || sha256(stored) !== sha256(files[variant])) return false;
  }
  return true;
}

export async function migratePhotos(opts: MigrationOptions): Promise<MigrationSummary> {
  const { from, to } = opts;
  // Listed first, so progress has a total and removing sources does not disturb the listing.
  const hashes: string[] = [];
  for await (const { hash } of from.list()) hashes.push(hash);
  const summary: MigrationSummary = { total: hashes.length, copied: 0, alreadyThere: 0, incomplete: 0, deleted: 0 };
  for (const [index, hash] of hashes.entries()) {
    const display = await readPhoto(from, hash, 'display');
    const thumbnail = await readPhoto(from, hash, 'thumbnail');
    if (!display || !thumbnail) {
      summary.incomplete++;
    } else {
      const files = { display, thumbnail };
      // Sizes are enough to skip a copy, not to delete an original: before deleting, every byte
      // of a copy found there is read back and compared too.
      const there = opts.deleteSource
        ? await verifiedInTarget(to, hash, files)
        : await alreadyInTarget(to, hash, files);
      if (there) {
        summary.alreadyThere++;
      } else {
        // Whatever is there differs (a copy cut short): replaced whole, since put keeps an
        // existing photo as it is.
        await to.remove(hash);
        await to.put(hash, files);
        if (!(await verifiedInTarget(to, hash, files))) {
          throw new Error(`photo ${hash}: the copy in the ${to.kind} store does not match the original`);
        }
        summary.copied++;
      }
      if (opts.deleteSource) {
        await from.remove(hash);
        summary.deleted++;
      }
    }
    opts.progress?.(index + 1, hashes.length);
  }
  return summary;
}

/**
 * Before copying anything: a source directory that is not there (DATA_DIR unset or wrong) would
 * "copy" 0 photos and exit 0, and the switch to the bucket would then lose every photo; a
 * bucket that is not there or not reachable gets the app's own start-up message.
 */
export async function checkMigration(config: Pick<Config, 'dataDir' | 's3'>, to: 's3' | 'local'): Promise<void> {
  if (!config.s3) throw new Error('S3_BUCKET (and the other S3_* settings, docs/DEPLOY.md#photos) must be set');
  const photosDir = path.join(config.dataDir, 'photos');
  if (to === 's3' && !fs.existsSync(photosDir)) {
    throw new Error(
      `DATA_DIR=${config.dataDir}: there is no photos directory (${photosDir}) to copy from; ` +
        "set DATA_DIR to the app's data directory",
    );
  }
  await checkBucket(config.s3);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { to: { type: 'string' }, 'delete-source': { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.to !== 's3' && values.to !== 'local') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  await checkMigration(config, values.to);
  const s3 = config.s3!;
  const photosDir = path.join(config.dataDir, 'photos');
  const local = localPhotoStorage(config.dataDir);
  const bucket = s3PhotoStorage(s3);
  const [from, to] = values.to === 's3' ? [local, bucket] : [bucket, local];
  process.stderr.write(
    `Copying photos from ${from === local ? photosDir : `bucket ${s3.bucket}`} ` +
      `to ${to === local ? photosDir : `bucket ${s3.bucket}`}` +
      `${values['delete-source'] ? ', deleting each original once its copy is verified' : ''}\n`,
  );
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'Copying {bar} {percentage}% | {value}/{total} photos | ETA {eta_formatted}',
    barsize: 30,
    fps: 5,
    hideCursor: true,
    // Not a terminal (a log, CI): a plain progress line every few seconds.
    noTTYOutput: true,
    notTTYSchedule: 3000,
  });
  let started = false;
  try {
    const summary = await migratePhotos({
      from,
      to,
      deleteSource: values['delete-source'],
      progress(done, total) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
    });
    bar.stop();
    process.stdout.write(
      `${summary.total} ${summary.total === 1 ? 'photo' : 'photos'}: ${summary.copied} copied, ${summary.alreadyThere} already there, ` +
        `${summary.incomplete} incomplete (skipped), ${summary.deleted} originals deleted.\n`,
    );
    return 0;
  } finally {
    bar.stop();
    bucket.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`\nphotos:migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
