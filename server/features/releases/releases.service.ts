// The releases on disk and the one being built: one build at a time (an admin's or the
// schedule's), the list read from each release's datapackage.json, older releases removed only
// when RELEASES_KEEP says so (a cited URL should keep working).
import fsp from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { AppError } from '../../http/errors';
import type { Logger } from '../../logger';
import { startPeriodic } from '../../jobs';
import type { DataLicence } from '../exports/exports.routes';
import {
  buildRelease,
  RELEASE_FILES,
  RELEASE_ID,
  releaseId,
  type ReleaseFileName,
  type ReleaseInfo,
} from './releases.build';

/** About 0.2 s of the embedded database's time per page (as the exports' pages). */
export const RELEASE_PAGE_ROWS = 5000;

export interface ReleasesOptions {
  dir: string;
  pool: pg.Pool;
  licence: DataLicence;
  logger: Logger;
  /** Keep this many releases (the newest); all when unset. */
  keep?: number;
  pageRows?: number;
}

export interface Build {
  id: string;
  startedAt: Date;
  done: Promise<ReleaseInfo | undefined>;
}

export interface Releases {
  readonly dir: string;
  /** All complete releases, newest first. */
  list(): Promise<ReleaseInfo[]>;
  get(id: string): Promise<ReleaseInfo | undefined>;
  /** The newest complete release as last seen (for links elsewhere; refreshed by list() and builds). */
  latestRelease(): LatestRelease | undefined;
  building(): Build | undefined;
  /** Starts a build, or answers 409 with the one in progress. */
  start(baseUrl: string): Build;
}

export interface LatestRelease {
  id: string;
  created: string;
  rows: number;
  files: { name: string; href: string; type: string; bytes: number }[];
}

export const alreadyBuilding = (build: Build) =>
  new AppError(
    409,
    'release_building',
    'A release is being built',
    `Release ${build.id} is being built; it appears at /releases/${build.id}/ when done.`,
    [],
    {
      Location: `/releases/${build.id}/`,
    },
  );

/** The lock file of the build in progress, in RELEASES_DIR (a dot file: never listed or served). */
const LOCK = '.building.lock';
/** A lock or temporary directory this old was left by a process that stopped mid-build. */
const STALE_LOCK_MS = 6 * 3600_000;

async function takeLock(dir: string): Promise<boolean> {
  await fsp.mkdir(dir, { recursive: true });
  const file = path.join(dir, LOCK);
  try {
    await fsp.writeFile(file, `${process.pid} ${new Date().toISOString()}\n`, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const stat = await fsp.stat(file).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs < STALE_LOCK_MS) return false;
    await fsp.rm(file, { force: true });
    return fsp.writeFile(file, `${process.pid} ${new Date().toISOString()}\n`, { flag: 'wx' }).then(
      () => true,
      () => false,
    );
  }
}

