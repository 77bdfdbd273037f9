// npm run telegram:webhook [-- --info]
// Points Telegram at this deployment's webhook (PUBLIC_URL/api/v1/inbound/telegram) with
// TELEGRAM_WEBHOOK_SECRET as setWebhook's secret_token, which Telegram then sends with every
// update; --info shows what Telegram has instead (the URL, updates waiting, its last error).
// The token is only ever in the Bot API's URL: nothing here prints it (docs/CHANNELS.md).
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { TelegramClient } from '../server/features/inbound/telegram.client';
import { TELEGRAM_WEBHOOK_PATH } from '../server/features/inbound/telegram.routes';

const { values } = parseArgs({ options: { info: { type: 'boolean', default: false } } });

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.telegram) {
    process.stderr.write('telegram:webhook: set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first\n');
    return 2;
  }
  const client = new TelegramClient({ token: config.telegram.botToken, baseUrl: config.telegram.apiBaseUrl });
  if (values.info) {
    const info = await client.call<Record<string, unknown>>('getWebhookInfo', {});
    const { url, pending_update_count, last_error_date, last_error_message, allowed_updates } = info;
    process.stdout.write(
      `${JSON.stringify({ url, pending_update_count, last_error_date, last_error_message, allowed_updates }, null, 2)}\n`,
    );
    return 0;
  }
  if (!config.publicUrl?.startsWith('https://')) {
    process.stderr.write('telegram:webhook: PUBLIC_URL must be the https:// address Telegram can reach\n');
    return 2;
  }
  const url = `${config.publicUrl}${TELEGRAM_WEBHOOK_PATH}`;
  await client.setWebhook(url, config.telegram.webhookSecret);
  process.stdout.write(`Telegram sends updates to ${url} now, with the secret.\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A TelegramError names the method and a reason only; anything else by its message alone.
    process.stderr.write(`telegram:webhook: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
