// npm run apikey:create -- --name N
// Makes an API key for an Open311 client and prints it once: only its hash is stored.
import { parseArgs } from 'node:util';
import { createApiKey } from '../server/features/apikeys/apikeys.service';
import { exitWithUsage, runCommand } from './lib/command';

const { values } = parseArgs({ options: { name: { type: 'string' } } });

const name = values.name?.trim();
if (!name || name.length > 100) exitWithUsage('usage: npm run apikey:create -- --name N');

runCommand('apikey:create', async (pool) => {
  const { apiKey, key } = await createApiKey(pool, { name, createdBy: null });
  process.stderr.write(`Created API key "${apiKey.name}" (id ${apiKey.id}). It is shown only now:\n`);
  process.stdout.write(`${key}\n`);
  return 0;
});
