// Runs only the embedded database and prints its connection string as one JSON line on
// stdout: the API tests start it once for all their files, and `psql`/`pg_dump` can use it.
import path from 'node:path';
import { createLogger } from '../logger';
import { startEmbeddedDatabase } from './embedded';

async function run(): Promise<void> {
  const dataDir = path.resolve(process.env.DATA_DIR ?? './data');
  const port = process.env.EMBEDDED_DB_PORT ? Number(process.env.EMBEDDED_DB_PORT) : undefined;
  // Logs go to stderr so that stdout carries only the connection string.
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info', 2);
  const db = await startEmbeddedDatabase({ dataDir, logger, port });
  process.stdout.write(`${JSON.stringify({ url: db.url })}\n`);
  const stop = () => {
    db.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

run().catch((err: unknown) => {
  process.stderr.write(`Embedded database could not start: ${String(err)}\n`);
  process.exit(1);
});
