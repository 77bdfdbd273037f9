// An export is written to a temporary file at the database's own speed and sent from there,
// so a client that reads slowly (or not at all) holds a file, never a database connection:
// the embedded database has only one, PostgreSQL's pool a handful. The file is unlinked as
// soon as it is open, so it vanishes however the request ends, even with the process killed.
import crypto from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform, type TransformCallback, Writable } from 'node:stream';
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
  /**
   * The part of maxTotalBytes one client address's exports may hold together (0–1). Its oldest
   * export in progress may still grow to maxBytes alone, so one person can have the largest
   * export; further ones from that address get 503 past the share.
   */
  addressShare: number;
}

const MiB = 1024 * 1024;
export const SPOOL_DEFAULTS: SpoolLimits = {
  dir: os.tmpdir(),
  // A million reports are ~700 MB of GeoJSON (docs/BENCHMARKS.md).
  maxBytes: 2048 * MiB,
  maxTotalBytes: 4096 * MiB,
  minFreeBytes: 1024 * MiB,
  // 1 GB with the defaults: four addresses preparing exports at once never leave the rest nothing.
  addressShare: 0.25,
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

/** One export's place in the budget: the address it is for, and the bytes it holds. */
export interface SpoolHolding {
  owner: string;
  bytes: number;
}

/**
 * The bytes every export of one router holds on disk, spooling or being read out, and what
 * each client address's exports hold of it (like the uploads' shares, server/http/uploads.ts,
 * but counted as the file grows: an export's size is not known before it is written).
 */
export class SpoolBudget {
  private used = 0;
  /** Each address's exports in progress, oldest first. */
  private readonly owners = new Map<string, SpoolHolding[]>();
  constructor(readonly limits: SpoolLimits) {}

  /** What the exports of `owner` hold now; 0 once they are all closed. */
  heldBy(owner: string): number {
    return (this.owners.get(owner) ?? []).reduce((sum, h) => sum + h.bytes, 0);
  }

  open(owner: string): SpoolHolding {
    const holding = { owner, bytes: 0 };
    this.owners.set(owner, [...(this.owners.get(owner) ?? []), holding]);
    return holding;
  }

  take(holding: SpoolHolding, bytes: number): void {
    if (this.used + bytes > this.limits.maxTotalBytes) {
      throw exportBusy('Many large exports are being prepared at once; please try again in a minute.');
    }
    const mine = this.owners.get(holding.owner) ?? [];
    const share = this.limits.maxTotalBytes * this.limits.addressShare;
    if (mine[0] !== holding && this.heldBy(holding.owner) + bytes > share) {
      throw exportBusy(
        'Other exports from this network address are using its share of the server’s space for exports; please try again once they are done.',
      );
    }
    this.used += bytes;
    holding.bytes += bytes;
  }

  /** Gives back all the export holds and forgets it. */
  close(holding: SpoolHolding): void {
    this.used -= holding.bytes;
    holding.bytes = 0;
    const left = (this.owners.get(holding.owner) ?? []).filter((h) => h !== holding);
    if (left.length) this.owners.set(holding.owner, left);
    else this.owners.delete(holding.owner);
  }
}

/** Counts what passes against the export's, its address's and the router's limits; fails the pipeline when over. */
class Metered extends Transform {
  constructor(
    private readonly budget: SpoolBudget,
    private readonly holding: SpoolHolding,
  ) {
    super();
  }
  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    const length = Buffer.byteLength(chunk);
    const { maxBytes } = this.budget.limits;
    if (this.holding.bytes + length > maxBytes) return done(exportTooLarge(maxBytes));
    try {
      this.budget.take(this.holding, length);
    } catch (err) {
      return done(err as Error);
    }
    done(null, chunk);
  }
}

/** Writes to the file at the database's pace and tells a follower how far it got. */
class FileSink extends Writable {
  written = 0;
  finished = false;
  failure: Error | undefined;
  readonly progress = new EventEmitter();
  constructor(private readonly handle: fs.FileHandle) {
    super();
    this.progress.setMaxListeners(0);
    this.once('finish', () => this.settle());
    this.once('error', (err) => this.settle(err));
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.handle.write(chunk, 0, chunk.length, this.written).then(
      ({ bytesWritten }) => {
        this.written += bytesWritten;
        this.progress.emit('progress');
        done();
      },
      (err: Error) => done(err),
    );
  }
  /** Writing ended: completely, or with the error that stopped it (the database, the disk). */
  settle(err?: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = err;
    this.progress.emit('progress');
  }
}

/** Reads the file from its start as far as it is written, waiting for more until writing ends. */
class FileFollower extends Readable {
  private offset = 0;
  private pumping = false;
  constructor(
    private readonly handle: fs.FileHandle,
    private readonly sink: FileSink,
  ) {
    super();
  }
  override _read(): void {
    if (!this.pumping) void this.pump();
  }
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        const available = this.sink.written - this.offset;
        if (available > 0) {
          const buffer = Buffer.allocUnsafe(Math.min(available, 64 * 1024));
          const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.offset);
          this.offset += bytesRead;
          if (!this.push(buffer.subarray(0, bytesRead))) return;
          continue;
        }
        if (this.sink.finished) {
          if (this.sink.failure) this.destroy(this.sink.failure);
          else this.push(null);
          return;
        }
        await once(this.sink.progress, 'progress');
      }
    } catch (err) {
      this.destroy(err as Error);
    } finally {
      this.pumping = false;
    }
  }
}

export interface Spool {
  /** The end of the writing pipeline: counts, then writes to the file. */
  meter: Transform;
  /** The file, to write once from its start. */
  writer(): Writable;
  /** The bytes written so far. */
  size(): number;
  /** Whether writing has ended well (the size is then the file's). */
  complete(): boolean;
  /** Resolves once the file holds more than `bytes`, or writing has ended (well or not). */
  beyond(bytes: number): Promise<void>;
  /** Writing failed (the pipeline that fills the file reports its error here too). */
  fail(err: Error): void;
  /** Reads the file from its start as it is written, and ends (or fails) with the writing. */
  follow(): Readable;
  /** Closes what the streams have not (the space is freed) and gives the bytes back to the budget. */
  close(): Promise<void>;
}

/** A fresh, already unlinked spool file for a client address, or a 503 when the disk is nearly full. */
export async function openSpool(budget: SpoolBudget, owner: string): Promise<Spool> {
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
  const holding = budget.open(owner);
  const meter = new Metered(budget, holding);
  const sink = new FileSink(writing);
  let closed = false;
  return {
    meter,
    writer: () => sink,
    size: () => sink.written,
    complete: () => sink.finished && !sink.failure,
    async beyond(bytes) {
      while (sink.written <= bytes && !sink.finished) await once(sink.progress, 'progress');
    },
    fail: (err) => sink.settle(err),
    follow: () => new FileFollower(reading, sink),
    async close() {
      if (closed) return;
      closed = true;
      budget.close(holding);
      // Closing again what a stream has closed is a no-op.
      await Promise.all([writing.close(), reading.close()]);
      if (!unlinked) await fs.rm(name, { force: true });
    },
  };
}
