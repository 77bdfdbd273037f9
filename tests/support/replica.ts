// A streaming replica of the test PostgreSQL (TEST_DATABASE_URL's server), made for one test
// file and removed after it: pg_basebackup of the whole cluster (-R: it follows the primary,
// -X stream: with the WAL the copy needs), then a postgres of its own on a free port.
//
// Needs what a Debian PostgreSQL has out of the box: `host replication` from 127.0.0.1 in
// pg_hba.conf, wal_level replica and a free WAL sender; and the server's binaries
// (/usr/lib/postgresql/<major>/bin, or PG_BIN). Tests run as root in CI; PostgreSQL refuses
// to run as root, so its binaries run as the postgres user then. The copy is of every database
// on the cluster (a few MB on a CI machine; more where a bench left large databases behind).
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface Replica {
  /** `url` (a database on the primary) pointed at the replica: same database, user, password. */
  urlFor(url: string): string;
  port: number;
  /** Stops applying WAL (it still arrives); reads on the replica see the state from before. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Resolves once the replica has replayed everything the primary had written when called. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Stops the replica's server (its data stays until remove). */
  stop(): Promise<void>;
  /** Stops it if running and deletes its data directory. */
  remove(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs a PostgreSQL binary, as the postgres user when this process is root. */
async function pgCommand(bin: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const [file, argv] =
    process.getuid?.() === 0
      ? ['runuser', ['-u', 'postgres', '--', 'env', ...envArgs, bin, ...args]]
      : ['env', [...envArgs, bin, ...args]];
  try {
    const { stdout } = await run(file, argv, { timeout: 120_000 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${path.basename(bin)} failed: ${e.stderr || e.message}`, { cause: err });
  }
}

export async function startReplica(primaryUrl = process.env.TEST_DATABASE_URL): Promise<Replica> {
  if (!primaryUrl) throw new Error('startReplica needs a PostgreSQL primary (TEST_DATABASE_URL)');
  const primary = new URL(primaryUrl);
  const admin = new pg.Client({ connectionString: primaryUrl });
  await admin.connect();
  // A standby refuses to start with fewer of these than its primary has.
  const settings = ['max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions'];
  const { rows } = await admin.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name = ANY($1) OR name IN ('server_version_num', 'max_locks_per_transaction')`,
    [settings],
  );
  await admin.end();
  const setting = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  const bin = process.env.PG_BIN ?? `/usr/lib/postgresql/${Math.floor(Number(setting.server_version_num) / 10000)}/bin`;

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-replica-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) await run('chown', ['postgres:postgres', dir]);
  await fs.chmod(dir, 0o700);
  const port = await freePort();
  let running = false;
  const pgCtl = (...args: string[]) => pgCommand(path.join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const remove = async () => {
    if (running) await pgCtl('-m', 'immediate', '-w', 'stop').catch(() => undefined);
    running = false;
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    await pgCommand(
      path.join(bin, 'pg_basebackup'),
      ['-h', primary.hostname, '-p', primary.port || '5432', '-U', decodeURIComponent(primary.username)].concat([
        '-D',
        data,
        '-R',
        '-X',
        'stream',
        '-c',
        'fast',
        '--no-sync',
      ]),
      { PGPASSWORD: decodeURIComponent(primary.password) },
    );
    // Debian keeps the configuration outside the data directory, so the copy has none.
    const conf = [
      `listen_addresses = '127.0.0.1'`,
      `port = ${port}`,
      `unix_socket_directories = '${dir}'`,
      'hot_standby = on',
      'fsync = off',
      'shared_buffers = 16MB',
      ...settings.concat('max_locks_per_transaction').map((name) => `${name} = ${setting[name]}`),
    ];
    await fs.writeFile(path.join(data, 'postgresql.conf'), conf.join('\n') + '\n');
    await fs.writeFile(path.join(data, 'pg_hba.conf'), 'local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n');
    await fs.writeFile(path.join(data, 'pg_ident.conf'), '');
    if (process.getuid?.() === 0) await run('chown', ['-R', 'postgres:postgres', dir]);
    await pgCtl('-l', path.join(dir, 'log'), '-w', '-t', '60', 'start');
    running = true;
  } catch (err) {
    const log = await fs.readFile(path.join(dir, 'log'), 'utf8').catch(() => '');
    await remove();
    throw new Error(`${(err as Error).message}${log ? `\n${log}` : ''}`, { cause: err });
  }

  const urlFor = (url: string) => {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    return u.toString();
  };
  const onReplica = async <T extends pg.QueryResultRow>(sql: string) => {
    const client = new pg.Client({ connectionString: urlFor(primaryUrl) });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  // "Accepts connections" is not yet "a standby that serves reads": wait for both.
  for (let i = 0; ; i++) {
    const ok = await onReplica<{ r: boolean }>('SELECT pg_is_in_recovery() AS r').then(
      (r) => r[0]!.r,
      () => false,
    );
    if (ok) break;
    if (i > 300) {
      await remove();
      throw new Error('the replica did not come up as a standby in 30 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    urlFor,
    port,
    pauseReplay: async () => void (await onReplica('SELECT pg_wal_replay_pause()')),
    resumeReplay: async () => void (await onReplica('SELECT pg_wal_replay_resume()')),
    async caughtUp(timeoutMs = 30_000) {
      const primaryClient = new pg.Client({ connectionString: primaryUrl });
      await primaryClient.connect();
      // The write position: the end of the last record (the insert position may be past a page header).
      const { rows: lsn } = await primaryClient.query<{ l: string }>('SELECT pg_current_wal_lsn()::text AS l');
      await primaryClient.end();
      const until = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await onReplica<{ done: boolean }>(
          `SELECT pg_last_wal_replay_lsn() >= '${lsn[0]!.l}'::pg_lsn AS done`,
        );
        if (row!.done) return;
        if (Date.now() > until) throw new Error(`the replica did not replay up to ${lsn[0]!.l} in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      if (running) await pgCtl('-m', 'fast', '-w', 'stop');
      running = false;
    },
    remove,
  };
}
