// Photos on the local disk under DATA_DIR/photos: one app process, or the workers of one
// (WEB_CONCURRENCY), which leave a failed insert's photos to the sweep (see discard).
import cluster from 'node:cluster';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { hashOfPhotoPath, photoPath, PUT_MEMORY_MS, type PhotoStorage, type PhotoVariant } from './photos.storage';

export interface LocalPhotoStorage extends PhotoStorage {
  readonly kind: 'local';
  /** Absolute file path of a variant, or undefined if it is not stored (tests, tools). */
  locate(hash: string, variant: PhotoVariant): Promise<string | undefined>;
}

export function localPhotoStorage(dataDir: string): LocalPhotoStorage {
  const root = path.join(dataDir, 'photos');
  const tmp = path.join(root, 'tmp');
  const fileOf = (hash: string, variant: PhotoVariant) => path.join(root, ...photoPath(hash, variant).split('/'));

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
  // counts the puts made of it lately, and put and discard of one hash take turns. This
  // memory is per process: cluster workers, and app processes sharing one bucket (the S3
  // store, photos.storage-s3.ts), leave everything to the sweep.
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
    kind: 'local',
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
      // WEB_CONCURRENCY > 1 (server/cluster.ts): another worker on this disk may have just put
      // the same photo for a report about to commit, and this memory cannot know it. As in the
      // S3 store, delete nothing: the orphan sweep removes it after PHOTO_ORPHAN_GRACE_S.
      if (cluster.isWorker) return Promise.resolve(false);
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
    removeIfOlderThan(hash, before) {
      // In turn with puts of this process, which touch the display file.
      return inTurn(hash, async () => {
        const stat = await fs.stat(fileOf(hash, 'display')).catch(() => undefined);
        if (stat && stat.mtime >= before) return false;
        await remove(hash);
        return true;
      });
    },
    async locate(hash, variant) {
      const file = fileOf(hash, variant);
      return (await exists(file)) ? file : undefined;
    },
    async open(hash, variant) {
      // One handle for the size and the bytes: a file removed in between cannot mismatch them.
      const handle = await fs.open(fileOf(hash, variant), 'r').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      if (!handle) return undefined;
      try {
        const { size } = await handle.stat();
        return { body: handle.createReadStream(), length: size };
      } catch (err) {
        await handle.close();
        throw err;
      }
    },
    async *list() {
      const dirs = await fs.readdir(root).catch(() => [] as string[]);
      for (const dir of dirs) {
        if (!/^[0-9a-f]{2}$/.test(dir)) continue;
        for (const name of await fs.readdir(path.join(root, dir))) {
          // A display file marks a complete photo (see put).
          if (name.includes('.thumb.')) continue;
          const hash = hashOfPhotoPath(`${dir}/${name}`);
          if (!hash) continue;
          const stat = await fs.stat(path.join(root, dir, name)).catch(() => undefined);
          if (stat) yield { hash, writtenAt: stat.mtime };
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
