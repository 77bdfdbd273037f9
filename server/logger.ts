import pino from 'pino';

export type Logger = pino.Logger;

/** Contact details and cookies never reach a log line (DESIGN.md, Privacy). */
const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'contact',
  '*.contact',
  'body.contact',
];

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
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' } };
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
