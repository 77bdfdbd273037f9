/**
 * The real Wegfrei server as a child process on a free port with a fresh DATA_DIR, and a
 * local tile stub as its basemap, so no e2e test ever reaches the internet.
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { ROOT, startServerProcess } from '../../support/server-process';
import { TEMPLATE_ENV } from './global-setup';

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

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  if (!fs.existsSync(path.join(ROOT, 'dist/client/index.html'))) {
    throw new Error('dist/client is missing: run "npm run build:client" (npm run test:e2e does).');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-e2e-'));
  // The suite's migrated embedded database (support/global-setup.ts), when this server uses one.
  const template = process.env[TEMPLATE_ENV];
  if (template && !process.env.TEST_DATABASE_URL && !env.DATABASE_URL) {
    fs.cpSync(path.join(template, 'pgdata'), path.join(dataDir, 'pgdata'), { recursive: true });
  }
  const tiles = await startTileStub();
  const cleanUp = async () => {
    await tiles.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const server = await startServerProcess({
      DATA_DIR: dataDir,
      TILE_URL: tiles.url,
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      ...env,
    });
    return {
      baseUrl: server.baseUrl,
      tiles,
      dataDir,
      output: () => server.output(),
      errors: () => server.errors(),
      async stop() {
        await server.stop();
        await cleanUp();
      },
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
