/**
 * The real Wegfrei server as a child process on a free port with a fresh DATA_DIR, and a
 * local tile stub as its basemap, so no e2e test ever reaches the internet.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

const ROOT = path.resolve(__dirname, '../../..');
const START_TIMEOUT_MS = 120_000;

export interface TileStub {
  url: string;
  /** When true, every tile request gets a 500, as when the tile provider is down. */
  fail: boolean;
  requests: number;
  close(): Promise<void>;
}

export interface RunningServer {
  baseUrl: string;
  tiles: TileStub;
  dataDir: string;
  /** What the server printed, for failure messages. */
  output(): string;
  /** The server's error log lines (pino level ≥ 50), so a 500 in a test can be explained. */
  errors(): string[];
  stop(): Promise<void>;
}

interface ErrorLine {
  level?: number;
  msg?: string;
  req?: { method: string; url: string };
  err?: { type?: string; message?: string; stack?: string };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startTileStub(): Promise<TileStub> {
  const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#ece8df' } })
    .png()
    .toBuffer();
  const stub = { fail: false, requests: 0 } as TileStub;
  const server = http.createServer((req, res) => {
    stub.requests += 1;
    if (!/^\/\d+\/\d+\/\d+\.png$/.test(req.url ?? '')) {
      res.writeHead(404).end();
    } else if (stub.fail) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('tile server down');
    } else {
      // Real tile servers allow cross-origin use; MapLibre loads tiles with CORS.
      res
        .writeHead(200, {
          'Content-Type': 'image/png',
          'Cache-Control': 'no-store',
          'Access-Control-Allow-Origin': '*',
        })
        .end(png);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  stub.url = `http://127.0.0.1:${port}/{z}/{x}/{y}.png`;
  stub.close = () => new Promise((resolve) => server.close(() => resolve()));
  return stub;
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  // An object, because a plain variable set in a callback is narrowed to null by TypeScript.
  const status: { exitCode: number | null } = { exitCode: null };
  child.once('exit', (code) => {
    status.exitCode = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (status.exitCode !== null) {
      throw new Error(`The server exited with ${status.exitCode} before it was healthy:\n${output()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The server was not healthy within ${START_TIMEOUT_MS / 1000} s:\n${output()}`);
}

export async function startServer(): Promise<RunningServer> {
  if (!fs.existsSync(path.join(ROOT, 'dist/client/index.html'))) {
    throw new Error('dist/client is missing: run "npm run build:client" (npm run test:e2e does).');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-e2e-'));
  const tiles = await startTileStub();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    TILE_URL: tiles.url,
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  if (process.env.TEST_DATABASE_URL) env.DATABASE_URL = process.env.TEST_DATABASE_URL;

  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;

  async function stop(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await tiles.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  try {
    await waitForHealth(baseUrl, child, () => log);
  } catch (err) {
    await stop();
    throw err;
  }
  const errors = () =>
    log.split('\n').flatMap((line) => {
      try {
        const entry = JSON.parse(line) as ErrorLine;
        if ((entry.level ?? 0) < 50 || !entry.err) return [];
        const where = entry.req ? `${entry.req.method} ${entry.req.url}: ` : '';
        const stack = (entry.err.stack ?? '').split('\n').slice(1, 4).join('\n');
        return [`${where}${entry.err.type ?? 'Error'}: ${entry.err.message ?? entry.msg ?? ''}\n${stack}`];
      } catch {
        return [];
      }
    });
  return { baseUrl, tiles, dataDir, output: () => log, errors, stop };
}
