// A process's first request through Express pays for compiling its middleware chain and the
// route's code: about 10 ms at ten million reports, which the first person on the map paid on
// top of the tile (the bench's cold zoom 0–5 band, whose first tile is the process's first
// request, read 29 ms where later first tiles read 6–10). So before the server listens for
// people, the app serves a tile of clusters and one of single reports to itself, through the
// real HTTP stack, on a loopback port of its own that closes again.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

const WARM_PATHS = ['/tiles/public/0/0/0.mvt', '/tiles/public/15/0/0.mvt'];

/** Resolves when done; a failed request only means a colder first request, so it never throws. */
export async function warmHttpPath(app: RequestListener, host: string): Promise<void> {
  const server = http.createServer(app);
  try {
    await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
    const { port } = server.address() as AddressInfo;
    for (const path of WARM_PATHS) {
      await new Promise<void>((resolve) => {
        const req = http.get(
          { host: '127.0.0.1', port, path, headers: { host }, agent: false, timeout: 5000 },
          (res) => {
            res.resume().on('end', resolve).on('error', resolve);
          },
        );
        req.on('error', () => resolve()).on('timeout', () => req.destroy());
      });
    }
  } catch {
    // No loopback port: the first request is colder, nothing else.
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
