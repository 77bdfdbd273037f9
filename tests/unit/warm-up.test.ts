// The start-up warm-up serves its tiles through the app on a loopback port of its own, sends
// the Host the app answers for, and leaves nothing listening or open behind it.
import net from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { warmHttpPath } from '../../server/http/warm-up';

test('asks the app for a tile of clusters and one of single reports, then closes its port', async () => {
  const seen: { url?: string; host?: string; port: number }[] = [];
  const app = (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ url: req.url, host: req.headers.host, port: req.socket.localPort! });
    res.end('tile');
  };
  await warmHttpPath(app, 'map.example.org');
  expect(seen.map((s) => [s.url, s.host])).toEqual([
    ['/tiles/public/0/0/0.mvt', 'map.example.org'],
    ['/tiles/public/15/0/0.mvt', 'map.example.org'],
  ]);
  const refused = await new Promise<boolean>((resolve) => {
    const socket = net.connect(seen[0]!.port, '127.0.0.1');
    socket
      .once('connect', () => {
        socket.destroy();
        resolve(false);
      })
      .once('error', () => resolve(true));
  });
  expect(refused).toBe(true);
});

test('an app that drops the connection does not stop the start', async () => {
  const failing = (_req: IncomingMessage, res: ServerResponse) => res.destroy();
  await expect(warmHttpPath(failing, '127.0.0.1')).resolves.toBeUndefined();
});
