// npm run apikey:revoke -- --id N | --name N
// Revokes an Open311 API key: posts with it are refused from then on. The row stays, for the
// record. Opens the configured database like user:create (stop an embedded app first).
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { AppError } from '../server/http/errors';
import { createLogger } from '../server/logger';
import { revokeApiKey } from '../server/features/apikeys/apikeys.service';

const USAGE = 'usage: npm run apikey:revoke -- --id N | --name N';

async function run(): Promise<number> {
  const { values } = parseArgs({ options: { id: { type: 'string' }, name: { type: 'string' } } });
  const name = values.name?.trim();
  const id = values.id !== undefined && /^[1-9]\d{0,14}$/.test(values.id) ? Number(values.id) : undefined;
  if ((id === undefined) === !name || (values.id !== undefined && id === undefined)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 2);
  const db = await openDatabase(config, logger);
  try {
    await migrate(db.pool, logger);
    const apiKey = await revokeApiKey(db.pool, id !== undefined ? { id } : { name: name! });
    process.stdout.write(`Revoked API key "${apiKey.name}" (id ${apiKey.id}) at ${apiKey.revokedAt!.toISOString()}\n`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`${err.detail ?? err.title}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`apikey:revoke failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
