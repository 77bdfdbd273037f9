// Photos stored by content hash behind a small interface: local disk under DATA_DIR
// (photos.storage-local.ts) or S3-compatible object storage shared by every app process
// (photos.storage-s3.ts), chosen by PHOTO_STORE. Both serve through the app (photos.routes.ts),
// so the public read model decides what is reachable whichever store holds the bytes.
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { localPhotoStorage } from './photos.storage-local';
import { s3PhotoStorage, type S3Settings } from './photos.storage-s3';

export type PhotoVariant = 'display' | 'thumbnail';
export const PHOTO_VARIANTS: readonly PhotoVariant[] = ['display', 'thumbnail'];

/** A stored variant opened for reading: the caller must consume or destroy `body`. */
export interface OpenedPhoto {
  body: Readable;
  /** Bytes in `body`. */
  length: number;
}

export interface PhotoStorage {
  /** Where the bytes are: for logs and the migration's progress. */
  readonly kind: 'local' | 's3';
  /** Stores both variants; true when the photo was new (so a failed insert may discard it). */
  put(hash: string, files: Record<PhotoVariant, Buffer>): Promise<boolean>;
  /**
   * After a failed insert: removes what the insert put, unless that cannot be done safely
   * (see each store). True if removed; false leaves the photo to the orphan sweep.
   */
  discard(hash: string, isReferenced: () => Promise<boolean>): Promise<boolean>;
  /** Removes both variants unconditionally (redaction). */
  remove(hash: string): Promise<void>;
  /**
   * For the orphan sweep, after the database found no reference: removes the photo unless it
   * was written (or put again) since `before`, asking the store itself once more.
   */
  removeIfOlderThan(hash: string, before: Date): Promise<boolean>;
  /** A variant's bytes as a stream, or undefined if it is not stored. */
  open(hash: string, variant: PhotoVariant): Promise<OpenedPhoto | undefined>;
  /** Every stored hash with the time it was last written (or put again). */
  list(): AsyncIterable<{ hash: string; writtenAt: Date }>;
  /** Partial writes left by a process that died mid-upload (object stores have none). */
  removeTempFilesBefore(before: Date): Promise<void>;
}

/**
 * How long an upload may take from putting a photo to committing its row, with room to spare.
 * The local store remembers its puts this long; the orphan sweep leaves photos this young alone.
 */
export const PUT_MEMORY_MS = 60 * 60 * 1000;

/** Where a variant lives, relative to DATA_DIR/photos or to the bucket's `photos/` prefix. */
export function photoPath(hash: string, variant: PhotoVariant): string {
  return `${hash.slice(0, 2)}/${variant === 'display' ? `${hash}.jpg` : `${hash}.thumb.jpg`}`;
}

/** `ab/<hash>.jpg` or `ab/<hash>.thumb.jpg` → the hash; anything else → undefined. */
export function hashOfPhotoPath(relative: string): string | undefined {
  const match = /^([0-9a-f]{2})\/([0-9a-f]{64})(?:\.thumb)?\.jpg$/.exec(relative);
  return match?.[2]?.startsWith(match[1] ?? '') ? match[2] : undefined;
}

/** A variant's bytes in memory (redaction, migration), or undefined if it is not stored. */
export async function readPhoto(
  storage: PhotoStorage,
  hash: string,
  variant: PhotoVariant,
): Promise<Buffer | undefined> {
  const opened = await storage.open(hash, variant);
  return opened ? buffer(opened.body) : undefined;
}

export type PhotoStoreConfig = { photoStore: 'local' | 's3'; dataDir: string; s3: S3Settings | undefined };

/** The store the configuration names (server/config.ts has checked that S3 settings exist). */
export function photoStorageFrom(config: PhotoStoreConfig): PhotoStorage {
  if (config.photoStore === 'local') return localPhotoStorage(config.dataDir);
  if (!config.s3) throw new Error('PHOTO_STORE=s3 needs S3_BUCKET');
  return s3PhotoStorage(config.s3);
}

export { localPhotoStorage, type LocalPhotoStorage } from './photos.storage-local';
export { s3PhotoStorage, type S3Settings } from './photos.storage-s3';
