// Releases at stable URLs: /releases/ lists them, /releases/{id}/{file} serves a file from
// disk (express's sendFile: Content-Length, Range, HEAD, conditional requests), and
// /releases/latest/{file} redirects to the newest dated file, so a citation names a URL whose
// bytes never change. Public and readable from any origin; building one is an admin's.
import { Router, type Request, type Response } from 'express';
import { requireStaff } from '../../http/auth';
import { AppError } from '../../http/errors';
import { RELEASE_FILES, RELEASE_ID, type ReleaseFileName, type ReleaseInfo } from './releases.build';
import type { Releases } from './releases.service';

const notFound = (detail: string) => new AppError(404, 'not_found', 'Not found', detail);

const isFile = (name: string): name is ReleaseFileName => Object.hasOwn(RELEASE_FILES, name);

/** A dated release never changes; the list and `latest` do, daily or so. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=60';

export function releasesRouter(deps: { releases: Releases; baseUrl: (req: Request) => string }): Router {
  const router = Router();

  // Any origin may read every release path, ranges included: server/http/cors.ts.

  const describe = (base: string, r: ReleaseInfo) => ({
    id: r.id,
    created: r.created,
    rows: r.rows,
    href: `${base}/releases/${r.id}/`,
    datapackage: `${base}/releases/${r.id}/datapackage.json`,
    files: r.files.map((f) => ({
      name: f.name,
      href: `${base}/releases/${r.id}/${f.name}`,
      type: f.type,
      bytes: f.bytes,
      hash: f.hash,
    })),
  });

  const index = async (req: Request, res: Response) => {
    const base = deps.baseUrl(req);
    const releases = await deps.releases.list();
    const building = deps.releases.building();
    res.set('Cache-Control', SHORT).json({
      releases: releases.map((r) => describe(base, r)),
      latest: releases.length ? `${base}/releases/latest/` : null,
      building: building ? { id: building.id, started_at: building.startedAt.toISOString() } : null,
    });
  };
  router.get('/releases', index);
  router.get('/releases/index.json', index);

  async function newest(): Promise<ReleaseInfo> {
    const latest = (await deps.releases.list())[0];
    if (!latest) throw notFound('No release has been published yet.');
    return latest;
  }
  router.get('/releases/latest', async (req, res) => {
    const latest = await newest();
    res.set('Cache-Control', SHORT).redirect(302, `${deps.baseUrl(req)}/releases/${latest.id}/`);
  });
  router.get('/releases/latest/:file', async (req, res) => {
    const file = String(req.params.file);
    if (!isFile(file)) throw notFound('No such release or file; see /releases/.');
    const latest = await newest();
    res.set('Cache-Control', SHORT).redirect(302, `${deps.baseUrl(req)}/releases/${latest.id}/${file}`);
  });

  async function send(req: Request, res: Response, id: string, file: string): Promise<void> {
    // Only ids and names we make ever reach the file system: no path can be smuggled in.
    if (!RELEASE_ID.test(id) || !isFile(file)) throw notFound('No such release or file; see /releases/.');
    const info = await deps.releases.get(id);
    if (!info) throw notFound('No such release or file; see /releases/.');
    const hash = info.files.find((f) => f.name === file)?.hash;
    res.set({
      'Content-Type': RELEASE_FILES[file].type,
      'Cache-Control': IMMUTABLE,
      // Strong: the bytes' own checksum, as in datapackage.json (datapackage.json itself gets send's).
      ...(hash ? { ETag: `"${hash.replace(/^sha256:/, '')}"` } : {}),
      Link: `<${deps.baseUrl(req)}/releases/${id}/datapackage.json>; rel="describedby"; type="application/json"`,
    });
    await new Promise<void>((resolve, reject) => {
      res.sendFile(`${id}/${file}`, { root: deps.releases.dir, dotfiles: 'deny', cacheControl: false }, (err) => {
        if (!err) return resolve();
        // The client went away mid-file: nothing to answer.
        if (res.headersSent) return resolve();
        const { status, headers } = err as { status?: number; headers?: Record<string, string> };
        if (status === 404) return reject(notFound('No such release or file; see /releases/.'));
        // A range beyond the end (416, with the size in Content-Range) or a failed If-Match (412).
        if (status === 416 || status === 412) {
          return reject(
            new AppError(
              status,
              status === 416 ? 'range_not_satisfiable' : 'precondition_failed',
              status === 416 ? 'Range not satisfiable' : 'Precondition failed',
              undefined,
              [],
              headers,
            ),
          );
        }
        reject(err);
      });
    });
  }
  router.get('/releases/:id', (req, res) => send(req, res, String(req.params.id), 'datapackage.json'));
  router.get('/releases/:id/:file', (req, res) => send(req, res, String(req.params.id), String(req.params.file)));

  router.post('/api/v1/releases', requireStaff('admin'), (req, res) => {
    const build = deps.releases.start(deps.baseUrl(req));
    const href = `${deps.baseUrl(req)}/releases/${build.id}/`;
    res
      .status(202)
      .set({ Location: href, 'Cache-Control': 'no-store' })
      .json({
        id: build.id,
        state: 'building',
        started_at: build.startedAt.toISOString(),
        href,
        list: `${deps.baseUrl(req)}/releases/`,
      });
  });

  return router;
}
