// The start-up warm-up serves its tiles through the app on a loopback port of its own, sends
// the Host the app answers for, leaves nothing listening behind it, and never stops the start:
// an app that fails or hangs costs at most its timeout and a warning.
import net from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { warmHttpPath, warmUpHost } from '../../server/http/warm-up';

const quiet = () => {
  const warnings: unknown[][] = [];
  return { warnings, logger: { warn: (...args: unknown[]) => warnings.push(args) } };
};

test('asks the app for a tile of clusters and one of single reports, then closes its port', async () => {
  const seen: { url?: string; host?: string; port: number }[] = [];
  const app = (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ url: req.url, host: req.headers.host, port: req.socket.localPort! });
    res.end('tile');
  };
  const { warnings, logger } = quiet();
  await warmHttpPath(app, 'map.example.org', logger);
  expect(warnings).toEqual([]);
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

test('an app that drops the connection or answers an error is logged, not thrown', async () => {
  for (const app of [
    (_req: IncomingMessage, res: ServerResponse) => res.destroy(),
    (_req: IncomingMessage, res: ServerResponse) => res.writeHead(400).end(),
  ]) {
    const { warnings, logger } = quiet();
    await expect(warmHttpPath(app, '127.0.0.1', logger)).resolves.toBeUndefined();
    expect(warnings).toHaveLength(2);
  }
});

test('an app that never answers costs each request its timeout, not the start', async () => {
  const { warnings, logger } = quiet();
  await warmHttpPath(() => undefined, '127.0.0.1', logger, 200);
  expect(warnings.map((w) => (w[0] as { status: string }).status)).toEqual([
    'no answer in 200 ms',
    'no answer in 200 ms',
  ]);
});

test('sends the first allowed Host, else PUBLIC_URL’s, else loopback', () => {
  expect(warmUpHost({ allowedHosts: ['a.example', 'b.example'], publicUrl: 'https://c.example' })).toBe('a.example');
  expect(warmUpHost({ allowedHosts: [], publicUrl: 'https://c.example:8443/map' })).toBe('c.example:8443');
  expect(warmUpHost({ allowedHosts: [] })).toBe('127.0.0.1');
});
