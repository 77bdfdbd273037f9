// A process's first request runs the middleware and the tile route's code for the first time,
// which V8 then compiles and optimises: about 10 ms at ten million reports, which the first
// person on the map paid on top of the tile (the bench's cold zoom 0–5 band, whose first tile
// is the process's first request, read 29 ms where later first tiles read 6–10). So before the
// server listens for people, the app serves a tile of clusters and one of single reports to
// itself, through the real HTTP stack, on a loopback port of its own that closes again.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { Logger } from '../logger';

const WARM_PATHS = ['/tiles/public/0/0/0.mvt', '/tiles/public/15/0/0.mvt'];

/** The Host the app answers for (server/http/host.ts): the first allowed one, PUBLIC_URL's, or loopback. */
export function warmUpHost(config: { allowedHosts: readonly string[]; publicUrl?: string }): string {
  return config.allowedHosts[0] ?? (config.publicUrl ? new URL(config.publicUrl).host : '127.0.0.1');
}

/**
 * Resolves when done, never throws: a failed request only leaves the first real one colder,
 * so it is logged and the start goes on. Each request may take `timeoutMs` in all.
 */
export async function warmHttpPath(
  app: RequestListener,
  host: string,
  logger: Pick<Logger, 'warn'>,
  timeoutMs = 5000,
): Promise<void> {
  const server = http.createServer(app);
  try {
    // exclusive: in a cluster worker the port is its own, not one the primary shares out.
    await new Promise<void>((resolve, reject) =>
      server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, resolve).once('error', reject),
    );
    const { port } = server.address() as AddressInfo;
    for (const path of WARM_PATHS) {
      const status = await new Promise<number | string>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
          res.resume().once('close', () => resolve(res.statusCode ?? 'no status'));
        });
        const timer = setTimeout(() => req.destroy(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
        req.once('error', (err) => resolve(err.message)).once('close', () => clearTimeout(timer));
      });
      if (status !== 200) logger.warn({ path, host, status }, 'Warming the HTTP path did not get a tile');
    }
  } catch (err) {
    logger.warn({ err }, 'Warming the HTTP path failed');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