export function createReleases(opts: ReleasesOptions): Releases {
  let current: Build | undefined;
  let latest: ReleaseInfo | undefined;
  const cache = new Map<string, ReleaseInfo>();

  async function read(id: string): Promise<ReleaseInfo | undefined> {
    const known = cache.get(id);
    if (known) return known;
    try {
      const pkg = JSON.parse(await fsp.readFile(path.join(opts.dir, id, 'datapackage.json'), 'utf8')) as {
        created: string;
        resources: { path: ReleaseFileName; bytes: number; hash: string; rows?: number }[];
      };
      const info: ReleaseInfo = {
        id,
        created: pkg.created,
        rows: pkg.resources[0]?.rows ?? 0,
        files: pkg.resources.map((r) => ({
          name: r.path,
          type: RELEASE_FILES[r.path].type,
          bytes: r.bytes,
          hash: r.hash,
        })),
      };
      cache.set(id, info);
      return info;
    } catch {
      return undefined;
    }
  }

  async function list(): Promise<ReleaseInfo[]> {
    const names = await fsp.readdir(opts.dir).catch(() => [] as string[]);
    const ids = names
      .filter((n) => RELEASE_ID.test(n))
      .sort()
      .reverse();
    const infos = (await Promise.all(ids.map(read))).filter((r): r is ReleaseInfo => r !== undefined);
    latest = infos[0];
    return infos;
  }

  async function prune(): Promise<void> {
    if (!opts.keep) return;
    for (const old of (await list()).slice(opts.keep)) {
      cache.delete(old.id);
      await fsp.rm(path.join(opts.dir, old.id), { recursive: true, force: true });
      opts.logger.info({ release: old.id }, 'Removed an old release (RELEASES_KEEP)');
    }
  }

  // So that latestRelease() knows the newest from the start.
  void list().catch(() => undefined);
  // Builds cut off by a stopped process leave their temporary directories behind; another
  // process sharing the directory may be building right now, so only old ones go.
  void fsp
    .readdir(opts.dir)
    .then((names) =>
      Promise.all(
        names
          .filter((n) => n.startsWith('.building-'))
          .map(async (n) => {
            const stat = await fsp.stat(path.join(opts.dir, n));
            if (Date.now() - stat.mtimeMs > STALE_LOCK_MS) {
              await fsp.rm(path.join(opts.dir, n), { recursive: true, force: true });
            }
          }),
      ),
    )
    .catch(() => undefined);

  return {
    dir: opts.dir,
    list,
    get: (id) => (RELEASE_ID.test(id) ? read(id) : Promise.resolve(undefined)),
    latestRelease: () =>
      latest && {
        id: latest.id,
        created: latest.created,
        rows: latest.rows,
        files: latest.files.map((f) => ({
          name: f.name,
          href: `/releases/${latest!.id}/${f.name}`,
          type: f.type,
          bytes: f.bytes,
        })),
      },
    building: () => current,
    start(baseUrl) {
      if (current) throw alreadyBuilding(current);
      let at = new Date();
      // Two builds within one second would share an id: the second waits for the next second's.
      if (latest && at.getTime() < Date.parse(latest.created) + 1000) at = new Date(Date.parse(latest.created) + 1000);
      const startedAt = new Date();
      const build: Build = { id: releaseId(at), startedAt, done: Promise.resolve(undefined) };
      build.done = (async () => {
        // Several app processes may share RELEASES_DIR (PostgreSQL): one builds at a time.
        if (!(await takeLock(opts.dir))) {
          opts.logger.info({ release: build.id }, 'Another process is building a release; not building one here');
          return undefined;
        }
        try {
          return await buildRelease({
            pool: opts.pool,
            dir: opts.dir,
            baseUrl,
            licence: opts.licence,
            pageRows: opts.pageRows ?? RELEASE_PAGE_ROWS,
            at,
          });
        } finally {
          await fsp.rm(path.join(opts.dir, LOCK), { force: true });
        }
      })()
        .then(async (info) => {
          if (!info) return undefined;
          latest = info;
          cache.set(info.id, info);
          opts.logger.info(
            { release: info.id, rows: info.rows, ms: Date.now() - startedAt.getTime() },
            'Published a release',
          );
          await prune();
          return info;
        })
        .catch((err: unknown) => {
          opts.logger.error({ err, release: build.id }, 'Building a release failed');
          return undefined;
        })
        .finally(() => {
          if (current === build) current = undefined;
        });
      current = build;
      return build;
    },
  };
}

export interface ReleaseSchedule {
  stop(): Promise<void>;
}

/**
 * A release every `intervalHours` (none when 0), and one soon after start when the newest is
 * older than that or there is none: checked every few minutes, so a restart neither skips a
 * day nor builds twice.
 */
export function startReleaseSchedule(
  releases: Releases,
  opts: { intervalHours: number; baseUrl: string; logger: Logger; firstCheckMs?: number; checkMs?: number },
): ReleaseSchedule {
  if (!opts.intervalHours) return { stop: () => Promise.resolve() };
  const intervalMs = opts.intervalHours * 3600_000;
  const due = async () => {
    if (releases.building()) return;
    const newest = (await releases.list())[0];
    if (newest && Date.now() - Date.parse(newest.created) < intervalMs) return;
    await releases.start(opts.baseUrl).done;
  };
  const onError = (err: unknown) => opts.logger.error({ err }, 'The release schedule failed');
  const periodic = startPeriodic(opts.checkMs ?? Math.min(intervalMs, 5 * 60_000), due, onError);
  let first: Promise<void> | undefined;
  const timer = setTimeout(() => {
    first = due().catch(onError);
  }, opts.firstCheckMs ?? 60_000);
  timer.unref();
  return {
    async stop() {
      clearTimeout(timer);
      await periodic.stop();
      await first;
      await releases.building()?.done;
    },
  };
}
