// The real server as a child process, on a free port, with its memory watched from /proc.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { makeAgent, request } from './http';

const ROOT = path.resolve(__dirname, '..');

export interface ServerUnderTest {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first 200 from /healthz. */
  startMs: number;
  /** Highest VmRSS seen by the sampler, bytes. */
  peakSampledRss(): number;
  /** VmHWM (the kernel's peak RSS) of the child, bytes; read it before stop(). */
  peakRss(): number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A memory figure of a process from /proc/<pid>/status, bytes (0 once it has ended). */
export function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startServer(env: {
  dataDir: string;
  databaseUrl: string | undefined;
  /** More settings, e.g. WEB_CONCURRENCY for the two-process ingest. */
  extra?: NodeJS.ProcessEnv;
  /** Flags for node itself, e.g. --cpu-prof when looking for where the time goes. */
  nodeArgs?: string[];
}): Promise<ServerUnderTest> {
  const port = await freePort();
  const started = performance.now();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // As a deployment runs (docs/DEPLOY.md): links from PUBLIC_URL, not from each request's Host.
    NODE_ENV: 'production',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: env.dataDir,
    DATABASE_URL: env.databaseUrl ?? '',
    // Every virtual client here is 127.0.0.1: capacity is measured, not the per-address limits.
    REPORT_RATE_LIMIT: '0',
    EXPORT_RATE_LIMIT: '0',
    EXPORT_CONCURRENT_MAX: '0',
    READ_RATE_LIMIT: '0',
    READ_CONCURRENT_MAX: '0',
    REQUEST_RATE_LIMIT: '0',
    // The scheduled data release builds a full export a minute after start when none is
    // recent: in the middle of the measurements (it halved the JSON ingest at 1M reports).
    RELEASE_INTERVAL_HOURS: '0',
    ...env.extra,
  };
  const child = spawn(process.execPath, [...(env.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: childEnv,
    // The server logs to stdout; ours carries the table.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(process.stderr);
  child.stderr.pipe(process.stderr);
  const pid = child.pid!;
  const url = `http://127.0.0.1:${port}`;

  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, readStatusKb(pid, 'VmRSS'));
  }, 200);

  const agent = makeAgent(1);
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the server did not answer /healthz within 180 s');
    }
    const ok = await request(agent, `${url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  agent.destroy();
  const startMs = performance.now() - started;

  return {
    url,
    pid,
    startMs,
    peakSampledRss: () => Math.max(peak, readStatusKb(pid, 'VmRSS')),
    peakRss: () => readStatusKb(pid, 'VmHWM'),
    async stop() {
      clearInterval(sampler);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      if (!(await exited(child, 25_000))) {
        child.kill('SIGKILL');
        await exited(child, 5_000);
      }
    },
  };
}
