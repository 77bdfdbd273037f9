// npm run apikey:revoke -- --id N | --name N
// Revokes an Open311 API key: posts with it are refused from then on. The row stays, for the
// record.
import { parseArgs } from 'node:util';
import { revokeApiKey } from '../server/features/apikeys/apikeys.service';
import { exitWithUsage, runCommand } from './lib/command';

const { values } = parseArgs({ options: { id: { type: 'string' }, name: { type: 'string' } } });

const name = values.name?.trim();
const id = values.id !== undefined && /^[1-9]\d{0,14}$/.test(values.id) ? Number(values.id) : undefined;
if ((id === undefined) === !name || (values.id !== undefined && id === undefined)) {
  exitWithUsage('usage: npm run apikey:revoke -- --id N | --name N');
}

runCommand('apikey:revoke', async (pool) => {
  const apiKey = await revokeApiKey(pool, id !== undefined ? { id } : { name: name! });
  process.stdout.write(`Revoked API key "${apiKey.name}" (id ${apiKey.id}) at ${apiKey.revokedAt!.toISOString()}\n`);
  return 0;
});
