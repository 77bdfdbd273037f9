// Photos stored by content hash behind a small interface: local disk under DATA_DIR now,
// S3-compatible storage when a deployment outgrows one disk.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export type PhotoVariant = 'display' | 'thumbnail';

export interface PhotoStorage {
  /** Stores both variants; true when the files were new (so a failed insert may discard them). */
  put(hash: string, files: Record<PhotoVariant, Buffer>): Promise<boolean>;
  /**
   * Removes the files a failed insert put, unless another upload has put the same photo since
   * (its row may be about to commit) or `isReferenced` finds a committed row. True if removed.
   */
  discard(hash: string, isReferenced: () => Promise<boolean>): Promise<boolean>;
  /** Removes unconditionally: for the start-up sweep, when no upload is in flight. */
  remove(hash: string): Promise<void>;
  /** Absolute file path of a variant, or undefined if it is not stored. */
  locate(hash: string, variant: PhotoVariant): Promise<string | undefined>;
  /** Every stored hash with the time its display file was written. */
  list(): AsyncIterable<{ hash: string; writtenAt: Date }>;
  /** Partial writes left by a process that died mid-upload. */
  removeTempFilesBefore(before: Date): Promise<void>;
}

const FILE_NAME = /^([0-9a-f]{64})\.jpg$/;

/**
 * How long this process remembers that uploads put a photo. A request lives far shorter; the
 * start-up sweep (removeOrphanPhotos) leaves files this young alone for the same reason.
 */
export const PUT_MEMORY_MS = 60 * 60 * 1000;

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

  const remove = async (hash: string) => {
    await fs.rm(fileOf(hash, 'display'), { force: true });
    await fs.rm(fileOf(hash, 'thumbnail'), { force: true });
  };

  // Two reports may carry the same photo (same bytes, same name). If one fails after the
  // other found the files already there, its cleanup must not delete them under the other,
  // whose row may not be committed yet (so the database cannot tell). Each hash therefore
  // counts the puts made of it lately, and put and discard of one hash take turns.
  const puts = new Map<string, { count: number; at: number }>(); // oldest use first
  const turns = new Map<string, Promise<unknown>>();

  function inTurn<T>(hash: string, task: () => Promise<T>): Promise<T> {
    const run = (turns.get(hash) ?? Promise.resolve()).then(task, task);
    const done = run.catch(() => undefined);
    turns.set(hash, done);
    void done.then(() => {
      if (turns.get(hash) === done) turns.delete(hash);
    });
    return run;
  }

  function notePut(hash: string): void {
    const now = Date.now();
    for (const [old, use] of puts) {
      if (now - use.at < PUT_MEMORY_MS) break;
      puts.delete(old);
    }
    const count = (puts.get(hash)?.count ?? 0) + 1;
    puts.delete(hash); // re-inserted at the end: the map stays ordered by last use
    puts.set(hash, { count, at: now });
  }

  return {
    put(hash, files) {
      return inTurn(hash, async () => {
        notePut(hash);
        const display = fileOf(hash, 'display');
        if (await exists(display)) {
          // Touched, so the start-up sweep sees it as young while this upload commits.
          const now = new Date();
          await fs.utimes(display, now, now).catch(() => undefined);
          return false;
        }
        // Thumbnail first: a display file is the marker that a photo is complete.
        await writeAtomically(fileOf(hash, 'thumbnail'), files.thumbnail);
        await writeAtomically(display, files.display);
        return true;
      });
    },
    discard(hash, isReferenced) {
      return inTurn(hash, async () => {
        const use = puts.get(hash);
        // Forgotten (a request older than PUT_MEMORY_MS): keep it; the sweep decides later.
        if (!use) return false;
        if (use.count > 1) {
          use.count--;
          return false;
        }
        puts.delete(hash);
        if (await isReferenced()) return false;
        await remove(hash);
        return true;
      });
    },
    remove,
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
