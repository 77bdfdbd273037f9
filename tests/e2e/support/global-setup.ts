// One migrated embedded database for the whole browser suite, copied into each test's fresh
// DATA_DIR (support/server.ts). Creating one from nothing (initdb, PostGIS, the migrations) takes
// about 25 s and a warm start about 5 s; with twenty-five files that was ten minutes of CI.
// Made anew at every run, so it never lags behind the migrations.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess } from '../../support/server-process';

export const TEMPLATE_ENV = 'WF_E2E_TEMPLATE_DIR';

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-e2e-template-'));
  // The tiles are never asked for: the template server only migrates and stops.
  const server = await startServerProcess({ DATA_DIR: dir, TILE_URL: 'http://127.0.0.1:9/{z}/{x}/{y}.png' });
  await server.stop();
  const { code, signal } = await server.exited;
  if (code !== 0) throw new Error(`the template server ended with ${code ?? signal}:\n${server.output()}`);
  process.env[TEMPLATE_ENV] = dir;
}
