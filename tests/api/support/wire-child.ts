// A PGlite in memory behind the wire server (server/db/wire.ts), in a process of its own:
// PGlite cannot start inside Jest's module sandbox. Limits come as JSON in WIRE_LIMITS; the
// connection string goes to stdout as one JSON line; the process ends with its stdin, so a
// test run that dies takes it along.
import { PGlite } from '@electric-sql/pglite';
import { serveOverWire, type WireLimits } from '../../../server/db/wire';

async function run(): Promise<void> {
  const limits = JSON.parse(process.env.WIRE_LIMITS ?? '{}') as Partial<WireLimits>;
  const db = await PGlite.create();
  const wire = await serveOverWire(db, { limits });
  process.stdout.write(`${JSON.stringify({ url: wire.url })}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => {
    void wire
      .close()
      .then(() => db.close())
      .finally(() => process.exit(0));
  });
}

run().catch((err: unknown) => {
  process.stderr.write(`wire server did not start: ${String(err)}\n`);
  process.exit(1);
});
