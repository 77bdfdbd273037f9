/**
 * The real Wegfrei server (`server/main.ts`) as a child process on a free port: what the
 * browser tests drive and what the fault and load tests kill, restart and measure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** Whether a process with this pid is alive (signal 0 only asks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
const START_TIMEOUT_MS = 120_000;

export interface ServerProcess {
  baseUrl: string;
  port: number;
  pid: number;
  /** Resolves when the process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the server printed (the last 50 kB), for failure messages. */
  output(): string;
  /** The server's error log lines (pino level ≥ 50), so a 500 in a test can be explained. */
  errors(): string[];
  /** SIGTERM, then SIGKILL if it has not exited within 15 s. */
  stop(): Promise<void>;
}

interface LogLine {
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

/**
 * Starts the server with `env` added to this process's environment (DATABASE_URL is only
 * passed when given: unset means the embedded database in DATA_DIR) and waits for /healthz.
 */
export async function startServerProcess(
  env: Record<string, string | undefined>,
  opts: { port?: number } = {},
): Promise<ServerProcess> {
  // A port found free can be taken again before the child binds it: the child's own
  // embedded database listens on an ephemeral port first (CI once met EADDRINUSE so).
  // A port we chose ourselves is chosen again; a port the test asked for is not.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, opts.port ?? (await freePort()));
    } catch (err) {
      const taken = err instanceof Error && err.message.includes('EADDRINUSE');
      if (!taken || opts.port !== undefined || attempt >= 3) throw err;
    }
  }
}

async function startOnce(env: Record<string, string | undefined>, port: number): Promise<ServerProcess> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // No scheduled release a minute after start in the middle of a timed test; a test of the
    // schedule or of building under load sets it (tests/api/releases.test.ts builds on demand).
    RELEASE_INTERVAL_HOURS: '0',
  };
  delete childEnv.DATABASE_URL;
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-50_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHealth(baseUrl, child, () => log);
  } catch (err) {
    await stop();
    throw err;
  }
  return { baseUrl, port, pid: child.pid!, exited, output: () => log, errors: () => errorLines(log), stop };
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The server exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${output()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The server was not healthy within ${START_TIMEOUT_MS / 1000} s:\n${output()}`);
}

function errorLines(log: string): string[] {
  return log.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line) as LogLine;
      if ((entry.level ?? 0) < 50) return [];
      const where = entry.req ? `${entry.req.method} ${entry.req.url}: ` : '';
      const stack = (entry.err?.stack ?? '').split('\n').slice(1, 4).join('\n');
      return [`${where}${entry.err?.type ?? 'Error'}: ${entry.err?.message ?? entry.msg ?? ''}\n${stack}`];
    } catch {
      return [];
    }
  });
}

/**
 * Logs in over HTTP and opens the staff event stream; resolves once its first bytes (the
 * "connected" comment) arrived. `onChunk` sees the stream's text as it comes.
 */
export async function openStaffEvents(
  baseUrl: string,
  credentials: { email: string; password: string },
  onChunk: (chunk: string) => void = () => undefined,
): Promise<{ ended: Promise<void>; close: () => void }> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${baseUrl}/api/v1/events`,
      { headers: { Cookie: cookie, Accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`the event stream answered ${res.statusCode}`));
        const ended = new Promise<void>((done) => res.on('end', done).on('close', done));
        res.setEncoding('utf8');
        res.on('data', onChunk);
        res.once('data', () => resolve({ ended, close: () => req.destroy() }));
      },
    );
    req.on('error', reject);
  });
}
