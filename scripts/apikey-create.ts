// npm run apikey:create -- --name N
// Makes an API key for an Open311 client and prints it once: only its hash is stored.
// Opens the configured database (DATABASE_URL, or the embedded one in DATA_DIR — stop the app
// first, the embedded database has one owner at a time).
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { AppError } from '../server/http/errors';
import { createLogger } from '../server/logger';
import { createApiKey } from '../server/features/apikeys/apikeys.service';

const USAGE = 'usage: npm run apikey:create -- --name N';

async function run(): Promise<number> {
  const { values } = parseArgs({ options: { name: { type: 'string' } } });
  const name = values.name?.trim();
  if (!name || name.length > 100) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 2);
  const db = await openDatabase(config, logger);
  try {
    await migrate(db.pool, logger);
    const { apiKey, key } = await createApiKey(db.pool, { name, createdBy: null });
    process.stderr.write(`Created API key "${apiKey.name}" (id ${apiKey.id}). It is shown only now:\n`);
    process.stdout.write(`${key}\n`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`${err.errors.map((e) => `${e.field}: ${e.detail}`).join('\n') || err.detail}\n`);
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
    process.stderr.write(`apikey:create failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
