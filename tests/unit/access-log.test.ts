// `req.log` comes from one getter on the requests' prototype, not from a property defined on
// each request: a getter per request gave every request a hidden class of its own, which slowed
// every middleware's access to req and kept finished requests alive (docs/BENCHMARKS.md, "The
// last round"). Each request still gets its own child logger, with its id, method and a
// redacted URL, made only when something logs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import { accessLog } from '../../server/http/access-log';
import type { Logger } from '../../server/logger';

interface Made {
  bindings: Record<string, unknown>;
}

/** A stand-in for pino with what accessLog uses: child(), isLevelEnabled() and the levels. */
function recordingLogger(made: Made[], lines: unknown[][]): Logger {
  const logger = {
    child(bindings: Record<string, unknown>) {
      made.push({ bindings });
      return logger;
    },
    isLevelEnabled: () => true,
    info: (...args: unknown[]) => lines.push(['info', ...args]),
    warn: (...args: unknown[]) => lines.push(['warn', ...args]),
    error: (...args: unknown[]) => lines.push(['error', ...args]),
  };
  return logger as unknown as Logger;
}

test('every request has req.log with its own fields, and no request carries a property of its own for it', async () => {
  const made: Made[] = [];
  const lines: unknown[][] = [];
  const seen: Request[] = [];
  const app = express();
  app.use(accessLog(recordingLogger(made, lines)));
  app.get('/reports', (req, res) => {
    seen.push(req);
    req.log.info('looked at the list');
    res.json({ ok: true });
  });
  app.get('/quiet', (req, res) => {
    seen.push(req);
    res.json({ ok: true });
  });
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await fetch(`${base}/reports?token=secret&bbox=1,2,3,4`, { headers: { 'X-Request-Id': 'first-one' } });
    await fetch(`${base}/reports`, { headers: { 'X-Request-Id': 'second-one' } });
    await fetch(`${base}/quiet`, { headers: { 'X-Request-Id': 'third-one' } });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }

  expect(seen).toHaveLength(3);
  for (const req of seen) expect(Object.getOwnPropertyDescriptor(req, 'log')).toBeUndefined();
  // One child per request however often it logs: the access line reuses the handler's.
  const ids = made.map((m) => (m.bindings.req as { id: string }).id);
  expect(ids).toEqual(['first-one', 'second-one', 'third-one']);
  const first = made[0]!.bindings.req as { method: string; url: string };
  expect(first.method).toBe('GET');
  expect(first.url).toContain('/reports?');
  expect(first.url).not.toContain('secret');
  expect(lines.filter((l) => l[2] === 'request completed')).toHaveLength(3);
  // A response of another server (or a client's) has no request context: undefined, not a throw.
  const outsider = Object.create(http.IncomingMessage.prototype) as http.IncomingMessage;
  expect(outsider.log).toBeUndefined();
  // An app without the middleware may still give its requests a logger of its own.
  const own = recordingLogger([], []);
  outsider.log = own;
  expect(outsider.log).toBe(own);
});
