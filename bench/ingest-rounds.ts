// npx tsx bench/ingest-rounds.ts [--rounds 3] [--count 10000] [--processes 1]
//
// JSON ingest alone, in rounds, with the CPU each side used per report: the server (with its
// workers), PostgreSQL and this client. What docs/BENCHMARKS.md ("The last round") was measured
// with; against the configured DATABASE_URL (a local PostgreSQL, for the CPU figures), like the
// bench. Every round adds its reports to that database: point it at a scratch one.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { mulberry32 } from '../scripts/seed/random';
import { INGEST_CONCURRENCY, benchJsonIngest, ingestWarmup } from './ingest';
import { startServer } from './server';
import { samplePositions } from './tiles';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      count: { type: 'string', default: '10000' },
      processes: { type: 'string', default: '1' },
    },
  });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must name a scratch PostgreSQL database with reports in it');
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const rng = mulberry32(42);
  // Places where reports are, as the bench spreads its new ones.
  const positions = await samplePositions(pool, rng, 2000);
  if (!positions.length) throw new Error('the database holds no reports: run npm run seed first');
  const server = await startServer({
    dataDir: process.env.DATA_DIR ?? '/tmp/wegfrei-ingest-rounds',
    databaseUrl: url,
    extra: { WEB_CONCURRENCY: values.processes },
  });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    // A warm server, as in the bench (bench/ingest.ts, benchJsonIngest).
    await benchJsonIngest(
      server.url,
      positions,
      rng,
      { count: ingestWarmup('postgres'), concurrency: INGEST_CONCURRENCY },
      out,
    );
    for (let round = 1; round <= Number(values.rounds); round++) {
      const r = await benchJsonIngest(
        server.url,
        positions,
        rng,
        { count: Number(values.count), concurrency: INGEST_CONCURRENCY, serverPid: server.pid },
        out,
      );
      const cpu = r.cpuUsed!;
      const ms = (seconds: number) => ((seconds / r.created) * 1000).toFixed(3);
      out(
        `round ${round}: ${Math.round(r.perSecond)} reports/s, ${r.errors} errors, p50 ${r.latency.p50.toFixed(0)} ms; ` +
          `CPU per report: server ${ms(cpu.server)} ms, PostgreSQL ${ms(cpu.database)} ms, this client ${ms(cpu.bench)} ms`,
      );
    }
  } finally {
    await server.stop();
    await pool.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
