import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Contact details, cookies and keys never reach a log line (DESIGN.md, Privacy). The access
 * log's serializer already leaves headers out and redacts the query (server/http/log-redaction.ts);
 * these paths hold if a line ever logs headers, a body or an error that carries one.
 */
const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'req.query',
  'req.body',
  'res.headers["set-cookie"]',
  // body-parser's errors carry the raw body they could not read.
  'err.body',
  'body',
  'contact',
  '*.contact',
  'api_key',
  '*.api_key',
];

/** The logger's redaction, for a test that builds its own pino over a stream. */
export const LOG_REDACT = { paths: REDACT, censor: '[redacted]' };

/** At a terminal, readable lines (pino-pretty, when installed); otherwise JSON for log shippers. */
function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** `fd` 2 sends the log to stderr, for commands whose stdout is their output. */
export function createLogger(level: string, fd: 1 | 2 = 1): Logger {
  const options = { level, redact: LOG_REDACT };
  const stream = fd === 1 ? process.stdout : process.stderr;
  if (stream.isTTY && process.env.LOG_FORMAT !== 'json' && prettyAvailable()) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { destination: fd, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' },
      },
    });
  }
  return pino(options, pino.destination({ fd, sync: false }));
}
