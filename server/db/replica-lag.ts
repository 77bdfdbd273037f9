// The bench's replica lag figure: how long from a write committing on the primary until a
// read on the replica sees it. The write is a WAL message of its own (no table needed); the
// replica is asked how far it has replayed until it is past that message.
import type pg from 'pg';
import { parseLsn } from './replica';

/** Milliseconds (fractional) from one write on `primary` to its visibility on `replica`. */
export async function replicaLagMs(primary: pg.Pool, replica: pg.Pool, timeoutMs = 30_000): Promise<number> {
  const start = process.hrtime.bigint();
  const { rows } = await primary.query<{ lsn: string }>(
    `SELECT pg_logical_emit_message(true, 'wegfrei-lag', clock_timestamp()::text)::text AS lsn`,
  );
  // The write position once the message's transaction (this statement) has committed: the
  // end of its commit record, which the replica must have replayed to see the message.
  const { rows: after } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const target = parseLsn(after[0]?.lsn) ?? parseLsn(rows[0]?.lsn)!;
  for (;;) {
    const { rows: replayed } = await replica.query<{ lsn: string | null }>(
      'SELECT pg_last_wal_replay_lsn()::text AS lsn',
    );
    const lsn = parseLsn(replayed[0]?.lsn);
    const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    // Not a standby (null): it has everything.
    if (lsn === undefined || lsn >= target) return elapsedMs;
    if (elapsedMs > timeoutMs) throw new Error(`the replica did not replay the write within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Several lag measurements, as the bench reports them: median and worst (ms). */
export async function replicaLagFigure(
  primary: pg.Pool,
  replica: pg.Pool,
  samples = 20,
): Promise<{ medianMs: number; maxMs: number; samples: number }> {
  const lags: number[] = [];
  for (let i = 0; i < samples; i++) lags.push(await replicaLagMs(primary, replica));
  lags.sort((a, b) => a - b);
  return { medianMs: lags[Math.floor(lags.length / 2)]!, maxMs: lags.at(-1)!, samples };
}
