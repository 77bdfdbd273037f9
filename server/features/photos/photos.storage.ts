// Photos stored by content hash behind a small interface: local disk under DATA_DIR now,
// S3-compatible storage when a deployment outgrows one disk.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export type PhotoVariant = 'display' | 'thumbnail';

export interface PhotoStorage {
  /** Stores both variants; true when the files were new (so a failed insert may remove them). */
  put(hash: string, files: Record<PhotoVariant, Buffer>): Promise<boolean>;
  remove(hash: string): Promise<void>;
  /** Absolute file path of a variant, or undefined if it is not stored. */
  locate(hash: string, variant: PhotoVariant): Promise<string | undefined>;
  /** Every stored hash with the time its display file was written. */
  list(): AsyncIterable<{ hash: string; writtenAt: Date }>;
  /** Partial writes left by a process that died mid-upload. */
  removeTempFilesBefore(before: Date): Promise<void>;
}

const FILE_NAME = /^([0-9a-f]{64})\.jpg$/;

export function localPhotoStorage(dataDir: string): PhotoStorage {
  const root = path.join(dataDir, 'photos');
  const tmp = path.join(root, 'tmp');
  const fileOf = (hash: string, variant: PhotoVariant) =>
    path.join(root, hash.slice(0, 2), variant === 'display' ? `${hash}.jpg` : `${hash}.thumb.jpg`);

  async function writeAtomically(target: string, data: Buffer): Promise<void> {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.mkdir(tmp, { recursive: true });
    const temp = path.join(tmp, `${crypto.randomUUID()}.part`);
    await fs.writeFile(temp, data);
    await fs.rename(temp, target);
  }

  const exists = (file: string) =>
    fs.access(file).then(
      () => true,
      () => false,
    );

  return {
    async put(hash, files) {
      if (await exists(fileOf(hash, 'display'))) return false;
      // Thumbnail first: a display file is the marker that a photo is complete.
      await writeAtomically(fileOf(hash, 'thumbnail'), files.thumbnail);
      await writeAtomically(fileOf(hash, 'display'), files.display);
      return true;
    },
    async remove(hash) {
      await fs.rm(fileOf(hash, 'display'), { force: true });
      await fs.rm(fileOf(hash, 'thumbnail'), { force: true });
    },
    async locate(hash, variant) {
      const file = fileOf(hash, variant);
      return (await exists(file)) ? file : undefined;
    },
    async *list() {
      const dirs = await fs.readdir(root).catch(() => [] as string[]);
      for (const dir of dirs) {
        if (!/^[0-9a-f]{2}$/.test(dir)) continue;
        for (const name of await fs.readdir(path.join(root, dir))) {
          const match = FILE_NAME.exec(name);
          if (!match?.[1]) continue;
          const stat = await fs.stat(path.join(root, dir, name));
          yield { hash: match[1], writtenAt: stat.mtime };
        }
      }
    },
    async removeTempFilesBefore(before) {
      for (const name of await fs.readdir(tmp).catch(() => [] as string[])) {
        const file = path.join(tmp, name);
        const stat = await fs.stat(file).catch(() => undefined);
        if (stat && stat.mtime < before) await fs.rm(file, { force: true });
      }
    },
  };
}
