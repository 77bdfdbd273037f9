// An export is written to a temporary file at the database's own speed and sent from there,
// so a client that reads slowly (or not at all) holds a file, never a database connection:
// the embedded database has only one, PostgreSQL's pool a handful. The file is unlinked as
// soon as it is open, so it vanishes however the request ends, even with the process killed.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import { AppError } from '../../http/errors';

export interface SpoolLimits {
  /** Where spool files go: the system's temporary directory (TMPDIR) unless told. */
  dir: string;
  /** The largest single export; a larger one is refused (413) and should be narrowed with filters. */
  maxBytes: number;
  /** All exports being spooled or sent at this moment, together. */
  maxTotalBytes: number;
  /** Disk space left to everything else: with less free, exports wait (503). */
  minFreeBytes: number;
}

const MiB = 1024 * 1024;
export const SPOOL_DEFAULTS: SpoolLimits = {
  dir: os.tmpdir(),
  // A million reports are ~700 MB of GeoJSON (docs/BENCHMARKS.md).
  maxBytes: 2048 * MiB,
  maxTotalBytes: 4096 * MiB,
  minFreeBytes: 1024 * MiB,
};

const RETRY_AFTER_S = 30;

export const exportBusy = (detail: string) =>
  new AppError(503, 'export_busy', 'Exports busy', detail, [], { 'Retry-After': String(RETRY_AFTER_S) });

export const exportTooLarge = (maxBytes: number) =>
  new AppError(
    413,
    'export_too_large',
    'Export too large',
    `This export would be larger than ${Math.floor(maxBytes / MiB)} MB; narrow it with bbox, datetime, category, kind, status or severity.`,
  );

/** The bytes every export of one router holds on disk, spooling or being read out. */
export class SpoolBudget {
  private used = 0;
  constructor(readonly limits: SpoolLimits) {}

  take(bytes: number): void {
    if (this.used + bytes > this.limits.maxTotalBytes) {
      throw exportBusy('Many large exports are being prepared at once; please try again in a minute.');
    }
    this.used += bytes;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }
}

/** Counts what passes against the export's and the router's limits; fails the pipeline when over. */
class Metered extends Transform {
  bytes = 0;
  constructor(private readonly budget: SpoolBudget) {
    super();
  }
  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    const length = Buffer.byteLength(chunk);
    if (this.bytes + length > this.budget.limits.maxBytes) return done(exportTooLarge(this.budget.limits.maxBytes));
    try {
      this.budget.take(length);
    } catch (err) {
      return done(err as Error);
    }
    this.bytes += length;
    done(null, chunk);
  }
}

export interface Spool {
  /** The end of the writing pipeline: counts, then writes to the file. */
  meter: Transform;
  /** The file, to write once from its start; the stream closes it. */
  writer(): Writable;
  /** The bytes written so far. */
  size(): number;
  /** Reads the file from its start; call once, after writing has finished; the stream closes it. */
  read(): Readable;
  /** Closes what the streams have not (the space is freed) and gives the bytes back to the budget. */
  close(): Promise<void>;
}

/** A fresh, already unlinked spool file, or a 503 when the disk is nearly full. */
export async function openSpool(budget: SpoolBudget): Promise<Spool> {
  const { dir, minFreeBytes } = budget.limits;
  const disk = await fs.statfs(dir);
  if (disk.bavail * disk.bsize < minFreeBytes) {
    throw exportBusy('The server is short of disk space for exports; please try again later.');
  }
  const name = path.join(dir, `wegfrei-export-${crypto.randomUUID()}.tmp`);
  // One handle to write and one to read, each closed by its stream when that ends.
  const writing = await fs.open(name, 'wx', 0o600);
  const reading = await fs.open(name, 'r').catch(async (err: unknown) => {
    await writing.close();
    await fs.rm(name, { force: true });
    throw err;
  });
  // Where an open file cannot be unlinked (Windows), it is unlinked once closed instead.
  const unlinked = await fs.unlink(name).then(
    () => true,
    () => false,
  );
  const meter = new Metered(budget);
  let closed = false;
  return {
    meter,
    writer: () => writing.createWriteStream(),
    size: () => meter.bytes,
    read: () => reading.createReadStream({ start: 0 }),
    async close() {
      if (closed) return;
      closed = true;
      budget.give(meter.bytes);
      // Closing again what a stream has closed is a no-op.
      await Promise.all([writing.close(), reading.close()]);
      if (!unlinked) await fs.rm(name, { force: true });
    },
  };
}
